"""Reporting periods: bounds, official names and comparison periods.

Analyses are written for a quarter, a half-year, a year, a month or any
custom range.  Official documents name periods in a fixed style
(``2026年第三季度``, ``2026年上半年``, ``2026年1—8月``); the comparison
periods are the previous period of the same kind (环比) and the same period
of the previous year (同比).
"""
import calendar
import datetime as _dt

from dateutil.relativedelta import relativedelta

__all__ = ['PeriodError', 'quarter', 'half_year', 'year', 'month',
    'month_end', 'add_months', 'year_before', 'validate', 'kind',
    'official_name', 'previous_period', 'same_period_last_year', 'months',
    'parse']

CN_DIGITS = '〇一二三四五六七八九'
QUARTER_NAMES = {1: '第一季度', 2: '第二季度', 3: '第三季度', 4: '第四季度'}


class PeriodError(ValueError):
    "Raised for an invalid period; ``code`` tells which rule failed."

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _last_day(year_, month_):
    return calendar.monthrange(year_, month_)[1]


def month_end(year_, month_):
    "Last day of the month."
    return _dt.date(year_, month_, _last_day(year_, month_))


def add_months(day, count):
    "Same day ``count`` months later (or earlier), clipped to the month end."
    return day + relativedelta(months=count)


def year_before(day, end=False):
    """The same day one year earlier; 29 February becomes the 28th, and with
    ``end`` a period ending on 28 February ends on the 29th of a leap
    year before, so that the whole month is compared."""
    earlier = day - relativedelta(years=1)
    if end and day.month == 2 and day.day == 28 and calendar.isleap(
            earlier.year):
        return earlier + relativedelta(day=29)
    return earlier


def quarter(year_, number):
    "Return (first day, last day) of quarter ``number`` (1-4) of ``year_``."
    if number not in (1, 2, 3, 4):
        raise PeriodError('quarter', "quarter must be 1 to 4")
    first_month = 3 * (number - 1) + 1
    return (_dt.date(year_, first_month, 1),
        _dt.date(year_, first_month + 2, _last_day(year_, first_month + 2)))


def half_year(year_, number):
    "Return the bounds of half-year ``number`` (1 or 2) of ``year_``."
    if number not in (1, 2):
        raise PeriodError('half', "half-year must be 1 or 2")
    if number == 1:
        return _dt.date(year_, 1, 1), _dt.date(year_, 6, 30)
    return _dt.date(year_, 7, 1), _dt.date(year_, 12, 31)


def year(year_):
    "Return the bounds of calendar year ``year_``."
    return _dt.date(year_, 1, 1), _dt.date(year_, 12, 31)


def month(year_, number):
    "Return the bounds of month ``number`` of ``year_``."
    if not 1 <= number <= 12:
        raise PeriodError('month', "month must be 1 to 12")
    return (_dt.date(year_, number, 1),
        _dt.date(year_, number, _last_day(year_, number)))


def validate(date_from, date_to):
    "Raise PeriodError when the bounds do not form a period."
    if not date_from or not date_to:
        raise PeriodError('missing', "both bounds are required")
    if date_to < date_from:
        raise PeriodError('order', "date_to is before date_from")


def _is_month_start(day):
    return day.day == 1


def _is_month_end(day):
    return day.day == _last_day(day.year, day.month)


def kind(date_from, date_to):
    """Return the kind of period: 'month', 'quarter', 'half', 'year',
    'months' (whole months within one year, e.g. 1—8月) or 'custom'."""
    validate(date_from, date_to)
    if not (_is_month_start(date_from) and _is_month_end(date_to)
            and date_from.year == date_to.year):
        return 'custom'
    first, last = date_from.month, date_to.month
    if first == last:
        return 'month'
    if first == 1 and last == 12:
        return 'year'
    if (first, last) in ((1, 6), (7, 12)):
        return 'half'
    if first % 3 == 1 and last == first + 2:
        return 'quarter'
    return 'months'


def _cn_small(number):
    "Chinese numeral for 1-99, as used in period names."
    if number < 10:
        return CN_DIGITS[number]
    tens, units = divmod(number, 10)
    text = ('' if tens == 1 else CN_DIGITS[tens]) + '十'
    return text + (CN_DIGITS[units] if units else '')


def _date_cn(day):
    return f'{day.year}年{day.month}月{day.day}日'


def official_name(date_from, date_to):
    """Name a period the way official documents do.

    >>> official_name(*quarter(2026, 3))
    '2026年第三季度'
    """
    period_kind = kind(date_from, date_to)
    y = date_from.year
    first, last = date_from.month, date_to.month
    if period_kind == 'year':
        return f'{y}年度'
    if period_kind == 'half':
        return f'{y}年{"上" if first == 1 else "下"}半年'
    if period_kind == 'quarter':
        return f'{y}年{QUARTER_NAMES[(first - 1) // 3 + 1]}'
    if period_kind == 'month':
        return f'{y}年{first}月'
    if period_kind == 'months':
        if first == 1 and last % 3 == 0:
            return f'{y}年前{_cn_small(last // 3)}季度'
        return f'{y}年{first}—{last}月'
    if date_from == date_to:
        return _date_cn(date_from)
    if date_from.year == date_to.year:
        return (f'{_date_cn(date_from)}至'
            f'{date_to.month}月{date_to.day}日')
    return f'{_date_cn(date_from)}至{_date_cn(date_to)}'


def _shift_months(day, count, end=False):
    shifted = add_months(day, count)
    return month_end(shifted.year, shifted.month) if end else shifted


def previous_period(date_from, date_to):
    """Return the period just before, of the same kind (环比 base).

    Whole-month periods move back by their number of months (the quarter
    before a quarter, the month before a month); other periods move back by
    their length in days.
    """
    period_kind = kind(date_from, date_to)
    if period_kind != 'custom':
        length = (date_to.year * 12 + date_to.month) - (
            date_from.year * 12 + date_from.month) + 1
        return (_shift_months(date_from, -length),
            _shift_months(date_to, -length, end=True))
    span = date_to - date_from + _dt.timedelta(days=1)
    return date_from - span, date_to - span


def same_period_last_year(date_from, date_to):
    "Return the same period one year earlier (同比 base)."
    validate(date_from, date_to)
    return year_before(date_from), year_before(date_to, end=True)


def months(date_from, date_to):
    "List the (year, month) pairs the period touches, in order."
    validate(date_from, date_to)
    result = []
    y, m = date_from.year, date_from.month
    while (y, m) <= (date_to.year, date_to.month):
        result.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return result


def parse(text):
    """Bounds of a period written as ``2026``, ``2026Q3``, ``2026H1`` or
    ``2026-05`` (used by the command-line export)."""
    value = (text or '').strip().upper()
    try:
        if len(value) == 4:
            return year(int(value))
        if len(value) == 6 and value[4] == 'Q':
            return quarter(int(value[:4]), int(value[5]))
        if len(value) == 6 and value[4] == 'H':
            return half_year(int(value[:4]), int(value[5]))
        if len(value) in (6, 7) and value[4] == '-':
            return month(int(value[:4]), int(value[5:]))
    except ValueError:
        pass
    raise PeriodError('format', f"unknown period {text!r}")
