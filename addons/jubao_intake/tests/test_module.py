import datetime as dt
from contextlib import contextmanager
from types import SimpleNamespace
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, SQLConstraintError
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .. import reminder as reminder_module

from .tools import (
    VALID_ID, check_deadlines, create_case, create_user, office, ref)

# A Friday in a year whose holiday schedule is known.
DUE = dt.date(2026, 11, 6)


@contextmanager
def count_queries():
    "Count the SQL statements run by the transaction's cursors."
    counter = SimpleNamespace(count=0)
    Cursor = type(Transaction().connection.cursor())
    execute = Cursor.execute

    def counting(self, *args, **kwargs):
        counter.count += 1
        return execute(self, *args, **kwargs)
    with patch.object(Cursor, 'execute', counting):
        yield counter


class JubaoIntakeTestCase(ModuleTestCase):
    "Test jubao_intake module"
    module = 'jubao_intake'
    language = 'zh_CN'

    # Registration and numbering ------------------------------------------

    @with_transaction()
    def test_register_numbers_gapless_per_year(self):
        "Numbers run per received year, contain the year and have no gap"
        Case = Pool().get('jubao.case')
        a = create_case(received_date=dt.date(2025, 12, 30))
        b = create_case(received_date=dt.date(2026, 1, 5))
        c = create_case(received_date=dt.date(2026, 1, 6))
        Case.register([c, a])
        Case.register([b])
        self.assertEqual(a.number, '信访〔2025〕第0001号')
        self.assertEqual(c.number, '信访〔2026〕第0001号')
        self.assertEqual(b.number, '信访〔2026〕第0002号')
        self.assertEqual(a.state, 'registered')
        self.assertEqual(a.registration_date, Pool().get('ir.date').today())

    @with_transaction()
    def test_register_twice_is_refused(self):
        "A second registration click gives a clear error and no new number"
        Case = Pool().get('jubao.case')
        case = create_case()
        Case.register([case])
        with self.assertRaisesRegex(UserError, '已经登记'):
            Case.register([case])
        self.assertEqual(case.number, '信访〔2026〕第0001号')
        Counter = Pool().get('jubao.case.counter')
        counter, = Counter.search([('year', '=', 2026)])
        self.assertEqual(counter.last, 1)

    @with_transaction()
    def test_registered_case_cannot_be_deleted(self):
        Case = Pool().get('jubao.case')
        case = create_case()
        Case.register([case])
        with self.assertRaisesRegex(AccessError, '不能删除'):
            Case.delete([case])
        draft = create_case()
        Case.delete([draft])

    @with_transaction()
    def test_received_date_in_future(self):
        Case = Pool().get('jubao.case')
        tomorrow = Pool().get('ir.date').today() + dt.timedelta(days=1)
        with self.assertRaisesRegex(UserError, '晚于今天'):
            with Transaction().new_transaction():
                create_case(received_date=tomorrow)
        with Transaction().new_transaction():
            self.assertEqual(Case.search([]), [])  # rolled back whole

    @with_transaction()
    def test_postmark_after_received(self):
        with self.assertRaisesRegex(UserError, '邮戳日期'):
            create_case(postmark_date=dt.date(2026, 3, 5))

    @with_transaction()
    def test_real_name_needs_contact(self):
        "A real-name report needs a reporter with a name and a contact"
        Case = Pool().get('jubao.case')
        with self.assertRaisesRegex(UserError, '实名举报'):
            create_case(real_name=True,
                reporters=[('create', [{'name': '李四'}])])
        case = create_case(real_name=True, reporters=[('create', [{
                            'name': '李四', 'phone': '13912345678'}])])
        self.assertTrue(case.real_name)
        with self.assertRaisesRegex(UserError, '实名举报'):
            Case.write([case], {'reporters': [
                        ('write', [r.id for r in case.reporters],
                            {'phone': None})]})

    @with_transaction()
    def test_reporter_id_number_checked(self):
        Reporter = Pool().get('jubao.case.reporter')
        case = create_case()
        with self.assertRaisesRegex(UserError, '身份证号码'):
            Reporter.create([{'case': case.id, 'id_number': '110105194912310021'}])
        reporter, = Reporter.create([{
                    'case': case.id, 'id_number': '11010519491231002x'}])
        self.assertEqual(reporter.id_number, VALID_ID)
        with self.assertRaisesRegex(UserError, '电话号码'):
            Reporter.create([{'case': case.id, 'phone': '12345'}])

    @with_transaction()
    def test_visit_group_and_phone_duration(self):
        case = create_case(channel='visit', visitor_count=6,
            reception_area='reception')
        self.assertTrue(case.group_visit)
        with self.assertRaisesRegex(UserError, '通话时长'):
            create_case(channel='phone',
                call_duration=dt.timedelta(minutes=-1))

    @with_transaction()
    def test_online_report_needs_check(self):
        "Online submissions are checked and completed before registration"
        Case = Pool().get('jubao.case')
        case = create_case(channel='online', online_reference='WS1')
        with self.assertRaisesRegex(UserError, '信息校正'):
            Case.register([case])
        self.assertEqual(case.state, 'draft')
        Case.check_online([case])
        self.assertTrue(case.online_checked)
        Case.register([case])
        self.assertEqual(case.state, 'registered')

    @with_transaction()
    def test_referral_sign_for_due_in_working_days(self):
        "Referral sign-for deadline skips the National Day holiday"
        Case = Pool().get('jubao.case')
        case = create_case(channel='referral', received_date=dt.date(2025, 9, 30),
            referral_source=ref('office_city'))
        Case.register([case])
        # Oct 1-8 2025 off; Oct 9, 10, 11 (a make-up Saturday), 13, 14.
        self.assertEqual(case.sign_for_due, dt.date(2025, 10, 14))

    @with_transaction()
    def test_referral_sign_for_due_follows_calendar(self):
        "A day entered as a holiday in the calendar moves the sign-for due"
        pool = Pool()
        Case = pool.get('jubao.case')
        Day = pool.get('jubao.calendar.day')
        Day.create([{'date': dt.date(2025, 10, 10), 'working': False,
                    'name': '临时放假'}])
        case = create_case(channel='referral',
            received_date=dt.date(2025, 9, 30),
            referral_source=ref('office_city'))
        Case.register([case])
        # Oct 9, 11 (a make-up Saturday), 13, 14, 15: the 10th is off.
        self.assertEqual(case.sign_for_due, dt.date(2025, 10, 15))

    # Working-day calendar ------------------------------------------------

    @with_transaction()
    def test_calendar_table_overrides_library(self):
        "The administrator's calendar table wins over the holiday library"
        pool = Pool()
        Config = pool.get('jubao.configuration')
        Day = pool.get('jubao.calendar.day')
        config = Config(1)
        # 2099 is unknown to chinesecalendar: weekdays less the statutory
        # holidays that the holidays package computes (none on 2 and 5 Jan)
        self.assertEqual(config.add_working_days(dt.date(2099, 1, 2), 1),
            dt.date(2099, 1, 5))
        day, = Day.create([{'date': dt.date(2099, 1, 5), 'working': False,
                    'name': '假日'}])
        Day.create([{'date': dt.date(2099, 1, 3), 'working': True,
                    'name': '调休'}])
        self.assertEqual(Config.add_days(dt.date(2099, 1, 2), 1),
            dt.date(2099, 1, 3))
        self.assertEqual(config.add_working_days(dt.date(2099, 1, 2), 2),
            dt.date(2099, 1, 6))
        Day.delete([day])
        self.assertEqual(config.add_working_days(dt.date(2099, 1, 2), 2),
            dt.date(2099, 1, 5))

    @with_transaction()
    def test_calendar_day_unique(self):
        "A date is entered once in the calendar"
        Day = Pool().get('jubao.calendar.day')
        Day.create([{'date': dt.date(2099, 1, 5), 'working': False}])
        with self.assertRaisesRegex(SQLConstraintError, '只能登记一次'):
            Day.create([{'date': dt.date(2099, 1, 5), 'working': True}])

    @with_transaction()
    def test_due_window_counts_working_days(self):
        "The due-soon window ends the configured working days after today"
        pool = Pool()
        Config = pool.get('jubao.configuration')
        config = Config(1)
        today, soon = config.due_window()
        self.assertEqual(today, pool.get('ir.date').today())
        self.assertEqual(soon, config.add_working_days(today, 3))

    @with_transaction()
    def test_attachment_rules(self):
        "Only allowed file types and sizes may be attached to reports"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Config = pool.get('jubao.configuration')
        case = create_case()
        with self.assertRaisesRegex(UserError, '文件类型'):
            Attachment.create([{'name': 'virus.exe', 'resource': str(case),
                        'data': b'MZ'}])
        config = Config(1)
        config.attachment_max_size = 1
        config.save()
        with self.assertRaisesRegex(UserError, '超过上限'):
            Attachment.create([{'name': 'scan.pdf', 'resource': str(case),
                        'data': b'0' * (1024 * 1024 + 1)}])
        scan, = Attachment.create([{'name': 'scan.pdf',
                    'resource': str(case), 'data': b'%PDF-1.4'}])
        self.assertEqual(scan.resource, case)

    # Screening -----------------------------------------------------------

    @with_transaction()
    def test_accept_needs_screening(self):
        Case = Pool().get('jubao.case')
        case = create_case()
        Case.register([case])
        with self.assertRaisesRegex(UserError, '类型和业务范围'):
            Case.accept([case])
        case.kind, case.scope = 'accusation', 'mixed'
        case.save()
        with self.assertRaisesRegex(UserError, '交织'):
            Case.accept([case])
        case.competent_body = ref('office_petition_bureau')
        case.save()
        Case.accept([case])
        self.assertEqual(case.state, 'accepted')

    @with_transaction()
    def test_not_accept_needs_reason_and_explanation(self):
        Case = Pool().get('jubao.case')
        case = create_case(kind='accusation', scope='out_of_scope')
        Case.register([case])
        with self.assertRaisesRegex(UserError, '业务范围外'):
            Case.accept([case])
        with self.assertRaisesRegex(UserError, '不予受理的理由'):
            Case.not_accept([case])
        case.not_accepted_reason = ref('reason_other_body')
        case.save()
        with self.assertRaisesRegex(UserError, '有权处理单位'):
            Case.not_accept([case])
        case.competent_body = ref('office_court')
        case.out_of_scope_explanation = '已告知向法院起诉。'
        case.save()
        Case.not_accept([case])
        self.assertEqual(case.state, 'not_accepted')

    @with_transaction()
    def test_removal_needs_another_approver(self):
        "Removal is requested with a reason and approved by someone else"
        pool = Pool()
        Case = pool.get('jubao.case')
        clerk = create_user('clerk_t', 'group_clerk', 'office_complaints')
        leader = create_user('leader_t', 'group_leader', 'office_general')
        case = create_case()
        Case.register([case])
        with self.assertRaisesRegex(UserError, '剔除理由'):
            Case.request_removal([case])
        case.removal_reason = 'no_substance'
        case.removal_note = '仅有违纪行为名称'
        case.save()
        with Transaction().set_user(clerk.id):
            Case.request_removal([case])
            with self.assertRaisesRegex(UserError, '其他领导审批'):
                Case.approve_removal([case])
        self.assertEqual(case.state, 'removal_requested')
        with Transaction().set_user(leader.id):
            Case.approve_removal([case])
        self.assertEqual(case.state, 'removed')
        self.assertEqual(case.removal_approved_by, leader)
        self.assertEqual(case.removal_reason, 'no_substance')

    # Repeats -------------------------------------------------------------

    @with_transaction()
    def test_repeat_found_across_channels(self):
        "A re-sent matter about the same person is proposed and confirmed"
        pool = Pool()
        Case = pool.get('jubao.case')
        Candidate = pool.get('jubao.case.repeat')
        original = create_case()
        other_matter = create_case(content='张伟上班时间打牌饮酒，作风散漫。',
            summary='反映张伟作风问题')
        # Nothing to review: the button just registers
        self.assertIsNone(Case.register([original, other_matter]))
        repeat = create_case(channel='online', online_checked=True,
            received_date=dt.date(2026, 4, 1),
            content='张伟在老旧小区改造工程中收受施工单位负责人礼金五万元，'
            '至今无人处理。')
        prompt = Case.register([repeat])
        candidates = Candidate.search([('case', '=', repeat.id)])
        self.assertEqual([c.candidate for c in candidates], [original])
        # The clerk is shown the candidates found, to review
        self.assertEqual(prompt['res_model'], 'jubao.case.repeat')
        self.assertEqual(prompt['name'], '发现疑似重复件1件，请甄别')
        self.assertIn(str(candidates[0].id), prompt['pyson_domain'])
        Candidate.confirm(candidates)
        self.assertEqual(repeat.repeat_of, original)
        self.assertTrue(repeat.is_repeat)
        self.assertEqual(Case.search([('is_repeat', '=', True)]), [repeat])
        self.assertEqual(original.repeats, (repeat,))
        Candidate.dismiss(candidates)
        self.assertIsNone(repeat.repeat_of)

    @with_transaction()
    def test_no_repeat_for_other_person(self):
        pool = Pool()
        Case = pool.get('jubao.case')
        Candidate = pool.get('jubao.case.repeat')
        first = create_case()
        second = create_case(subjects=[('create', [{
                            'name': '李强', 'authority': 'street'}])])
        Case.register([first, second])
        self.assertEqual(Candidate.search([]), [])

    # Reminders -------------------------------------------------------------

    @with_transaction()
    def test_reminder_once_a_day(self):
        "Reminding twice the same day notifies once"
        pool = Pool()
        Reminder = pool.get('jubao.reminder')
        Notification = pool.get('res.notification')
        clerk = create_user('clerk_r', 'group_clerk', 'office_complaints')
        case = create_case()
        first = Reminder.send([clerk], case, 'due_soon', '即将到期')
        second = Reminder.send([clerk], case, 'due_soon', '即将到期')
        self.assertEqual(len(first), 1)
        self.assertEqual(second, [])
        self.assertEqual(len(Notification.search(
                    [('user', '=', clerk.id)])), 1)
        other = Reminder.send([clerk], case, 'overdue', '已逾期')
        self.assertEqual(len(other), 1)

    # Deadlines --------------------------------------------------------------

    def _referrals(self):
        "Registered referrals: overdue, due today, far off, signed for."
        Case = Pool().get('jubao.case')
        today = Pool().get('ir.date').today()
        cases = {}
        for name, days in [('late', -10), ('soon', 0), ('far', 30),
                ('signed', -10)]:
            cases[name] = create_case(channel='referral',
                received_date=today - dt.timedelta(days=40),
                referral_source=ref('office_city'),
                sign_for_due=today + dt.timedelta(days=days))
        Case.register(list(cases.values()))
        Case.write([cases['signed']], {'signed_date': today})
        return cases

    @with_transaction()
    def test_deadlines_declared_once(self):
        "Each deadline's status reads as it searches, from one declaration"
        cases = self._referrals()
        create_case()  # no deadline at all
        self.assertEqual(check_deadlines(self), {None, 'due_soon', 'overdue'})
        self.assertEqual(
            {n: (c.due_status, c.next_due) for n, c in cases.items()}, {
                'late': ('overdue', cases['late'].sign_for_due),
                'soon': ('due_soon', cases['soon'].sign_for_due),
                'far': (None, cases['far'].sign_for_due),
                'signed': (None, None),
                })
        self.assertLess(cases['late'].working_days_left, 0)
        self.assertEqual(cases['soon'].working_days_left, 0)
        self.assertGreater(cases['far'].working_days_left, 0)
        self.assertIsNone(cases['signed'].working_days_left)

    @with_transaction()
    def test_deadline_reminders(self):
        "The daily job reminds the office, escalates overdue, skips done"
        pool = Pool()
        Reminder = pool.get('jubao.reminder')
        Office = pool.get('jubao.office')
        create_user('clerk_d', 'group_clerk', 'office_complaints')
        head = create_user('head_d', 'group_complaints_head',
            'office_complaints')
        Office.write([office('office_complaints')], {'leader': head.id})
        cases = self._referrals()

        created = Reminder.run_deadlines()
        sent = {(r.resource.id, r.kind, r.user.login) for r in created}
        late, soon = cases['late'].id, cases['soon'].id
        self.assertEqual(sent, {
                (late, 'overdue', 'clerk_d'), (late, 'overdue', 'head_d'),
                (late, 'escalation', 'head_d'),
                (soon, 'due_soon', 'clerk_d'), (soon, 'due_soon', 'head_d'),
                })
        self.assertIn('上级转交件', created[0].message)
        self.assertEqual(Reminder.run_deadlines(), [])

    def _schedule_fixture(self, **schedule):
        """Registered referrals due on ``DUE`` (late) and 3 days later
        (soon), the complaints office with a leader, and the re-send
        schedule ``schedule`` on the configuration."""
        pool = Pool()
        Case = pool.get('jubao.case')
        Config = pool.get('jubao.configuration')
        Office = pool.get('jubao.office')
        create_user('clerk_s', 'group_clerk', 'office_complaints')
        head = create_user('head_s', 'group_complaints_head',
            'office_complaints')
        Office.write([office('office_complaints')], {'leader': head.id})
        Config.write([Config(1)], schedule)
        cases = {}
        for name, due in [('late', DUE), ('soon', DUE + dt.timedelta(5))]:
            cases[name] = create_case(channel='referral',
                received_date=DUE - dt.timedelta(days=30),
                referral_source=ref('office_city'), sign_for_due=due)
        Case.register(list(cases.values()))
        return cases

    @with_transaction()
    def test_deadline_reminders_schedule(self):
        "Overdue daily, then every few days; escalation on its interval"
        Reminder = Pool().get('jubao.reminder')
        cases = self._schedule_fixture(reminder_overdue_daily_days=2,
            reminder_overdue_interval=3, reminder_escalation_interval=7)
        late = cases['late']

        def sent(today):
            return {(r.kind, r.user.login)
                for r in Reminder.run_deadlines(today=today)
                if r.resource == late}

        everything = {('overdue', 'clerk_s'), ('overdue', 'head_s'),
            ('escalation', 'head_s')}
        overdue = everything - {('escalation', 'head_s')}
        day = dt.timedelta(days=1)
        monday = DUE + 3 * day  # 1 working day overdue
        self.assertEqual(sent(monday), everything)
        self.assertEqual(sent(monday), set())
        self.assertEqual(sent(monday + day), overdue)  # 2 working days
        self.assertEqual(sent(monday + 2 * day), set())
        self.assertEqual(sent(monday + 3 * day), set())
        self.assertEqual(sent(monday + 4 * day), overdue)  # 3 days on
        self.assertEqual(sent(monday + 6 * day), set())
        self.assertEqual(sent(monday + 7 * day), everything)  # a week on
        reminder = Reminder.search([('kind', '=', 'escalation')])[0]
        self.assertEqual(reminder.day, monday + 7 * day)

    @with_transaction()
    def test_deadline_reminders_due_soon_once_or_daily(self):
        "Due soon: reminded once per due date, or daily when configured"
        pool = Pool()
        Config = pool.get('jubao.configuration')
        Reminder = pool.get('jubao.reminder')
        soon = self._schedule_fixture()['soon']
        day = dt.timedelta(days=1)
        monday = DUE + 3 * day

        def sent(today):
            return {r.kind for r in Reminder.run_deadlines(today=today)
                if r.resource == soon}

        self.assertEqual(Config(1).reminder_due_soon, 'once')
        self.assertEqual(sent(monday), {'due_soon'})
        self.assertEqual(sent(monday + day), set())
        Config.write([Config(1)], {'reminder_due_soon': 'daily'})
        self.assertEqual(sent(monday + 2 * day), {'due_soon'})
        self.assertEqual(sent(monday + 2 * day), set())

    @with_transaction()
    def test_deadline_reminders_bad_schedule(self):
        "An interval below one day is refused with a Chinese error"
        Config = Pool().get('jubao.configuration')
        self.assertEqual(Config(1).reminder_escalation_interval, 7)
        with self.assertRaisesRegex(UserError, '逾期升级间隔'):
            Config.write([Config(1)], {'reminder_escalation_interval': 0})

    @with_transaction()
    def test_deadline_reminders_queries_do_not_grow(self):
        "The job runs as many queries for 50 overdue items as for 5"
        pool = Pool()
        Case = pool.get('jubao.case')
        Reminder = pool.get('jubao.reminder')
        self._schedule_fixture()
        monday = DUE + dt.timedelta(days=3)

        def queries(count):
            cases = [create_case(channel='referral',
                    received_date=DUE - dt.timedelta(days=30),
                    referral_source=ref('office_city'), sign_for_due=DUE)
                for _ in range(count)]
            Case.register(cases)
            Reminder.delete(Reminder.search([]))
            with count_queries() as counter:
                created = Reminder.run_deadlines(today=monday)
            self.assertGreaterEqual(len(created), 3 * count)
            Case.write(cases, {'signed_date': monday})
            return counter.count

        few, many = queries(5), queries(50)
        self.assertLessEqual(many, few + 2)

    @with_transaction()
    def test_reminder_batch_rows(self):
        "A batch of reminders is stored and notified exactly as requested"
        pool = Pool()
        Reminder = pool.get('jubao.reminder')
        Notification = pool.get('res.notification')
        first = create_user('clerk_b1', 'group_clerk', 'office_complaints')
        second = create_user('clerk_b2', 'group_clerk', 'office_complaints')
        today = pool.get('ir.date').today()
        # More items than one browse slice of the batch insert
        count = reminder_module.BROWSE_SLICE + 5
        cases = [create_case(summary=f'批量提醒{i}') for i in range(count)]
        requests = [(case, 'overdue', [first, second], f'已逾期{i}',
                today - dt.timedelta(days=i % 3))
            for i, case in enumerate(cases)]
        created = Reminder.send_batch(requests, today)
        self.assertEqual(len(created), 2 * count)
        Transaction().cache.clear()
        stored = {(r.user.id, r.resource.id): r for r in Reminder.browse(
                    [r.id for r in created])}
        for i, case in enumerate(cases):
            for user in [first, second]:
                reminder = stored[(user.id, case.id)]
                self.assertEqual(reminder.kind, 'overdue')
                self.assertEqual(reminder.day, today)
                self.assertEqual(reminder.due_date,
                    today - dt.timedelta(days=i % 3))
                self.assertEqual(reminder.message, f'已逾期{i}')
                self.assertEqual(reminder.create_uid.id,
                    Transaction().user)
                self.assertTrue(reminder.create_date)
        notifications = Notification.search([('user', '=', first.id)])
        self.assertEqual(len(notifications), count)
        by_records = {n.records: n for n in notifications}
        for i, case in enumerate(cases):
            notification = by_records[f'[{case.id}]']
            self.assertEqual(notification.model, 'jubao.case')
            self.assertEqual(notification.description, f'已逾期{i}')
            self.assertEqual(notification.label, dict(Reminder.fields_get(
                        ['kind'])['kind']['selection'])['overdue'])
            self.assertTrue(notification.unread)
        # Idempotent within the day, whatever the batch size
        self.assertEqual(Reminder.send_batch(requests, today), [])


del ModuleTestCase
