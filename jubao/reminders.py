"""When the daily deadline job reminds again: the re-send schedule.

A reminder is sent at most once a day per item, kind and user.  Beyond
that, an item due soon is reminded once per due date (or every day, when
so configured); an overdue item is reminded every day during its first
working days overdue, then every few days; the escalation to the office's
leader repeats on its own interval.  The first reminder of each kind for a
due date is always sent.
"""
import datetime as _dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .workdays import is_working_day

__all__ = ['Schedule', 'daily_from', 'should_send']

DUE_SOON_FREQUENCIES = ('once', 'daily')


@dataclass(frozen=True)
class Schedule:
    """The re-send settings (``jubao.configuration``).

    ``due_soon``: 'once' (per due date) or 'daily'.
    ``overdue_daily_days``: working days overdue during which the handler
    is reminded daily.
    ``overdue_interval``: days between overdue reminders after that.
    ``escalation_interval``: days between escalations to the leader.
    """
    due_soon: str = 'once'
    overdue_daily_days: int = 5
    overdue_interval: int = 7
    escalation_interval: int = 7

    def __post_init__(self):
        if self.due_soon not in DUE_SOON_FREQUENCIES:
            raise ValueError(f"unknown due soon frequency {self.due_soon}")
        if self.overdue_daily_days < 0:
            raise ValueError("overdue_daily_days must not be negative")
        if self.overdue_interval < 1 or self.escalation_interval < 1:
            raise ValueError("intervals must be at least one day")


def daily_from(today, days, overrides: Mapping | None = None,
        official: Collection = ()):
    """The earliest due date at most ``days`` working days overdue on
    ``today``: computed once per run, so that no item counts its own
    working days (an item years overdue would walk years of calendar)."""
    counted = 0
    day = today
    while True:
        if is_working_day(day, overrides, official):
            counted += 1
            if counted > days:
                return day
        day -= _dt.timedelta(days=1)


def should_send(kind, today, due, last_sent, schedule, daily_since):
    """Whether a reminder of ``kind`` about an item due on ``due`` is sent
    on ``today``, the last one for that due date having been sent on
    ``last_sent`` (None: never).  ``daily_since`` comes from
    :func:`daily_from`."""
    if last_sent is None:
        return True
    if last_sent >= today:
        return False
    days = (today - last_sent).days
    if kind == 'due_soon':
        return schedule.due_soon == 'daily'
    if kind == 'overdue':
        return due >= daily_since or days >= schedule.overdue_interval
    if kind == 'escalation':
        return days >= schedule.escalation_interval
    return True
