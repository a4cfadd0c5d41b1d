"""Plain rules for implementation plans (实施方案): deadline texts, unit
names and the rows of the structured plan files.

Nothing here needs a database: the Tryton module resolves the unit specs
returned by :func:`parse_units` to ``jubao.office`` records.
"""
import calendar
import csv
import datetime as _dt
import io
import re

from jubao.periods import add_months, month_end

__all__ = ['DeadlineError', 'UnitError', 'RowError', 'normalize',
    'fill_year', 'parse_deadline', 'parse_units',
    'discipline_name', 'read_rows', 'next_review', 'COLUMNS']

COLUMNS = ('section', 'subsection', 'number', 'title', 'content', 'units',
    'deadline', 'phase')
REQUIRED_COLUMNS = ('section', 'number', 'title', 'units', 'deadline')

_CN_DIGITS = {'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7,
    '八': 8, '九': 9, '十': 10}
_CN_NUMBERS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十']
_YEAR_PLACEHOLDER = re.compile(r'20[*＊]{2}')


class DeadlineError(ValueError):
    "The deadline text cannot be understood."


class UnitError(ValueError):
    "A unit name is empty or malformed."


class RowError(ValueError):
    "A plan file is malformed (missing columns)."


def normalize(text):
    "Strip spaces and turn full-width punctuation into the ASCII form."
    if text is None:
        return ''
    text = str(text)
    table = str.maketrans({'（': '(', '）': ')', '：': ':', '，': ',',
            '＊': '*', '　': ' ', '．': '.'})
    return re.sub(r'\s+', '', text.translate(table))


def fill_year(text, year):
    "Replace the year placeholder 20** by ``year``."
    if text is None:
        return text
    return _YEAR_PLACEHOLDER.sub(str(year), str(text))


def _cn_to_int(text):
    if text.isdigit():
        return int(text)
    if text in _CN_DIGITS:
        return _CN_DIGITS[text]
    if len(text) == 2 and text[0] == '十':
        return 10 + _CN_DIGITS[text[1]]
    if len(text) == 2 and text[1] == '十':
        return _CN_DIGITS[text[0]] * 10
    if len(text) == 3 and text[1] == '十':
        return _CN_DIGITS[text[0]] * 10 + _CN_DIGITS[text[2]]
    raise ValueError(text)


def parse_deadline(text, year):
    """Return ``(deadline_type, date)`` for a deadline text.

    ``year`` replaces the placeholder 20** and is used when the text names
    no year.  Understood forms: 长期, 20**年底 / 2026年底 / 年底,
    2026年3月底 / 3月底, 2026年3月15日 / 2026-03-15.  A month written as
    ``*`` (20**年*月底) is not known yet: the type is ``month_end`` and
    the date ``None`` (to be set when the plan is put in force).
    """
    raw = normalize(fill_year(text, year))
    raw = raw.replace('完成时限', '').lstrip(':')
    if not raw:
        raise DeadlineError(text)
    if raw in ('长期', '长期坚持', '常态化'):
        return 'long_term', None
    m = re.fullmatch(r'(?:(\d{4})年)?(?:年)?底', raw)
    if m:
        return 'year_end', _dt.date(int(m.group(1) or year), 12, 31)
    m = re.fullmatch(r'(?:(\d{4})年)?(\*|\d{1,2}|[一二三四五六七八九十]{1,3})月底',
        raw)
    if m:
        y = int(m.group(1) or year)
        if m.group(2) == '*':
            return 'month_end', None
        try:
            month = _cn_to_int(m.group(2))
            return 'month_end', month_end(y, month)
        except (ValueError, KeyError, calendar.IllegalMonthError):
            raise DeadlineError(text)
    m = (re.fullmatch(r'(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日', raw)
        or re.fullmatch(r'(\d{4})-(\d{1,2})-(\d{1,2})', raw)
        or re.fullmatch(r'(\d{4})/(\d{1,2})/(\d{1,2})', raw))
    if m:
        try:
            return 'date', _dt.date(
                int(m.group(1) or year), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise DeadlineError(text)
    raise DeadlineError(text)


_STREET = re.compile(r'^(?:各)?街道纪工委$|^各街办$')
_STATIONED = re.compile(
    r'^(?:区纪委监委)?(?:各)?派驻\(出\)机构$|^(?:区纪委监委)?(?:各)?派驻机构$')
_RANGE = re.compile(r'^第([一二三四五六七八九十\d]+)至第([一二三四五六七八九十\d]+)'
    r'(纪检监察室)$')


def parse_units(text):
    """Split a 责任单位 text into unit specs.

    Each spec is ``('kind', 'street')``, ``('kind', 'stationed')``,
    ``('discipline', n)`` (the n-th discipline inspection office) or
    ``('name', name)``.  Order is kept, duplicates are dropped.
    """
    raw = normalize(text)
    if not raw:
        raise UnitError(text)
    specs = []
    for token in re.split(r'[、,;；/]', raw):
        if not token:
            continue
        if _STREET.match(token):
            spec = [('kind', 'street')]
        elif _STATIONED.match(token):
            spec = [('kind', 'stationed')]
        else:
            m = _RANGE.match(token)
            if m:
                try:
                    first, last = _cn_to_int(m.group(1)), _cn_to_int(
                        m.group(2))
                except (ValueError, KeyError):
                    raise UnitError(token)
                if first > last:
                    raise UnitError(token)
                spec = [('discipline', n) for n in range(first, last + 1)]
            else:
                m = re.fullmatch(r'第([一二三四五六七八九十]+)纪检监察室', token)
                if m:
                    spec = [('discipline', _cn_to_int(m.group(1)))]
                else:
                    spec = [('name', token)]
        for item in spec:
            if item not in specs:
                specs.append(item)
    if not specs:
        raise UnitError(text)
    return specs


def discipline_name(n):
    "第n纪检监察室"
    return '第%s纪检监察室' % (_CN_NUMBERS[n] if n <= 10 else n)


def read_rows(data, filename='plan.csv'):
    """Read the rows of a plan file (CSV in UTF-8 or XLSX).

    Returns a list of ``(line_number, row_dict)``; empty lines are skipped.
    Raises :class:`RowError` when a required column is missing.
    """
    if isinstance(data, str):
        data = data.encode('utf-8')
    if filename.lower().endswith('.xlsx'):
        import openpyxl
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        sheet = book.worksheets[0]
        values = [['' if v is None else str(v) for v in row]
            for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = data.decode('utf-8-sig')
        except UnicodeDecodeError:
            raise RowError('encoding')
        values = list(csv.reader(io.StringIO(text)))
    if not values:
        raise RowError('empty')
    header = [normalize(h).lower() for h in values[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RowError(', '.join(missing))
    rows = []
    for line, value in enumerate(values[1:], start=2):
        if not any((v or '').strip() for v in value):
            continue
        row = {c: '' for c in COLUMNS}
        for key, cell in zip(header, value):
            if key in row:
                row[key] = (cell or '').strip()
        rows.append((line, row))
    return rows


def next_review(rhythm, start, last_progress=None):
    """Date by which the next progress of a long-term task is due.

    ``rhythm`` is ``monthly`` or ``quarterly``; the period runs from the
    last progress (or ``start`` when none was posted) and ends at the end of
    the month reached.
    """
    months = {'monthly': 1, 'quarterly': 3}[rhythm]
    base = last_progress or start
    target = add_months(base, months)
    return month_end(target.year, target.month)
