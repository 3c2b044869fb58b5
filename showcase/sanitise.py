"""Raw HTML in content made safe: what `check` refuses in it, and the sanitiser every rendered text goes through,
so that whatever an editor wrote, only safe markup and safe addresses are published."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

from .urls import REF_SCHEME, SAFE_SCHEMES, clean_url

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "section",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var", "wbr",
}
_ATTRIBUTES = {
    "*": {"id", "class", "lang", "title", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
_SCHEMES = (*SAFE_SCHEMES, REF_SCHEME)
_UNSAFE = [
    (re.compile(r"<\s*(script|style|iframe|object|embed|form|input|button|link|meta|base|svg|math)\b", re.I),
     "the <{0}> element is not allowed in content"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attributes (on...=) are not allowed in content"),
]
# Every attribute a browser follows as an address, on any element (the sanitiser keeps only a few of them).
_URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "xlink:href", "poster", "background", "data",
                   "ping", "longdesc", "manifest", "codebase", "srcset"}


class _AddressesInHtml(HTMLParser):
    """The addresses in URL attributes of raw HTML, character references decoded (as `&#106;avascript:`
    becomes `javascript:` in a browser)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name not in _URL_ATTRIBUTES or value is None:
                continue
            if name == "srcset":  # "a.jpg 480w, b.jpg 960w": each candidate starts with an address
                self.found += [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
            else:
                self.found.append(value)


def unsafe_html(html: str) -> list[str]:
    """What is not allowed in raw HTML an editor wrote: elements and event handlers that run code, and addresses
    (character references decoded, as a browser reads them) that clean_url refuses."""
    found = []
    for pattern, message in _UNSAFE:
        match = pattern.search(html)
        if match:
            name = match.group(1).lower() if match.groups() else ""
            found.append("unsafe HTML: " + message.format(name))
    addresses = _AddressesInHtml()
    addresses.feed(html)
    addresses.close()
    for address in addresses.found:
        try:
            clean_url(address)
        except ValueError as problem:
            found.append(f"unsafe HTML: {problem}")
    return found


def _published_address(element: str, attribute: str, value: str) -> str | None:
    """The sanitiser's last word on an attribute: an address as clean_url publishes it, or dropped.
    References made by MarkdownRenderer._resolve are left for the theme, which turns them into links."""
    if attribute not in _URL_ATTRIBUTES or value.startswith(f"{REF_SCHEME}:"):
        return value
    try:
        return clean_url(value, _SCHEMES)
    except ValueError:
        return None


def sanitise(html: str) -> str:
    """The last line of defence: whatever raw HTML an editor wrote, only safe markup survives."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=_published_address,
        url_schemes=set(_SCHEMES),
        link_rel=None,
        filter_style_properties={"text-align"},
    )
