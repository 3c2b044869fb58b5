"""Where markdown-it-pyrs and markdown-it-py (as markdown.py sets it up) may read a text differently, whatever its
tree: such texts, and addresses the two write otherwise, are rendered by the reference (see markdown_tree.py).
And a panic inside markdown-it-pyrs, which Rust reports on the error output itself, kept from it."""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from urllib.parse import unquote

from . import markdown as reference

# What the two libraries read differently, whatever the tree (see left_to_reference): bytes needing no second look,
_ORDINARY = bytes(code for code in range(0x20, 0x7F) if chr(code) not in "&<:[`^") + b"\t\n"
# white space other than ASCII's (the reference strips it from paragraphs, reads it between HTML attributes),
_ODD_SPACE = re.compile(rb"[\x0b\x0c\x1c-\x1f]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]"
                        rb"|\xe2\x81\x9f|\xe3\x80\x80")
_DECLARATION = re.compile(r"<![a-z]")  # HTML only to the reference (CommonMark 0.31)
_MARK = re.compile(r"[*_~]")  # beside a symbol (€, ©, an emoji), which only the reference counts as punctuation
_TILDES = re.compile(r"[^\s~]~{3,}[^\s~]")  # ~~a~~~~b~~: two strikethroughs to the reference, one to markdown-it-pyrs
_INDENT_TAB = re.compile(rb"^[ >\-*+0-9.):]*\t", re.M)  # columns after a tab are counted otherwise
# HTML comments, and the tags the two libraries' CommonMark versions disagree on as an HTML block's start
# (every tag of HTML was tried: <search> and <source>)
_HTML_LINE = re.compile(rb"<!|</?(?:search|source)(?![a-z0-9-])", re.I)
# Deep nesting (blockquotes, lists, indentation): markdown-it-pyrs 0.4 can overflow its stack freeing such a
# tree, which kills the process rather than raising; the reference reads it
_DEEP = re.compile(rb"^[ \t>*+\-0-9.)]{32,}", re.M)
_DROPPED = ("javascript", "vbscript", "file", "data")  # markdown-it-pyrs leaves such a link as text
# Addresses both write alike: ASCII that percent-encoding keeps, escaping neither controls (the reference removes
# tabs and line breaks) nor IPv6 brackets, no white space at an end (it strips that), no escape in a host name (it
# writes a non-ASCII one in punycode) nor after a scheme without "//" (mailto:).
_SIMPLE_PATH = re.compile(r"(?!//)[A-Za-z0-9\-._~/#]*")
_PLAIN_URL = re.compile(r"[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]*")
_ODD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})|%(?:[01][0-9A-Fa-f]|7[Ff]|5[BbDd])")
_HOST = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//([^/?#]*)|[A-Za-z][A-Za-z0-9+.\-]*:()")


def left_to_reference(src: str, data: bytes) -> bool:
    """Whether the two libraries may read this text differently, whatever its tree, or markdown-it-pyrs 0.4 may
    panic on it (it does on a backtick or "^[" after a "["). A character reference could spell a scheme."""
    if b"\t" in data and _INDENT_TAB.search(data) or "~~~" in src and _TILDES.search(src):
        return True
    if b"<" in data and _HTML_LINE.search(data) or _DEEP.search(data):
        return True
    rest = data.translate(None, _ORDINARY)
    if not rest:
        return False
    if _ODD_SPACE.search(rest) or b"<" in rest and _DECLARATION.search(src) \
            or b"&" in rest and ("&#" in src or "&colon;" in src) \
            or b"[" in rest and (b"`" in rest or b"^" in rest and "^[" in src):
        return True
    if max(rest) >= 0x80 and ("*" in src or "_" in src or "~" in src):
        for mark in _MARK.finditer(src):
            beside = src[max(0, mark.start() - 1):mark.end() + 1]
            if any(char > "\x7f" and unicodedata.category(char)[0] == "S" for char in beside):
                return True
    colon = src.find(":")
    while colon >= 0:
        before = src[max(0, colon - 11):colon].lower().removesuffix("\\")
        if any(before.endswith(scheme) and before[:-len(scheme)][-1:] in ("", "(", "<", ":", " ", "\t", "\n")
               for scheme in _DROPPED):  # where an address starts
            return True
        colon = src.find(":", colon + 1)
    return False


def plain_address(url: str) -> bool:
    """Whether markdown-it-pyrs's address is the one markdown-it-py, as the reference sets it up, gives."""
    if _SIMPLE_PATH.fullmatch(url):
        return True
    if not _PLAIN_URL.fullmatch(url):
        return False
    if "%" in url:
        host, decoded = _HOST.match(url), unquote(url)
        if _ODD_ESCAPE.search(url) or host and (host.group(1) is None or "%" in host.group(1)) \
                or decoded[0].isspace() or decoded[-1].isspace():
            return False
    return reference._normalize_link(url) == url


class quiet_panics:
    """The process's error output sent nowhere for a moment (the file descriptor: Rust writes to it directly)."""

    _nowhere: int | None = None

    def __enter__(self) -> None:
        self.saved = None
        try:
            if quiet_panics._nowhere is None:
                quiet_panics._nowhere = os.open(os.devnull, os.O_WRONLY)
            sys.stderr.flush()
            self.saved = os.dup(2)
            os.dup2(quiet_panics._nowhere, 2)
        except (OSError, ValueError, AttributeError):  # no error output to quieten
            self.saved = None

    def __exit__(self, *exc: object) -> None:
        if self.saved is not None:
            os.dup2(self.saved, 2)
            os.close(self.saved)
