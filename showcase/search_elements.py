"""What Pagefind's fossick/parser.rs does with each element of a page, as lol_html reports them: the text
it adds to its parent's (the space and full stop of a block, the weight of a heading, anchors, attributes
to index, nothing of what is ignored), the filters, sort keys and meta it records, and the page's title and
image (`Elements`, which search_html.py's reader drives).

Each element's text goes to one list of pieces in document order; what parser.rs does to an element's
text when it ends is done to that element's stretch of the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .search_markup import (
    FOREIGN_EXITS,
    FOREIGN_ROOTS,
    INTEGRATION_POINTS,
    NO_ATTRS,
    VOID_TAGS,
    attributes,
)
from .search_text import (
    ANCHOR_MARK,
    AUTO_WEIGHT_MARK,
    END_WEIGHT_MARK,
    WEIGHT_MARK,
    WS,
    WS_RUN,
    ascii_lower,
    attribute_pair,
    decode_entities,
    normalize_content,
    normalize_space,
    parse_attr_string,
    plainly_spaced,
    trim,
)
from .search_unicode import SENTENCE_ASCII, is_sentence_end

# fossick/parser.rs: elements that end a sentence, inline elements, and what is never indexed
SENTENCE_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "p", "td", "div", "ul", "li", "article",
                           "section"))
INLINE_TAGS = frozenset(("a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "dfn",
                         "em", "i", "img", "input", "kbd", "label", "map", "object", "output", "q", "samp",
                         "script", "select", "small", "span", "strong", "sub", "sup", "textarea", "time",
                         "tt", "var"))
REMOVE_TAGS = frozenset(("head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav",
                         "iframe", "template"))
HEADING_WEIGHTS = {"h1": "7", "h2": "6", "h3": "5", "h4": "4", "h5": "3", "h6": "2"}

INDEXING, IGNORED, EXCLUDED, BODY, PARENT_OF_BODY = range(5)

_PRIVATE = re.compile(f"___PAGEFIND_[^{WS}]+[{WS}]?")


class Node:
    """parser.rs DomParsingNode: an element being read. Its text is `pieces[start + 1:]` of the reader;
    `pieces[start]` is kept for what goes before it when it ends. `collects` when its text, or that of an
    element it is in, is wanted for a filter, meta or title; `discarded` see update_discarded."""
    __slots__ = ("anchors", "collects", "default_meta", "discarded", "filter", "foreign", "meta", "parent", "sort",
                 "start", "status", "tag", "weight")

    def __init__(self, tag: str, status: int, start: int, parent: Node | None, anchors=None) -> None:
        self.tag = tag
        self.status = status
        self.start = start
        self.parent = parent
        self.anchors = anchors
        self.foreign = False
        self.collects = False
        self.discarded = False
        self.filter = self.meta = self.default_meta = self.sort = self.weight = None

    def update_discarded(self) -> None:
        """Whether the text this element gets now is thrown away: it, or an element it is in (below the
        nearest data-pagefind-body), is ignored, and it is part of no anchor."""
        self.discarded = (self.parent.discarded and self.status != BODY) or (
            (self.status == IGNORED or self.status == EXCLUDED) and self.anchors is None)


@dataclass(slots=True)
class Parsed:
    """parser.rs DomParserResult; `words` is the digest split at its spaces when those are its only
    whitespace (else None)."""
    digest: str
    words: list[str] | None
    filters: dict[str, list[str]]
    sort: dict[str, str]
    meta: dict[str, str]
    anchor_content: dict[str, str]
    has_body: bool
    language: str


class Elements:
    """parser.rs DomParser's element and text handlers, as the reader calls them: `_start` an element (a
    start tag), `_end` the elements an end tag closes, `_text`; then `_collapse` and `_result` at the end of
    the page. Reads the page's text (the digest, with Pagefind's markers for weights and anchors), filters,
    sort keys, meta and the text of each anchor; `in_html` counts the <html> elements open (text outside
    is not read), `bodies` the data-pagefind-body elements."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.root = Node("", INDEXING, -1, None)
        self.current = self.root
        self.open: list[Node] = []
        self.in_html = 0
        self.bodies = 0
        self.filters: dict[str, list[str]] = {}
        self.sort: dict[str, str] = {}
        self.meta: dict[str, str] = {}
        self.default_meta: dict[str, str] = {}
        self.anchor_content: dict[str, str] = {}
        self.anchor_count = 0
        self.language: str | None = None

    def _text(self, text: str) -> None:
        """parser.rs text handler: text goes to the current element, and to the anchors it is part of."""
        self.pieces.append(text)
        if self.current.anchors:
            self._anchor_text(text)

    def _anchor_text(self, text: str) -> None:
        node = self.current
        if node.status != IGNORED and node.status != EXCLUDED:
            content = self.anchor_content
            for anchor in node.anchors:
                content[anchor] = content.get(anchor, "") + text

    def _start_plain(self, tag: str, parent: Node) -> None:
        """_start for an element without attributes that is none of the special ones (search_html.py), in
        HTML (not SVG or MathML) content that is read."""
        pieces = self.pieces
        status = parent.status
        node = Node(tag, EXCLUDED if status == EXCLUDED else INDEXING, len(pieces), parent,
                     parent.anchors if parent.anchors and tag in INLINE_TAGS else None)
        pieces.append("")
        node.collects = parent.collects and status != EXCLUDED
        node.discarded = parent.discarded
        self.current = node
        self.open.append(node)

    def _start(self, tag: str, raw_attrs: str) -> bool:
        """parser.rs element handlers for a start tag: a new node (or, for an element without content,
        its meta and filters at once), then the elements Pagefind never indexes. True when the element is
        open (has content)."""
        if tag == "html":
            self.in_html += 1
        if not self.in_html:
            return False
        parent = self.current
        attrs = attributes(raw_attrs) if raw_attrs and not raw_attrs.isspace() else NO_ATTRS
        if tag == "html" and "lang" in attrs:
            self.language = attrs["lang"].lower()
        node = self._new_node(tag, attrs, parent)
        foreign = node.foreign = tag in FOREIGN_ROOTS or (
            parent.foreign and parent.tag not in INTEGRATION_POINTS and tag not in FOREIGN_EXITS)
        has_content = (not raw_attrs.endswith("/")) if foreign else tag not in VOID_TAGS
        if has_content:
            if tag in REMOVE_TAGS:
                node.status = IGNORED
            if node.status != EXCLUDED:
                node.collects = parent.collects or self._wants_text(node)
            node.update_discarded()
            self.current = node
            self.open.append(node)
            if node.status == BODY:
                self.bodies += 1
        else:
            self._end_void(node, attrs)
            if tag in REMOVE_TAGS:
                parent.status = IGNORED
                parent.update_discarded()
        return has_content

    def _new_node(self, tag: str, attrs: dict[str, str], parent: Node) -> Node:
        """A node for an element, after what its start adds to its parent's text: an anchor marker for an
        id, attributes to index (data-pagefind-index-attrs), a space for <br>. (The elements Pagefind never
        indexes, `collects` and `discarded` are for _start.)"""
        pieces = self.pieces
        status = INDEXING
        anchor = None
        if attrs:
            if "data-pagefind-body" in attrs:
                status = BODY
            elif "data-pagefind-ignore" in attrs:
                status = IGNORED if ascii_lower(attrs["data-pagefind-ignore"]) in ("", "index", "true") else EXCLUDED
            element_id = attrs.get("id")
            if element_id is not None and status != EXCLUDED and status != IGNORED and not (
                    parent.status == PARENT_OF_BODY and status != BODY):
                anchor = f"{self.anchor_count}:{WS_RUN.sub('', element_id)}"
                pieces.append(f" {ANCHOR_MARK}{tag}:{anchor} ")
                self.anchor_count += 1
            if status != EXCLUDED and "data-pagefind-index-attrs" in attrs:
                for name in attrs["data-pagefind-index-attrs"].split(","):
                    value = attrs.get(ascii_lower(trim(name)), "")
                    if value and is_sentence_end(value[-1]):
                        value += "."
                    pieces.append(f" {value} ")
        if tag == "br" and status != EXCLUDED:
            pieces.append(" ")
        anchors = parent.anchors if parent.anchors and tag in INLINE_TAGS else None
        if anchor is not None:
            anchors = [*anchors, anchor] if anchors else [anchor]
        node = Node(tag, EXCLUDED if parent.status == EXCLUDED else status, len(pieces), parent, anchors)
        pieces.append("")
        if attrs:
            if "data-pagefind-filter" in attrs:
                node.filter = parse_attr_string(attrs["data-pagefind-filter"], attrs)
            if "data-pagefind-meta" in attrs:
                node.meta = parse_attr_string(attrs["data-pagefind-meta"], attrs)
            if "data-pagefind-default-meta" in attrs:
                node.default_meta = parse_attr_string(attrs["data-pagefind-default-meta"], attrs)
            if "data-pagefind-sort" in attrs:
                node.sort = parse_attr_string(attrs["data-pagefind-sort"], attrs)
            node.weight = attrs.get("data-pagefind-weight")
        return node

    def _wants_text(self, node: Node) -> bool:
        """Whether an element's text will be needed when it ends: a filter or meta named without a value,
        or an <h1> or <title> that may give the page's title."""
        for specs in (node.filter, node.meta, node.default_meta, node.sort):
            if specs and any(":" not in spec for spec in specs):
                return True
        if node.tag == "h1":
            return "auto_title" not in self.meta
        return node.tag == "title" and "auto_page_title" not in self.meta

    def _end(self, tag: str) -> None:
        """lol_html on an end tag: it closes the last open element of that name and every element opened
        after it, innermost first, each as if by this end tag."""
        stack = self.open
        for index in range(len(stack) - 1, -1, -1):
            if stack[index].tag == tag:
                break
        else:
            return
        closing = stack[index:]
        del stack[index:]
        for node in reversed(closing):
            self._close(node, tag)

    def _end_void(self, node: Node, attrs: dict[str, str]) -> None:
        """parser.rs for an element without content: its filters and meta, and the first image after a
        title."""
        del self.pieces[node.start:]
        if node.status == EXCLUDED:
            return
        self._record_attributes(node, "")
        meta = self.meta
        if node.tag == "img" and "auto_image" not in meta and ("auto_title" in meta or "title" in meta):
            src = attrs.get("src")
            if src is not None:
                meta["auto_image"] = src
                if "alt" in attrs:
                    meta["auto_image_alt"] = attrs["alt"]

    def _close(self, node: Node, end_tag: str) -> None:
        """parser.rs end tag handler: the element's filters and meta; then its text, as a sentence if it is
        a block and weighted if it is a heading or has a weight, is added to its parent's text."""
        pieces = self.pieces
        parent = node.parent
        self.current = parent
        start = node.start
        status = node.status
        if status == BODY:
            self.bodies -= 1
        if node.tag == "html":
            self.in_html -= 1
        if status == EXCLUDED:
            del pieces[start:]
            return
        tag = node.tag
        if node.filter or node.sort or node.meta or node.default_meta or tag == "h1" or tag == "title":
            self._record_text_attributes(node, "".join(pieces[start + 1:]))
        if status == IGNORED or (parent.status == PARENT_OF_BODY and status == INDEXING):
            del pieces[start:]
            return
        before = after = ""
        if end_tag in SENTENCE_TAGS:
            last = len(pieces) - 1
            while last > start and not pieces[last]:
                last -= 1
            before = " "
            if last > start:
                char = pieces[last][-1]
                after = ". " if (char in SENTENCE_ASCII if char < "\x80" else is_sentence_end(char)) else " "
            else:
                after = " "
        if node.weight is not None:
            before = f" {WEIGHT_MARK}{node.weight} {before}"
            after = f"{after} {END_WEIGHT_MARK} "
        elif end_tag in HEADING_WEIGHTS:
            before = f" {AUTO_WEIGHT_MARK}{HEADING_WEIGHTS[end_tag]} {before}"
            after = f"{after} {END_WEIGHT_MARK} "
        pieces[start] = before
        if after:
            pieces.append(after)
        if status != INDEXING:
            if parent.status != PARENT_OF_BODY:
                del pieces[parent.start + 1:start]
            parent.status = PARENT_OF_BODY

    def _record_attributes(self, node: Node, value: str) -> None:
        """parser.rs: filters, sort keys and meta of an element that ends (`value` is its text)."""
        if node.filter:
            for spec in node.filter:
                pair = attribute_pair(spec, value)
                if pair:
                    self.filters.setdefault(pair[0], []).append(normalize_content(pair[1]))
        for specs, found in ((node.sort, self.sort), (node.meta, self.meta),
                             (node.default_meta, self.default_meta)):
            if specs:
                for spec in specs:
                    pair = attribute_pair(spec, value)
                    if pair:
                        found[pair[0]] = pair[1]

    def _record_text_attributes(self, node: Node, value: str) -> None:
        """What an element with content records when it ends: its filters and meta, the first <h1> as the
        title, the <title> as the title of last resort."""
        self._record_attributes(node, value)
        meta = self.meta
        if node.tag == "h1" and "auto_title" not in meta and trim(value):
            meta["auto_title"] = normalize_content(value)
        elif node.tag == "title" and "auto_page_title" not in meta:
            meta["auto_page_title"] = normalize_content(value)

    def _collapse(self) -> None:
        """parser.rs wrap: elements still open at the end of the page are added to their parents as they
        are (no sentence, no weight)."""
        pieces = self.pieces
        for node in reversed(self.open):
            parent = node.parent
            if parent.status == PARENT_OF_BODY or node.status in (IGNORED, EXCLUDED):
                del pieces[node.start:]
            elif node.status in (BODY, PARENT_OF_BODY):
                del pieces[parent.start + 1:node.start]
                parent.status = PARENT_OF_BODY
        self.open.clear()

    def _result(self) -> Parsed:
        """parser.rs wrap: the automatic image and titles where none was given, default meta under the
        meta, Pagefind's markers taken out of filters and meta (mod.rs tidy_meta_and_filters)."""
        meta = self.meta
        if "auto_image" in meta:
            image = meta.pop("auto_image")
            alt = meta.pop("auto_image_alt", "")
            if "image" not in meta:
                meta["image"] = image
                meta["image_alt"] = alt
        for auto in ("auto_title", "auto_page_title"):
            if auto in meta:
                title = meta.pop(auto)
                meta.setdefault("title", title)
        merged = {**self.default_meta, **meta}
        filters = {name: [_PRIVATE.sub("", v) for v in values] for name, values in sorted(self.filters.items())}
        text = decode_entities("".join(self.pieces))
        words = None
        if plainly_spaced(text):
            words = text.split()
            digest = " ".join(words)
        else:
            digest = normalize_space(text)
        return Parsed(
            digest=digest,
            words=words,
            filters=filters,
            sort=dict(sorted(self.sort.items())),
            meta={name: _PRIVATE.sub("", merged[name]) for name in sorted(merged)},
            anchor_content=self.anchor_content,
            has_body=self.root.status == PARENT_OF_BODY,
            language=self.language or "unknown")

