"""The false-accusation KPI when jubao_routing records the finding."""
import datetime as dt
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)


class FalseAccusationKPITestCase(unittest.TestCase):
    "Campaign KPI counting reports found to be false accusations"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(['jubao_publicity', 'jubao_routing'])
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def test_false_accusations_counted(self):
        "Reports marked 诬告陷害 by jubao_routing are counted per window"
        pool = Pool()
        Campaign = pool.get('jubao.campaign')
        Case = pool.get('jubao.case')
        ModelData = pool.get('ir.model.data')
        campaign, = Campaign.create([{
                    'name': '2026宣传年', 'year': 2026,
                    'start_date': dt.date(2026, 3, 1),
                    'end_date': dt.date(2026, 12, 31),
                    'office': ModelData.get_id(
                        'jubao_intake', 'office_complaints'),
                    }])

        def cases(date, count, false_count):
            records = Case.create([{
                        'channel': 'letter',
                        'received_date': date,
                        'summary': '测试%s' % i,
                        'scope': 'in_scope',
                        } for i in range(count)])
            Case.write(records, {'state': 'registered'})
            Case.write(records[:false_count],
                {'accusation': 'false_accusation'})
            Case.write(records[false_count:false_count + 1],
                {'accusation': 'mistaken'})
        cases(dt.date(2026, 5, 1), 6, 1)
        cases(dt.date(2025, 5, 1), 6, 3)
        cases(dt.date(2026, 2, 1), 4, 2)

        Campaign.compute_kpis([campaign], date=dt.date(2026, 6, 30))
        kpi, = [k for k in campaign.kpis
            if k.indicator == 'false_accusation']
        self.assertEqual((kpi.count, kpi.total), (1, 6))
        self.assertEqual((kpi.current, kpi.previous, kpi.start),
            (1, 3, 2))
        self.assertEqual((kpi.change_previous, kpi.change_start), (-2, -1))
        self.assertTrue(kpi.improved_previous)
        self.assertTrue(kpi.improved_start)
