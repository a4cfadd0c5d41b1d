"""Registration re-checks the draft; workflow fields of reports are not
set by a client."""
import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import create_case, create_user, ref


def as_user(user):
    transaction = Transaction()
    return transaction.set_user(user.id), transaction.set_context(
        _check_access=True)


class RegistrationTestCase(_DBTestCase):
    "Test that a bad draft cannot be registered"
    module = 'jubao_intake'
    language = 'zh_CN'

    def counter(self, year):
        Counter = Pool().get('jubao.case.counter')
        counters = Counter.search([('year', '=', year)])
        return counters[0].last if counters else 0

    def assert_not_registered(self, cases, pattern):
        "Registering raises ``pattern``; no number is taken, all stay drafts."
        Case = Pool().get('jubao.case')
        year = cases[0].received_date.year
        before = self.counter(year)
        with self.assertRaisesRegex(UserError, pattern):
            Case.register(cases)
        self.assertEqual(self.counter(year), before)
        for case in Case.browse([c.id for c in cases]):
            self.assertEqual(case.state, 'draft')
            self.assertIsNone(case.number)

    @with_transaction()
    def test_future_received_date(self):
        "A draft received in the future (stale or forged) is refused"
        today = Pool().get('ir.date').today()
        case = self.stale(create_case(received_date=today),
            received_date=today + dt.timedelta(days=3))
        self.assert_not_registered([case], '晚于今天')

    @with_transaction()
    def test_postmark_after_received(self):
        case = self.stale(create_case(postmark_date=dt.date(2026, 2, 27)),
            postmark_date=dt.date(2026, 3, 5))
        self.assert_not_registered([case], '邮戳')

    @with_transaction()
    def test_no_subject_no_category(self):
        "A report names a reported person or a problem category"
        pool = Pool()
        Case = pool.get('jubao.case')
        case = create_case(subjects=[])
        self.assert_not_registered([case], '被反映人.*问题类别')
        Case.write([case], {'categories': [
                    ('add', [ref('category_integrity_1')])]})
        Case.register([case])
        self.assertEqual(case.state, 'registered')

    def stale(self, case, **values):
        "Change the stored draft behind the validation, as a failed save did."
        Case = Pool().get('jubao.case')
        table = Case.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [getattr(table, f) for f in values], list(values.values()),
                where=table.id == case.id))
        Transaction().cache.clear()
        return Case(case.id)

    @with_transaction()
    def test_blank_summary(self):
        case = self.stale(create_case(), summary='  ')
        self.assert_not_registered([case], '摘要')

    @with_transaction()
    def test_channel_details(self):
        "Referrals name their source, public-opinion items their site"
        referral = self.stale(create_case(channel='referral',
                referral_source=ref('office_city')), referral_source=None)
        self.assert_not_registered([referral], '转送机关')
        opinion = self.stale(create_case(channel='public_opinion',
                opinion_source='论坛'), opinion_source=None)
        self.assert_not_registered([opinion], '来源')

    @with_transaction()
    def test_batch_all_or_nothing(self):
        "One bad draft in a batch: none of them takes a number"
        good = create_case()
        bad = create_case(subjects=[])
        self.assert_not_registered([good, bad], '被反映人')

    @with_transaction()
    def test_case_workflow_fields_over_rpc(self):
        "A clerk cannot create or edit a report's workflow fields directly"
        pool = Pool()
        Case = pool.get('jubao.case')
        Candidate = pool.get('jubao.case.repeat')
        clerk = create_user('r_clerk', 'group_clerk', 'office_complaints')
        original = create_case()
        Case.register([original])
        values = {'channel': 'letter', 'summary': '新收来信',
            'subjects': [('create', [{'name': '王某'}])]}
        set_user, set_context = as_user(clerk)
        with set_user, set_context:
            for forged in [{'state': 'registered'},
                    {'number': '信访〔2026〕第9999号'},
                    {'handling_office': ref('office_discipline_1')},
                    {'repeat_of': original.id},
                    {'registered_by': clerk.id},
                    {'online_checked': True}]:
                with self.subTest(forged=forged):
                    with self.assertRaisesRegex(AccessError, '流程按钮或向导'):
                        Case.create([dict(values, **forged)])
            draft, = Case.create([dict(values, state='draft',
                        online_checked=False, repeat_of=None)])
            for forged in [{'state': 'registered'},
                    {'repeat_of': original.id},
                    {'handling_office': ref('office_discipline_1')}]:
                with self.subTest(forged=forged):
                    with self.assertRaisesRegex(AccessError, '流程按钮或向导'):
                        Case.write([draft], forged)
            with self.assertRaises(AccessError):
                Candidate.create([{'case': draft.id,
                            'candidate': original.id, 'score': 1}])
            Case.register([draft])
            self.assertEqual(draft.state, 'registered')
            self.assertEqual(draft.registered_by, clerk)
