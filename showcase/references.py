"""What one item names must exist and be published: the project and artworks it names, the files its text
links to, and the sidecar every image and media file needs. A wrong slug gets a "did you mean"."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from .content import Artwork, Item, Media, Page, Report, Story
from .messages import did_you_mean

if TYPE_CHECKING:
    from .assemble import Assembler


def images_have_sidecars(assembler: Assembler, artworks: list[Artwork]) -> None:
    """Each image is the image of one sidecar: the one with its name, or one that names it with `image:`."""
    used: dict[str, Artwork] = {}
    for artwork in sorted(artworks, key=lambda a: bool(a.meta.image)):  # the one naming it is told, if one does
        first = used.setdefault(artwork.image_source, artwork)
        if first is not artwork:
            assembler.problem(artwork, ("image",), f"image: {posixpath.basename(artwork.image_source)} is the image "
                              f"of {first.source} already; each artwork needs an image of its own")
    sidecars = {posixpath.splitext(f)[0]: f for f in assembler.files.artwork_sidecars}
    for image in assembler.files.artwork_images:
        sidecar = sidecars.get(posixpath.splitext(image)[0])
        if image in used or (sidecar and sidecar not in assembler.parsed):
            continue  # an image of an artwork, or of a sidecar with problems of its own
        if sidecar is None:
            assembler.diagnostics.error(assembler.root / image, "this image has no sidecar: add "
                                        f"{posixpath.splitext(image)[0]}.yaml with at least title and alt (or name "
                                        f"it in a sidecar: image: {posixpath.basename(image)})")
        else:
            assembler.diagnostics.error(assembler.root / image, f"this image is not used: {sidecar} names another "
                                        "image with image:; remove this one, or name it there")


def media_files_have_sidecars(assembler: Assembler, media: list[Media]) -> None:
    used = {rel for m in media for rel in (*m.published_files, m.text_description_source) if rel}
    sidecars = {posixpath.splitext(rel)[0] for rel in assembler.files.media if rel.endswith((".yaml", ".yml"))}
    if len(media) < len(sidecars):
        return  # a sidecar could not be read; its own error comes first
    for rel in assembler.files.media:
        if not rel.endswith((".yaml", ".yml")) and rel not in used and posixpath.splitext(rel)[0] not in sidecars:
            assembler.diagnostics.warning(assembler.root / rel,
                                          "no media sidecar (.yaml) uses this file, so it is not published")


def unreadable(assembler: Assembler, folder: str, slug: str) -> bool:
    """True when the file for this slug exists but could not be read: its own error says why."""
    return any(f"{folder}/{slug}{ext}" in assembler.files.all and f"{folder}/{slug}{ext}" not in assembler.parsed
               for ext in (".yaml", ".yml"))


def check_project(assembler: Assembler, item: Item, slug: str | None, projects: dict) -> None:
    if slug and slug not in projects and not unreadable(assembler, "projects", slug):
        assembler.problem(item, ("project",), f"project '{slug}' does not exist (no projects/{slug}.yaml)"
                          f"{did_you_mean(slug, projects)}")


def check_artwork(assembler: Assembler, item: Item, loc: tuple, slug: str | None, everything: dict,
                  shown: dict) -> None:
    if not slug:
        return
    if slug not in everything:
        if not unreadable(assembler, "artworks", slug):
            assembler.problem(item, loc, f"artwork '{slug}' does not exist (no artworks/{slug}.yaml)"
                              f"{did_you_mean(slug, everything)}")
    elif slug not in shown:
        assembler.problem(item, loc, f"artwork '{slug}' is not published (its consent is not recorded)")


def check_references(assembler: Assembler, items: list[Item], urls: dict[str, str]) -> None:
    for item in items:
        bodies = [getattr(item, name, None) for name in ("body", "description", "bio", "transcript",
                                                          "text_description")]
        for body in bodies:
            if body is None:
                continue
            for ref in body.references:
                if ref.path not in urls and was_parsed(assembler, ref.path):
                    why = f"is not published ({why_held_back(assembler, ref.path)})"
                    if ref.path.startswith(("artworks/",)) and not ref.path.endswith((".yaml", ".yml")):
                        why = "is not published (its sidecar is missing or its consent is not recorded)"
                    line = ref.line if isinstance(item, (Story, Report, Page)) else None
                    assembler.diagnostics.error(assembler.root / item.source, f"links to {ref.path}, which {why}",
                                                line, 1)


def why_held_back(assembler: Assembler, source: str) -> str:
    """Why the item of this content file is not published, in a few words: "a draft (draft: true)", ..."""
    item = assembler.items.get(source)
    meta = getattr(item, "meta", None)
    if meta is None:
        return "a draft, withheld, or not yet due"
    consent = getattr(meta, "consent", None)
    reasons = assembler.rules.held_back(consent, getattr(meta, "draft", False), getattr(meta, "publish_date", None))
    said = {"draft": "a draft (draft: true)", "consent": f"withheld: consent is '{consent}'",
            "not-due": f"not due until {getattr(meta, 'publish_date', None)} (publish_date)"}
    return "; ".join(said[reason] for reason in reasons) or "a draft, withheld, or not yet due"


def was_parsed(assembler: Assembler, path: str) -> bool:
    """False for a file that could not be read: its own error says why, a knock-on error would not."""
    if path.startswith("artworks/") and not path.endswith((".yaml", ".yml")):
        path = posixpath.splitext(path)[0] + ".yaml"
    return path in assembler.parsed or not path.endswith((".md", ".yaml", ".yml"))
