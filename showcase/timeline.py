"""The programme's dates in order: its own period, project periods, events and report publication."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .content import Site
from .theme import format_date


@dataclass(frozen=True)
class Moment:
    start: dt.date
    label: str  # the date as shown: "2015", "13 April 2015 to 5 May 2015"
    title: str
    kind: str  # "programme", "project", "event" or "report"
    url: str | None = None
    summary: str | None = None
    place: str | None = None
    written: str = ""  # the start as given, for <time datetime>: "2015", or the day; the day it is sorted by else

    @property
    def datetime(self) -> str:
        return self.written or self.start.isoformat()


def _written(value: int | dt.date) -> str:
    """A year given alone is a year: no day nobody gave (HTML's datetime takes "2014")."""
    return f"{value:04d}" if isinstance(value, int) else value.isoformat()


def _day(value: int | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date(value, 1, 1)


def _span(start: int | dt.date, end: int | dt.date | None) -> str:
    def shown(value: int | dt.date) -> str:
        return format_date(value) if isinstance(value, dt.date) else str(value)
    if end is None or end == start:
        return shown(start)
    return f"{shown(start)} to {shown(end)}"


def timeline(site: Site) -> list[Moment]:
    moments: list[Moment] = []
    period = site.config.period
    if period:
        moments.append(Moment(_day(period.start), _span(period.start, None), f"{site.name} begins", "programme",
                              written=_written(period.start)))
        if period.end is not None:
            moments.append(Moment(_day(period.end), _span(period.end, None), f"{site.name} ends", "programme",
                                  written=_written(period.end)))
    for project in site.projects.values():
        if project.meta.period:
            moments.append(Moment(_day(project.meta.period.start), _span(project.meta.period.start, project.meta.period.end),
                                  project.meta.title, "project", project.url, project.meta.summary,
                                  written=_written(project.meta.period.start)))
        for event in project.meta.events:
            moments.append(Moment(event.start, _span(event.start, event.end), event.title, "event", project.url,
                                  event.summary, event.place))
    for report in site.reports:
        moments.append(Moment(report.meta.date, format_date(report.meta.date), f"Published: {report.meta.title}",
                              "report", report.url, report.meta.summary))
    order = {"programme": 0, "project": 1, "event": 2, "report": 3}
    return sorted(moments, key=lambda m: (m.start, order[m.kind], m.title))
