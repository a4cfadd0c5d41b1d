"""The batch path of the daily deadline reminders (``deadline.py``).

Hand-offs and supervisions override ``deadline_facts`` and
``deadline_labels`` with one query per chunk: what they give must be what
their per-record methods (``*_responsible``, ``deadline_label``) give, and
the job must not fall back to the per-record methods for them.
"""
import datetime as dt
from unittest.mock import patch

from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from trytond.modules.jubao_intake.deadline import (
    DeadlineMixin, case_rec_name)
from trytond.modules.jubao_intake.tests.tools import create_case, create_user

from trytond.modules.jubao_routing.tests.tools import (
    make_case, office, route)


def _per_record(Model, deadline, ids):
    """(facts, labels) of ``ids`` from the per-record methods, as the
    default hooks compute them."""
    facts, labels = {}, {}
    for record in Model.browse(ids):
        due = getattr(record, deadline.due)
        office_, users = getattr(record, deadline.responsible)()
        facts[record.id] = (due, office_.id if office_ else None,
            {int(u) for u in users})
        labels[record.id] = record.deadline_label(deadline, due)
    return facts, labels


def _batch(Model, deadline, ids):
    facts = {i: (due, office_, {int(u) for u in users})
        for i, (due, office_, users)
        in Model.deadline_facts(deadline, ids).items()}
    labels = Model.deadline_labels(deadline, ids,
        {i: f[0] for i, f in facts.items()})
    return facts, labels


class ReminderBatchTestCase(_DBTestCase):
    "Batch reminder hooks of hand-offs and supervisions"
    module = 'jubao_routing'
    language = 'zh_CN'

    def _items(self):
        """Hand-offs in every responsible branch and supervisions with and
        without an official number, all overdue."""
        pool = Pool()
        Assignment = pool.get('jubao.case.assignment')
        Supervision = pool.get('jubao.supervision')
        Office = pool.get('jubao.office')
        today = pool.get('ir.date').today()
        late = today - dt.timedelta(days=10)
        street = office('office_street_3')
        self.liaison = create_user('liaison_b', 'group_unit',
            'office_street_3')
        self.boss = create_user('boss_b', 'group_unit', 'office_street_3')
        Office.write([street], {'leader': self.boss.id,
                'liaison': self.liaison.id})
        create_user('d1_b', 'group_discipline', 'office_discipline_1')
        create_user('clerk_b', 'group_clerk', 'office_complaints')
        handler = create_user('handler_b', 'group_unit', 'office_street_1')
        create_user('unit1_b', 'group_unit', 'office_street_1')

        # Sent to a unit inside the system, escalated to its leader.
        sent = route(make_case(authority='street', street=street))
        # Sent with a named handler: the handler is reminded too.
        named = route(make_case(authority='street',
                street=office('office_street_1')), handler=handler)
        # Sent up to a higher body (outside): the sender answers for it.
        up = route(make_case(), 'direct', office('office_city'),
            override_reason='上级要求径送')
        # Still a draft: the sender answers for it.
        draft = Assignment.create_for(make_case(), 'direct',
            office('office_province'))
        Assignment.write([sent, named, up, draft], {'due_date': late})
        # The result of a 交办 is due.
        assigned = route(make_case(authority='street',
                street=office('office_street_1')))
        Assignment.accept([assigned])
        Assignment.write([assigned], {'result_due': late})

        # Supervised reports handled by the responsible office (whose
        # users may read them).
        handled = [make_case() for _ in range(2)]
        Assignment.accept([route(c, to_office=office('office_discipline_1'))
                for c in handled])
        supervisions = Supervision.create([{
                    'case': case.id, 'reason': '重点事项',
                    'methods': ['phone'],
                    'date': today - dt.timedelta(days=20),
                    'deadline': late,
                    'responsible_office': office('office_discipline_1').id,
                    } for case in handled])
        Supervision.open(supervisions[:1])
        handoffs = [sent, named, up, draft]
        return ([Assignment(a.id) for a in handoffs], Assignment(assigned.id),
            [Supervision(s.id) for s in supervisions])

    @with_transaction()
    def test_batch_equals_per_record(self):
        "Batch facts and labels of hand-offs and supervisions: per record's"
        pool = Pool()
        Assignment = pool.get('jubao.case.assignment')
        Supervision = pool.get('jubao.supervision')
        handoffs, assigned, supervisions = self._items()
        self.assertIn('draft', {a.state for a in handoffs})
        self.assertTrue(any(a.handler for a in handoffs))
        self.assertTrue(supervisions[0].number)
        self.assertFalse(supervisions[1].number)
        deadlines = {d.name: d for d in
            Assignment.deadlines() + Supervision.deadlines()}
        for Model, name, records in [
                (Assignment, 'handoff', handoffs),
                (Assignment, 'result', [assigned]),
                (Supervision, 'supervision', supervisions)]:
            with self.subTest(deadline=name):
                ids = [r.id for r in records]
                expected = _per_record(Model, deadlines[name], ids)
                self.assertEqual(_batch(Model, deadlines[name], ids),
                    expected)
                # The default (per-record) hooks give the same too.
                facts = DeadlineMixin.deadline_facts.__func__(
                    Model, deadlines[name], ids)
                self.assertEqual({i: (d, o, {int(u) for u in us})
                        for i, (d, o, us) in facts.items()}, expected[0])
                self.assertEqual(DeadlineMixin.deadline_labels.__func__(
                        Model, deadlines[name], ids,
                        {i: f[0] for i, f in facts.items()}), expected[1])
                # Chinese text, naming the report
                for record in records:
                    self.assertIn(record.case.rec_name,
                        expected[1][record.id])

    @with_transaction()
    def test_unregistered_report_name(self):
        "A report without number is named as its rec_name names it"
        case = create_case(summary='反映某街道办事处主任违规使用公车问题及其他')
        self.assertFalse(case.number)
        self.assertEqual(case_rec_name(case.number, case.summary),
            case.rec_name)

    @with_transaction()
    def test_job_uses_batch_path(self):
        """The daily job reminds hand-offs and supervisions without their
        per-record methods, with the same text and bell, once a day"""
        pool = Pool()
        Assignment = pool.get('jubao.case.assignment')
        Supervision = pool.get('jubao.supervision')
        Reminder = pool.get('jubao.reminder')
        Notification = pool.get('res.notification')
        handoffs, assigned, supervisions = self._items()
        deadlines = {d.name: d for d in
            Assignment.deadlines() + Supervision.deadlines()}
        expected = {}
        for Model, name, records in [
                (Assignment, 'handoff', handoffs),
                (Assignment, 'result', [assigned]),
                (Supervision, 'supervision', supervisions[:1])]:
            facts, labels = _per_record(
                Model, deadlines[name], [r.id for r in records])
            for record in records:
                _, _, users = facts[record.id]
                # Only who may read the item is reminded of it.
                for user in Reminder.readers(sorted(users), record):
                    expected[(str(record), 'overdue', user)] = (
                        '已超期：' + labels[record.id])

        def refuse(*args, **kwargs):
            raise AssertionError("per-record reminder method called")
        with patch.object(Assignment, 'deadline_label', refuse), \
                patch.object(Assignment, 'handoff_responsible', refuse), \
                patch.object(Assignment, 'result_responsible', refuse), \
                patch.object(Supervision, 'deadline_label', refuse), \
                patch.object(Supervision, 'deadline_responsible', refuse):
            created = Reminder.run_deadlines()
        got = {(str(r.resource), r.kind, r.user.id): r.message
            for r in created if r.kind == 'overdue'
            and r.resource.__name__ in {Assignment.__name__,
                Supervision.__name__}}
        self.assertEqual(got, expected)
        self.assertEqual({k[0] for k in expected},
            {str(r) for r in handoffs + [assigned] + supervisions[:1]})
        # Escalated to the leader of the street office, in its name.
        sent = handoffs[0]
        escalations = [r for r in created if r.kind == 'escalation'
            and str(r.resource) == str(sent)]
        self.assertEqual([r.user for r in escalations], [self.boss])
        self.assertIn(sent.to_office.rec_name, escalations[0].message)
        # The named handler and the liaison are reminded.
        named = handoffs[1]
        self.assertIn((str(named), 'overdue', named.handler.id), got)
        self.assertIn((str(sent), 'overdue', self.liaison.id), got)
        # The bell: one notification per reminder, with its text.
        notifications = Notification.search([])
        self.assertEqual(
            sorted((n.user.id, n.description, n.model, n.records)
                for n in notifications if n.model in {
                    Assignment.__name__, Supervision.__name__}),
            sorted((r.user.id, r.message, r.resource.__name__,
                    '[%d]' % r.resource.id) for r in created
                if r.resource.__name__ in {
                    Assignment.__name__, Supervision.__name__}))

        # Idempotent: a second run the same day sends nothing.
        count = Reminder.search_count([])
        self.assertEqual(Reminder.run_deadlines(), [])
        self.assertEqual(Reminder.search_count([]), count)
        self.assertEqual(len(Notification.search([])), len(notifications))


del _DBTestCase
