"""The indicator set of the platform, shared by the campaign KPIs and the
analysis: which reports count for each share, and the one arithmetic of
shares and changes.

Values are :class:`decimal.Decimal` rounded half-up to one decimal place,
as official statistics print them; ``None`` means "no base" (division by
zero or a missing value) so that "no data" is never shown as 0 %.
"""
from decimal import ROUND_HALF_UP, Decimal

__all__ = ['ONLINE_CHANNELS', 'CASE_SHARES', 'share_domain', 'to_decimal',
    'percent', 'point_change', 'relative_change', 'improved']

PLACES = 1
ONLINE_CHANNELS = ('online',)

# Shares of the reports received in a period: key -> domain on jubao.case.
CASE_SHARES = {
    'real_name': [('real_name', '=', True)],
    'online': [('channel', 'in', ONLINE_CHANNELS)],
    'out_of_scope': [('scope', '=', 'out_of_scope')],
    }


def share_domain(key):
    "The domain on ``jubao.case`` of the reports counted by share ``key``."
    return list(CASE_SHARES[key])


def to_decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _round(value, places=PLACES):
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _counts(part, whole):
    if part is None or whole is None:
        return None
    part, whole = to_decimal(part), to_decimal(whole)
    if part < 0 or whole < 0:
        raise ValueError("counts must not be negative")
    return (part, whole) if whole else None


def percent(part, whole, places=PLACES):
    "Percentage (0–100) of ``part`` in ``whole``, or None without a base."
    counts = _counts(part, whole)
    if counts is None:
        return None
    part, whole = counts
    return _round(part * 100 / whole, places)


def point_change(current, previous, places=PLACES):
    """Difference ``current - previous``: percentage points between two
    rates, or the difference of two counts."""
    if current is None or previous is None:
        return None
    return _round(to_decimal(current) - to_decimal(previous), places)


def relative_change(current, previous, places=PLACES):
    """Change from ``previous`` to ``current`` in percent of ``previous``
    (同比/环比 growth), or None when ``previous`` is zero or missing."""
    if current is None or not previous:
        return None
    current, previous = to_decimal(current), to_decimal(previous)
    return _round((current - previous) * 100 / abs(previous), places)


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
