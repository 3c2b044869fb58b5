"""The Content-Security-Policy of the editor's page at /admin/ (showcase/editor.py writes it into the page, as a
<meta> element, both in the built site and in `serve`).

Nothing is allowed but the pinned CMS script and what Decap CMS needs while it runs: 'unsafe-eval' (Decap checks
its config.yml with ajv, which compiles its checks into functions), inline styles (its styles are made as it
runs), images from the site and as blob: (uploads, and files read through the repository's API), and requests to
the page's own origin (config.yml; the preview's API) and to the repository's API. No other page in a frame
(Decap's own preview frame is about:blank), no fonts, workers, objects, form targets or <base>.
`frame-ancestors` cannot be set in a <meta> element: `serve` sends X-Frame-Options instead.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# The hosts Decap talks to for each backend when site.yaml does not name them (api_root, and base_url for PKCE),
# and where the signed-in person's picture comes from (GitLab.com's default pictures are Gravatar's).
_API_ROOTS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com/api/v4"}
_PKCE_SERVERS = {"gitlab": "https://gitlab.com"}
_AVATARS = {"github": "https://avatars.githubusercontent.com", "gitlab": "https://secure.gravatar.com"}


def content_security_policy(script: str, backend: dict[str, str], inline: str | None = None) -> str:
    """What the admin page may load: the CMS at `script`, and what Decap CMS 3.16 needs besides, found by running
    it with nothing allowed (tests/browser/test_admin_csp.py fails on any violation); nothing else. `backend`:
    Decap's backend block of config.yml; {} for the editor of `serve`, which talks to the preview's origin only.
    `inline`: the hash of the one inline script allowed (the preview's, editor_versions.js)."""
    servers = [backend.get("api_root") or _API_ROOTS.get(backend.get("name", ""))]
    if backend.get("auth_type") == "pkce" or backend.get("name") == "gitea":  # signs in with fetch(), no helper
        servers.append(backend.get("base_url") or _PKCE_SERVERS.get(backend["name"]))
    origins = list(dict.fromkeys(origin for origin in map(_origin, servers) if origin))
    # pictures of people come from the server (GitLab, Gitea, GitHub Enterprise) or the service's picture host
    pictures = [o for o in origins if o != "https://api.github.com"] + [_AVATARS.get(backend.get("name", ""), "")]
    return "; ".join([
        "default-src 'none'",
        # the one pinned file; 'unsafe-eval' because Decap checks config.yml with ajv, which compiles its checks
        " ".join(["script-src", script, *([f"'{inline}'"] if inline else []), "'unsafe-eval'"]),  # (+ the preview's)
        "style-src 'unsafe-inline'",  # Decap's styles are made as it runs (emotion)
        # the site's images; uploads and the repository's files as blob:; the signed-in person's picture
        " ".join(["img-src 'self' blob:", *filter(None, pictures)]),
        " ".join(["connect-src 'self'", *origins]),  # config.yml (and the preview's API); the repository's API
        "base-uri 'none'",
        "form-action 'none'",
    ])


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("https", "http") and parts.netloc else None
