"""What a page tells search engines and social sites: JSON-LD structured data and its sharing image."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from .content import Artwork, NavLink, Project, Report, Site, Story


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], "")}


def _people(credits) -> list[dict[str, str]]:
    return [{"@type": "Organization" if c.organisation else "Person", "name": c.shown}  # `shown` honours initials/anonymous
            for c in credits]


def _funder(site: Site) -> dict[str, Any] | None:
    if not site.config.funder:
        return None
    return _clean({"@type": "Organization", "name": site.config.funder,
                   "identifier": site.config.grant})


def organisation(site: Site) -> dict[str, Any]:
    config = site.config
    return _clean({
        "@context": "https://schema.org", "@type": "ResearchProject", "name": config.title,
        "alternateName": config.short_title, "description": config.description, "url": site.absolute(""),
        "funder": _funder(site),
        "member": [_clean({"@type": "Organization", "name": p.name, "url": p.url}) for p in config.partners],
        "founder": _clean({"@type": "Person", "name": config.lead.name}) if config.lead else None,
        "foundingDate": str(config.period.start_year) if config.period else None,
    })


def story(site: Site, item: Story, hero: Artwork | None) -> dict[str, Any]:
    return _clean({
        "@context": "https://schema.org", "@type": "Article", "headline": item.meta.title,
        "description": item.meta.summary, "datePublished": item.meta.date.isoformat(),
        "author": _people(item.authors), "url": site.absolute(item.url), "inLanguage": item.meta.language or site.config.language,
        "keywords": ", ".join([*item.meta.practices, *item.meta.tags]) or None,
        "image": site.absolute(f"images/{hero.image.og.name}") if hero and hero.image else None,
        "isPartOf": _clean({"@type": "ResearchProject", "name": site.config.title, "url": site.absolute("")}),
    })


def artwork(site: Site, item: Artwork) -> dict[str, Any]:
    meta = item.meta
    rights = meta.rights_with(site.config.rights)  # the site's `rights:` stand in for what the sidecar leaves out
    return _clean({
        "@context": "https://schema.org", "@type": "VisualArtwork", "name": meta.title,
        "description": meta.alt, "creator": _people([meta.artist]) if meta.artist else None,
        "dateCreated": str(meta.year) if meta.year else None, "artMedium": meta.medium, "url": site.absolute(item.url),
        "image": site.absolute(f"images/{item.image.og.name}") if item.image else None,
        "license": rights.licence.uri if rights.licence else None, "creditText": rights.credit,
        "copyrightHolder": _people([rights.rights_holder])[0] if rights.rights_holder else None,
    })


def project(site: Site, item: Project) -> dict[str, Any]:
    return _clean({
        "@context": "https://schema.org", "@type": "ResearchProject", "name": item.meta.title,
        "description": item.meta.summary, "url": site.absolute(item.url),
        "parentOrganization": _clean({"@type": "ResearchProject", "name": site.config.title}),
        "funder": _funder(site),
    })


def report(site: Site, item: Report) -> dict[str, Any]:
    return _clean({
        "@context": "https://schema.org", "@type": "Report", "name": item.meta.title,
        "headline": item.meta.title, "description": item.meta.summary, "datePublished": item.meta.date.isoformat(),
        "author": _people(item.meta.authors), "url": site.absolute(item.url), "funder": _funder(site),
        "publisher": _clean({"@type": "Organization", "name": site.config.lead.role or site.config.title})
        if site.config.lead else {"@type": "Organization", "name": site.config.title},
        "isPartOf": _clean({"@type": "ResearchProject", "name": site.config.title}),
    })


def person(site: Site, item) -> dict[str, Any]:
    return _clean({
        "@context": "https://schema.org", "@type": "Person", "name": item.meta.name, "jobTitle": item.meta.role,
        "affiliation": _clean({"@type": "Organization", "name": item.meta.affiliation}) if item.meta.affiliation else None,
        "url": item.meta.url, "memberOf": _clean({"@type": "ResearchProject", "name": site.config.title}),
    })


def media(site: Site, item) -> dict[str, Any]:
    return _clean({
        "@context": "https://schema.org", "@type": "VideoObject" if item.meta.kind == "video" else "AudioObject",
        "name": item.meta.title, "description": item.meta.title, "duration": item.iso_duration,
        "url": site.absolute(item.url), "contentUrl": site.absolute(item.file_url) if item.file_url else item.meta.url,
        "transcript": _plain(item.transcript.html) if item.transcript else None, "creditText": item.meta.credit,
    })


def _plain(html: str) -> str:
    """The text of rendered, sanitised Markdown (what the page shows: never the Markdown as written, whose
    HTML comments an editor may have meant for no one)."""
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", html)).split())


def breadcrumbs(site: Site, crumbs: tuple[NavLink, ...], title: str, url: str) -> dict[str, Any] | None:
    if not site.config.base_url or not crumbs:
        return None
    items = [*crumbs, NavLink(title, url)]
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": n, "name": link.title, "item": site.absolute(link.url)}
        for n, link in enumerate(items, 1)]}
