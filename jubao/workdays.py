"""Working-day arithmetic for statutory deadlines.

Official holidays and make-up working days (调休) come from the maintained
``chinese_calendar`` package; an ``overrides`` mapping (date -> is working)
taken from the administrator-editable calendar table wins over it, so the
State Council's annual notice can be entered before the library catches up.
Years the library does not know fall back to "Monday to Friday".
"""
import datetime as _dt
from collections.abc import Mapping

import chinese_calendar

__all__ = ['is_working_day', 'add_working_days', 'working_days_between']


def _library_says_working(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def is_working_day(day, overrides: Mapping | None = None):
    "Return True when ``day`` is a working day."
    if isinstance(day, _dt.datetime):
        day = day.date()
    if overrides and day in overrides:
        return bool(overrides[day])
    return _library_says_working(day)


def add_working_days(start, days, overrides: Mapping | None = None):
    """Return the date ``days`` working days after ``start``.

    The start day itself is not counted (a report received on a Friday with
    a 1-working-day limit is due on Monday), as the Rules count "within N
    working days from receipt".  ``days`` may be 0 (returns the first working
    day on or after ``start``) but not negative.
    """
    if isinstance(start, _dt.datetime):
        start = start.date()
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_working_day(day, overrides):
            day += _dt.timedelta(days=1)
        return day
    remaining = days
    while remaining:
        day += _dt.timedelta(days=1)
        if is_working_day(day, overrides):
            remaining -= 1
    return day


def working_days_between(start, end, overrides: Mapping | None = None):
    """Count working days after ``start`` up to and including ``end``.

    Negative when ``end`` is before ``start``; used to tell how late an item
    is and whether it met its limit.
    """
    if isinstance(start, _dt.datetime):
        start = start.date()
    if isinstance(end, _dt.datetime):
        end = end.date()
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count = 0
    day = start
    while day < end:
        day += _dt.timedelta(days=1)
        if is_working_day(day, overrides):
            count += 1
    return sign * count
