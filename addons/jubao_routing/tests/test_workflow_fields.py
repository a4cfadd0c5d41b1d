"""Workflow fields are set by buttons and wizards only, never over RPC.

A restricted user who could create a hand-off already "sent" to their own
office would open any report to themselves through the record rule that
admits reports handed to their office; the same holds for every field the
workflow sets (state, approvals, due dates, repeat links, handling office).
"""
import datetime as dt

from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from trytond.modules.jubao_intake.tests.tools import create_user

from . import tools as tm

D = dt.date


def today():
    return Pool().get('ir.date').today()


def as_user(user):
    "Act as ``user`` over RPC: access rights and record rules enforced."
    transaction = Transaction()
    return transaction.set_user(user.id), transaction.set_context(
        _check_access=True)


class WorkflowFieldsTestCase(_DBTestCase):
    "Workflow fields cannot be forged by create or write"
    module = 'jubao_routing'
    language = 'zh_CN'

    def restricted_users(self):
        "Roles that see only the reports of their office."
        return {
            'street': create_user('wf_street', 'group_unit',
                'office_street_1'),
            'stationed': create_user('wf_pz', 'group_unit',
                'office_stationed_1'),
            'discipline': create_user('wf_jjs2', 'group_discipline',
                'office_discipline_2'),
            }

    def assert_refused(self, func, *args):
        "The call raises an AccessError and what it wrote is undone."
        with tm.rolled_back():
            with self.assertRaises(AccessError) as cm:
                func(*args)
        return str(cm.exception)

    @with_transaction()
    def test_forged_handoff_refused(self):
        "A hand-off cannot be created sent or accepted to open a report"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        users = self.restricted_users()
        # Handled by the first discipline office, unreadable for all three
        case = tm.make_case(summary="第一纪检监察室办理的举报")
        Assignment.accept([tm.route(case, 'internal',
                    tm.office('office_discipline_1'))])
        own_office = {'street': 'office_street_1',
            'stationed': 'office_stationed_1',
            'discipline': 'office_discipline_2'}
        for role, user in users.items():
            to_office = tm.office(own_office[role])
            method = 'internal' if role == 'discipline' else 'assign'
            base = {'case': case.id, 'method': method,
                'from_office': tm.office('office_complaints').id,
                'to_office': to_office.id}
            # As the approved hand-off of the workflow would look
            approved = dict(base, state='sent', approved_by=user.id,
                date=today())
            forged = [dict(base, state='sent'), dict(base, state='accepted'),
                dict(base, approved_by=user.id), approved]
            set_user, set_context = as_user(user)
            with self.subTest(role=role), set_user, set_context:
                for values in forged:
                    message = self.assert_refused(Assignment.create, [values])
                    self.assertNotIn("第一纪检监察室办理的举报", message)
                message = self.assert_refused(Assignment.create, [approved])
                self.assertIn('流程按钮或向导', message)
                # A draft of a report the user cannot read: refused as well
                self.assert_refused(Assignment.create, [base])
                with self.assertRaises(AccessError):
                    Case.read([case.id], ['summary'])
                self.assertEqual(Case.search([('id', '=', case.id)]), [])

    @with_transaction()
    def test_created_with_workflow_relations_refused(self):
        "A report cannot be created with hand-offs, repeats or supervisions"
        pool = Pool()
        Case = pool.get('jubao.case')
        clerk = create_user('wf_clerk', 'group_clerk', 'office_complaints')
        earlier = tm.make_case(summary="较早的举报")
        street = tm.office('office_street_1')
        base = {'channel': 'letter', 'summary': "新收到的来信",
            'received_date': today(),
            'subjects': [('create', [{'name': '王某'}])]}
        forged = {
            'assignments': [('create', [{'method': 'assign',
                            'from_office': tm.office('office_complaints').id,
                            'to_office': street.id}])],
            'repeats': [('add', [earlier.id])],
            'supervisions': [('create', [{'level': 'complaints',
                            'reason': "督办理由", 'date': today(),
                            'deadline': today(),
                            'responsible_office': street.id}])],
            }
        set_user, set_context = as_user(clerk)
        with set_user, set_context:
            count = Case.search_count([])
            for name, value in forged.items():
                with self.subTest(field=name):
                    self.assert_refused(
                        Case.create, [dict(base, **{name: value})])
                    self.assertEqual(Case.search_count([]), count)
            # Without them the same report is created
            case, = Case.create([base])
        self.assertEqual(case.assignments, ())
        self.assertIsNone(Case(earlier.id).repeat_of)

    @with_transaction()
    def test_workflow_fields_not_written(self):
        "State, links, offices and due dates cannot be written directly"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        street = tm.office('office_street_1')
        user = self.restricted_users()['street']
        mine = tm.make_case(authority='street', street=street,
            real_name=True)
        other = tm.make_case(summary="另一件举报")
        sent = tm.route(mine, 'assign', street, override_reason='交办')
        set_user, set_context = as_user(user)
        with set_user, set_context:
            case = Case(mine.id)
            for values in [{'state': 'concluded'},
                    {'handling_office': street.id},
                    {'repeat_of': other.id},
                    {'acceptance_notice_due': D(2020, 1, 1)},
                    {'feedback_due': D(2020, 1, 1)},
                    {'number': 'X'},
                    {'assignments': [('create', [{
                                    'method': 'assign',
                                    'from_office': street.id,
                                    'to_office': street.id}])]},
                    ]:
                with self.subTest(values=values):
                    message = self.assert_refused(Case.write, [case], values)
                    self.assertIn(case.number, message)
            # Sending back the current value (sao does) is accepted
            Case.write([case], {'state': case.state,
                    'acceptance_notice_due': case.acceptance_notice_due})
            assignment = Assignment(sent.id)
            for values in [{'state': 'accepted'},
                    {'accepted_by': user.id}, {'due_date': D(2099, 1, 1)},
                    {'case': other.id},
                    {'to_office': tm.office('office_street_2').id}]:
                with self.subTest(values=values):
                    self.assert_refused(Assignment.write, [assignment], values)
            # What the receiving office may edit stays writable
            Assignment.write([assignment], {'handler': user.id})
            Assignment.accept([assignment])
            self.assertEqual(Case(mine.id).state, 'handling')
            self.assertEqual(Case(mine.id).handling_office, street)

    @with_transaction()
    def test_legitimate_flow_over_rpc(self):
        "Defaults pass on create; buttons and wizards set the workflow"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        Route = pool.get('jubao.case.route', type='wizard')
        clerk = create_user('wf_clerk', 'group_clerk',
            'office_complaints')
        head = create_user('wf_head', 'group_complaints_head',
            'office_complaints')
        case = tm.make_case()
        set_user, set_context = as_user(clerk)
        with set_user, set_context:
            # What sao sends on create: the defaults of the workflow fields
            draft, = Case.create([{
                        'channel': 'letter', 'summary': '新收来信',
                        'state': 'draft', 'number': None,
                        'handling_office': None, 'repeat_of': None,
                        'online_checked': False, 'reopen_count': 0,
                        'acceptance_notice_due': None,
                        }])
            self.assertEqual(draft.state, 'draft')
            with Transaction().set_context(
                    active_model='jubao.case', active_id=case.id,
                    active_ids=[case.id]):
                session_id, _, _ = Route.create()
                defaults = Route.execute(session_id, {}, 'start')[
                    'view']['defaults']
                start = {k: v for k, v in defaults.items() if '.' not in k}
                start.update({
                        'method': 'internal',
                        'to_office': tm.office('office_discipline_1').id,
                        'override_reason': '按分工移送',
                        })
                Route.execute(session_id, {'start': start}, 'create_')
            assignment, = Assignment.search([('case', '=', case.id)])
            self.assertEqual(assignment.state, 'draft')
            self.assertEqual(assignment.requested_by, clerk)
            own, = Assignment.create([{
                        'case': case.id, 'method': 'internal',
                        'from_office': tm.office('office_complaints').id,
                        'to_office': tm.office('office_discipline_2').id,
                        'state': 'draft', 'requested_by': clerk.id,
                        }])
            Assignment.delete([own])
        set_user, set_context = as_user(head)
        with set_user, set_context:
            Assignment.send([Assignment(assignment.id)])
            assignment = Assignment(assignment.id)
            self.assertEqual(assignment.state, 'sent')
            self.assertEqual(assignment.approved_by, head)
            self.assertTrue(assignment.due_date)
            # A copy starts afresh instead of carrying the approval
            copy, = Assignment.copy([assignment])
            self.assertEqual(copy.state, 'draft')
            self.assertIsNone(copy.approved_by)
            self.assertIsNone(copy.due_date)
            self.assertEqual(copy.requested_by, head)

    @with_transaction()
    def test_supervision_and_clarification_forged(self):
        "Supervisions, notes and clarifications start in their first state"
        pool = Pool()
        Case = pool.get('jubao.case')
        Supervision = pool.get('jubao.supervision')
        Note = pool.get('jubao.supervision.note')
        Clarification = pool.get('jubao.clarification')
        clerk = create_user('wf_clerk2', 'group_clerk',
            'office_complaints')
        leader = create_user('wf_leader', 'group_leader',
            'office_general')
        street = self.restricted_users()['street']
        case = tm.make_case()
        tm.route(case, 'internal', tm.office('office_discipline_1'))
        concluded = tm.make_case(summary="已办结举报")
        Case.write([concluded], {'state': 'concluded', 'disposition': 'close',
                'truth': 'false', 'concluded_date': today()})
        subject = concluded.subjects[0]
        base = {'case': case.id, 'reason': '群众关注', 'methods': ['phone'],
            'responsible_office': tm.office('office_discipline_1').id}
        set_user, set_context = as_user(clerk)
        with set_user, set_context:
            for values in [dict(base, state='open'),
                    dict(base, opened_by=clerk.id),
                    dict(base, closed_date=today())]:
                self.assert_refused(Supervision.create, [values])
            supervision, = Supervision.create([base])
            self.assert_refused(
                Supervision.write, [supervision], {'state': 'closed'})
            self.assert_refused(Note.create, [{
                        'supervision': supervision.id, 'note': '电话催办',
                        'user': leader.id}])
            Note.create([{'supervision': supervision.id, 'note': '电话催办'}])
        set_user, set_context = as_user(leader)
        with set_user, set_context:
            Supervision.open([supervision])
            supervision = Supervision(supervision.id)
            self.assertEqual(supervision.state, 'open')
            self.assert_refused(Supervision.write, [supervision],
                {'responsible_office': tm.office('office_discipline_2').id})
            Supervision.write([supervision], {'deadline': today()})
        set_user, set_context = as_user(clerk)
        with set_user, set_context:
            clarification = {'case': concluded.id, 'subject': subject.id,
                'method': 'letter'}
            for values in [dict(clarification, state='approved'),
                    dict(clarification, approved_by=leader.id),
                    dict(clarification, requested_by=leader.id)]:
                self.assert_refused(Clarification.create, [values])
            Clarification.create([clarification])
        set_user, set_context = as_user(street)
        with set_user, set_context:
            # Not the street's report: no supervision can be filed on it
            self.assert_refused(Supervision.create, [base])
