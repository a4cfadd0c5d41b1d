"""Names of the files users download: what the file is and its period.

Every printout and export is saved under a Chinese name that says what it
is and which period, date or document it covers, e.g.
``信访举报台账_2026年第三季度.xlsx`` or ``督办函_督〔2026〕第3号.odt``, so a
folder of downloads reads like a file register.  Tryton adds the extension
itself to report names; ``file_name`` adds it when given (export jobs).
"""
import datetime as _dt
import re

from . import periods

__all__ = ['period_label', 'date_label', 'date_range_label', 'file_name',
    'MAX_LENGTH']

# Tryton cuts report names at 100 characters (REPORT_NAME_MAX_LENGTH);
# keep some room for the extension and Windows' path limit.
MAX_LENGTH = 80
# Characters Windows, macOS or a zip archive refuse in a file name
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_SPACES = re.compile(r'\s+')


def date_label(day):
    "``2026年7月3日`` for a date (a datetime counts by its date)."
    if isinstance(day, _dt.datetime):
        day = day.date()
    return f'{day.year}年{day.month}月{day.day}日'


def date_range_label(date_from, date_to):
    """``2026年7月1日至2026年9月30日``: the bounds of a period in full, as
    titles and notes show them (one day alone when both are the same).

    >>> import datetime
    >>> date_range_label(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    '2026年7月1日至2026年9月30日'
    """
    if date_from == date_to:
        return date_label(date_from)
    return f'{date_label(date_from)}至{date_label(date_to)}'


def period_label(date_from=None, date_to=None, *, year=None, quarter=None,
        half=None, month=None):
    """The Chinese label of a period, as official documents write it.

    Either bounds (any range: a quarter gives ``2026年第三季度``, a year
    ``2026年度``, other ranges ``2026年3月1日至5月20日``) or a ``year``
    with at most one of ``quarter``, ``half`` and ``month``.

    >>> period_label(year=2026, quarter=3)
    '2026年第三季度'
    """
    if year is not None:
        if date_from is not None or date_to is not None:
            raise periods.PeriodError('mixed',
                "give either bounds or a year, not both")
        chosen = [k for k, v in (('quarter', quarter), ('half', half),
                ('month', month)) if v is not None]
        if len(chosen) > 1:
            raise periods.PeriodError('mixed',
                "give at most one of quarter, half and month")
        if quarter is not None:
            date_from, date_to = periods.quarter(year, quarter)
        elif half is not None:
            date_from, date_to = periods.half_year(year, half)
        elif month is not None:
            date_from, date_to = periods.month(year, month)
        else:
            date_from, date_to = periods.year(year)
    elif date_from is not None and date_to is None:
        date_to = date_from
    return periods.official_name(date_from, date_to)


def _clean(part):
    if part is None:
        return ''
    text = _FORBIDDEN.sub('', str(part))
    return _SPACES.sub('', text).strip('._-')


def file_name(title, *parts, extension=None):
    """``title_part1_part2[.extension]``: the parts that are empty are left
    out, characters no file system accepts are removed, and the name is
    cut to ``MAX_LENGTH`` characters (the title is always kept)."""
    title = _clean(title)
    if not title:
        raise ValueError("a file name needs a title")
    name = '_'.join([title] + [p for p in map(_clean, parts) if p])
    name = name[:MAX_LENGTH].rstrip('_')
    if extension:
        name += '.' + extension.lstrip('.')
    return name
