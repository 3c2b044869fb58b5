"""`serve`: build, serve the site on this computer, and rebuild and reload open pages on every change.

- `preview`: the preview itself: the first build, the build thread, the terminal (`Preview`, `serve`);
- `http`: answering requests: files, pages, the event stream; `hosts`: which Host names are answered;
  `files`: which file answers an address;
- `events`: live reload: each build's outcome handed to every open page (Server-Sent Events);
- `inject`: what the served pages carry and the files on disk never do: the reload script, the problems;
- `watch`: which changes count, and waiting out a burst of them.
"""

from .events import EVENTS_PATH
from .files import content_type, parse_range, resolve
from .inject import OVERLAY_ID, error_overlay, inject
from .preview import Preview, serve

__all__ = ["EVENTS_PATH", "OVERLAY_ID", "Preview", "content_type", "error_overlay", "inject", "parse_range", "resolve",
           "serve"]
