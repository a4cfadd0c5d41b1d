"""Keep every transaction atomic on the SQLite back-end (the demo).

trytond's SQLite back-end has one connection per Database object and sets
its isolation level on every ``get_connection()``.  The cache asks the
transaction's own Database object for an *autocommit* connection: in
``Cache.sync`` at the start of every transaction when ``[cache]
clean_timeout = 0`` (every ``clean_timeout`` seconds otherwise) and in
``Cache.commit``.  That switched the running transaction to autocommit, so
each INSERT or UPDATE was stored at once and a request refused afterwards (a
record rule, a validation error, the upload whitelist) could not roll them
back: every failed save left a draft behind.

Here the first borrower of a connection sets its mode; later borrowers,
while it is lent, share the running transaction (SQLite has no second
connection to give them: the cache only reads, or writes just before the
commit).  PostgreSQL is not affected: it hands out separate connections.
"""
from trytond.backend.sqlite.database import Database


def keep_transactions_atomic():
    "Patch Database.get_connection/put_connection once."
    if getattr(Database, '_jubao_atomic', False):
        return
    get_connection = Database.get_connection
    put_connection = Database.put_connection

    def get(self, autocommit=False, readonly=False, statement_timeout=None):
        lent = getattr(self, '_jubao_lent', 0)
        if lent and self._conn is not None:
            connection = self._conn
        else:
            connection = get_connection(self, autocommit=autocommit,
                readonly=readonly, statement_timeout=statement_timeout)
        self._jubao_lent = lent + 1
        return connection

    def put(self, connection=None):
        self._jubao_lent = max(getattr(self, '_jubao_lent', 0) - 1, 0)
        return put_connection(self, connection)

    Database.get_connection = get
    Database.put_connection = put
    Database._jubao_atomic = True
