# This file is part of jubao.  The classes are registered in tryton.cfg.
from . import sqlite

# Pool.start() imports every module before any transaction: patch there.
sqlite.keep_transactions_atomic()

from . import edge

# Clean answers to malformed requests under every server (see edge.py).
edge.install()

from . import security

# Copies, relation-walking searches and orders checked for every model of
# the pool, not model by model (see security.py).
security.install()

from . import postgresql

# Column names read once per fetch by the searches (see postgresql.py).
postgresql.install()

from . import board  # noqa: E402,F401  (registers the kanban board routes)
