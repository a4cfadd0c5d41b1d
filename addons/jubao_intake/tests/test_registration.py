"""Registration re-checks the draft, numbers stay gapless when reports
are registered at the same time; workflow fields of reports are not set by
a client."""
import datetime as dt
import threading
import unittest

from trytond import backend
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, _DBTestCase, with_transaction
from trytond.transaction import Transaction, TransactionError

from .tools import as_user, create_case, create_user, ref


def register_alone(case_id, barrier, errors):
    """Register one report in its own transaction as the RPC dispatcher
    does: a TransactionError (records to lock at the start) restarts the
    call; any other error, a database one included (the dispatcher's
    503), is a failure."""
    barrier.wait()
    extras = {}
    try:
        while True:
            with Transaction().start(DB_NAME, 1, **extras) as transaction:
                try:
                    Case = Pool().get('jubao.case')
                    Case.register([Case(case_id)])
                    transaction.commit()
                    return
                except TransactionError as error:
                    transaction.rollback()
                    error.fix(extras)
    except Exception as error:
        errors.append(error)


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

    @unittest.skipIf(backend.name != 'postgresql', "concurrent writers")
    def test_concurrent_registrations_gapless(self):
        """Sixteen reports registered at the same moment, the year's first:
        none fails, numbers are 1…16 without a gap, none left unnumbered"""
        year, count = 2019, 16
        with Transaction().start(DB_NAME, 1) as transaction:
            ids = [create_case(received_date=dt.date(year, 5, 6),
                    subjects=[('create', [{'name': '并发测试'}])]).id
                for _ in range(count)]
            transaction.commit()
        try:
            barrier, errors = threading.Barrier(count), []
            threads = [threading.Thread(target=register_alone,
                    args=(i, barrier, errors)) for i in ids]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            self.assertEqual(errors, [])
            with Transaction().start(DB_NAME, 1):
                Case = Pool().get('jubao.case')
                cases = Case.browse(ids)
                self.assertEqual({c.state for c in cases}, {'registered'})
                numbers = sorted(c.number for c in cases)
                self.assertEqual(self.counter(year), count)
                # Each has its entry: with its number, or (counter busy)
                # saying the number follows; never an empty number
                Message = Pool().get('ir.chat.message')
                entries = [m.content for m in Message.search([
                            ('channel.resource', 'in',
                                [str(c) for c in cases]),
                            ]) if '登记本件' in m.content]
                self.assertEqual(len(entries), count)
                self.assertFalse([e for e in entries if e.endswith('编号。')])
            self.assertEqual(numbers, ['信访〔%d〕第%04d号' % (year, n)
                    for n in range(1, count + 1)])
        finally:
            self.delete_committed(ids, year)

    @unittest.skipIf(backend.name != 'postgresql', "numbering after commit")
    def test_number_pending(self):
        "A registered report left without a number gets the next one"
        from trytond.modules.jubao_intake.numbering import number_pending
        year = 2018
        with Transaction().start(DB_NAME, 1) as transaction:
            Case = Pool().get('jubao.case')
            first, second = [create_case(received_date=dt.date(year, 3, d),
                    subjects=[('create', [{'name': '补号测试'}])])
                for d in (1, 2)]
            Case.register([first, second])
            ids = [first.id, second.id]
            # As if the process died between the commit and the numbering
            table = Case.__table__()
            cursor = transaction.connection.cursor()
            cursor.execute(*table.update([table.number], [None],
                    where=table.id == second.id))
            counter = Pool().get('jubao.case.counter').__table__()
            cursor.execute(*counter.update([counter.last], [1],
                    where=counter.year == year))
            transaction.commit()
        try:
            self.assertEqual(number_pending(DB_NAME), 1)
            self.assertEqual(number_pending(DB_NAME), 0)
            with Transaction().start(DB_NAME, 1):
                Case = Pool().get('jubao.case')
                self.assertEqual([c.number for c in Case.browse(ids)], [
                        '信访〔%d〕第0001号' % year,
                        '信访〔%d〕第0002号' % year])
                self.assertEqual(self.counter(year), 2)
        finally:
            self.delete_committed(ids, year)

    def delete_committed(self, case_ids, year):
        "Remove what a test committed (registered reports cannot be deleted)."
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            case = pool.get('jubao.case').__table__()
            counter = pool.get('jubao.case.counter').__table__()
            cursor = transaction.connection.cursor()
            cursor.execute(*case.delete(where=case.id.in_(case_ids)))
            cursor.execute(*counter.delete(where=counter.year == year))
            transaction.commit()

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
    def test_history_logged(self):
        """The button and the transition are in the record's history (the
        logs stored at commit by one INSERT); no user may write a log"""
        pool = Pool()
        Case = pool.get('jubao.case')
        Log = pool.get('ir.model.log')
        transaction = Transaction()
        clerk = create_user('r_clerk', 'group_clerk', 'office_complaints')
        with as_user(clerk):
            draft, = Case.create([{'channel': 'letter', 'summary': '新收来信',
                        'subjects': [('create', [{'name': '王某'}])]}])
            Case.register([draft])
            transaction._store_log_records()
            # the history the clerk opens on the report
            self.assertEqual(len(Log.search(
                        [('resource', '=', str(draft))])), 2)
            with self.assertRaises(AccessError):
                Log.create([{'resource': str(draft), 'event': 'button',
                            'target': 'register', 'user': clerk.id}])
        logs = Log.search([('resource', '=', str(draft))],
            order=[('id', 'ASC')])
        self.assertEqual([(l.event, l.target, l.user, l.create_uid,
                    l.resource) for l in logs], [
                ('button', 'register', clerk, clerk, draft),
                ('transition', 'state:registered', clerk, clerk, draft),
                ])
        self.assertEqual(logs[0].event_string, '点击')

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
        with as_user(clerk):
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
