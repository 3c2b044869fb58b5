"""A site built with --base-url https://example.org/cpmr/ works when it is served from /cpmr/.

The example content is built into <tmp>/cpmr and the parent folder is served, so that the site's
addresses start with /cpmr/ exactly as on the real host. A crawler then follows every href, src and
srcset from the home page (and the 404 page, which a host serves at any address), the addresses the
search script computes, and the URLs in the feeds and sitemap: nothing may be missing and nothing may
be asked for outside /cpmr/. The feed and sitemap are checked as XML, and every page's canonical link.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from sitekit import REPO
from showcase.cli import main
from showcase.sources import split_front_matter

BASE = "https://example.org/cpmr/"
PREFIX = "/cpmr/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


# --- the site and a server -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("host")
    site = parent / "cpmr"
    assert main(["build", "--content", str(REPO / "content"), "--out", str(site), "--base-url", BASE]) == 0
    return site


class _Recorder(http.server.SimpleHTTPRequestHandler):
    requests: list[str]

    def log_message(self, format, *args):  # noqa: A002 - keep the test output quiet
        pass

    def do_GET(self):  # noqa: N802
        self.requests.append(self.path)
        super().do_GET()


@dataclass
class Host:
    origin: str
    requests: list[str] = field(default_factory=list)

    def get(self, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) of an address on this host."""
        try:
            with urllib.request.urlopen(self.origin + path, timeout=30) as response:
                return response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, "", b""


@pytest.fixture(scope="module")
def host(built: Path) -> Iterator[Host]:
    requests: list[str] = []
    handler = functools.partial(type("Handler", (_Recorder,), {"requests": requests}), directory=str(built.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Host(f"http://127.0.0.1:{server.server_address[1]}", requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- reading pages -------------------------------------------------------------------------------

class Links(HTMLParser):
    """Every address a browser would follow or fetch, and the canonical link."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.canonical: list[str] = []
        self.module_scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("href", "src"):
            if a.get(name):
                self.links.append(a[name])
        for name in ("srcset", "imagesrcset"):
            if a.get(name):
                self.links.extend(part.strip().split()[0] for part in a[name].split(",") if part.strip())
        if tag == "link" and (a.get("rel") or "").lower() == "canonical":
            self.canonical.append(a.get("href") or "")
        if tag == "script" and a.get("type") == "module" and a.get("src"):
            self.module_scripts.append(a["src"])


def parse(html: bytes) -> Links:
    parser = Links()
    parser.feed(html.decode("utf-8"))
    return parser


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
JS_URL = re.compile(r"""new URL\(\s*["']([^"']+)["']""")  # addresses a script works out from its own


def page_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def page_path(rel: str) -> str:
    return PREFIX + rel.removesuffix("index.html")


# --- the crawl -------------------------------------------------------------------------------------

@dataclass
class Crawl:
    fetched: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    pages: dict[str, Links] = field(default_factory=dict)


@pytest.fixture(scope="module")
def crawl(host: Host) -> Crawl:
    result = Crawl()
    queue: list[tuple[str, str]] = [(PREFIX, "(start)"), (PREFIX + "404.html", "(start)"),
                                    (PREFIX + "feed.xml", "(start)"), (PREFIX + "sitemap.xml", "(start)"),
                                    (PREFIX + "robots.txt", "(start)")]
    origin = urlsplit(host.origin)
    while queue:
        path, found_on = queue.pop()
        if path in result.fetched:
            continue
        status, kind, body = host.get(path)
        result.fetched[path] = status
        if status != 200:
            result.problems.append(f"{status} {path} (linked from {found_on})")
            continue
        targets: list[str] = []
        if kind == "text/html":
            links = parse(body)
            result.pages[path] = links
            targets = links.links
        elif kind == "text/css":
            targets = CSS_URL.findall(body.decode("utf-8"))
        elif path.startswith(PREFIX + "assets/") and path.endswith((".js", ".mjs")):  # our own scripts
            targets = JS_URL.findall(body.decode("utf-8"))
        elif path.endswith(".xml"):
            targets = [el.text or "" for el in ET.fromstring(body).iter(f"{SITEMAP}loc")]
            targets += [el.get("href", "") for el in ET.fromstring(body).iter(f"{ATOM}link")]
        for target in targets:
            url = urldefrag(urljoin(host.origin + path, target)).url
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https"):
                continue  # tel:, mailto:, data:
            if url.startswith(BASE):  # the public address of one of our own pages: fetch it here
                parts = urlsplit(host.origin + PREFIX + url[len(BASE):])
            elif parts[:2] != origin[:2]:
                if parts.hostname == "example.org":
                    result.problems.append(f"{target} on {path} is on the site's host but outside {BASE}")
                continue  # another site
            if not parts.path.startswith(PREFIX):
                result.problems.append(f"{target} on {path} leads outside {PREFIX}: {parts.path}")
                continue
            queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), path))
    return result


def test_crawl_from_the_sub_path_finds_no_missing_file(crawl: Crawl, built: Path):
    assert not crawl.problems, "\n".join(crawl.problems)
    reached = set(crawl.fetched)
    for rel in page_files(built):
        assert page_path(rel) in reached, f"{rel} is never linked"
    for needed in ("assets/style.css", "assets/search.js", "pagefind/pagefind.js", "feed.xml", "sitemap.xml"):
        assert PREFIX + needed in reached, needed
    assert any(p.startswith(PREFIX + "images/") for p in reached)


def test_no_request_leaves_the_sub_path(crawl: Crawl, host: Host):
    assert host.requests, "the server saw no requests"
    outside = sorted({r for r in host.requests if not r.startswith(PREFIX)})
    assert not outside, f"requests outside {PREFIX}: {outside}"


def test_search_index_is_reachable_from_the_search_script(crawl: Crawl, host: Host, built: Path):
    """The files pagefind.js asks for are addressed from its own URL, under /cpmr/pagefind/."""
    import json

    status, _, body = host.get(PREFIX + "pagefind/pagefind-entry.json")
    assert status == 200
    for language, info in json.loads(body)["languages"].items():
        assert host.get(f"{PREFIX}pagefind/pagefind.{info['hash']}.pf_meta")[0] == 200
        if info.get("wasm"):
            assert host.get(f"{PREFIX}pagefind/wasm.{info['wasm']}.pagefind")[0] == 200
    search = crawl.pages[PREFIX + "search/"]
    assert search.module_scripts == ["../assets/search.js"]


def test_the_404_page_links_from_the_sub_path_wherever_it_is_served(built: Path, host: Host):
    links = parse((built / "404.html").read_bytes())
    assert not links.canonical  # it is served at many addresses, so it claims none
    missing = []
    for target in links.links:
        if target.startswith("#"):
            continue
        url = urljoin(host.origin + PREFIX + "no/such/place/", target)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(host.origin).netloc:
            continue
        assert parts.path.startswith(PREFIX), target
        if host.get(parts.path)[0] != 200:
            missing.append(target)
    assert not missing


def test_every_page_has_its_absolute_canonical_link(crawl: Crawl, built: Path):
    for rel in page_files(built):
        if rel == "404.html":
            continue
        links = parse((built / rel).read_bytes())
        assert links.canonical == [BASE + rel.removesuffix("index.html")], rel


def test_feeds_are_valid_atom_with_absolute_urls(built: Path):
    feeds = sorted(built.rglob("feed.xml"))
    assert built / "feed.xml" in feeds
    for path in feeds:
        rel = path.relative_to(built).as_posix()
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed", rel
        for required in ("id", "title", "updated"):
            assert (root.findtext(f"{ATOM}{required}") or "").strip(), (rel, required)
        assert root.findtext(f"{ATOM}id").startswith(BASE)
        self_links = [l.get("href") for l in root.findall(f"{ATOM}link") if l.get("rel") == "self"]
        assert self_links == [BASE + rel], rel
        entries = root.findall(f"{ATOM}entry")
        assert entries, rel
        feed_author = root.find(f"{ATOM}author") is not None
        for entry in entries:
            for required in ("id", "title", "updated"):
                assert (entry.findtext(f"{ATOM}{required}") or "").strip(), (rel, required)
            assert entry.findtext(f"{ATOM}id").startswith(BASE)
            hrefs = [l.get("href") for l in entry.findall(f"{ATOM}link")]
            assert hrefs and all(h.startswith(BASE) for h in hrefs), hrefs
            assert feed_author or entry.find(f"{ATOM}author") is not None
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", entry.findtext(f"{ATOM}updated"))


def test_sitemap_lists_every_public_page(built: Path, host: Host):
    root = ET.parse(built / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    listed = [el.text for el in root.iter(f"{SITEMAP}loc")]
    assert len(listed) == len(set(listed))
    assert all(url.startswith(BASE) for url in listed)
    assert not [url for url in listed if url.endswith("404.html")]
    pages = {BASE + rel.removesuffix("index.html") for rel in page_files(built) if rel != "404.html"}
    assert pages <= set(listed), sorted(pages - set(listed))
    for url in listed:
        assert host.get(PREFIX + url[len(BASE):])[0] == 200, url


def test_feeds_carry_content_notes_and_each_project_page_links_its_feed(built: Path):
    """A feed reader shows a story's content note before its summary, as the site does; a project's own feed is
    found from its page (it was written but linked from nowhere)."""
    notes = {}
    for path in (REPO / "content/stories").glob("*.md"):
        front = split_front_matter(path.read_text(encoding="utf-8")).front_matter.data
        if front.get("content_note") and not front.get("draft"):
            notes[front["title"]] = front["content_note"]
    assert notes
    root = ET.parse(built / "feed.xml").getroot()
    for entry in root.findall(f"{ATOM}entry"):
        title = entry.findtext(f"{ATOM}title")
        if title in notes:
            assert entry.findtext(f"{ATOM}summary").startswith(f"Content note: {notes[title].rstrip('. ')}. "), title
    project_feeds = sorted(built.glob("projects/*/feed.xml"))
    assert project_feeds
    for feed in project_feeds:
        page = (feed.parent / "index.html").read_text(encoding="utf-8")
        assert '<link rel="alternate" type="application/atom+xml"' in page and 'href="feed.xml"' in page, feed
