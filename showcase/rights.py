"""Rights and reuse: the Creative Commons licences and RightsStatements.org statements an artwork may carry.

An editor writes a licence by its address (https://creativecommons.org/licenses/by-nc/4.0/) or by its short
name (CC-BY-NC-4.0, "CC BY-NC 4.0", InC); the models keep the canonical address, and the theme, the JSON-LD
and the IIIF manifests read its name from here. A value that is none of them is refused with the list of
those allowed. Nothing here ever chooses a licence: an artwork without one (and no site-wide default in
site.yaml) claims none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import nearest

CC = "https://creativecommons.org/"
RS = "http://rightsstatements.org/vocab/"

# Creative Commons: (code in the address, name) for 4.0 International and 3.0 Unported
_CC_KINDS = (
    ("by", "Attribution", "Attribution"),
    ("by-sa", "Attribution-ShareAlike", "Attribution-ShareAlike"),
    ("by-nc", "Attribution-NonCommercial", "Attribution-NonCommercial"),
    ("by-nc-sa", "Attribution-NonCommercial-ShareAlike", "Attribution-NonCommercial-ShareAlike"),
    ("by-nd", "Attribution-NoDerivatives", "Attribution-NoDerivs"),
    ("by-nc-nd", "Attribution-NonCommercial-NoDerivatives", "Attribution-NonCommercial-NoDerivs"),
)

# RightsStatements.org: code -> name (https://rightsstatements.org/page/1.0/)
_STATEMENTS = {
    "InC": "In Copyright",
    "InC-OW-EU": "In Copyright - EU Orphan Work",
    "InC-EDU": "In Copyright - Educational Use Permitted",
    "InC-NC": "In Copyright - Non-Commercial Use Permitted",
    "InC-RUU": "In Copyright - Rights-holder(s) Unlocatable or Unidentifiable",
    "NoC-CR": "No Copyright - Contractual Restrictions",
    "NoC-NC": "No Copyright - Non-Commercial Use Only",
    "NoC-OKLR": "No Copyright - Other Known Legal Restrictions",
    "NoC-US": "No Copyright - United States",
    "CNE": "Copyright Not Evaluated",
    "UND": "Copyright Undetermined",
    "NKC": "No Known Copyright",
}


@dataclass(frozen=True)
class Licence:
    """One licence or rights statement."""

    uri: str  # canonical: https://creativecommons.org/licenses/by-nc/4.0/, http://rightsstatements.org/vocab/InC/1.0/
    code: str  # its short name: CC-BY-NC-4.0, InC
    name: str  # Creative Commons Attribution-NonCommercial 4.0 International
    short: str  # as usually written: CC BY-NC 4.0, InC

    @property
    def statement(self) -> bool:
        """A RightsStatements.org statement (it says what the rights are), not a licence (which grants some)."""
        return self.uri.startswith(RS)

    @property
    def iiif(self) -> str:
        """The address as the IIIF Presentation API's `rights` takes it: Creative Commons by its http:// address."""
        return "http://" + self.uri.removeprefix("https://") if self.uri.startswith(CC) else self.uri


def _table() -> dict[str, Licence]:
    found: list[Licence] = []
    for version, region in (("4.0", "International"), ("3.0", "Unported")):
        for slug, name_4, name_3 in _CC_KINDS:
            name = name_4 if version == "4.0" else name_3
            code = f"CC-{slug.upper()}-{version}"
            found.append(Licence(f"{CC}licenses/{slug}/{version}/", code, f"Creative Commons {name} {version} {region}",
                                 f"CC {slug.upper()} {version}"))
    found.append(Licence(f"{CC}publicdomain/zero/1.0/", "CC0-1.0", "CC0 1.0 Universal", "CC0 1.0"))
    found.append(Licence(f"{CC}publicdomain/mark/1.0/", "PDM-1.0", "Public Domain Mark 1.0", "Public Domain Mark 1.0"))
    for code, name in _STATEMENTS.items():
        found.append(Licence(f"{RS}{code}/1.0/", code, name, code))
    return {licence.uri: licence for licence in found}


LICENCES = _table()
_BY_CODE = {licence.code.upper(): licence for licence in LICENCES.values()}
_BY_CODE.update({f"{licence.code.upper()}-1.0": licence for licence in LICENCES.values() if licence.statement})
_BY_CODE.update({"CC0": LICENCES[f"{CC}publicdomain/zero/1.0/"], "PDM": LICENCES[f"{CC}publicdomain/mark/1.0/"]})

_CC_ADDRESS = re.compile(r"^(?:https?://)?(?:www\.)?creativecommons\.org/(licenses/[a-z-]+/\d\.\d|publicdomain/"
                         r"(?:zero|mark)/1\.0)(?:/(?:legalcode|deed)?(?:\.[a-z_-]+)?)?/?(?:[?#].*)?$", re.IGNORECASE)
_RS_ADDRESS = re.compile(r"^(?:https?://)?(?:www\.)?rightsstatements\.org/(?:vocab|page)/([A-Za-z-]+)/1\.0/?"
                         r"(?:[?#].*)?$", re.IGNORECASE)

ALLOWED = ("a Creative Commons licence (" + ", ".join(l.code for l in LICENCES.values() if l.uri.startswith(CC)
                                                    and not l.code.endswith("-3.0"))
           + "; the 3.0 versions too, e.g. CC-BY-3.0) or a RightsStatements.org statement ("
           + ", ".join(_STATEMENTS) + ")")


def licence_pattern() -> str:
    """A JSON Schema pattern (no flags in its dialect: letters in either case written out) for what `find` takes,
    for the schemas editors' tools check files with: a known short name, or an address at either site."""
    def any_case(code: str) -> str:
        return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else r"[-\s_]+" if c == "-" else re.escape(c)
                       for c in code)
    names = "|".join(any_case(code) for code in sorted(_BY_CODE, key=lambda c: (-len(c), c)))
    return rf"^\s*(?:{names}|(?:https?://)?(?:www\.)?(?:creativecommons|rightsstatements)\.org/\S+)\s*$"


def find(value: str) -> Licence | None:
    """The licence or statement written as `value` (an address or a short name), or None."""
    text = value.strip()
    match = _CC_ADDRESS.match(text)
    if match:
        return LICENCES.get(f"{CC}{match[1].lower()}/")
    match = _RS_ADDRESS.match(text)
    if match:
        code = next((c for c in _STATEMENTS if c.lower() == match[1].lower()), None)
        return LICENCES.get(f"{RS}{code}/1.0/") if code else None
    return _BY_CODE.get(re.sub(r"[\s_]+", "-", text).upper())


def canonical(value: str) -> str:
    """The canonical address of a licence as written in a file; ValueError (in plain words) if it is unknown."""
    licence = find(value)
    if licence is None:
        near = nearest(re.sub(r"[\s_]+", "-", value.strip()).upper(), _BY_CODE)
        hint = f" (did you mean {_BY_CODE[near].code}?)" if near else ""
        shown = value.strip() if len(value.strip()) <= 60 else value.strip()[:50] + " …"
        raise ValueError(f"'{shown}' is not a licence or rights statement showcase knows{hint}; write {ALLOWED}, "
                         "by its short name or its address, e.g. https://creativecommons.org/licenses/by-nc/4.0/ "
                         "(leave licence out if none has been given)")
    return licence.uri


def licence(uri: str | None) -> Licence | None:
    """The licence of a canonical address kept by the models."""
    return LICENCES.get(uri) if uri else None
