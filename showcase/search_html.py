"""Reading a page's HTML as Pagefind does (fossick/parser.rs with lol_html): `read_html(html)` tokenises it as
lol_html does and hands each element and text to search_elements.py's handlers.

What Pagefind reads but then throws away (anything outside the data-pagefind-body elements, anything
ignored) is passed over: such an element, when it holds nothing that matters (see Reader._matters), is
skipped in one go when the tags in it nest well (see Reader._skip), else only followed by name on `passed`
(a stack of (name, attributes, in SVG or MathML)). Should something that matters appear inside, the
elements on `passed` become nodes first (see Reader._unpass).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .search_elements import EXCLUDED, Elements, Parsed
from .search_markup import (
    ANY_CASE_PAGEFIND,
    CASELESS_SCAN,
    FOREIGN_EXITS,
    FOREIGN_ROOTS,
    INTEGRATION_POINTS,
    PAGE_SCAN,
    RAW_START,
    RAW_TEXT_TAGS,
    SPACE,
    TAG,
    TOKEN,
    VOID_TAGS,
    ascii_lower,
    attributes,
    raw_end,
    same_name,
)
from .search_text import normalize_content

_WELL_NESTED: set[tuple[str, str]] = set()
_MAY_MARK = re.compile("(?ai:data-pagefind-body)")
# Elements that, without attributes, need nothing but a node (see Elements._start_plain)
_PLAIN_TAGS = frozenset(("p", "em", "strong", "b", "i", "u", "s", "li", "ul", "ol", "dl", "dt", "dd", "div", "span",
                          "blockquote", "figure", "figcaption", "h2", "h3", "h4", "h5", "h6", "a", "section",
                          "article", "header", "aside", "main", "small", "sup", "sub", "cite", "code", "pre", "q",
                          "table", "thead", "tbody", "tr", "td", "th", "time", "abbr", "mark", "details", "summary"))


def read_html(html: str, whole: bool = False) -> Parsed:
    """What parser.rs reads from a page. Unless `whole`, what is outside every data-pagefind-body element
    is passed over (the digest is then wrong for a page without one, which Pagefind then leaves out);
    with `whole`, the digest of a page without one is the text of its whole <html>, as Pagefind indexes
    it on a site where no page has one (its root selector is "html")."""
    marked = not whole or _MAY_MARK.search(html) is not None
    parsed = Reader(html, marked).read()
    if whole and marked and not parsed.has_body:
        parsed = Reader(html, False).read()
    return parsed


class Reader(Elements):
    """Tokenises a page as lol_html does, feeding Elements; passes over what Pagefind throws away (not
    what is outside the data-pagefind-body elements, unless `marked`)."""

    def __init__(self, html: str, marked: bool = True) -> None:
        super().__init__()
        self.html = html
        self.marked = marked  # what is outside every data-pagefind-body element is thrown away
        self.passed: list[tuple[str, str, bool]] = []
        self.caseless = False
        self.upper_tags = False
        self.blockers, self.headings = self._blocker_positions()

    def _blocker_positions(self) -> tuple[list[int], list[int]]:
        """Where the things that keep HTML from being passed over in one go are (see _next_blocker), and
        the <h1> tags; each list ends with len(html). Notes tag names that start with a capital (`upper_tags`:
        tags are then found in any case; otherwise a stretch with a capital in a tag name is not passed over
        in one go, see _nest), and "data-pagefind" written otherwise than in small letters (`caseless`)."""
        html = self.html
        found = []
        headings = []
        for match in PAGE_SCAN.finditer(html):
            if match[2]:
                self.upper_tags = True
                break
            (headings if match[1] else found).append(match.start())
        if self.upper_tags:
            found = []
            headings = []
            for match in CASELESS_SCAN.finditer(html):
                (headings if match[1] else found).append(match.start())
        for match in ANY_CASE_PAGEFIND.finditer(html):
            start = match.start() - 4
            found.append(start)
            if html[start:match.end()] != "data-pagefind":
                self.caseless = True
        found.sort()
        found.append(len(html))
        headings.append(len(html))
        return found, headings

    def read(self) -> Parsed:
        self._walk()
        self._collapse()
        return self._result()

    # -- tokens

    def _walk(self) -> None:
        """Tokenise as lol_html does and hand each token on (the commonest cases, text, an end tag that
        closes the current element, a start tag without attributes, handled here)."""
        html = self.html
        search = TOKEN.search
        pieces = self.pieces
        stack = self.open
        passed = self.passed  # changed in place only
        at = 0
        while True:
            match = search(html, at)
            if match is None:
                if at < len(html) and self.in_html and not passed:
                    self._text(html[at:])
                return
            start, end = match.span()
            if start > at and self.in_html and not passed:
                text = html[at:start]
                pieces.append(text)
                if self.current.anchors:
                    self._anchor_text(text)
            at = end
            kind = match.lastindex
            if kind == 3:
                tag = match[3]
                tag = tag.lower() if tag.isascii() else ascii_lower(tag)
                node = self.current
                if node.tag == tag and stack and not passed:
                    stack.pop()
                    self._close(node, tag)
                else:
                    self._end_tag(tag)
            elif kind == 2:
                tag = match[1]
                tag = tag.lower() if tag.isascii() else ascii_lower(tag)
                if tag in RAW_TEXT_TAGS:
                    at = self._text_element(tag, match[2], at)
                else:
                    at = self._start_tag(tag, match[2], at)

    def _start_tag(self, tag: str, attrs: str, at: int) -> int:
        """A start tag: read it, follow it by name, or skip its element. Returns where to go on."""
        passed = self.passed
        if not attrs and not passed and tag in _PLAIN_TAGS and not self.current.foreign:
            parent = self.current
            if parent.collects or not (parent.discarded or (self.marked and self.bodies == 0 and self.in_html)):
                self._start_plain(tag, parent)
                return at
        if passed:
            if self._matters(tag, attrs):
                self._unpass()
                self._start(tag, attrs)
                return at
            parent_tag, parent_foreign = passed[-1][0], passed[-1][2]
        elif tag == "br" or not self._may_pass() or self._matters(tag, attrs):
            if self._start(tag, attrs) and tag != "html" and self._may_pass():
                end = self._skip(tag, at)
                if end >= 0:
                    return end
            return at
        else:
            parent_tag, parent_foreign = self.current.tag, self.current.foreign
        foreign = tag in FOREIGN_ROOTS or (
            parent_foreign and parent_tag not in INTEGRATION_POINTS and tag not in FOREIGN_EXITS)
        if (not attrs.endswith("/")) if foreign else tag not in VOID_TAGS:
            end = self._skip(tag, at)
            if end >= 0:
                return TAG.match(self.html, end).end()
            passed.append((tag, attrs, foreign))
        return at

    def _end_tag(self, tag: str) -> None:
        """An end tag: it closes the last open element of that name and all opened after it (lol_html);
        an end tag that closes nothing is ignored."""
        passed = self.passed
        if not passed and self.current.tag == tag and self.open:
            self._close(self.open.pop(), tag)
            return
        if passed:
            for index in range(len(passed) - 1, -1, -1):
                if passed[index][0] == tag:
                    del passed[index:]
                    return
            if not any(node.tag == tag for node in self.open):
                return
            passed.clear()
        self._end(tag)

    def _text_element(self, tag: str, attrs: str, at: int) -> int:
        """An element whose content is text up to its end tag (script, style, title, textarea...)."""
        html = self.html
        match = raw_end(tag).search(html, at)
        stop = match.start() if match else len(html)
        if self.passed and self._matters(tag, attrs):
            self._unpass()
        elif self.passed or (self._may_pass() and not self._matters(tag, attrs)):
            if match is None:
                self.passed.append((tag, attrs, False))
            return match.end() if match else stop
        if self._start(tag, attrs):
            if stop > at and self.in_html:
                self._text(html[at:stop])
            if match:
                self._end(tag)
        elif stop > at and self.in_html:
            self._text(html[at:stop])
        return match.end() if match else stop

    # -- passing over what Pagefind throws away

    def _may_pass(self) -> bool:
        """Whether what the current element gets now can be passed over: it is ignored (and no anchor or
        filter wants its text), or it is outside every data-pagefind-body element when that is thrown away
        (and no filter, meta or title wants its text)."""
        node = self.current
        return not node.collects and (node.discarded or (self.marked and self.bodies == 0 and self.in_html > 0))

    def _matters(self, tag: str, attrs: str) -> bool:
        """Whether an element must be read: it has Pagefind's attributes, or it is the <html>, or an <h1>,
        <title> or <img> that could still give the page's title or image."""
        if attrs and "data-pagefind" in (attrs.lower() if self.caseless else attrs):
            return True
        if tag == "html":
            return True
        meta = self.meta
        if tag == "h1":
            return "auto_title" not in meta
        if tag == "title":
            return "auto_page_title" not in meta
        if tag == "img":
            return "auto_image" not in meta and ("auto_title" in meta or "title" in meta)
        return False

    def _unpass(self) -> None:
        """Make nodes of the elements that were only followed by name (what they held so far is not
        needed: see _may_pass)."""
        passed = self.passed[:]
        self.passed.clear()
        for tag, attrs, _ in passed:
            self._start(tag, attrs)

    def _skip(self, tag: str, at: int) -> int:
        """Where the content of the element whose start tag ends at `at` ends (its end tag starts), if it
        can be passed over in one go: nothing in it matters but a <title> or an <img> (read here), and its
        tags nest so that its end tag is the one found by counting tags of its name. -1 otherwise."""
        html = self.html
        blocked = self._next_blocker(at)
        if blocked < len(html) and blocked < self._first_end_tag(tag, at):
            return -1
        end = self._end_by_count(tag, at)
        if end < 0 or blocked < end:
            return -1
        needs_reading = ("auto_page_title" not in self.meta and self._has_tag("title", at, end)) or (
            "auto_image" not in self.meta and self._has_tag("img", at, end))
        if needs_reading and self.current.status == EXCLUDED:
            return -1
        key = (tag, html[at:end]) if not needs_reading and not self.upper_tags else None
        if key is not None and key in _WELL_NESTED:
            return end
        open_inside: list[str] = []
        position = at
        while True:
            raw = RAW_START.search(html, position, end)
            stop = raw.start() if raw else end
            if not self._nest(tag, open_inside, position, stop):
                return -1
            if raw is None:
                break
            if not (self.upper_tags or raw[1].islower()):
                return -1
            position = self._passed_text_element(raw[1].lower(), raw.start(), end)
            if position < 0:
                return -1
        if tag in open_inside:
            return -1
        if key is not None:
            if len(_WELL_NESTED) > 2000:
                _WELL_NESTED.clear()
            _WELL_NESTED.add(key)
        return end

    def _has_tag(self, tag: str, at: int, end: int) -> bool:
        """Whether html[at:end] may hold an element of `tag`."""
        if self.upper_tags:
            return same_name(tag).search(self.html, at, end) is not None
        return self.html.find("<" + tag, at, end) >= 0

    def _next_blocker(self, at: int) -> int:
        """Where the next thing at or after `at` is that keeps HTML from being passed over in one go:
        anything of Pagefind's, a comment, foreign content, and an <h1> while it could still give the title
        (len(html) if none)."""
        found = self.blockers[bisect_left(self.blockers, at)]
        if "auto_title" not in self.meta:
            found = min(found, self.headings[bisect_left(self.headings, at)])
        return found

    def _first_end_tag(self, tag: str, at: int) -> int:
        if self.upper_tags:
            match = raw_end(tag).search(self.html, at)
            return match.start() if match else len(self.html)
        found = self.html.find("</" + tag, at)
        return found if found >= 0 else len(self.html)

    def _end_by_count(self, tag: str, at: int) -> int:
        """Where the end tag of an element of `tag` starting at `at` is, counting the tags of that name
        in between (-1 if there is none)."""
        html = self.html
        depth = 0
        if self.upper_tags:
            for match in same_name(tag).finditer(html, at):
                if match[1]:
                    if depth == 0:
                        return match.start()
                    depth -= 1
                else:
                    depth += 1
            return -1
        opening, closing = "<" + tag, "</" + tag
        boundary = SPACE + "/>"
        position = at
        while True:
            end = html.find(closing, position)
            if end < 0:
                return -1
            start = html.find(opening, position, end)
            while start >= 0:
                if html[start + len(opening):start + len(opening) + 1] in boundary:
                    depth += 1
                start = html.find(opening, start + 1, end)
            if html[end + len(closing):end + len(closing) + 1] in boundary:
                if depth == 0:
                    return end
                depth -= 1
            position = end + 1

    def _nest(self, tag: str, open_inside: list[str], start: int, stop: int) -> bool:
        """Follow the tags of html[start:stop] by name (lol_html's stack): False when an end tag would close
        an element outside (one of those open, or the one being passed over)."""
        guarded = None
        upper = self.upper_tags
        for slash, name in TAG.findall(self.html, start, stop):
            if upper:
                name = ascii_lower(name)
            elif not name.islower():
                return False  # a capital: tags were counted by their name in small letters
            if not slash:
                if name == "img":
                    self._passed_image(self.html, start, stop)
                if name not in VOID_TAGS:
                    open_inside.append(name)
            elif name in open_inside:
                while open_inside.pop() != name:
                    pass
            else:
                if guarded is None:
                    guarded = {tag, *(n.tag for n in self.open), *(p[0] for p in self.passed)}
                if name in guarded:
                    return False
        return True

    def _passed_text_element(self, tag: str, start: int, end: int) -> int:
        """A text element (script, style, title...) inside a stretch passed over: where it ends, or -1 when
        it does not end before `end`. Its text is not read, but for the first <title>."""
        html = self.html
        start_tag = TAG.match(html, start)
        if start_tag is None:
            return -1
        close = raw_end(tag).search(html, start_tag.end(), end)
        if close is None:
            return -1
        if tag == "title" and "auto_page_title" not in self.meta:
            self.meta["auto_page_title"] = normalize_content(html[start_tag.end():close.start()])
        return close.end()

    def _passed_image(self, html: str, start: int, stop: int) -> None:
        """The first <img> in a stretch passed over (not in an excluded element: see _skip), when it may give
        the page's image (see _end_void)."""
        meta = self.meta
        if "auto_image" in meta or not ("auto_title" in meta or "title" in meta):
            return
        for match in TAG.finditer(html, start, stop):
            if not match[1] and ascii_lower(match[2]) == "img":
                found = attributes(match.group()[len(match[2]) + 1:-1])
                if "src" in found:
                    meta["auto_image"] = found["src"]
                    if "alt" in found:
                        meta["auto_image_alt"] = found["alt"]
                return

