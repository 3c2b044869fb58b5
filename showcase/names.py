"""People's names, read the one way every surface needs: the family name and the given names (citations,
BibTeX and RIS, an A to Z of people), and initials (a contributor shown as "S.L.", a citation's "Crawford, P.").

A name is written as people write it: "Paul Crawford", "Professor Paul Crawford" (titles are not names), or
"Crawford, Paul" when the family name is not the last word. Organisations and anonymous contributors are never
split: the callers keep those whole.
"""

from __future__ import annotations

import re

TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "rev", "revd"})


def family_and_given(name: str) -> tuple[str, str]:
    """("Crawford", "Paul") for "Paul Crawford", "Professor Paul Crawford" or "Crawford, Paul"; a one-word name
    is all family name: ("Cher", "")."""
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return family, given
    words = name.split()
    while len(words) > 2 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    if len(words) <= 1:
        return name.strip(), ""
    return words[-1], " ".join(words[:-1])


def sort_key(name: str) -> tuple[str, str]:
    """Where a person comes in an A to Z by family name: "Professor Paul Crawford" under C."""
    family, given = family_and_given(name)
    return family.casefold(), f"{given} {family}".strip().casefold()


def initials(name: str, between: str = "") -> str:
    """"S.L." for "Sam Lee" (or "S. L." with `between=" "`, as citations write given names); hyphenated and
    dotted names give a letter for each part."""
    return between.join(f"{part[0].upper()}." for part in re.split(r"[\s.\-]+", name) if part)
