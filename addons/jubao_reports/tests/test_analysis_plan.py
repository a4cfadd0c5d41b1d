"""What the analysis's plans need on PostgreSQL: indexes on the report
deadlines it counts per period, and no JIT compilation of its queries."""
import unittest

from trytond import backend
from trytond.modules.jubao_intake.tests.test_indexes import index_definitions
from trytond.modules.jubao_reports.engine import Analysis
from trytond.modules.jubao_reports.tests.tools import D, create_fixture
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction


@unittest.skipIf(backend.name != 'postgresql', "PostgreSQL plans")
class AnalysisPlanTestCase(_DBTestCase):
    "Test the database side of the analysis of jubao_reports"
    module = 'jubao_reports'
    language = 'zh_CN'

    @with_transaction()
    def test_deadline_indexes(self):
        "The notice and feedback deadlines are indexed whole"
        definitions = index_definitions('jubao_case')
        for column in ['acceptance_notice_due', 'feedback_due']:
            self.assertTrue([d for d in definitions
                    if f'btree ({column})' in d and 'WHERE' not in d],
                f"no index on the whole of {column}: {definitions}")

    @with_transaction()
    def test_no_jit(self):
        "The analysis runs its queries without JIT compilation"
        create_fixture()
        cursor = Transaction().connection.cursor()
        figures = Analysis(D(2026, 7, 1), D(2026, 9, 30)).compute()
        self.assertTrue(figures['total'])
        cursor.execute('SHOW jit')
        self.assertEqual(cursor.fetchone()[0], 'off')
