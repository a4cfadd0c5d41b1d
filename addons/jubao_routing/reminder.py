"Daily reminders of routing, feedback and supervision deadlines."
from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('jubao.routing.reminder|run', "Send Routing Reminders"))


def _office_users(office):
    if not office:
        return set()
    users = {u.id for u in office.users}
    if office.liaison:
        users.add(office.liaison.id)
    return users


class RoutingReminder(ModelView):
    "Routing Reminders"
    __name__ = 'jubao.routing.reminder'

    @classmethod
    def items(cls, today):
        """Yield (record, due date, responsible office, users, label) of
        every open deadline up to the due-soon limit.

        Each query selects only items whose deadline falls on or before the
        limit through an indexed date column, so the job does not scan the
        tables.
        """
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        Supervision = pool.get('jubao.supervision')
        Config = pool.get('jubao.configuration')
        config = Config(1)
        limit = config.add_working_days(today, config.due_soon_days)
        complaints = config.complaints_office

        def case_users(case):
            if case.handler:
                return {case.handler.id}
            return _office_users(case.handling_office or complaints)

        for case in Case.search([
                    ('acceptance_notice_due', '<=', limit),
                    ('acceptance_notice_date', '=', None),
                    ('state', 'not in', ['draft', 'not_accepted', 'removed']),
                    ], order=[('acceptance_notice_due', 'ASC')]):
            yield (case, case.acceptance_notice_due,
                case.handling_office or complaints, case_users(case),
                gettext('jubao_routing.msg_reminder_acceptance_notice',
                    case=case.rec_name, due=case.acceptance_notice_due))
        for case in Case.search([
                    ('feedback_due', '<=', limit),
                    ('feedback_date', '=', None),
                    ('state', '=', 'concluded'),
                    ], order=[('feedback_due', 'ASC')]):
            yield (case, case.feedback_due, case.handling_office,
                case_users(case),
                gettext('jubao_routing.msg_reminder_feedback',
                    case=case.rec_name, due=case.feedback_due))
        for case in Case.search([
                    ('sign_for_due', '<=', limit),
                    ('signed_date', '=', None),
                    ('channel', '=', 'referral'),
                    ('state', 'not in', ['not_accepted', 'removed']),
                    ], order=[('sign_for_due', 'ASC')]):
            office = case.intake_office or complaints
            yield (case, case.sign_for_due, office, _office_users(office),
                gettext('jubao_routing.msg_reminder_sign_for',
                    case=case.rec_name, due=case.sign_for_due))
        for assignment in Assignment.search([
                    ('due_date', '<=', limit),
                    ('state', 'in', ['draft', 'sent']),
                    ], order=[('due_date', 'ASC')]):
            if (assignment.state == 'draft'
                    or assignment.to_office.kind in {'external', 'higher'}):
                office = assignment.from_office
            else:
                office = assignment.to_office
            users = _office_users(office)
            if assignment.handler and assignment.state == 'sent':
                users.add(assignment.handler.id)
            yield (assignment, assignment.due_date, office, users,
                gettext('jubao_routing.msg_reminder_assignment',
                    assignment=assignment.rec_name,
                    case=assignment.case.rec_name,
                    due=assignment.due_date))
        for assignment in Assignment.search([
                    ('result_due', '<=', limit),
                    ('result_date', '=', None),
                    ('state', '=', 'accepted'),
                    ('method', '=', 'assign'),
                    ], order=[('result_due', 'ASC')]):
            office = assignment.to_office
            yield (assignment, assignment.result_due, office,
                _office_users(office),
                gettext('jubao_routing.msg_reminder_assignment_result',
                    case=assignment.case.rec_name,
                    due=assignment.result_due))
        for supervision in Supervision.search([
                    ('deadline', '<=', limit),
                    ('state', '=', 'open'),
                    ], order=[('deadline', 'ASC')]):
            office = supervision.responsible_office
            yield (supervision, supervision.deadline, office,
                _office_users(office),
                gettext('jubao_routing.msg_reminder_supervision',
                    case=supervision.case.rec_name,
                    due=supervision.deadline))

    @classmethod
    def run(cls, today=None):
        """Remind the responsible users of items due soon or overdue and
        escalate overdue items to the office's leader.

        Idempotent: ``jubao.reminder`` sends one reminder per item, kind,
        user and day.  Returns the reminders created.
        """
        pool = Pool()
        Reminder = pool.get('jubao.reminder')
        if today is None:
            today = pool.get('ir.date').today()
        created = []
        with without_check_access():
            for record, due, office, users, label in cls.items(today):
                if due < today:
                    message = gettext('jubao_routing.msg_reminder_overdue',
                        label=label)
                    created += Reminder.send(
                        users, record, 'overdue', message, due_date=due)
                    if office and office.leader:
                        created += Reminder.send(
                            [office.leader], record, 'escalation',
                            gettext('jubao_routing.msg_reminder_escalation',
                                office=office.rec_name, label=label),
                            due_date=due)
                else:
                    message = gettext('jubao_routing.msg_reminder_due_soon',
                        label=label)
                    created += Reminder.send(
                        users, record, 'due_soon', message, due_date=due)
        return created
