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
