"""The wording of written analyses: percentages and changes as text,
Chinese numerals, 同比/环比 phrases.  The figures themselves come from
:mod:`jubao.indicators`; ``None`` ("no base") is written as "—".
"""
import cn2an

from jubao.indicators import relative_change

__all__ = ['format_percent', 'format_change', 'change_phrase', 'cn_count',
    'cn_ordinal', 'top']

DASH = '—'


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
    value = relative_change(current, previous)
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
