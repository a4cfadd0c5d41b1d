"""Who owes which duty, and when a finding may be recorded (issue 9).

The acceptance notice is owed only for reports this commission handles and
is the complaints office's duty; the result feedback is the handler's;
supervision deadlines count from the supervision's date; false-accusation
marks and clarifications need a report concluded as untrue.
"""
import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from trytond.modules.jubao_intake.tests.tools import as_user, create_user

from .tools import make_case, office, rolled_back, route

D = dt.date
RECEIVED = D(2026, 3, 2)
# A day on which a notice due 15 working days after RECEIVED is overdue.
NOTICE_LATE = D(2026, 4, 1)


def reminded(reminders, record):
    "{kind: users} of the reminders about ``record``."
    result = {}
    for reminder in reminders:
        if str(reminder.resource) == str(record):
            result.setdefault(reminder.kind, set()).add(reminder.user)
    return result


class HandlingRulesTestCase(_DBTestCase):
    "Notices, feedback, supervision and false-accusation rules"
    module = 'jubao_routing'
    language = 'zh_CN'

    def complaints_staff(self):
        "A clerk and the head of the complaints office, who leads it."
        Office = Pool().get('jubao.office')
        clerk = create_user('clerk', 'group_clerk', 'office_complaints')
        chief = create_user('chief', 'group_complaints_head',
            'office_complaints')
        Office.write([office('office_complaints')], {'leader': chief.id})
        return clerk, chief

    def overdue_notice(self):
        "A first-time real-name report whose notice is overdue."
        Case = Pool().get('jubao.case')
        case = make_case(received=RECEIVED, real_name=True)
        self.assertEqual(case.due_status, 'overdue')
        self.assertIn(case, Case.search([('due_status', '=', 'overdue')]))
        return case

    def assertNoNotice(self, case):
        "No notice is owed: no status, no search hit, no reminder."
        pool = Pool()
        Case = pool.get('jubao.case')
        Reminder = pool.get('jubao.reminder')
        case = Case(case.id)
        self.assertTrue(case.handed_over)
        self.assertIsNone(case.due_status)
        self.assertIsNone(case.next_due)
        self.assertNotIn(case, Case.search([('due_status', '=', 'overdue')]))
        self.assertIn(case, Case.search([('due_status', '=', None)]))
        self.assertEqual(
            reminded(Reminder.run_deadlines(today=NOTICE_LATE), case), {})

    # Acceptance notice only for reports handled here ------------------

    @with_transaction()
    def test_notice_closed_when_sent_up(self):
        "径送: the notice closes when sent and its due date goes on receipt"
        Assignment = Pool().get('jubao.case.assignment')
        self.complaints_staff()
        case = self.overdue_notice()
        assignment = route(case, 'direct', office('office_city'),
            override_reason='由上级管理')
        self.assertNoNotice(case)
        with self.assertRaises(UserError) as cm:
            Pool().get('jubao.case.acceptance_notice', type='report').execute(
                [case.id], {})
        self.assertIn('已径送或转送', str(cm.exception))
        Assignment.accept([assignment])
        case = type(case)(case.id)
        self.assertEqual(case.state, 'transferred')
        self.assertIsNone(case.acceptance_notice_due)
        self.assertNoNotice(case)

    @with_transaction()
    def test_notice_closed_when_forwarded(self):
        "转送 to a lower unit: the lower unit owes the notice, not us"
        Assignment = Pool().get('jubao.case.assignment')
        self.complaints_staff()
        case = self.overdue_notice()
        assignment = route(case, 'forward', office('office_street_1'),
            override_reason='属下级管辖')
        self.assertNoNotice(case)
        Assignment.accept([assignment])
        case = type(case)(case.id)
        self.assertEqual(case.state, 'handling')
        self.assertIsNone(case.acceptance_notice_due)
        self.assertNoNotice(case)

    @with_transaction()
    def test_notice_runs_again_when_handoff_cancelled(self):
        "A cancelled 径送 leaves the report here: the notice is owed again"
        pool = Pool()
        Assignment = pool.get('jubao.case.assignment')
        Case = pool.get('jubao.case')
        case = self.overdue_notice()
        assignment = route(case, 'direct', office('office_city'),
            override_reason='由上级管理')
        self.assertEqual(Case(case.id).due_status, None)
        Assignment.cancel([assignment])
        self.assertFalse(Case(case.id).handed_over)
        self.assertEqual(Case(case.id).due_status, 'overdue')

    @with_transaction()
    def test_notice_owed_for_mixed_report_forwarding_its_other_part(self):
        "转送 of the out-of-scope part of a mixed report keeps the notice"
        pool = Pool()
        Case = pool.get('jubao.case')
        case = make_case(received=RECEIVED, real_name=True, scope='mixed')
        route(case, 'forward', office('office_court'),
            override_reason='业务范围外部分转送法院')
        case = Case(case.id)
        self.assertFalse(case.handed_over)
        self.assertEqual(case.due_status, 'overdue')

    # Who owes what -----------------------------------------------------

    @with_transaction()
    def test_notice_reminds_complaints_office_feedback_the_handler(self):
        "受理告知 is the complaints office's duty; 反馈 is the handler's"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        Office = pool.get('jubao.office')
        Reminder = pool.get('jubao.reminder')
        Config = pool.get('jubao.configuration')
        clerk, chief = self.complaints_staff()
        d1 = office('office_discipline_1')
        handler = create_user('handler', 'group_discipline',
            'office_discipline_1')
        colleague = create_user('colleague', 'group_discipline',
            'office_discipline_1')
        director = create_user('director', 'group_leader', 'office_general')
        Office.write([d1], {'leader': director.id})
        case = self.overdue_notice()
        Assignment.accept([route(case, 'internal', d1, handler=handler,
                    override_reason='由第一纪检监察室办理')])

        notice = reminded(Reminder.run_deadlines(today=NOTICE_LATE), case)
        self.assertEqual(notice['overdue'], {clerk, chief})
        self.assertEqual(notice['escalation'], {chief})
        self.assertNotIn(handler, set().union(*notice.values()))

        Case.write([case], {
                'acceptance_notice_date': D(2026, 3, 10),
                'acceptance_notice_method': 'phone',
                'disposition': 'verify', 'truth': 'partly',
                'concluded_date': NOTICE_LATE,
                })
        Case.conclude([case])
        config = Config(1)
        late = config.add_working_days(
            Case(case.id).feedback_due, 1)
        Reminder.delete(Reminder.search([]))
        feedback = reminded(Reminder.run_deadlines(today=late), case)
        self.assertEqual(feedback['overdue'], {handler})
        self.assertEqual(feedback['escalation'], {director})
        self.assertFalse({clerk, chief, colleague}
            & set().union(*feedback.values()))

    # Supervision -------------------------------------------------------

    @with_transaction()
    def test_supervision_deadline_from_its_date(self):
        "A supervision typed in later counts from its own date"
        pool = Pool()
        Supervision = pool.get('jubao.supervision')
        Config = pool.get('jubao.configuration')
        config = Config(1)
        case = make_case()
        supervision, = Supervision.create([{
                    'case': case.id, 'reason': '群众反映强烈',
                    'methods': ['letter'], 'date': RECEIVED,
                    'responsible_office': office('office_discipline_1').id,
                    }])
        self.assertEqual(supervision.deadline, config.add_working_days(
                RECEIVED, config.supervision_days))
        given, = Supervision.create([{
                    'case': case.id, 'reason': '群众反映强烈',
                    'methods': ['letter'], 'date': RECEIVED,
                    'deadline': D(2026, 3, 6),
                    'responsible_office': office('office_discipline_1').id,
                    }])
        self.assertEqual(given.deadline, D(2026, 3, 6))

        draft = Supervision(date=D(2026, 3, 9))
        draft.on_change_date()
        self.assertEqual(draft.deadline, config.add_working_days(
                D(2026, 3, 9), config.supervision_days))

    # False accusations and clarification -------------------------------

    def handled_case(self):
        "A report handled by a discipline officer, and that officer."
        Assignment = Pool().get('jubao.case.assignment')
        handler = create_user('handler', 'group_discipline',
            'office_discipline_1')
        case = make_case()
        Assignment.accept([route(case, 'internal',
                    office('office_discipline_1'), handler=handler,
                    override_reason='由第一纪检监察室办理')])
        return type(case)(case.id), handler

    @with_transaction()
    def test_accusation_only_on_untrue_concluded_report(self):
        "诬告陷害/错告 refused while handling and on a true report (RPC)"
        Case = Pool().get('jubao.case')
        case, handler = self.handled_case()
        with as_user(handler):
            with rolled_back(), self.assertRaises(ValidationError) as cm:
                Case.write([Case(case.id)], {'accusation': 'false_accusation'})
            self.assertIn('不属实', str(cm.exception))
            Case.write([Case(case.id)],
                {'disposition': 'verify', 'truth': 'true'})
            Case.conclude([Case(case.id)])
            with rolled_back(), self.assertRaises(ValidationError):
                Case.write([Case(case.id)], {'accusation': 'mistaken'})
        self.assertIsNone(Case(case.id).accusation)

        untrue, handler2 = self.handled_case_untrue()
        with as_user(handler2):
            Case.write([Case(untrue.id)], {'accusation': 'false_accusation'})
        self.assertEqual(Case(untrue.id).accusation, 'false_accusation')

        # Reopened, the report is no longer found untrue: the mark goes.
        Case.write([untrue], {'new_evidence': '举报人补充了新的证据材料'})
        Case.reopen([untrue])
        self.assertIsNone(Case(untrue.id).accusation)

    def handled_case_untrue(self):
        "A report concluded as untrue by its handler, and that handler."
        Assignment = Pool().get('jubao.case.assignment')
        Case = Pool().get('jubao.case')
        handler = create_user('handler2', 'group_discipline',
            'office_discipline_2')
        case = make_case()
        Assignment.accept([route(case, 'internal',
                    office('office_discipline_2'), handler=handler,
                    override_reason='由第二纪检监察室办理')])
        Case.write([case], {'disposition': 'close', 'truth': 'false'})
        Case.conclude([case])
        return Case(case.id), handler

    @with_transaction()
    def test_clarification_only_for_untrue_report(self):
        "澄清正名 refused for a report found true or unverifiable"
        pool = Pool()
        Case = pool.get('jubao.case')
        Clarification = pool.get('jubao.clarification')
        for truth in ['true', 'partly', 'unverifiable']:
            with self.subTest(truth=truth):
                case = make_case(summary='反映问题%s' % truth)
                pool.get('jubao.case.assignment').accept([route(case,
                            'internal', office('office_discipline_1'),
                            override_reason='内部办理')])
                Case.write([case], {'disposition': 'close', 'truth': truth})
                Case.conclude([case])
                subject, = Case(case.id).subjects
                with rolled_back(), \
                        self.assertRaises(ValidationError) as cm:
                    Clarification.create([{'case': case.id,
                                'subject': subject.id, 'method': 'talk'}])
                self.assertIn('不能澄清正名', str(cm.exception))
        untrue, _ = self.handled_case_untrue()
        subject, = untrue.subjects
        clarification, = Clarification.create([{'case': untrue.id,
                    'subject': subject.id, 'method': 'talk'}])
        self.assertEqual(clarification.state, 'draft')

    # Appeals and criticism are answered, not verified ------------------

    def concluded(self, kind, **values):
        "A report of ``kind`` handled internally and concluded."
        pool = Pool()
        Case = pool.get('jubao.case')
        case = make_case(accept=False, summary='关于%s的来信' % kind)
        Case.write([case], {'kind': kind})
        Case.accept([case])
        pool.get('jubao.case.assignment').accept([route(case, 'internal',
                    office('office_discipline_1'),
                    override_reason='内部办理')])
        Case.write([case], dict({'disposition': 'close'}, **values))
        Case.conclude([case])
        return Case(case.id)

    @with_transaction()
    def test_appeal_and_suggestion_concluded_without_truth(self):
        "申诉 and 批评建议 conclude without a truth finding; 检举控告 not"
        for kind in ['appeal', 'suggestion']:
            with self.subTest(kind=kind):
                case = self.concluded(kind)
                self.assertEqual(case.state, 'concluded')
                self.assertIsNone(case.truth)
        with self.assertRaises(UserError) as cm:
            self.concluded('accusation')
        self.assertIn('是否属实', str(cm.exception))

    @with_transaction()
    def test_no_false_accusation_mark_on_appeal(self):
        "诬告陷害 and 澄清正名 concern accusations only, not appeals"
        pool = Pool()
        Case = pool.get('jubao.case')
        Clarification = pool.get('jubao.clarification')
        appeal = self.concluded('appeal', truth='false')
        with rolled_back(), self.assertRaises(ValidationError):
            Case.write([appeal], {'accusation': 'false_accusation'})
        subject, = appeal.subjects
        with rolled_back(), self.assertRaises(ValidationError):
            Clarification.create([{'case': appeal.id,
                        'subject': subject.id, 'method': 'talk'}])


del _DBTestCase
