"""What the preview adds to the HTML pages it serves: the live-reload script and, while the last change cannot be
built, an accessible message listing the problems. Only what the server sends carries them: the files on disk, which
are the site to publish, never do.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..errors import Diagnostic
from .events import EVENTS_PATH

OVERLAY_ID = "showcase-preview-errors"
MAX_LISTED = 50  # problems listed on the page; the terminal shows them all

_SCRIPT = """<script id="showcase-preview-script">
(function () {
  "use strict";
  var build = %(build)d;
  var box = document.getElementById("%(id)s");
  if (box) {
    var hide = function () {
      if (box.hidden) return;
      var inside = box.contains(document.activeElement);
      box.hidden = true;
      if (inside) {
        var main = document.getElementById("main");
        if (main) main.focus({preventScroll: true});
      }
    };
    var button = box.querySelector("[data-showcase-dismiss]");
    if (button) button.addEventListener("click", hide);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") hide();
    });
    box.focus({preventScroll: true});
  }
  if (!window.EventSource) return;
  /* One connection to the preview for all its tabs: a browser opens six at most to one address, and each tab
     holding its own, the seventh tab would never load. The tab holding a lock listens and tells the others. */
  var channel = window.BroadcastChannel && navigator.locks ? new BroadcastChannel("showcase-preview") : null;
  var latest = null;  /* what the listening tab heard last: {build, ok} */
  var leaving = false;
  var reload = function () { if (!leaving) { leaving = true; window.location.reload(); } };
  var heard = function (kind, data) {
    if (kind === "reload" || kind === "error" || data.build !== build) reload();
  };
  var listen = function () {
    var source = new EventSource("%(events)s");
    ["hello", "reload", "error"].forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        if (typeof event.data !== "string") return;  /* a lost connection, not a failed build */
        var data = {};
        try { data = JSON.parse(event.data); } catch (ignored) { return; }
        latest = data;
        if (channel) channel.postMessage({kind: kind, data: data});
        heard(kind, data);
      });
    });
  };
  if (!channel) return listen();
  channel.onmessage = function (event) {
    var message = event.data || {};
    if (message.kind === "ask") {
      if (latest) channel.postMessage({kind: "hello", data: latest});
    } else if (message.data) {
      heard(message.kind, message.data);
    }
  };
  channel.postMessage({kind: "ask"});  /* a build may have ended before this page listened */
  navigator.locks.request("showcase-preview-events", function () {
    listen();
    return new Promise(function () {});  /* held while this page is open; then another tab listens */
  });
})();
</script>
"""

_OVERLAY_CSS = """
#%(id)s{position:fixed;top:0;left:0;right:0;z-index:2147483647;box-sizing:border-box;max-height:70vh;
overflow:auto;margin:0;padding:1rem 1.25rem 1.25rem;background:#fff;color:#111;color-scheme:light;
border-top:.4rem solid #a4000f;border-bottom:.4rem solid #a4000f;box-shadow:0 .25rem 1.25rem rgba(0,0,0,.4);
font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;text-align:left;
letter-spacing:normal;word-spacing:normal}
#%(id)s[hidden]{display:none}
#%(id)s *{box-sizing:border-box;color:inherit;background:none;font:inherit;text-transform:none}
#%(id)s h2{margin:0 0 .5rem;font-size:1.375rem;line-height:1.25;font-weight:700;color:#a4000f}
#%(id)s p{margin:0 0 .75rem;max-width:70ch}
#%(id)s ul{margin:0 0 1rem;padding:0 0 0 1.25rem;list-style:disc}
#%(id)s li{margin:0 0 .75rem}
#%(id)s li p{margin:0}
#%(id)s .where{font-weight:700}
#%(id)s code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em;
background:#eee;color:#111;padding:.05em .3em;border-radius:.2em;overflow-wrap:anywhere}
#%(id)s button{font-weight:700;padding:.5rem 1rem;border:2px solid #111;border-radius:.25rem;background:#111;
color:#fff;cursor:pointer}
#%(id)s button:hover{background:#fff;color:#111}
#%(id)s:focus{outline:none}
#%(id)s:focus-visible,#%(id)s button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
@media (prefers-reduced-motion:no-preference){#%(id)s{animation:showcase-preview-in .2s ease-out}}
@keyframes showcase-preview-in{from{opacity:0;transform:translateY(-.5rem)}to{opacity:1;transform:none}}
@media (forced-colors:active){#%(id)s{border-color:CanvasText}#%(id)s button{border-color:ButtonText}}
@media print{#%(id)s{display:none}}
"""


def error_overlay(problems: list[Diagnostic], nothing_built: bool, base: Path | None = None) -> str:
    """The message shown at the top of every page while the last change cannot be built (escaped HTML)."""
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    if nothing_built:
        status = "There is no earlier version of the site to show yet."
    else:
        status = "You are looking at the last version that could be built."
    items = []
    for problem in problems[:MAX_LISTED]:
        where = shown_path(problem.path, base)
        if problem.line is not None:
            place = f"{where}:{problem.line}"
            words = f" (line {problem.line}" + (f", column {problem.col}" if problem.col else "") + ")"
        else:
            place, words = where, ""
        label = "Warning, treated as an error: " if problem.severity == "warning" else ""
        items.append(f'<li><p class="where"><code>{html.escape(place)}</code>{html.escape(words)}</p>'
                     f"<p>{html.escape(label + problem.message)}</p></li>")
    if count > MAX_LISTED:
        items.append(f"<li><p>… and {count - MAX_LISTED} more; the terminal lists them all.</p></li>")
    if not items:
        items.append("<li><p>The build failed; the terminal says why.</p></li>")
    return (
        f'<div id="{OVERLAY_ID}" role="alertdialog" aria-modal="false" aria-labelledby="{OVERLAY_ID}-title" '
        f'aria-describedby="{OVERLAY_ID}-intro" tabindex="-1" lang="en" dir="ltr">'
        f'<h2 id="{OVERLAY_ID}-title">The last change could not be built</h2>'
        f'<p id="{OVERLAY_ID}-intro">{status} Correct the {noun} below and save the file; this page will update '
        f"by itself. ({count} {noun})</p>"
        f'<ul>{"".join(items)}</ul>'
        f'<p><button type="button" data-showcase-dismiss>Hide this message</button> (or press Escape)</p>'
        f"</div>\n")


def shown_path(path: str, base: Path | None) -> str:
    """A problem's file as an editor knows it: relative to the folder that holds the content folder."""
    if base is not None:
        try:
            return Path(path).resolve().relative_to(base).as_posix()
        except (ValueError, OSError):
            pass
    return path


_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


OVERLAY_STYLE = f'<style id="{OVERLAY_ID}-style">{_OVERLAY_CSS % {"id": OVERLAY_ID}}</style>\n'


# what a document's scripts and comments say is not its markup: a "<body>" there is text
_NOT_MARKUP = re.compile(rb"<script\b.*?</script\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_A_DOCUMENT = re.compile(rb"<!doctype|<html\b|<body\b", re.IGNORECASE)


def _markup(page: bytes) -> bytes:
    """The page with its scripts and comments blanked out, each byte where it was (to find its real tags)."""
    return _NOT_MARKUP.sub(lambda m: b" " * len(m.group()), page)


def inject(page: bytes, script: str, overlay: str = "") -> bytes:
    """The page with the script before </body> (or at the end) and, if given, the overlay right after <body>
    and its style sheet before </head>. A fragment of HTML (no doctype, <html> or <body>: a piece a page of the
    site loads) is left as it is."""
    markup = _markup(page)
    if not _A_DOCUMENT.search(markup):
        return page
    end = markup.lower().rfind(b"</body>")
    if end < 0:
        end = len(page)
    page = page[:end] + script.encode() + page[end:]
    if overlay:
        markup = _markup(page)
        opening = _BODY_OPEN.search(markup)
        at = opening.end() if opening else page.find(b'<script id="showcase-preview-script">')
        head_end = markup.lower().find(b"</head>", 0, at)
        if head_end < 0:
            page = page[:at] + (OVERLAY_STYLE + overlay).encode() + page[at:]
        else:
            page = (page[:head_end] + OVERLAY_STYLE.encode() + page[head_end:at] + overlay.encode() + page[at:])
    return page


_PLACEHOLDER = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – showcase preview</title></head>
<body style="font:1.125rem/1.5 system-ui,sans-serif;margin:0;padding:2rem;max-width:40rem">
<main id="main" tabindex="-1"><h1>{title}</h1><p>{text}</p></main>
</body>
</html>
"""


def placeholder_page(status: int) -> bytes:
    """What is served when the site folder has nothing at an address, not even a 404 page."""
    if status == 404:
        title, text = "Nothing here", "There is no page at this address in the preview."
    else:
        title, text = "Bad request", "This address cannot be served."
    return _PLACEHOLDER.format(title=title, text=text).encode()


def reload_script(build_id: int) -> str:
    """The script every page gets: it reloads the page when a build ends (or ended since the page was made)."""
    return _SCRIPT % {"build": build_id, "id": OVERLAY_ID, "events": EVENTS_PATH}
