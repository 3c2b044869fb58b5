"""Which requests the preview answers: those addressed to this computer by a name no other web site can borrow.

A page on evil.example can make its own name resolve to 127.0.0.1 (DNS rebinding) and then read the preview, drafts
included, as if it were its own site; but the browser still says `Host: evil.example`. So the preview serves only
requests whose Host is `localhost`, a loopback address (127.0.0.0/8, [::1]) or the address given with --host, with
any port or none (a forwarded port arrives under another number). When it listens on every interface (--host 0.0.0.0
or ::), an IP address of any kind is served as well: a page can only read an address typed as digits from that same
address, so digits cannot be rebound; names other than localhost are still refused.
"""

from __future__ import annotations

import ipaddress
import re

WILDCARDS = frozenset({"", "0.0.0.0", "::"})

_HOST = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::\d{0,5})?")


def host_name(value: str | None) -> str | None:
    """The host of a Host header ("name", "name:port", "[v6]" or "[v6]:port"), lower-cased; None if malformed."""
    if value is None:
        return None
    match = _HOST.fullmatch(value.strip())
    if not match:
        return None
    return (match["v6"] or match["name"]).lower()


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


class HostCheck:
    """`allows(host_header)`: whether a request so addressed is one this preview should answer."""

    def __init__(self, bound: str):
        self.bound = bound.strip().strip("[]").lower()
        self.everywhere = self.bound in WILDCARDS
        self._bound_address = _address(self.bound)

    def allows(self, host: str | None) -> bool:
        if host is None or host == "":
            return False
        if host == "localhost" or host == self.bound:
            return True
        address = _address(host)
        if address is None:
            return False
        return address.is_loopback or self.everywhere or address == self._bound_address

    @property
    def examples(self) -> str:
        """The names this preview answers to, as a person would write them."""
        names = ["localhost", "127.0.0.1", "[::1]"]
        if self.everywhere:
            names.append("this computer's IP addresses")
        elif self.bound not in ("localhost", "127.0.0.1", "::1"):
            names.append(f"[{self.bound}]" if ":" in self.bound else self.bound)
        return ", ".join(names[:-1]) + " or " + names[-1]
