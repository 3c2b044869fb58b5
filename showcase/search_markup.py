"""HTML as lol_html reads it (the streaming rewriter Pagefind reads pages with): its tokens, the attributes
of a start tag, and which elements have no content, have text for content, or are SVG and MathML.

lol_html keeps no tree: an element's content is what arrives between its start tag and the end tag that
closes it (an end tag closes every element opened after the last element of that name; a void element, or
a self-closing one inside SVG or MathML, has none). Tag and attribute names are compared in ASCII lower
case (ascii_lower): "DIV" is "div", but the Kelvin sign (U+212A) is not "k", nor the long s (U+017F) "s"."""

from __future__ import annotations

import re

from .search_text import ascii_lower

# lol_html (selectors_vm/stack.rs, parser/tree_builder_simulator): elements without content, those whose
# content is text up to their end tag, and SVG and MathML
VOID_TAGS = frozenset(("area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input",
                       "keygen", "link", "meta", "param", "source", "track", "wbr"))
RAW_TEXT_TAGS = frozenset(("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                           "noscript"))
FOREIGN_ROOTS = frozenset(("svg", "math"))
INTEGRATION_POINTS = frozenset(("foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext"))
FOREIGN_EXITS = frozenset(("b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt",
                            "em", "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li",
                            "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span",
                            "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var"))

SPACE = "\t\n\x0c\r "
_NAME = rf"[a-zA-Z][^{SPACE}/>]*"
_ATTRS = (rf"""(?:[{SPACE}/]+|[^{SPACE}/>][^{SPACE}/>=]*"""
          rf"""(?:[{SPACE}]*=[{SPACE}]*(?:"[^"]*"|'[^']*'|[^{SPACE}>]*))?)*""")
_QUOTED_ATTRS = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
# One token of HTML: 1-2 a start tag (name, attributes), 3 an end tag; or a comment, doctype or other markup.
TOKEN = re.compile(
    rf"<(?:({_NAME})({_ATTRS})>|/({_NAME})[^>]*>|!--(?:-?>|.*?--!?>|.*\Z)|[!?][^>]*>|/[^a-zA-Z>][^>]*>|/>)",
    re.DOTALL)
TAG = re.compile(rf"<(/?)({_NAME}){_QUOTED_ATTRS}>")
_ATTR = re.compile(rf"""([^{SPACE}/>][^{SPACE}/>=]*)(?:[{SPACE}]*=[{SPACE}]*"""
                   rf"""(?:"([^"]*)"|'([^']*)'|([^{SPACE}>]*)))?""")
RAW_START = re.compile(rf"<(?ai:({'|'.join(sorted(RAW_TEXT_TAGS))}))(?=[{SPACE}/>])")
ANY_CASE_PAGEFIND = re.compile("-(?ai:pagefind)")
_RAW_END: dict[str, re.Pattern] = {}
_SAME_NAME: dict[str, re.Pattern] = {}
# Comments, <h1> (1), the elements that hold other languages, and (2) tag names that start with a capital
PAGE_SCAN = re.compile(f"<(?:!--|(h1)(?=[{SPACE}/>])|html(?=[{SPACE}/>])|svg|math|plaintext|(/?[A-Z]))")
CASELESS_SCAN = re.compile(f"<(?:!--|(?ai:(h1)|html|svg|math|plaintext)(?=[{SPACE}/>]))")
_ATTRIBUTE_CACHE: dict[str, dict[str, str]] = {}
NO_ATTRS: dict[str, str] = {}


def attributes(text: str) -> dict[str, str]:
    """The attributes of a start tag, by ASCII-lower-case name, values as written (lol_html does not decode
    entities in them); the first of two of one name counts. Not to be changed: the same text gives the
    same dictionary."""
    found = _ATTRIBUTE_CACHE.get(text)
    if found is None:
        found = {}
        for name, double, single, bare in _ATTR.findall(text):
            name = ascii_lower(name)
            if name not in found:
                found[name] = double or single or bare
        if len(_ATTRIBUTE_CACHE) > 5000:
            _ATTRIBUTE_CACHE.clear()
        _ATTRIBUTE_CACHE[text] = found
    return found


def raw_end(tag: str) -> re.Pattern:
    """The end tag of `tag` in any (ASCII) case."""
    pattern = _RAW_END.get(tag)
    if pattern is None:
        pattern = _RAW_END[tag] = re.compile(f"</(?ai:{re.escape(tag)})(?=[{SPACE}/>])[^>]*>")
    return pattern


def same_name(tag: str) -> re.Pattern:
    """A start (group 1 empty) or end tag of `tag` in any (ASCII) case."""
    pattern = _SAME_NAME.get(tag)
    if pattern is None:
        pattern = _SAME_NAME[tag] = re.compile(f"<(/?)(?ai:{re.escape(tag)})(?=[{SPACE}/>])")
    return pattern
