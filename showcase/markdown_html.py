"""markdown-it-pyrs's nodes read as markdown-it-py's tokens, and the HTML of markdown_tree.py's block tokens
written byte for byte as markdown-it-py's renderer writes it."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from typing import Any

from markdown_it.common.normalize_url import normalizeLinkText

Node = Any  # a markdown_it_pyrs.Node: name, children, meta, srcmap (UTF-8 byte offsets)


def escape(text: str) -> str:
    if "&" in text or "<" in text or ">" in text or '"' in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return text


class Token:
    """A block token as markdown-it-py makes it; `map` is (its first line in the text, from 0,) or None. Those
    without a tag (inline, fence, footnote_open...) bring their `html`."""

    __slots__ = ("type", "tag", "nesting", "map", "children", "meta", "attrs", "hidden", "html")

    def __init__(self, type: str, tag: str = "", nesting: int = 0, map: tuple[int] | None = None,
                 children: list[Node] | None = None, meta: Any = None, html: str = ""):
        self.type, self.tag, self.nesting, self.map, self.children, self.meta = type, tag, nesting, map, children, meta
        self.attrs: dict[str, Any] = {}
        self.hidden, self.html = False, html

    def attrSet(self, name: str, value: str) -> None:  # noqa: N802 - markdown-it-py's name, for number_headings
        self.attrs[name] = value


def blocks_html(tokens: list[Token]) -> str:
    """markdown-it-py's RendererHTML.render: the tokens' own HTML, or their tags as renderToken writes them."""
    out = []
    for index, token in enumerate(tokens):
        if not token.tag:
            out.append(token.html)
        elif token.hidden:
            continue
        elif token.nesting == -1:
            out.append(f"</{token.tag}>\n")
        else:
            before = "\n" if index and tokens[index - 1].hidden else ""
            attrs = "".join(f' {name}="{escape(str(value))}"' for name, value in token.attrs.items())
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            end = " />\n" if token.nesting == 0 else ">" if following is not None and (
                following.type == "inline" or following.hidden
                or following.nesting == -1 and following.tag == token.tag) else ">\n"
            out.append(f"{before}<{token.tag}{attrs}{end}")
    return "".join(out)


TAGS = {"em": "em", "strong": "strong", "strikethrough": "s"}
Piece = namedtuple("Piece", "type content")  # markdown-it-py's inline token, as headings.plain_text reads it


class Unsupported(Exception):
    """Something not reproduced here exactly: the reference renders the text."""


def code(node: Node) -> str:
    return "".join(child.meta["content"] for child in node.children)


def flat(nodes: list[Node]) -> Iterator[Piece]:
    """The nodes as markdown-it-py's inline tokens (type and content, or the node), which are not nested."""
    for node in nodes:
        name = node.name
        if name == "text" or name == "text_special":
            yield Piece("text", node.meta["content"])
        elif name == "code_inline":
            yield Piece("code_inline", code(node))
        elif name == "autolink":
            yield from (Piece("link_open", node), Piece("text", normalizeLinkText(node.children[0].meta["markup"])),
                        Piece("link_close", node))
        elif name in TAGS or name == "link":
            yield Piece(f"{name}_open", node)
            yield from flat(node.children)
            yield Piece(f"{name}_close", node)
        else:
            yield Piece(name, node)


def alt(nodes: list[Node]) -> str:
    """An image's text alternative as markdown-it-py's renderInlineAsText writes it."""
    return "".join(piece.content if piece.type in ("text", "code_inline") else piece.content.meta["content"]
                   if piece.type == "html_inline" else alt(piece.content.children) if piece.type == "image"
                   else "\n" if piece.type.endswith("break") else "" for piece in flat(nodes))


def written(node: Node) -> str:
    name = node.name
    if name == "text" or name == "html_inline":
        return node.meta["content"]
    if name == "text_special":
        return node.meta["markup"]
    if name not in TAGS:
        raise Unsupported(name)
    marker = "~~" if name == "strikethrough" else node.meta["marker"] * (2 if name == "strong" else 1)
    return marker + "".join(written(child) for child in node.children) + marker
