"""Where the editor's "View Live" links go: Decap CMS's `preview_path` of each collection, written so that the
link opens the page the build really makes for the entry.

Decap fills a preview_path with the entry's file name (`{{slug}}`) and its fields (`{{fields.name}}`), each put
through at most one filter, and has no "this, or else that". The build's address for an entry is its `slug:` when
it sets one and its file name otherwise, and a report of the kind `final-report` or `impact-statement` is at
/final-report/ or /impact-statement/. Both choices are made with path segments that the browser resolves when
the link is opened (the WHATWG URL rules, which Decap leaves to it): `.` is nothing and `name/..` is nothing, so

    `.{{x}}/..`   removes the segment before it when x is empty, and nothing when it is not (`.x/..`).

The filters make the `x`: `ternary('', 'x')` is empty when a field is filled in and `x` when it is not;
`truncate(0, '......')` keeps a value of at most six letters (`report`) and turns a longer one into dots, which
Decap's cleaning of the value (dots become hyphens, hyphens at the ends are dropped) leaves empty. The link is
never resolved above the collection's own folder, so a site published in a sub-folder keeps it.

What cannot be said this way (docs/editing.md): the file name is Decap's cleaning of it, which is the build's
slug for every name Decap or `new` writes, but not for a hand-made name with capitals or other scripts; a name
taken twice gets `-2` from the build; and a final report or impact statement must be named after its kind (as
`import-report` names it), since the kind, not the name, makes its address.
"""

from __future__ import annotations

_FILLED_IN = "{{fields.%s | ternary('', 'x')}}"  # empty when the field is filled in, else "x"
_GIVEN = "{{fields.%s}}"
_ORDINARY_KIND = "report"  # the kind of report under reports/<slug>/; every other kind is an address of its own


def preview_path(folder: str, own_slug: bool, kind_field: str | None = None) -> str:
    """The preview_path of a collection whose pages are at `folder` + slug + "/" (`people/#` + slug: an anchor).

    `own_slug`: the entries may set `slug:`. `kind_field`: the field whose value, when it is not the ordinary
    kind, is the entry's whole address (the reports' `kind`; such an entry is named after its kind)."""
    if folder.endswith("#"):
        return folder + "{{slug}}"
    path = folder
    if kind_field:
        # an ordinary report (no kind, or "report") keeps the folder; a kind of its own leaves it: "reports/./../"
        ordinary = (_FILLED_IN % kind_field
                    + "{{fields.%s | truncate(0, '%s')}}" % (kind_field, "." * len(_ORDINARY_KIND)))
        path += f".{ordinary}/../"
    path += "{{slug}}/"
    if own_slug:
        # with slug: the file name is removed and the slug put in its place; without, the empty slug is removed
        path += f".{_FILLED_IN % 'slug'}/../{_GIVEN % 'slug'}/.{_GIVEN % 'slug'}/../"
    return path
