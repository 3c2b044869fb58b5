"""The one rule for every link in content: read an address as a browser does, then allow only safe schemes.

Browsers (the WHATWG URL standard) strip C0 control characters and spaces from both ends of an address
and drop every tab and newline inside it before they look for a scheme, so "java\\tscript:" is a script
link to them. Checking the address in the same form, and publishing that form, closes the gap.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlsplit

SAFE_SCHEMES = ("https", "http", "mailto", "tel")
# Links to other content files are written as `showcase-ref:<path in content/>` and turned into
# relative URLs when a page is rendered, because only then is the linking page's URL known.
REF_SCHEME = "showcase-ref"

_ENDS = "".join(chr(code) for code in range(0x21))  # the C0 controls and the space
_TAB_AND_NEWLINES = str.maketrans("", "", "\t\n\r")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*(?=:)")  # ASCII only, as in browsers: no re.I, which lets 'ſ' match 's'
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_HOST = re.compile(r"[/\\]{2}([^/\\?#]*)")  # the host after '//' (browsers read '\\' as '/')


def scheme_of(url: str) -> str | None:
    """The scheme a browser gives an address already in browser form, lower case; None for a relative one."""
    match = _SCHEME.match(url)
    return match.group().lower() if match else None


def browser_form(value: str) -> str:
    """The address a browser's URL parser actually reads: C0 controls and spaces stripped from both ends,
    tabs and newlines removed everywhere."""
    return value.strip(_ENDS).translate(_TAB_AND_NEWLINES)


# A web address written without https:// (a site's host, not a file of this site): www.anything, or a name ending in
# one of the commonest top-level domains
_BARE_HOST = re.compile(r"^(?:www\.[^/\s]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|io|info|co|uk|ac|nhs|"
                        r"eu|ie|de|fr|nl|au|ca|nz|us))(?:[/:?#]|$)", re.IGNORECASE)


def clean_url(value: str, schemes: Collection[str] = SAFE_SCHEMES) -> str:
    """The address to publish for `value`, or ValueError with a one-line message saying what is wrong.

    Only the given schemes and relative addresses pass (the scheme is read as a browser reads it); an
    invisible control character or a space in the host name is refused; other spaces are written %20."""
    url = browser_form(value)
    scheme = scheme_of(url)
    if scheme is not None and scheme not in schemes:
        allowed = ", ".join(f"{name}:" for name in schemes)
        hidden = " (browsers ignore the tabs, line breaks or control characters in it)" if url != value.strip() else ""
        raise ValueError(f"'{scheme}:' links are not allowed: use {allowed} or a relative address, not '{scheme}:'"
                         + hidden)
    if scheme is None and _BARE_HOST.match(url):  # "www.samaritans.org" would be a file of the site
        raise ValueError(f"'{url}' is not a full web address: write https://{url}")
    control = _CONTROL.search(url)
    if control:
        raise ValueError(f"the address contains an invisible control character (U+{ord(control.group()):04X}): "
                         "type the address again or paste it as plain text")
    host = _HOST.match(url[len(scheme) + 1:] if scheme else url)
    if host and any(char.isspace() for char in host.group(1)):
        raise ValueError("the host name in the address contains a space")
    try:
        urlsplit(url).port  # noqa: B018 - reading it checks the port; splitting checks brackets and the host
    except ValueError:
        raise ValueError("the host name or port in the address is not valid") from None
    return url.replace(" ", "%20")
