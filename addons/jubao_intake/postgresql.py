"""PostgreSQL extensions the report tables' indexes need.

``pg_trgm`` gives the GIN trigram indexes behind ``ILIKE '%…%'`` searches
of numbers, summaries and reported persons (Tryton declares them as
``Index.Similarity()`` and creates them only where the extension exists).
It is a trusted extension, so the database owner may create it; a role
that may not is told in the log and the searches fall back to scans.
"""
import logging

from trytond import backend
from trytond.transaction import Transaction

logger = logging.getLogger(__name__)

EXTENSIONS = ['pg_trgm']


def ensure_extensions():
    "Create the missing extensions, before the tables declare indexes."
    if backend.name != 'postgresql':
        return
    transaction = Transaction()
    database = transaction.database
    cursor = transaction.connection.cursor()
    for name in EXTENSIONS:
        # has_extension() caches per process and opens its own connection,
        # which would not see an extension created in this transaction.
        cursor.execute(
            "SELECT 1 FROM pg_extension WHERE extname = %s", (name,))
        if cursor.fetchone():
            database._extensions[database.name][name] = True
            continue
        cursor.execute('SAVEPOINT jubao_extension')
        try:
            cursor.execute(f'CREATE EXTENSION IF NOT EXISTS "{name}"')
        except Exception:
            cursor.execute('ROLLBACK TO SAVEPOINT jubao_extension')
            logger.warning("could not create the PostgreSQL extension %s: "
                "searches with ILIKE will scan the tables", name)
            continue
        cursor.execute('RELEASE SAVEPOINT jubao_extension')
        database._extensions[database.name][name] = True


def _cursor_dict(cursor, size=None):
    """``trytond.tools.cursor_dict`` reading the column names once, not
    once per row: psycopg builds ``cursor.description`` anew on every
    access (one object per column) and its ``arraysize`` is 1, so a search
    filling the cache with the ~100 columns of the first 1000 reports spent
    most of its time there (list page)."""
    size = cursor.arraysize if size is None else size
    names = None
    while True:
        rows = cursor.fetchmany(size)
        if not rows:
            break
        if names is None:
            names = [d[0] for d in cursor.description]
        for row in rows:
            yield dict(zip(names, row))


def install():
    "Use the cheaper ``cursor_dict`` where trytond's models call it."
    from trytond.ir import model as ir_model
    from trytond.ir import translation
    from trytond.model import modelsql
    for module in (modelsql, ir_model, translation):
        module.cursor_dict = _cursor_dict
