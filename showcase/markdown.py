"""Markdown to safe HTML: links between content files resolved, raw HTML sanitised (sanitise.py), headings
numbered (headings.py), problems located. markdown-it-py here is the reference; markdown_tree.py gives the same
result faster with a compiled parser, and `render` uses it wherever it can."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .bodies import BodyStore, Location, read_body
from .headings import Heading, number_headings
from .sanitise import sanitise, unsafe_html
from .urls import REF_SCHEME, browser_form, clean_url

if TYPE_CHECKING:
    from .markdown_tree import TreeRenderer

ARTWORK_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff")


def _normalize_link(destination: str) -> str:
    """A link destination, its character references already decoded, read as a browser reads it before
    Markdown percent-encodes it: `java&#9;script:` must be seen as the script link a browser would follow."""
    return normalizeLink(browser_form(destination))


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
        self.compiled: TreeRenderer | None = None  # the compiled parser, where it gives the same result
        try:
            from .markdown_tree import TreeRenderer
            self.compiled = TreeRenderer(self)
        except ImportError:  # markdown_it_pyrs is not installed: the reference renders everything
            pass

    def render(self, text: str, source: str, first_line: int = 1, top_level: int = 2) -> RenderedMarkdown:
        """`source` is the file's posix path in content/; `first_line` the file line the text starts on.
        Body headings are shifted so that the highest one becomes `top_level` (the page title is h1).
        The compiled parser renders the text where it can; SHOWCASE_MARKDOWN=reference always uses markdown-it-py."""
        if self.compiled is not None and os.environ.get("SHOWCASE_MARKDOWN") != "reference":
            result = self.compiled.render(text, source, first_line, top_level)
            if result is not None:
                return result
        return self.render_reference(text, source, first_line, top_level)

    def render_reference(self, text: str, source: str, first_line: int = 1, top_level: int = 2) -> RenderedMarkdown:
        """`render` with markdown-it-py, the reference the compiled parser must equal."""
        result = RenderedMarkdown("")
        tokens = self.md.parse(text, {})
        source_dir = posixpath.dirname(source)
        result.headings, skipped = number_headings(tokens, first_line, top_level)
        result.problems += [Problem("warning", message, line, 1) for message, line in skipped]
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
        start = next(i for i, child in enumerate(children) if child is link)  # this link, not an equal one
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

    def _check_html(self, html: str, line: int | None, result: RenderedMarkdown) -> None:
        result.problems += [Problem("error", message, line, 1) for message in unsafe_html(html)]

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
        return f"{REF_SCHEME}:{quote(path, safe='/')}{fragment}"  # a name may hold & " # or %: kept apart


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
