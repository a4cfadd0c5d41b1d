"""Links typed into the platform (public-opinion posts, media reports).

A link is opened by a click in the web client, so only web addresses are
accepted: ``javascript:``, ``data:``, ``file:`` and the like would run or
open something on the clerk's machine instead.
"""
from urllib.parse import urlsplit

ALLOWED_SCHEMES = {'http', 'https'}


def is_safe_link(value):
    "Return True for an empty value or an http(s) address with a host."
    if not value:
        return True
    # Browsers drop tabs and newlines inside a scheme: "java\tscript:".
    if any(c.isspace() or ord(c) < 32 for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname)
