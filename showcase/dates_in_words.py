"""Dates as people write them in words ("5th October 2015", "Sept 30, 2015"): the months' names and the pieces of a
pattern, shared by the report importer (a date printed in a PDF) and the messages that say how to write a date in a
field (messages.py); and dates as the site writes them ("5 October 2015": pages, messages, citations), in English
whatever the machine's locale."""

from __future__ import annotations

import datetime as dt

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")  # not calendar.month_name, which follows the locale

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"  # a month's name or its short name: a group
DAY = r"(\d{1,2})(?:st|nd|rd|th)?"  # a day of the month, perhaps written 5th: a group


def in_words(day: int, month: int, year: int) -> str:
    """A date as the site writes it: "5 October 2015"."""
    return f"{day} {MONTH_NAMES[month - 1]} {year}"


def date_in_words(value: dt.date) -> str:
    return in_words(value.day, value.month, value.year)
