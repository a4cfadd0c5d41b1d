"""The indexes the list, search and ledger plans need exist after
activation, trigram ones included (pg_trgm is created by activation)."""
import unittest

from trytond import backend
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction


def index_definitions(table):
    cursor = Transaction().connection.cursor()
    cursor.execute(
        "SELECT indexdef FROM pg_indexes WHERE tablename = %s", (table,))
    return [definition for definition, in cursor.fetchall()]


@unittest.skipIf(backend.name != 'postgresql', "PostgreSQL indexes")
class IndexesTestCase(_DBTestCase):
    "Test the indexes of the report tables"
    module = 'jubao_intake'
    language = 'zh_CN'

    def assert_index(self, table, *fragments):
        definitions = index_definitions(table)
        self.assertTrue(
            any(all(f in d for f in fragments) for d in definitions),
            f"no index on {table} with {fragments}: {definitions}")

    @with_transaction()
    def test_trigram_extension(self):
        "Activation creates pg_trgm in the database"
        cursor = Transaction().connection.cursor()
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        self.assertTrue(cursor.fetchone())

    @with_transaction()
    def test_substring_search_indexes(self):
        "Numbers, summaries and reported persons have trigram indexes"
        self.assert_index('jubao_case', 'gin', '(number gin_trgm_ops)')
        self.assert_index('jubao_case', 'gin', '(summary gin_trgm_ops)')
        self.assert_index('jubao_case_subject', 'gin', '(name gin_trgm_ops)')

    @with_transaction()
    def test_list_filter_indexes(self):
        "State and channel filters ordered by received date"
        self.assert_index('jubao_case', 'btree', '(state, received_date)')
        self.assert_index('jubao_case', 'btree', '(channel, received_date)')

    @with_transaction()
    def test_category_link_indexes(self):
        "The report-category link table is indexed both ways"
        table = 'jubao_case-jubao_problem_category'
        self.assert_index(table, '(\"case\", category)')
        self.assert_index(table, '(category, \"case\")')


class CursorDictTestCase(unittest.TestCase):
    "Test the rows of a search read as dictionaries"

    def test_description_read_once(self):
        "The column names are read once per query, whatever the row count"
        from trytond.model import modelsql

        from ..postgresql import _cursor_dict

        class Cursor:
            arraysize = 1
            reads = 0

            def __init__(self, rows):
                self.rows = list(rows)

            @property
            def description(self):
                self.reads += 1
                return [('id',), ('name',)]

            def fetchmany(self, size):
                rows, self.rows = self.rows[:size], self.rows[size:]
                return rows

        cursor = Cursor([(i, f'n{i}') for i in range(50)])
        rows = list(_cursor_dict(cursor))
        self.assertEqual(rows, [{'id': i, 'name': f'n{i}'}
                for i in range(50)])
        self.assertEqual(cursor.reads, 1)
        self.assertIs(modelsql.cursor_dict, _cursor_dict)
