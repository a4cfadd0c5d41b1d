"""Plain helpers for the analysis of reports: shares, changes and the
wording used in written analyses (Chinese numerals, 同比/环比 phrases).

Shares and changes are ``Decimal`` percentages rounded half-up to one
decimal place; ``None`` means "no base" (division by zero), which documents
show as "—".
"""
from decimal import ROUND_HALF_UP, Decimal

import cn2an

from jubao import kpi

__all__ = ['share', 'change', 'format_percent', 'format_change',
    'change_phrase', 'cn_count', 'cn_ordinal', 'top']

_ONE_PLACE = Decimal('0.1')
DASH = '—'


def share(part, total, places=_ONE_PLACE):
    "Percentage of ``part`` in ``total`` (None when total is zero)."
    return kpi.percent(part, total, places=-places.as_tuple().exponent)


def change(current, previous, places=_ONE_PLACE):
    "Relative change in percent from ``previous`` to ``current``."
    if not previous:
        return None
    value = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
    return value.quantize(places, rounding=ROUND_HALF_UP)


def format_percent(value):
    "'12.5%' or a dash when there is no base."
    if value is None:
        return DASH
    return f'{value}%'


def format_change(value):
    "'+12.5%' / '-3.0%' / a dash."
    if value is None:
        return DASH
    sign = '+' if value > 0 else ''
    return f'{sign}{value}%'


def change_phrase(current, previous, label):
    """Official wording of a change, e.g. '同比增长25.0%' / '环比下降10.0%' /
    '与上年同期持平'; ``label`` is '同比' or '环比'."""
    if not previous:
        if not current:
            return f'{label}均为零'
        return f'{label}无可比数据'
    value = change(current, previous)
    if value > 0:
        return f'{label}增长{value}%'
    if value < 0:
        return f'{label}下降{-value}%'
    return f'{label}持平'


def cn_count(number):
    "A count in Chinese numerals as used in running text (e.g. 一百二十三)."
    return cn2an.an2cn(int(number), 'low')


def cn_ordinal(number):
    "Ordinal for section headings: 一、二、… (numbers 1-99)."
    return cn2an.an2cn(int(number), 'low')


def top(rows, count, key='count'):
    "The ``count`` largest rows by ``key`` (stable for equal values)."
    ordered = sorted(enumerate(rows), key=lambda item: (-item[1][key],
            item[0]))
    return [row for _, row in ordered[:count]]
