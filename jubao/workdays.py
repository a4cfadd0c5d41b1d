"""Working-day arithmetic for statutory deadlines.

Official holidays and make-up working days (调休) come from the maintained
``chinese_calendar`` package, which knows a year once the State Council has
published its notice.  For a later year, ``holidays`` (China) computes the
statutory holidays by the rules in force (the 2025 revision: Spring
Festival 4 days from New Year's Eve, Labour Day 2 days, …) but it cannot
know the make-up working days: such a year is counted Monday to Friday
without those holidays and every deadline counted on it is provisional
until the administrator loads the notice (``official`` years).

An ``overrides`` mapping (date -> is working) taken from the administrator's
calendar table always wins.  For an ``official`` year the library does not
know, the table holds the whole notice: the estimate is no longer used.
"""
import datetime as _dt
import functools
import re
from collections.abc import Collection, Mapping

import chinese_calendar
import holidays

__all__ = ['is_working_day', 'add_working_days', 'working_days_between',
    'library_knows', 'is_provisional', 'parse_schedule']


def library_knows(year):
    "Whether ``chinese_calendar`` holds the State Council notice of ``year``."
    try:
        chinese_calendar.is_workday(_dt.date(year, 6, 1))
    except NotImplementedError:  # the library's answer for an unknown year
        return False
    return True


def is_provisional(day, official: Collection = ()):
    """Whether ``day`` falls in a year whose schedule is only estimated:
    neither the library nor the administrator (``official``) knows it."""
    return day.year not in official and not library_knows(day.year)


@functools.lru_cache(maxsize=64)
def _estimated_holidays(year):
    "The statutory holidays of ``year`` computed by ``holidays`` (China)."
    return frozenset(holidays.China(years=year))


def _library_says_working(day, official):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the library does not know: estimate
        pass
    if day.weekday() >= 5:
        return False
    return day.year in official or day not in _estimated_holidays(day.year)


def is_working_day(day, overrides: Mapping | None = None,
        official: Collection = ()):
    "Return True when ``day`` is a working day."
    if isinstance(day, _dt.datetime):
        day = day.date()
    if overrides and day in overrides:
        return bool(overrides[day])
    return _library_says_working(day, official)


def add_working_days(start, days, overrides: Mapping | None = None,
        official: Collection = ()):
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
        while not is_working_day(day, overrides, official):
            day += _dt.timedelta(days=1)
        return day
    remaining = days
    while remaining:
        day += _dt.timedelta(days=1)
        if is_working_day(day, overrides, official):
            remaining -= 1
    return day


def working_days_between(start, end, overrides: Mapping | None = None,
        official: Collection = ()):
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
        if is_working_day(day, overrides, official):
            count += 1
    return sign * count


_WORDS = {'休': False, '放假': False, '班': True, '上班': True}
_LINE = re.compile(
    r'^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:至|~|～)\s*(\d{4}-\d{1,2}-\d{1,2}))?'
    r'\s+(休|放假|上班|班)(?:\s+(.*))?$')


def _date(text):
    return _dt.date(*map(int, text.split('-')))


def parse_schedule(text, year):
    """Read a State Council notice typed one line per day or range:
    ``2027-01-01 休 元旦``, ``2027-02-15至2027-02-21 放假 春节``,
    ``2027-02-07 班`` (休/放假: day off, 班/上班: working day; the
    description is optional; blank lines are ignored).

    Returns ``(days, bad)``: ``{date: (working, description)}`` and the
    lines that could not be read or are outside ``year``; ``days`` is empty
    whenever ``bad`` is not.
    """
    days, bad = {}, []
    for line in (text or '').splitlines():
        line = line.strip()
        if not line:
            continue
        match = _LINE.match(line)
        try:
            first = _date(match.group(1))
            last = _date(match.group(2)) if match.group(2) else first
        except (AttributeError, ValueError):
            bad.append(line)
            continue
        if not (first.year == last.year == year) or last < first:
            bad.append(line)
            continue
        working = _WORDS[match.group(3)]
        description = match.group(4) or ''
        day = first
        while day <= last:
            days[day] = (working, description)
            day += _dt.timedelta(days=1)
    return ({} if bad else days), bad


def countdown_label(days_left):
    """What a deadline list shows of the working days left: 剩3个工作日,
    今日到期, 超期2个工作日 (nothing without a running deadline)."""
    if days_left is None:
        return ''
    if days_left > 0:
        return f'剩{days_left}个工作日'
    if days_left == 0:
        return '今日到期'
    return f'超期{-days_left}个工作日'
