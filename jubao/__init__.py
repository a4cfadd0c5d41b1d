"""Domain rules of the jubao platform that need no database.

The Tryton modules under ``addons/`` call these plain functions; they are
unit tested on their own in ``tests/unit``.
"""
