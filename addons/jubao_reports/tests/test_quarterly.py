"The quarterly return (季度报表) of concluded and repeat reports."
import datetime as dt
import shutil

from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from trytond.modules.jubao_routing.tests.tools import (
    make_case, office, route)

D = dt.date


def conclude(case, truth, concluded_date=None):
    pool = Pool()
    Case = pool.get('jubao.case')
    Assignment = pool.get('jubao.case.assignment')
    Assignment.accept([route(case)])
    Case.write([case], {'disposition': 'verify', 'truth': truth,
            'concluded_date': concluded_date})
    Case.conclude([case])
    return Case(case.id)


class QuarterlyReturnTestCase(_DBTestCase):
    "Quarterly return of concluded and repeat reports"
    module = 'jubao_reports'
    language = 'zh_CN'

    @with_transaction()
    def test_concluded_return_prints(self):
        "The concluded reports of a quarter are counted and printed"
        Quarterly = Pool().get('jubao.routing.quarterly_return',
            type='report')
        # PDF where LibreOffice is installed (bin/jubao setup installs it)
        expected = 'pdf' if shutil.which('soffice') else 'odt'
        conclude(make_case(received=D(2026, 3, 2)), 'true', D(2026, 3, 20))
        data = Quarterly.compute(2026, 1, 'concluded')
        self.assertEqual((data['start'], data['end']),
            (D(2026, 1, 1), D(2026, 3, 31)))
        self.assertEqual(data['total'], 1)
        self.assertEqual(data['offices'][0]['true'], 1)
        oext, content, _, _ = Quarterly.execute([], {
                'year': 2026, 'quarter': 1, 'kind': 'concluded'})
        self.assertEqual(oext, expected)
        self.assertTrue(content)

    @with_transaction()
    def test_repeats_return_to_original_office(self):
        "Repeats received in the quarter go to the original's office"
        pool = Pool()
        Case = pool.get('jubao.case')
        Quarterly = pool.get('jubao.routing.quarterly_return',
            type='report')
        today = pool.get('ir.date').today()
        start = D(today.year, 1, 1)
        original = conclude(make_case(received=start), 'false')
        repeat = make_case(received=start)
        Case.write([repeat], {'repeat_of': original.id})
        data = Quarterly.compute(today.year, 1, 'repeats')
        self.assertEqual(data['total'], 1)
        self.assertEqual(data['offices'][0]['cases'], [Case(repeat.id)])
        self.assertEqual(data['offices'][0]['office'],
            office('office_discipline_1'))
