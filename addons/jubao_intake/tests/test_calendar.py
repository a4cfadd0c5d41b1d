"""The working-day calendar across the 2026/2027 year end: chinesecalendar
knows 2026 only, so 2027 is estimated (provisional) until its State Council
notice is imported."""
import datetime as dt

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from .tools import create_case, create_user, ref

D = dt.date
NOTICE_2027 = '''
2027-01-01 休 元旦
2027-01-04 休 元旦调休
2027-01-09 班
'''


class JubaoCalendarTestCase(ModuleTestCase):
    "Test the working-day calendar of jubao_intake"
    module = 'jubao_intake'
    language = 'zh_CN'

    def _referrals(self, sign_days=30):
        """Referrals received on 25 Nov 2026: one due in 2027 by the rule,
        one due in 2027 set by hand, one due in 2026."""
        pool = Pool()
        Case = pool.get('jubao.case')
        Config = pool.get('jubao.configuration')
        Config.write([Config(1)], {'referral_sign_days': sign_days})
        values = {'channel': 'referral', 'received_date': D(2026, 11, 25),
            'referral_source': ref('office_city')}
        cases = {
            'rule': create_case(**values),
            'by_hand': create_case(sign_for_due=D(2027, 1, 6), **values),
            'this_year': create_case(**dict(values,
                    received_date=D(2026, 11, 2))),
            }
        Case.register(list(cases.values()))
        return cases

    @with_transaction()
    def test_year_end_working_days(self):
        "New Year's Day 2027 is skipped; the administrator's table wins"
        pool = Pool()
        Config = pool.get('jubao.configuration')
        Day = pool.get('jubao.calendar.day')
        config = Config(1)
        self.assertEqual(config.add_working_days(D(2026, 12, 31), 1),
            D(2027, 1, 4))
        self.assertEqual(config.add_working_days(D(2026, 12, 14), 15),
            D(2027, 1, 5))
        Day.create([{'date': D(2027, 1, 4), 'working': False}])
        self.assertEqual(config.add_working_days(D(2026, 12, 31), 1),
            D(2027, 1, 5))

    @with_transaction()
    def test_provisional_flag_and_search(self):
        "Deadlines in 2027 are provisional until its notice is loaded"
        pool = Pool()
        Case = pool.get('jubao.case')
        Year = pool.get('jubao.calendar.year')
        cases = self._referrals()
        # Nov 26 … Dec 31 give 26 working days, Jan 1 2027 is off.
        self.assertEqual(cases['rule'].sign_for_due, D(2027, 1, 7))
        self.assertEqual(cases['this_year'].sign_for_due, D(2026, 12, 14))
        self.assertEqual(
            {n: c.provisional for n, c in cases.items()},
            {'rule': True, 'by_hand': True, 'this_year': False})
        ids = {c.id for c in cases.values()}
        found = {c.id for c in Case.search([('provisional', '=', True)])}
        self.assertEqual(found & ids,
            {cases['rule'].id, cases['by_hand'].id})
        found = {c.id for c in Case.search([('provisional', '!=', True)])}
        self.assertEqual(found & ids, {cases['this_year'].id})
        Case.write([cases['rule']], {'signed_date': D(2026, 11, 30)})
        self.assertFalse(Case(cases['rule'].id).provisional)

        Year.create([{'year': 2027}])
        self.assertFalse(Case(cases['by_hand'].id).provisional)
        self.assertEqual(Case.search([
                    ('provisional', '=', True), ('id', 'in', list(ids))]), [])

    @with_transaction()
    def test_import_recomputes_open_deadlines(self):
        "Importing 2027 moves the rule's due dates and lists them"
        pool = Pool()
        Case = pool.get('jubao.case')
        Day = pool.get('jubao.calendar.day')
        Year = pool.get('jubao.calendar.year')
        Import = pool.get('jubao.calendar.import', type='wizard')
        cases = self._referrals()

        session_id, _, _ = Import.create()
        result = Import.execute(session_id, {'start': {
                    'year': 2027, 'notice': '国办发明电〔2026〕1号',
                    'text': NOTICE_2027}}, 'import_')
        moved = result['view']['defaults']['moved']
        Import.delete(session_id)

        # Dec 31 gives 26, Jan 4 is now off: Jan 5, 6, 7, 8.
        self.assertEqual(Case(cases['rule'].id).sign_for_due, D(2027, 1, 8))
        self.assertEqual(Case(cases['by_hand'].id).sign_for_due,
            D(2027, 1, 6))
        self.assertEqual(Case(cases['this_year'].id).sign_for_due,
            D(2026, 12, 14))
        self.assertIn(cases['rule'].rec_name, moved)
        self.assertIn('2027-01-07 → 2027-01-08', moved)
        self.assertNotIn(cases['by_hand'].rec_name, moved)
        self.assertEqual(len(Day.search([('date', '>=', D(2027, 1, 1))])), 3)
        self.assertEqual([y.year for y in Year.search([])], [2027])
        self.assertFalse(Case(cases['rule'].id).provisional)

    @with_transaction()
    def test_import_bad_lines_creates_nothing(self):
        "A malformed line imports nothing and is named in Chinese"
        pool = Pool()
        Day = pool.get('jubao.calendar.day')
        Year = pool.get('jubao.calendar.year')
        Import = pool.get('jubao.calendar.import', type='wizard')
        with self.assertRaisesRegex(UserError, '未导入') as cm:
            Import.load(2027, NOTICE_2027 + '2027-02-30 休\n2028-01-01 休\n')
        self.assertIn('2027-02-30 休', str(cm.exception))
        self.assertIn('2028-01-01 休', str(cm.exception))
        self.assertNotIn('2027-01-09 班', str(cm.exception))
        self.assertEqual(Day.search([]), [])
        self.assertEqual(Year.search([]), [])

    @with_transaction()
    def test_november_reminder(self):
        "From 1 November the administrators hear next year is not loaded"
        pool = Pool()
        Reminder = pool.get('jubao.reminder')
        Year = pool.get('jubao.calendar.year')
        admin = create_user('admin_cal', 'group_admin', 'office_complaints')
        clerk = create_user('clerk_cal', 'group_clerk', 'office_complaints')
        self.assertEqual(Year.remind_next_year(D(2026, 10, 31)), [])
        created = Year.remind_next_year(D(2026, 11, 1))
        users = {r.user for r in created}
        self.assertIn(admin, users)
        self.assertNotIn(clerk, users)
        self.assertEqual({r.kind for r in created}, {'calendar'})
        self.assertIn('2027', created[0].message)
        self.assertIn('国务院', created[0].message)
        Year.create([{'year': 2027}])
        self.assertEqual(Year.remind_next_year(D(2026, 12, 1)), [])
        Reminder.delete(created)
        # Next year's turn, by the daily job.
        self.assertTrue(Reminder.run_calendar(D(2027, 11, 2)))


del ModuleTestCase
