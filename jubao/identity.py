"""Chinese resident identity numbers (居民身份证号码) and phone numbers."""
import re

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

__all__ = ['normalize_id_number', 'is_valid_id_number', 'is_valid_phone',
    'mask_id_number']

_PHONE = re.compile(r'^(\+?86[- ]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|[2-8]\d{6,7})$')


def normalize_id_number(number):
    "Return the compact form (no spaces, upper-case X) of an ID number."
    return ric.compact(number or '')


def is_valid_id_number(number):
    "True when ``number`` is a valid 18-digit resident ID (checksum, date)."
    try:
        ric.validate(number)
    except ValidationError:
        return False
    return True


def is_valid_phone(number):
    "Accept mobile numbers, landlines with area code and short landlines."
    return bool(_PHONE.match((number or '').replace(' ', '')))


def mask_id_number(number):
    "Show only the first 6 and last 4 characters, e.g. for printed ledgers."
    number = normalize_id_number(number)
    if len(number) <= 10:
        return '*' * len(number)
    return number[:6] + '*' * (len(number) - 10) + number[-4:]
