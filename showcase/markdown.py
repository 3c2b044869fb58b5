"""Markdown to safe HTML: links between content files resolved, raw HTML sanitised, problems located."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import nh3
from anyascii import anyascii
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .bodies import BodyStore, Location, read_body
from .urls import SAFE_SCHEMES, browser_form, clean_url

# Links to other content files are written as `showcase-ref:<path in content/>` and turned into
# relative URLs when a page is rendered, because only then is the linking page's URL known.
REF_SCHEME = "showcase-ref"
ARTWORK_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff")

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


def _normalize_link(destination: str) -> str:
    """A link destination, its character references already decoded, read as a browser reads it before
    Markdown percent-encodes it: `java&#9;script:` must be seen as the script link a browser would follow."""
    return normalizeLink(browser_form(destination))


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


VAGUE_LINKS = {"click here", "here", "read more", "more", "this", "link", "this link", "click", "learn more"}


def alt_problem(alt: str) -> str | None:
    """Why a written text alternative will not help a reader, or None. An empty alt means 'use the sidecar's'."""
    text = alt.strip()
    if not text:
        return None
    if re.fullmatch(r"[\w\-. ]+\.(jpe?g|png|webp|gif|tiff?|svg)", text, re.I) or re.fullmatch(r"(img|dsc|image)[_-]?\d+", text, re.I):
        return f"'{text}' looks like a file name: describe what the image shows"
    if re.match(r"(an? )?(image|picture|photo|photograph) of\b", text, re.I):
        return f"'{text}' starts with '{text.split(' of')[0]} of': screen readers already say it is an image"
    return None


_SHORT_NAME = re.compile(r":[a-z0-9_+-]+:")  # how anyascii spells an emoji: ":tada:"
_FLAG = re.compile("[\U0001F1E6-\U0001F1FF]{1,2}")  # regional indicator letters: two make a flag
_APOSTROPHES = frozenset("'`")  # it’s becomes "its"; the Arabic ain and hamza vanish inside words the same way


def _spelt(char: str, emoji: bool) -> str:
    """One character in ASCII letters, digits and separators (a space), for a slug."""
    if char.isascii():
        return char
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    if any(c.isalnum() for c in plain):  # é, ŵ, ŷ, ½: their Latin letters and digits, as always
        return plain
    spelt = anyascii(char)
    if _SHORT_NAME.fullmatch(spelt) or _FLAG.match(char):
        return f" {spelt.strip(':')} " if emoji else " "
    if not spelt or set(spelt) <= _APOSTROPHES:  # combining accents, joiners, apostrophes: inside a word
        return ""
    if not any(c.isalnum() for c in spelt):  # dashes, quotation marks, ellipses: between words
        return " "
    if unicodedata.name(char, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
        return f" {spelt} "  # Chinese and Japanese write no spaces: each character's reading is a word
    return spelt


def _hyphenate(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def slugify(text: str) -> str:
    """The part of an address made from a title, a heading or a file name: lower-case ASCII letters and
    digits with hyphens between words, readable whatever the script (`Τα πρώτα βήματα` is `ta-prota-vimata`,
    `初めての一歩` is `chu-meteno-yi-bu`, `Dŵr` is `dwr`). Emoji are left out of words, unless there is
    nothing else: `🎉🎨` is `tada-art`; other symbols alone are named (`?` is `question-mark`). Only a
    text with nothing visible in it gives "": the caller says what to use instead. No length limit here
    (see parse.MAX_SLUG)."""
    slug = _hyphenate("".join(_spelt(char, False) for char in text))
    if not slug:  # a flag is two letter symbols: 🇬🇧 is "gb"
        text = _FLAG.sub(lambda flag: f" {anyascii(flag.group())} ", text)
        slug = _hyphenate("".join(_spelt(char, True) for char in text))
    if slug:
        return slug
    visible = [char for char in text if unicodedata.category(char) not in ("Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me")]
    names = [unicodedata.name(char, "") or f"u{ord(char):04x}" for char in visible]
    return _hyphenate(" ".join(name for index, name in enumerate(names) if index == 0 or name != names[index - 1]))


def unique_slug(slug: str, taken: Container[str], limit: int | None = None) -> str:
    """`slug`, or the first of `slug-2`, `slug-3`... not in `taken`: the one rule for every second item with
    the same slug (headings of a page, files of a folder). With `limit`, the result has at most that
    many characters."""
    from .parse import MAX_SLUG, shorter_slug  # parse.py imports this module

    limit = limit or MAX_SLUG
    candidate, number = shorter_slug(slug, limit), 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = shorter_slug(slug, limit - len(suffix)) + suffix
    return candidate


def plain_text(children: list[Token]) -> str:
    """The words of a heading without their markup: `The *first* [year](x.md)` is "The first year". Code
    keeps its text; images, footnote marks and raw HTML tags are left out."""
    words = "".join(c.content if c.type in ("text", "code_inline") else " " if c.type.endswith("break") else ""
                    for c in children)
    return " ".join(words.split())


# Ids the default theme gives parts of a page around the Markdown: a heading never takes one of them (nor a
# footnote's, fn1 and fnref1), so that every id is unique on its page and "Skip to content" finds <main>.
THEME_IDS = frozenset({
    "zoom-dialog", "zoom-title", "zoom-open", "zoom-viewer", "zoom-hint",
    "main", "search-kind", "story-body", "story-artworks", "content-note-heading", "related-heading", "support", "support-heading",
    "support-note", "support-heading-note", "support-page", "support-heading-page",
    "toc-heading", "cite-heading", "description", "description-heading", "transcript", "transcript-heading",
    "in-stories", "project-stories", "project-artworks", "events-heading", "people-heading", "media-heading",
    "reports-heading", "projects-heading", "publications-heading", "programme-team", "everyone", "all-artworks",
    "gallery-heading", "latest-heading", "feature-heading", "browse-heading", "about-heading", "term-stories",
    "term-projects", "term-artworks", "search-form", "search-query", "search-hint", "search-status",
    "search-results", "search-more", "search-unavailable", "search-practice", "search-project", "draft-banner-title",
    "in-exhibitions", "exhibition-stops", "stop-text-heading", "text-description", "text-description-heading",
})
_FOOTNOTE_ID = re.compile(r"fn(ref)?\d+")


class _Taken(set):
    def __contains__(self, ident: object) -> bool:
        return (super().__contains__(ident) or ident in THEME_IDS
                or (isinstance(ident, str) and _FOOTNOTE_ID.fullmatch(ident) is not None))


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Problem:
    severity: str
    message: str
    line: int | None
    col: int | None = None


@dataclass(frozen=True)
class Reference:
    path: str  # a file in content/, posix, e.g. "stories/sams-story.md"
    line: int


@dataclass
class RenderedMarkdown:
    markup: str | None  # the HTML, or None while it is kept on disk (see bodies.py and `html`)
    headings: list[Heading] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    words: int = 0
    checked: set[str] = field(default_factory=set)  # content files looked for, found or not
    stored: Location | None = None  # where the HTML was put aside

    @property
    def html(self) -> str:
        if self.markup is None and self.stored is not None:
            return read_body(*self.stored)
        return self.markup or ""

    @html.setter
    def html(self, value: str) -> None:
        self.markup = value

    def put_aside(self, store: BodyStore) -> RenderedMarkdown:
        """This body with its HTML in `store`: much smaller to send between processes and to keep."""
        return replace(self, markup=None, stored=store.put(self.html), checked=set())


class MarkdownRenderer:
    """Renders Markdown bodies of one content folder; `files` are the posix paths in it."""

    def __init__(self, files: frozenset[str]):
        self.files = files
        self.md = (
            MarkdownIt("commonmark", {"html": True, "typographer": True})
            .enable(["table", "strikethrough"])
            .use(footnote_plugin)
            .use(deflist_plugin)
        )
        self.md.normalizeLink = _normalize_link
        self.md.validateLink = lambda url: True  # every link reaches _resolve, which says what is wrong with it

    def render(self, text: str, source: str, first_line: int = 1, top_level: int = 2) -> RenderedMarkdown:
        """`source` is the file's posix path in content/; `first_line` the file line the text starts on.
        Body headings are shifted so that the highest one becomes `top_level` (the page title is h1)."""
        result = RenderedMarkdown("")
        tokens = self.md.parse(text, {})
        source_dir = posixpath.dirname(source)
        self._headings(tokens, result, first_line, top_level)
        for index, token in enumerate(tokens):
            line = first_line + token.map[0] if token.map else None
            if token.type == "html_block":
                self._check_html(token.content, line, result)
            if token.type != "inline" or not token.children:
                continue
            standalone = (
                len(token.children) == 1
                and token.children[0].type == "image"
                and index > 0
                and tokens[index - 1].type == "paragraph_open"
            )
            if standalone:  # an image alone in its paragraph becomes a figure, not <p><img></p>
                tokens[index - 1].hidden = True
                tokens[index + 1].hidden = True
            child_line = line
            for child in token.children:
                if child.type in ("softbreak", "hardbreak") and child_line is not None:
                    child_line += 1
                elif child.type == "html_inline":
                    self._check_html(child.content, child_line, result)
                elif child.type == "link_open":
                    href = self._resolve(str(child.attrs.get("href", "")), source_dir, child_line, result)
                    child.attrSet("href", href)
                    self._check_link_text(token.children, child, child_line, result)
                elif child.type == "image":
                    src = self._resolve(str(child.attrs.get("src", "")), source_dir, child_line, result)
                    child.attrSet("src", src)
                    problem = alt_problem(child.content)
                    if problem:
                        result.problems.append(Problem("warning", f"image text alternative {problem}", child_line, 1))
                    if standalone:
                        child.attrSet("class", "showcase-figure")
        self._check_tables(tokens, first_line, result)
        self._media_embeds(tokens)
        html = self.md.renderer.render(tokens, self.md.options, {})
        result.html = pull_quotes(sanitise(html))
        result.words = len(text.split())
        return result

    @staticmethod
    def _check_link_text(children: list[Token], link: Token, line: int | None, result: RenderedMarkdown) -> None:
        start = children.index(link)
        end = next(i for i in range(start, len(children)) if children[i].type == "link_close")
        inside = children[start + 1:end]
        text = "".join(c.content for c in inside if c.type in ("text", "code_inline")).strip()
        has_image = any(c.type == "image" and c.content.strip() for c in inside)
        if not text and not has_image:
            result.problems.append(Problem("warning", "a link has no text: say where it goes", line, 1))
        elif text.lower().strip(".!… ") in VAGUE_LINKS:
            result.problems.append(Problem(
                "warning", f"link text '{text}' does not say where it goes: name the page or what it gives", line, 1))

    @staticmethod
    def _check_tables(tokens: list[Token], first_line: int, result: RenderedMarkdown) -> None:
        for index, token in enumerate(tokens):
            if token.type != "thead_open":
                continue
            cells = []
            for inner in tokens[index + 1:]:
                if inner.type == "thead_close":
                    break
                if inner.type == "inline":
                    cells.append(inner.content.strip())
            if not any(cells):
                line = first_line + token.map[0] if token.map else None
                result.problems.append(Problem("warning", "this table has no header row: name each column", line, 1))

    def _media_embeds(self, tokens: list[Token]) -> None:
        """A link to a media sidecar alone in its paragraph becomes the player itself."""
        for index, token in enumerate(tokens):
            children = token.children or []
            if (token.type == "inline" and len(children) >= 3 and children[0].type == "link_open"
                    and children[-1].type == "link_close" and index > 0 and tokens[index - 1].type == "paragraph_open"
                    and str(children[0].attrs.get("href", "")).startswith(f"{REF_SCHEME}:media/")
                    and str(children[0].attrs.get("href", "")).endswith((".yaml", ".yml"))
                    and not any(c.type == "link_open" for c in children[1:])):
                tokens[index - 1].hidden = True
                tokens[index + 1].hidden = True
                children[0].attrSet("class", "showcase-embed")

    def _headings(self, tokens: list[Token], result: RenderedMarkdown, first_line: int, top_level: int) -> None:
        levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
        if not levels:
            return
        shift = top_level - min(levels)
        previous = top_level - 1
        texts = [plain_text(tokens[index + 1].children or []) for index, token in enumerate(tokens)
                 if token.type == "heading_open"]
        wanted = [unique_slug(slugify(text), ()) for text in texts]  # at most MAX_SLUG characters
        # the second "Now" on a page is "now-2" (or "now-3" if a heading says "Now 2"); a heading without
        # words is "heading-N" after its place; the theme's own ids and footnotes' are never taken
        taken, avoided = _Taken(), _Taken(wanted)
        for index, token in enumerate(tokens):
            if token.type not in ("heading_open", "heading_close"):
                continue
            level = min(6, int(token.tag[1]) + shift)
            token.tag = f"h{level}"
            if token.type == "heading_open":
                line = first_line + token.map[0] if token.map else None
                if level > previous + 1:
                    result.problems.append(Problem(
                        "warning", f"heading level skipped: h{previous} is followed by h{level}", line, 1))
                previous = level
                number = len(result.headings)
                ident = wanted[number] if wanted[number] and wanted[number] not in taken else \
                    unique_slug(wanted[number] or f"heading-{number + 1}", avoided)
                taken.add(ident)
                avoided.add(ident)
                token.attrSet("id", ident)
                result.headings.append(Heading(level, ident, texts[number]))

    def _check_html(self, html: str, line: int | None, result: RenderedMarkdown) -> None:
        for pattern, message in _UNSAFE:
            match = pattern.search(html)
            if match:
                found = match.group(1).lower() if match.groups() else ""
                result.problems.append(Problem("error", "unsafe HTML: " + message.format(found), line, 1))
        addresses = _AddressesInHtml()
        addresses.feed(html)
        addresses.close()
        for address in addresses.found:
            try:
                clean_url(address)
            except ValueError as problem:
                result.problems.append(Problem("error", f"unsafe HTML: {problem}", line, 1))

    def _resolve(self, target: str, source_dir: str, line: int | None, result: RenderedMarkdown) -> str:
        try:
            target = clean_url(target)
        except ValueError as problem:
            result.problems.append(Problem("error", str(problem), line, 1))
            return "#"
        parts = urlsplit(target)
        if target.startswith("/") and not target.startswith("//"):
            result.problems.append(Problem(
                "warning", f"'{target}' starts at the web server's root, so it breaks when the site is published in a "
                "sub-folder: link to the content file instead (e.g. ../stories/name.md)", line, 1))
            return target
        if parts.scheme or parts.netloc or not parts.path:
            return target  # external, or in-page (#...): left as written
        path = posixpath.normpath(posixpath.join(source_dir, unquote(parts.path)))
        if path == ".." or path.startswith("../"):
            result.problems.append(Problem("error", f"'{target}' points outside the content folder", line, 1))
            return "#"
        result.checked.add(path)
        if path not in self.files:
            result.problems.append(Problem("error", f"'{target}' points to a file that does not exist ({path})", line, 1))
            return "#"
        result.references.append(Reference(path, line or 1))
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        return f"{REF_SCHEME}:{path}{fragment}"


_QUOTE = re.compile(r"<blockquote>\n((?:(?!</?blockquote).)*?)(?:<p>|\n)(?:—|&mdash;|--)\s*([^<\n]+)</p>\n</blockquote>", re.S)


def pull_quotes(html: str) -> str:
    """A blockquote whose last line starts with an em dash becomes a quote with its attribution."""
    def figure(match: re.Match) -> str:
        quote, who = match.group(1).rstrip(), match.group(2).strip()
        if quote.endswith("</p>") is False:
            quote += "</p>"
        return (f'<figure class="pull-quote">\n<blockquote>\n{quote}\n</blockquote>\n'
                f"<figcaption>{who}</figcaption>\n</figure>")
    return _QUOTE.sub(figure, html)


@dataclass
class TocEntry:
    heading: Heading
    children: list[TocEntry] = field(default_factory=list)


def outline(headings: list[Heading], deepest: int = 3) -> list[TocEntry]:
    """Headings as a nested table of contents, down to `deepest` (h3 by default)."""
    root: list[TocEntry] = []
    stack: list[TocEntry] = []
    for heading in headings:
        if heading.level > deepest:
            continue
        entry = TocEntry(heading)
        while stack and stack[-1].heading.level >= heading.level:
            stack.pop()
        (stack[-1].children if stack else root).append(entry)
        stack.append(entry)
    return root


_HEADING = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)</h\1>', re.S)


def add_permalinks(html: str) -> str:
    """A visible, keyboard-reachable link after each heading, named after its section for screen readers."""
    def link(match: re.Match) -> str:
        level, ident, inner = match.groups()
        label = re.sub(r"<[^>]+>", "", inner)
        # The space is inside the link, so that the search index, which leaves the link out, reads the heading
        # as a sentence of its own ("1. Introduction.") and not run into the text after it.
        return (f'<h{level} id="{ident}">{inner}<a class="permalink" href="#{ident}" data-pagefind-ignore> '
                f'<span aria-hidden="true">#</span><span class="visually-hidden">Link to the section {label}</span>'
                f'</a></h{level}>')
    return _HEADING.sub(link, html)


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
