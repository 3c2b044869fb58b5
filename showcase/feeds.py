"""Files for feed readers and crawlers: the Atom feed of stories and the sitemap. Both need base_url."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from xml.sax import saxutils

from .content import Site, Story
from .invisible import strip_invisible

FEED_SIZE = 50

def escape(text: str) -> str:
    """Text for an XML element; characters XML cannot hold (invisible controls, which one would make the whole
    file unreadable) are left out, as they are from pages (invisible.py)."""
    return saxutils.escape(strip_invisible(text))


def quoteattr(text: str) -> str:
    """A quoted XML attribute value; characters XML cannot hold are left out."""
    return saxutils.quoteattr(strip_invisible(text))


def absolute(site: Site, url: str) -> str:
    """Feeds and the sitemap are only made with a base_url."""
    address = site.absolute(url)
    assert address is not None
    return address


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _day(story: Story) -> dt.date:
    """The day a story went out: its publish_date when it was held back until then, else its date."""
    return max(story.meta.date, story.meta.publish_date or story.meta.date)


def atom_feed(site: Site, stories: list[Story], title: str, page_url: str, feed_url: str) -> str:
    """Newest stories first; times come from content dates so that rebuilds give the same bytes."""
    entries = stories[:FEED_SIZE]
    updated = max((_day(s) for s in entries), default=dt.date(2000, 1, 1))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(site.config.language)}>',
        f"  <title>{escape(title)}</title>",
        f"  <subtitle>{escape(site.config.description)}</subtitle>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(absolute(site, feed_url))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(absolute(site, page_url))}/>',
        f"  <id>{escape(absolute(site, feed_url))}</id>",
        f"  <updated>{_stamp(updated)}</updated>",
        f"  <author><name>{escape(site.config.title)}</name></author>",
    ]
    for story in entries:
        link = absolute(site, story.url)
        summary = story.meta.summary or story.meta.title
        if story.meta.content_note:  # a reader sees it before the summary, as on the site
            summary = f"Content note: {story.meta.content_note.rstrip('. ')}. {summary}"
        lines += [
            f"  <entry xml:lang={quoteattr(story.meta.language)}>" if story.meta.language else "  <entry>",
            f"    <title>{escape(story.meta.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>',
            f"    <id>{escape(link)}</id>",
            f"    <published>{_stamp(_day(story))}</published>",
            f"    <updated>{_stamp(_day(story))}</updated>",
            *[f"    <author><name>{escape(a.shown)}</name></author>" for a in story.authors],
            f"    <summary>{escape(summary)}</summary>",
            *[f"    <category term={quoteattr(p)}/>" for p in story.meta.practices],
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def sitemap(site: Site, pages: list[tuple[str, dt.date | None]]) -> str:
    """`pages`: every public page's site-relative URL with the date of the content it shows, if any."""
    base = absolute(site, "")
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
             *[_sitemap_entry(base, url, day) for url, day in pages],
             "</urlset>"]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1 << 16)
def _sitemap_entry(base: str, url: str, day: dt.date | None) -> str:
    """One page's line (the same from build to build of the preview, which writes the sitemap at each)."""
    lastmod = f"<lastmod>{day.isoformat()}</lastmod>" if day else ""
    return f"  <url><loc>{escape(base + url)}</loc>{lastmod}</url>"
