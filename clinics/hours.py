"""Opening hours as visitors read them: days with the same hours on one line, runs of
three or more consecutive days as a range ("Mon–Fri 8:00 AM–6:00 PM")."""

from dataclasses import dataclass
from datetime import time

WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class HoursLine:
    days: str  # "Mon–Fri", "Mon, Wed, Fri", "Sat, Sun"
    intervals: tuple[tuple[time, time], ...]  # (opens, closes), earliest first


def _runs(indexes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _days_label(indexes: list[int]) -> str:
    parts = []
    for run in _runs(indexes):
        names = [WEEK[i][:3] for i in run]
        parts.append(f"{names[0]}–{names[-1]}" if len(run) >= 3 else ", ".join(names))
    return ", ".join(parts)


def summarise(rows) -> list[HoursLine]:
    """`rows` are (days, opens, closes): a day named in several rows has each interval.
    Returns a line per set of days sharing the same intervals, in the week's order."""
    by_day: dict[int, set[tuple[time, time]]] = {}
    for days, opens, closes in rows:
        if not (opens and closes):
            continue
        for day in days:
            if day in WEEK:
                by_day.setdefault(WEEK.index(day), set()).add((opens, closes))
    groups: dict[tuple, list[int]] = {}
    for index in sorted(by_day):
        groups.setdefault(tuple(sorted(by_day[index])), []).append(index)
    return [
        HoursLine(_days_label(indexes), intervals)
        for intervals, indexes in sorted(groups.items(), key=lambda item: item[1][0])
    ]
