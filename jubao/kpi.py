"""KPI arithmetic shared by the publicity year and the analysis reports.

Values are :class:`decimal.Decimal` rounded half-up; a ratio over an empty
population is ``None`` (not zero) so that "no data" is never shown as 0 %.
"""
from decimal import ROUND_HALF_UP, Decimal

__all__ = ['share', 'percent', 'change', 'relative_change', 'compare',
    'improved', 'to_decimal']


def to_decimal(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _round(value, places):
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def share(numerator, denominator, places=4):
    """Fraction ``numerator / denominator`` rounded to ``places`` decimals.

    ``None`` when the denominator is 0 or either value is ``None``.
    """
    if numerator is None or denominator is None:
        return None
    numerator, denominator = to_decimal(numerator), to_decimal(denominator)
    if denominator == 0:
        return None
    if numerator < 0 or denominator < 0:
        raise ValueError("counts must not be negative")
    return _round(numerator / denominator, places)


def percent(numerator, denominator, places=2):
    "Percentage (0–100) rounded to ``places`` decimals, or ``None``."
    if numerator is None or denominator is None:
        return None
    numerator, denominator = to_decimal(numerator), to_decimal(denominator)
    if denominator == 0:
        return None
    if numerator < 0 or denominator < 0:
        raise ValueError("counts must not be negative")
    return _round(numerator * 100 / denominator, places)


def change(current, previous, places=2):
    "Absolute change ``current - previous`` (percentage points for rates)."
    if current is None or previous is None:
        return None
    return _round(to_decimal(current) - to_decimal(previous), places)


def relative_change(current, previous, places=4):
    "Relative change ``(current - previous) / previous``; ``None`` if 0."
    if current is None or previous is None:
        return None
    current, previous = to_decimal(current), to_decimal(previous)
    if previous == 0:
        return None
    return _round((current - previous) / abs(previous), places)


def improved(current, reference, direction):
    """Whether ``current`` is better than ``reference``.

    ``direction`` is ``up`` (higher is better) or ``down``.  ``None`` when
    a value is missing; equal values are not an improvement.
    """
    if direction not in ('up', 'down'):
        raise ValueError(direction)
    if current is None or reference is None:
        return None
    current, reference = to_decimal(current), to_decimal(reference)
    if direction == 'up':
        return current > reference
    return current < reference


def compare(current, previous, direction='up', places=2):
    """Dictionary with ``delta``, ``relative`` and ``improved``."""
    return {
        'delta': change(current, previous, places),
        'relative': relative_change(current, previous),
        'improved': improved(current, previous, direction),
        }
