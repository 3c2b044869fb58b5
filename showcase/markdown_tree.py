"""Markdown bodies through a compiled parser, because parsing in pure Python is most of the cost of a build.

markdown-it-pyrs (the Rust port of markdown-it) makes the syntax tree; this module turns it into the block tokens
markdown-it-py would make (tight paragraphs hidden, footnotes numbered by first mention and moved to the end), runs
markdown.py's checks on them and writes the HTML as markdown-it-py's renderer does. markdown.py's MarkdownRenderer
stays the reference: `TreeRenderer.render` returns a RenderedMarkdown equal to its result in every field, or None
wherever that cannot be promised (a node type not known here, an address or a construct the two libraries read
differently, an inline footnote...), and the caller then renders the text with the reference. Which texts those
are is in markdown_compat.py; markdown_html.py writes the tokens' HTML."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

import markdown_it_pyrs
from markdown_it.common.normalize_url import normalizeLinkText
from markdown_it.common.utils import MD_TRIM_RE, mdTrim, unescapeAll

from . import markdown as reference
from .headings import number_headings
from .markdown_compat import left_to_reference, plain_address, quiet_panics
from .markdown_html import (
    TAGS,
    Node,
    Token,
    Unsupported,
    alt,
    blocks_html,
    code,
    escape,
    flat,
    written,
)
from .sanitise import sanitise
from .urls import REF_SCHEME

if TYPE_CHECKING:
    from .markdown import MarkdownRenderer, RenderedMarkdown

Problem = reference.Problem

_DEFINITION = re.compile(rb"\[[^\n]*?\]:")  # a link reference definition markdown-it-pyrs may refuse ("a\" ends it)
# In a definition list: lines the reference may take for a setext heading's underline, or to start a paragraph.
_UNDERLINE = re.compile(rb"^[ \t>]*(?:=+|-+)[ \t]*$", re.M)
_COLON = re.compile(rb"^[ \t>]*:", re.M)
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]:")
_INLINE = frozenset({"text", "text_special", "em", "strong", "strikethrough", "code_inline", "link", "autolink",
                     "image", "softbreak", "hardbreak", "html_inline", "footnote_ref"})
_CONTAINERS = {"blockquote": ("blockquote", "blockquote"), "bullet_list": ("bullet_list", "ul"),
               "ordered_list": ("ordered_list", "ol"), "list_item": ("list_item", "li"),
               "definition_list": ("dl", "dl"), "definition_description": ("dd", "dd")}
_FIRST_BYTE = {"link": b"[", "image": b"!", "autolink": b"<", "footnote_ref": b"[", "code_inline": b"`"}


class TreeRenderer:
    """The compiled front end of a MarkdownRenderer (`owner`), whose `_resolve` and `_check_html` it uses."""

    def __init__(self, owner: MarkdownRenderer):
        self.owner = owner
        self.md = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(["table", "strikethrough", "footnote", "deflist"])

    def render(self, text: str, source: str, first_line: int = 1, top_level: int = 2) -> RenderedMarkdown | None:
        """As MarkdownRenderer.render, or None where the reference must render the text."""
        src = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")  # as markdown-it normalises
        data = src.encode()
        if left_to_reference(src, data):
            return None
        try:
            return _Body(self, src, data, source, first_line).render(top_level)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001 - anything unforeseen (a panic in Rust too): the reference decides
            return None


class _Body:
    """One text being rendered: MarkdownRenderer.render_reference step by step, on the tokens made here."""

    def __init__(self, renderer: TreeRenderer, src: str, data: bytes, source: str, first_line: int):
        with quiet_panics():  # a panic in markdown-it-pyrs writes to the error output itself: never in front of an editor
            self.owner, self.root = renderer.owner, renderer.md.tree(src)
        self.src, self.data, self.source_dir, self.first_line = src, data, posixpath.dirname(source), first_line
        self.result = reference.RenderedMarkdown("")
        self.line = 0  # of the node read: its inline token's first line plus the line breaks before it
        self.depth = 0  # how many emphases and links the node is in (markdown-it-py's token.level)
        self.footnotes: dict[int, tuple[int, int]] = {}  # a footnote mention's offset: the footnote's number, which
        self.counted = (0, 0)  # an offset and the line breaks before it
        self.headerless: list[int] = []  # the lines of tables whose header row is empty

    def render(self, top_level: int) -> RenderedMarkdown:
        tokens: list[Token] = []
        nodes = list(self.root.children)
        container = nodes.pop() if nodes and nodes[-1].name == "footnote_container" else None
        self.blocks(nodes, tokens)
        if container is not None or "[^" in self.src:
            self.footnote_tail(container, tokens)
        result, headings = self.result, []
        for index, token in enumerate(tokens):
            if token.type == "heading_open":
                headings += [token, Token("inline", children=list(flat(tokens[index + 1].children))),
                             tokens[index + 2]]
        result.headings, skipped = number_headings(headings, self.first_line, top_level)  # type: ignore[arg-type]
        result.problems += [Problem("warning", message, line, 1) for message, line in skipped]
        for index, token in enumerate(tokens):
            if token.type == "html_block":
                self.owner._check_html(token.meta, self.first_line + token.map[0], result)  # type: ignore[index]
            if token.type != "inline" or not token.children:
                continue
            children, after_open = token.children, tokens[index - 1].type == "paragraph_open"
            figure = after_open and len(children) == 1 and children[0].name == "image"
            if figure:  # an image alone in its paragraph becomes a figure
                tokens[index - 1].hidden = tokens[index + 1].hidden = True
            embed = after_open and len(children) == 1 and children[0].name in ("link", "autolink")
            self.line = self.first_line + token.map[0]  # type: ignore[index]
            html: list[str] = []
            if self.inline(children, html, figure, embed):  # a link to a media sidecar becomes its player
                tokens[index - 1].hidden = tokens[index + 1].hidden = True
            token.html = "".join(html)
        result.problems += [Problem("warning", "this table has no header row: name each column", line, 1)
                            for line in self.headerless]
        result.html = reference.pull_quotes(sanitise(blocks_html(tokens)))
        result.words = len(self.data.split())  # = len(text.split()): left_to_reference let no other white space in
        return result

    # --- the tree as markdown-it-py's block tokens -------------------------------------------------------

    def line0(self, offset: int) -> tuple[int]:
        """The line (from 0) of a byte offset, counting on from the last one asked for."""
        if offset < self.counted[0]:
            self.counted = (0, 0)
        self.counted = (offset, self.counted[1] + self.data.count(b"\n", self.counted[0], offset))
        return (self.counted[1],)

    def blocks(self, nodes: list[Node], out: list[Token], tight: bool = False, footnote: bool = False) -> None:
        run: list[Node] = []  # the inline nodes of a tight paragraph, which markdown-it-pyrs leaves out
        for node in nodes + [None]:
            name = node.name if node is not None else ""
            if name == "footnote_ref_anchor":  # the links back from a footnote are made in footnote_tail
                continue
            if name in _INLINE and tight:
                run.append(node)
                continue
            if run:
                self.paragraph(run, out, self.run_start(run), hidden=True)
                run = []
            if name == "paragraph":
                children = node.children
                self.paragraph([child for child in children if child.name != "footnote_ref_anchor"] if footnote
                               else children, out, node.srcmap[0])
            elif name in ("heading", "lheading", "definition_term"):
                kind, tag = ("dt", "dt") if name == "definition_term" else ("heading", f"h{node.meta['level']}")
                map = self.line0(node.srcmap[0])
                out += [Token(f"{kind}_open", tag, 1, map), Token("inline", "", 0, map, list(node.children)),
                        Token(f"{kind}_close", tag, -1)]
            elif name in _CONTAINERS:
                if name == "definition_list" and self.unlike_reference(node):
                    raise Unsupported("a definition list the reference may read otherwise")
                kind, tag = _CONTAINERS[name]
                out.append(Token(f"{kind}_open", tag, 1))
                if name == "ordered_list" and node.meta.get("start", 1) != 1:
                    out[-1].attrs["start"] = node.meta["start"]
                self.blocks(node.children, out, name in ("list_item", "definition_description"), footnote)
                out.append(Token(f"{kind}_close", tag, -1))
            elif name == "table":
                self.table(node, out)
            elif name in ("fence", "code_block", "html_block"):
                self.raw_block(node, out)
            elif name == "hr":
                out.append(Token("hr", "hr", 0))
            elif name not in ("definition", ""):  # a link reference definition shows nothing
                raise Unsupported(name)

    def run_start(self, run: list[Node]) -> int:
        """Where a tight paragraph starts: markdown-it-pyrs gives it no node, and emphasis sometimes a wrong place."""
        for node in run:
            name, start = node.name, node.srcmap[0]
            if name in TAGS:  # its first node is on its first line
                return self.run_start(node.children)
            if name in ("text", "html_inline", "text_special"):
                if self.data.startswith(node.meta["markup" if name == "text_special" else "content"].encode(), start):
                    return start
            elif self.data[start:start + 1] == _FIRST_BYTE.get(name):
                return start
            if name in ("softbreak", "hardbreak"):
                break
        raise Unsupported("where a tight paragraph starts")

    def paragraph(self, children: list[Node], out: list[Token], start: int, hidden: bool = False) -> None:
        first = children[0]
        if self.data[start] == 91 and _DEFINITION.match(self.data, start) \
                or first.name == "text" and first.srcmap[0] < start:
            raise Unsupported("a paragraph that may be a link reference definition, or starts before it starts")
        map = self.line0(start)
        opening, closing = Token("paragraph_open", "p", 1, map), Token("paragraph_close", "p", -1)
        opening.hidden = closing.hidden = hidden
        out += [opening, Token("inline", "", 0, map, children), closing]

    def raw_block(self, node: Node, out: list[Token]) -> None:
        name, content = node.name, node.meta["content"]
        if name != "code_block" and node.srcmap[1] == len(self.data) and not self.src.endswith("\n"):
            if name == "fence":  # closed or not, the reference ends its content otherwise
                raise Unsupported("a fence at the end")
            content = content.removesuffix("\n")  # the reference keeps the text's missing last line break
        if name == "html_block":
            out.append(Token(name, "", 0, self.line0(node.srcmap[0]), meta=content, html=content))
            return
        info = mdTrim(unescapeAll(node.meta["info"])) if name == "fence" and node.meta.get("info") else ""
        language = f' class="language-{escape(MD_TRIM_RE.split(info, maxsplit=1)[0])}"' if info else ""
        out.append(Token(name, html=f"<pre><code{language}>{escape(content)}</code></pre>\n"))

    def unlike_reference(self, definitions: Node) -> bool:
        """Whether the reference may read this definition list otherwise (see _UNDERLINE)."""
        end = self.data.find(b"\n", definitions.srcmap[1])  # to the end of the line after it
        end = self.data.find(b"\n", end + 1) if end >= 0 else -1
        text = self.data[definitions.srcmap[0]:len(self.data) if end < 0 else end]
        descriptions = sum(node.name == "definition_description" for node in definitions.walk())
        return bool(_UNDERLINE.search(text)) or len(_COLON.findall(text)) != descriptions

    def table(self, node: Node, out: list[Token]) -> None:
        aligns = node.meta.get("alignments", [])
        out.append(Token("table_open", "table", 1))
        for part in node.children:
            if part.name not in ("thead", "tbody"):
                raise Unsupported(part.name)
            cell = "th" if part.name == "thead" else "td"
            out.append(Token(f"{part.name}_open", part.name, 1))
            if part.name == "thead" and all(  # the reference's test: no header cell with more than white space
                    child.name == "text" and not child.meta["content"].strip() for row in part.children
                    for content in row.children for child in content.children):
                self.headerless.append(self.first_line + self.line0(part.srcmap[0])[0])
            for row in part.children:
                out.append(Token("tr_open", "tr", 1))
                map = self.line0(row.srcmap[0])
                for column, content in enumerate(row.children):
                    out.append(Token(f"{cell}_open", cell, 1))
                    if column < len(aligns) and aligns[column] != "none":
                        out[-1].attrs["style"] = f"text-align:{aligns[column]}"
                    out += [Token("inline", "", 0, map, list(content.children)), Token(f"{cell}_close", cell, -1)]
                out.append(Token("tr_close", "tr", -1))
            out.append(Token(f"{part.name}_close", part.name, -1))
        out.append(Token("table_close", "table", -1))

    def footnote_tail(self, container: Node | None, out: list[Token]) -> None:
        """Footnotes as mdit-py-plugins puts them after the text: numbered in the order they are first mentioned
        (markdown-it-pyrs numbers them as defined), each with a link back to every mention."""
        defined = {}
        for definition in container.children if container is not None else ():
            meta = definition.meta
            if definition.name != "footnote_def" or meta.get("inline") or meta["label"] in defined \
                    or definition.children and definition.children[0].name in ("html_block", "code_block", "fence"):
                raise Unsupported("an inline footnote, one defined twice or starting with a raw block")
            defined[meta["label"]] = definition
        written = _FOOTNOTE.findall(self.src)  # each defined once and mentioned: markdown-it-pyrs drops the others
        if len(written) != len(set(written)) or set(written) != set(defined):
            raise Unsupported("footnotes defined twice or not mentioned")
        if not defined:
            return
        numbers: dict[str, int] = {}
        mentions: dict[str, int] = {}
        for node in sorted((n for n in self.root.walk() if n.name == "footnote_ref"), key=lambda n: n.srcmap[0]):
            label = node.meta["label"]
            numbers.setdefault(label, len(numbers))
            self.footnotes[node.srcmap[0]] = (numbers[label], mentions.get(label, 0))
            mentions[label] = mentions.get(label, 0) + 1
        out.append(Token("footnote_block_open", html='<hr class="footnotes-sep" />\n<section class="footnotes">\n'
                                                     '<ol class="footnotes-list">\n'))
        for label, number in numbers.items():
            out.append(Token("footnote_open", html=f'<li id="fn{number + 1}" class="footnote-item">'))
            self.blocks(defined[label].children, out, footnote=True)
            last = out.pop() if out[-1].type == "paragraph_close" else None
            out += [Token("footnote_anchor", html=f' <a href="#fnref{number + 1}{f":{mention}" if mention else ""}" '
                                                  'class="footnote-backref">\u21a9\ufe0e</a>')
                    for mention in range(mentions[label])]
            out += [last] if last is not None else []
            out.append(Token("footnote_close", html="</li>\n"))
        out.append(Token("footnote_block_close", html="</ol>\n</section>\n"))

    # --- inline nodes: checks and HTML -------------------------------------------------------------------

    def inline(self, nodes: list[Node], out: list[str], figure: bool = False, embed: bool = False) -> bool:
        """Check and render inline nodes in order; True if the link of an `embed` candidate is to a media sidecar."""
        embedded = False
        for node in nodes:
            name = node.name
            if name == "text" or name == "text_special":
                out.append(escape(node.meta["content"]))
            elif name == "softbreak" or name == "hardbreak":
                self.line += 1
                out.append("\n" if name == "softbreak" else "<br />\n")
            elif name in TAGS:
                self.depth += 1
                out.append(f"<{TAGS[name]}>")
                self.inline(node.children, out)
                out.append(f"</{TAGS[name]}>")
                self.depth -= 1
            elif name == "code_inline":
                out.append(f"<code>{escape(code(node))}</code>")
            elif name == "html_inline":
                self.owner._check_html(node.meta["content"], self.line, self.result)
                out.append(node.meta["content"])
            elif name == "link" or name == "autolink":
                embedded = self.link(node, out, embed)
            elif name == "image":
                self.image(node, out, figure)
            elif name == "footnote_ref":
                number, mention = self.footnotes[node.srcmap[0]]
                mark = f"{number + 1}:{mention}" if mention else f"{number + 1}"
                out.append(f'<sup class="footnote-ref"><a href="#fn{number + 1}" id="fnref{mark}">[{mark}]</a></sup>')
            else:
                raise Unsupported(name)
        return embedded

    def link(self, node: Node, out: list[str], embed: bool) -> bool:
        meta, words = node.meta, None
        if node.name == "autolink":  # the reference reads the address as written, as markdown-it-py does
            written = node.children[0].meta["markup"]
            url = reference._normalize_link(written if ":" in written else f"mailto:{written}")
            words = normalizeLinkText(written)
        elif not plain_address(url := meta["url"]):
            raise Unsupported(url)
        href = self.owner._resolve(url, self.source_dir, self.line, self.result)
        own = self.link_words(node) if words is None else (words, False)
        # The reference reads the link's words up to the first link end after it (an autolink's, if the link
        # holds one).
        text, has_image = own
        text = text.strip()
        if not text and not has_image:
            self.result.problems.append(Problem("warning", "a link has no text: say where it goes", self.line, 1))
        elif text.lower().strip(".!… ") in reference.VAGUE_LINKS:
            self.result.problems.append(Problem(
                "warning", f"link text '{text}' does not say where it goes: name the page or what it gives", self.line, 1))
        attrs = f' href="{escape(href)}"' + (f' title="{escape(meta["title"])}"' if meta.get("title") else "")
        embedded = embed and bool(node.children) and href.startswith(f"{REF_SCHEME}:media/") \
            and href.endswith((".yaml", ".yml")) and all(piece.type != "link_open" for piece in flat(node.children))
        out.append(f'<a{attrs} class="showcase-embed">' if embedded else f"<a{attrs}>")
        if words is not None:
            out.append(escape(words))
        else:
            self.depth += 1
            self.inline(node.children, out)
            self.depth -= 1
        out.append("</a>")
        return embedded

    def image(self, node: Node, out: list[str], figure: bool) -> None:
        meta = node.meta
        if not plain_address(meta["url"]):
            raise Unsupported(meta["url"])
        src = self.owner._resolve(meta["url"], self.source_dir, self.line, self.result)
        problem = reference.alt_problem(self.label(node))
        if problem:
            self.result.problems.append(Problem("warning", f"image text alternative {problem}", self.line, 1))
        attrs = f' src="{escape(src)}" alt="{escape(alt(node.children))}"'
        attrs += f' title="{escape(meta["title"])}"' if meta.get("title") else ""
        out.append(f'<img{attrs} class="showcase-figure" />' if figure else f"<img{attrs} />")

    def link_words(self, link: Node) -> tuple[str, bool]:
        """MarkdownRenderer._check_link_text's reading: the text and code up to the first link end, and whether
        there is an image with a description."""
        words, has_image = [], False
        for piece in flat(link.children):
            if piece.type == "link_close":
                break
            if piece.type == "text" or piece.type == "code_inline":
                words.append(piece.content)
            elif piece.type == "image":
                has_image = has_image or bool(self.label(piece.content).strip())
        return "".join(words), has_image

    def label(self, image: Node) -> str:
        """The image's description as written (markdown-it-py's token.content), checked against the text."""
        text = "".join(written(node) for node in image.children)
        start, raw = image.srcmap[0], text.encode()
        if self.data[start:start + 2] != b"![" or self.data[start + 2:start + 3 + len(raw)] != raw + b"]":
            raise Unsupported("an image description")
        return text
