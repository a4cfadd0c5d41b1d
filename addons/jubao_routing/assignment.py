"Hand-offs (径送/移送/转送/交办/退回) of reports between offices."
from sql import Column

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access

from jubao import routing as rules

from trytond.modules.jubao_intake.deadline import (
    Deadline, DeadlineMixin, case_rec_name, message_template, office_name,
    office_user_ids, office_users, selection_strings)
from trytond.modules.jubao_intake.office import OFFICE_KINDS
from trytond.modules.jubao_intake.timeline import TimelineMixin
from trytond.modules.jubao_intake.workflow import WorkflowFieldsMixin

from .exceptions import AssignmentError, AssignmentValidationError
from .rule import METHODS, ROUTING_METHODS
from .summary import CaseSummaryMixin

# Receiving units outside the system: the sender records the receipt.
OUTSIDE_KINDS = {'external', 'higher'}


def handoff_name(method, from_office, to_office):
    "A hand-off's name: how, from and to whom (径送 区纪委监委 → 市纪委监委)."
    return '%s %s → %s' % (method, from_office, to_office)


def _is_leader():
    "Whether the user is a responsible leader of the commission (分管领导)."
    User = Pool().get('res.user')
    return not Transaction().user or User._jubao_in_groups(['group_leader'])


class Assignment(CaseSummaryMixin, DeadlineMixin, WorkflowFieldsMixin,
        Workflow, TimelineMixin, ModelSQL, ModelView):
    __string__ = "Hand-off"
    __name__ = 'jubao.case.assignment'
    _states = {'readonly': Eval('state') != 'draft'}

    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE', states=_states)
    method = fields.Selection(METHODS, "Method", required=True, sort=False,
        states=_states)
    from_office = fields.Many2One('jubao.office', "From", required=True,
        ondelete='RESTRICT', states=_states)
    to_office = fields.Many2One('jubao.office', "To", required=True,
        ondelete='RESTRICT', states=_states)
    method_string = method.translated('method')
    to_office_kind = fields.Function(fields.Selection(OFFICE_KINDS,
            "Destination Kind"), 'on_change_with_to_office_kind')
    to_office_kind_string = to_office_kind.translated('to_office_kind')
    out_of_scope_part = fields.Function(fields.Boolean("Out-of-Scope Part",
            help="A forward of the out-of-scope part of a mixed report to "
            "the competent body: it leaves the report with the office "
            "handling the in-scope part."), 'on_change_with_out_of_scope_part')
    proposed_method = fields.Selection([(None, "")] + ROUTING_METHODS,
        "Proposed Method", readonly=True)
    proposed_office = fields.Many2One('jubao.office', "Proposed Destination",
        readonly=True, ondelete='SET NULL')
    rule = fields.Many2One('jubao.routing.rule', "Rule", readonly=True,
        ondelete='SET NULL')
    override_reason = fields.Text("Reason for Override", states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('method') == 'return',
            })
    reason = fields.Text("Reason", states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('method') == 'return',
            })
    date = fields.Date("Date", readonly=True,
        help="When the hand-off was approved and sent.")
    due_date = fields.Date("Due Date", readonly=True,
        help="Deadline of the current step: sending up for 径送, "
        "registration by the receiving unit otherwise.")
    requested_by = fields.Many2One('res.user', "Requested by",
        readonly=True)
    approved_by = fields.Many2One('res.user', "Approved by", readonly=True)
    accepted_by = fields.Many2One('res.user', "Accepted by", readonly=True)
    accepted_date = fields.Date("Accepted on", readonly=True)
    handler = fields.Many2One('res.user', "Handler", ondelete='RESTRICT',
        states={'readonly': ~Eval('state').in_(['draft', 'sent'])},
        help="The named handler in the receiving office.")
    result_due = fields.Date("Result Report Due", readonly=True,
        states={'invisible': Eval('method') != 'assign'})
    result_date = fields.Date("Result Reported on",
        states={
            'invisible': Eval('method') != 'assign',
            'readonly': Eval('state') != 'accepted',
            })
    result_report = fields.Text("Result Report",
        states={
            'invisible': Eval('method') != 'assign',
            'readonly': Eval('state') != 'accepted',
            'required': Bool(Eval('result_date')),
            })
    informed_office = fields.Many2One('jubao.office', "Informed Office",
        readonly=True, ondelete='SET NULL',
        states={'invisible': Eval('method') != 'internal'})
    state = fields.Selection([
            ('draft', "Draft"),
            ('sent', "Sent"),
            ('accepted', "Accepted"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('case')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.case, Index.Equality())),
                Index(t, (t.due_date, Index.Range()),
                    where=t.state.in_(['draft', 'sent'])),
                Index(t, (t.result_due, Index.Range()),
                    where=t.result_date == None),  # noqa: E711
                Index(t, (t.to_office, Index.Equality()),
                    where=t.state == 'sent'),
                })
        cls._order = [('id', 'DESC')]
        # A hand-off sent to an office opens the report to it: only the
        # Route wizard and the buttons set its workflow.
        cls._workflow_fields |= {
            'state', 'date', 'due_date', 'requested_by', 'approved_by',
            'accepted_by', 'accepted_date', 'result_due', 'informed_office',
            'proposed_method', 'proposed_office', 'rule',
            }
        cls._workflow_draft_fields |= {
            'case', 'method', 'from_office', 'to_office', 'override_reason',
            'reason',
            }
        cls._workflow_parents |= {'case'}
        cls._transitions |= {
            ('draft', 'sent'),
            ('draft', 'cancelled'),
            ('sent', 'accepted'),
            ('sent', 'cancelled'),
            }
        # Timeline entries (jubao_intake/timeline.py), on the hand-off and
        # on its report; returns pick their own wording (timeline_message)
        cls._timeline_states.update({
                'sent': 'jubao_routing.msg_timeline_assignment_sent',
                'accepted': 'jubao_routing.msg_timeline_assignment_accepted',
                'cancelled':
                'jubao_routing.msg_timeline_assignment_cancelled',
                })
        cls._timeline_case_states.update({
                'sent': 'jubao_routing.msg_timeline_case_assignment_sent',
                'accepted':
                'jubao_routing.msg_timeline_case_assignment_accepted',
                'cancelled':
                'jubao_routing.msg_timeline_case_assignment_cancelled',
                })
        cls._timeline_case_create = (
            'jubao_routing.msg_timeline_case_return_requested')
        cls._buttons.update({
                'send': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'accept': {
                    'invisible': Eval('state') != 'sent',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'sent']),
                    'depends': ['state'],
                    },
                'report_result': {
                    'invisible': ((Eval('state') != 'accepted')
                        | (Eval('method') != 'assign')
                        | Bool(Eval('result_date'))),
                    'depends': ['state', 'method', 'result_date'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_requested_by():
        return Transaction().user

    @fields.depends('to_office')
    def on_change_with_to_office_kind(self, name=None):
        return self.to_office.kind if self.to_office else None

    @fields.depends('method', 'case', '_parent_case.scope', 'to_office',
        '_parent_to_office.kind')
    def on_change_with_out_of_scope_part(self, name=None):
        """On a mixed report (业务范围内外交织) a 转送 to an external body is
        its out-of-scope part (as ``jubao.case.handed_over`` reads it)."""
        return bool(self.method == 'forward' and self.case
            and self.case.scope == 'mixed'
            and self.to_office and self.to_office.kind == 'external')

    def timeline_variables(self):
        variables = super().timeline_variables()
        variables.update({
                'case': self._timeline_name(self.case),
                'method': self.method_string or '',
                'from_office': self._timeline_name(self.from_office),
                'to_office': self._timeline_name(self.to_office),
                'reason': (self.reason or '').strip(),
                })
        return variables

    def timeline_message(self, msg):
        msg = super().timeline_message(msg)
        prefix = 'jubao_routing.msg_timeline_'
        if self.method == 'return':
            return {
                # approved by another person, a return takes effect at
                # once: draft -> accepted
                prefix + 'assignment_sent': prefix + 'return_sent',
                prefix + 'assignment_accepted': prefix + 'return_sent',
                prefix + 'case_assignment_sent': prefix + 'case_return_sent',
                prefix + 'case_assignment_accepted':
                prefix + 'case_return_sent',
                }.get(msg, msg)
        # the report's own entry (handling, transferred) says it
        if msg in {prefix + 'case_assignment_accepted',
                prefix + 'case_return_requested'}:
            return None
        return msg

    def get_rec_name(self, name):
        return handoff_name(self.method_string,
            self.from_office.rec_name if self.from_office else '',
            self.to_office.rec_name if self.to_office else '')

    # Validation --------------------------------------------------------

    @classmethod
    def validate_fields(cls, assignments, field_names):
        super().validate_fields(assignments, field_names)
        for assignment in assignments:
            assignment.check_destination()
            if assignment.handler and (not field_names
                    or 'handler' in field_names):
                assignment.case.check_not_recused(assignment.handler)
            if assignment.result_date and assignment.accepted_date and (
                    assignment.result_date < assignment.accepted_date):
                raise AssignmentValidationError(gettext(
                        'jubao_routing.msg_assignment_result_before_accept',
                        assignment=assignment.rec_name))

    def check_destination(self):
        self.to_office_kind = kind = self.to_office.kind
        if not rules.kind_allowed(self.method, kind):
            raise AssignmentValidationError(gettext(
                    'jubao_routing.msg_assignment_wrong_kind',
                    method=self.method_string,
                    office=self.to_office.rec_name,
                    kind=self.to_office_kind_string))
        if self.to_office == self.from_office:
            raise AssignmentValidationError(gettext(
                    'jubao_routing.msg_assignment_same_office',
                    office=self.to_office.rec_name))

    @classmethod
    def check_modification(cls, mode, assignments, values=None,
            external=False):
        super().check_modification(
            mode, assignments, values=values, external=external)
        if mode == 'delete':
            for assignment in assignments:
                if assignment.state != 'draft':
                    raise AssignmentError(gettext(
                            'jubao_routing.msg_assignment_delete',
                            assignment=assignment.rec_name))

    def check_case_state(self):
        """Accepted reports are routed; the out-of-scope part of a mixed
        report is forwarded before or after its in-scope part is handed
        off; reports not accepted as out of scope may only be forwarded to
        the competent external body."""
        case = self.case
        if case.state == 'accepted':
            return
        if self.on_change_with_out_of_scope_part() and case.state in {
                'handling', 'transferred', 'concluded'}:
            return
        if (case.state == 'not_accepted' and case.scope == 'out_of_scope'
                and self.method == 'forward'
                and self.to_office.kind == 'external'):
            return
        raise AssignmentError(gettext(
                'jubao_routing.msg_assignment_case_state',
                case=case.rec_name))

    # Deadlines ---------------------------------------------------------

    @classmethod
    def deadlines(cls):
        return super().deadlines() + [
            Deadline('handoff', 'due_date',
                [('state', 'in', ['draft', 'sent'])],
                'handoff_responsible', 'jubao_routing.msg_reminder_assignment',
                compute='compute_handoff_due'),
            Deadline('result', 'result_due', [
                    ('method', '=', 'assign'),
                    ('state', '=', 'accepted'),
                    ('result_date', '=', None),
                    ], 'result_responsible',
                'jubao_routing.msg_reminder_assignment_result',
                compute='compute_result_due'),
            ]

    def compute_handoff_due(self):
        "The due date of the current step by the rule, once it runs."
        if self.method != 'direct' and not self.date:
            return None
        return self.compute_due_date(self.date)

    def compute_result_due(self):
        "A 交办 result is reported within N working days of acceptance."
        if self.method != 'assign' or not self.accepted_date:
            return None
        config = Pool().get('jubao.configuration')(1)
        return config.add_working_days(
            self.accepted_date, config.assign_result_days)

    def handoff_responsible(self):
        """The sender until it sends, or when the receiving unit is outside
        the system (the sender records the receipt); else the receiving
        office and its named handler."""
        if self.state == 'draft' or self.to_office.kind in OUTSIDE_KINDS:
            office = self.from_office
        else:
            office = self.to_office
        users = office_users(office)
        if self.handler and self.state == 'sent':
            users.add(self.handler.id)
        return office, users

    def result_responsible(self):
        "The office a report was assigned to (交办) reports the result."
        return self.to_office, office_users(self.to_office)

    def deadline_label(self, deadline, due):
        return gettext(deadline.message, record=self.rec_name,
            case=self.case.rec_name, due=due)

    @classmethod
    def deadline_facts(cls, deadline, ids):
        """``handoff_responsible`` and ``result_responsible`` of the hand-offs
        of ``ids`` in one query (see ``DeadlineMixin.deadline_facts``)."""
        if deadline.name not in {'handoff', 'result'}:
            return super().deadline_facts(deadline, ids)
        Office = Pool().get('jubao.office')
        assignment = cls.__table__()
        to_office = Office.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*assignment.join(to_office,
                condition=assignment.to_office == to_office.id
                ).select(assignment.id, Column(assignment, deadline.due),
                assignment.state, assignment.from_office,
                assignment.to_office, to_office.kind, assignment.handler,
                where=assignment.id.in_(list(ids))))
        result = {}
        for (record_id, due, state, from_id, to_id, to_kind,
                handler) in cursor:
            if deadline.name == 'result':
                office = to_id
            elif state == 'draft' or to_kind in OUTSIDE_KINDS:
                office = from_id
            else:
                office = to_id
            users = office_user_ids(office)
            if (deadline.name == 'handoff' and handler
                    and state == 'sent'):
                users.add(handler)
            result[record_id] = (due, office, users)
        return result

    @classmethod
    def deadline_labels(cls, deadline, ids, dues):
        """``deadline_label`` of the hand-offs of ``ids`` from one query of
        their method, offices and report (``handoff_name``,
        ``case_rec_name``)."""
        if deadline.name not in {'handoff', 'result'}:
            return super().deadline_labels(deadline, ids, dues)
        Case = Pool().get('jubao.case')
        assignment = cls.__table__()
        case = Case.__table__()
        method = selection_strings(cls, 'method')
        template = message_template(deadline.message)
        cursor = Transaction().connection.cursor()
        cursor.execute(*assignment.join(case,
                condition=assignment.case == case.id
                ).select(assignment.id, assignment.method,
                assignment.from_office, assignment.to_office,
                case.number, case.summary,
                where=assignment.id.in_(list(ids))))
        return {record_id: template % {
                'record': handoff_name(method(method_),
                    office_name(from_id), office_name(to_id)),
                'case': case_rec_name(number, summary),
                'due': dues[record_id]}
            for record_id, method_, from_id, to_id, number, summary
            in cursor}

    def compute_due_date(self, sent_date):
        "Deadline of the step that follows sending."
        Config = Pool().get('jubao.configuration')
        config = Config(1)
        if self.method == 'direct':
            # Sent up within N working days of receipt (Art. 15).
            return config.add_working_days(
                self.case.received_date, config.direct_days)
        if self.method in {'forward', 'assign'}:
            return config.add_working_days(sent_date, config.forward_days)
        if self.method == 'internal':
            return config.add_working_days(sent_date, config.internal_days)
        return None

    @classmethod
    def create_for(cls, case, method, to_office, **values):
        "Create a draft hand-off of ``case`` from its handling office."
        config = Pool().get('jubao.configuration')(1)
        assignment = cls(case=case, method=method, to_office=to_office,
            **values)
        if assignment.on_change_with_out_of_scope_part():
            # The complaints office forwards it, whoever handles the rest.
            assignment.from_office = config.complaints_office
        else:
            assignment.from_office = (
                case.handling_office or config.complaints_office)
        assignment.check_case_state()
        if method == 'direct':
            assignment.due_date = assignment.compute_due_date(None)
        assignment.save()
        return assignment

    @classmethod
    def create_return(cls, case, to_office, reason):
        "Create a return (退回) request of ``case`` by its handling office."
        if case.state != 'handling' or not case.handling_office:
            raise AssignmentError(gettext(
                    'jubao_routing.msg_assignment_return_state',
                    case=case.rec_name))
        assignment = cls(case=case, method='return',
            from_office=case.handling_office, to_office=to_office, reason=reason)
        assignment.save()
        return assignment

    # Transitions -------------------------------------------------------

    @classmethod
    @ModelView.button
    @Workflow.transition('sent')
    def send(cls, assignments):
        pool = Pool()
        Date = pool.get('ir.date')
        Config = pool.get('jubao.configuration')
        user = Transaction().user
        today = Date.today()
        config = Config(1)
        for assignment in assignments:
            assignment.check_sendable(user)
            assignment.date = today
            assignment.approved_by = user
            assignment.due_date = assignment.compute_due_date(today)
            if assignment.method == 'internal':
                assignment.informed_office = config.case_management_office
        cls.save(assignments)
        cls._inform(assignments)
        returns = [a for a in assignments if a.method == 'return']
        if returns:
            # A return approved by another person takes effect at once.
            cls._accept(returns)
            cls.write(returns, {'state': 'accepted'})

    def check_sendable(self, user):
        "Raise unless ``user`` may approve and send this hand-off now."
        case = self.case
        if self.method == 'return':
            if self.requested_by and self.requested_by.id == user:
                raise AssignmentError(gettext(
                        'jubao_routing.msg_assignment_return_own',
                        case=case.rec_name))
            if not _is_leader():
                raise AssignmentError(gettext(
                        'jubao_routing.msg_assignment_return_leader',
                        case=case.rec_name))
            if not self.reason:
                raise AssignmentError(gettext(
                        'jubao_routing.msg_assignment_return_reason',
                        case=case.rec_name))
        else:
            self.check_case_state()
        if (self.proposed_method
                and (self.proposed_method != self.method
                    or self.proposed_office != self.to_office)
                and not self.override_reason):
            raise AssignmentError(gettext(
                    'jubao_routing.msg_assignment_override_reason',
                    case=case.rec_name))
        part = self.on_change_with_out_of_scope_part()
        # The two parts of a mixed report go their own ways.
        if any(a.state == 'sent' and a.id != self.id
                and a.on_change_with_out_of_scope_part() == part
                for a in case.assignments):
            raise AssignmentError(gettext(
                    'jubao_routing.msg_assignment_pending',
                    case=case.rec_name))

    @classmethod
    def _inform(cls, assignments):
        "Notify the receiving and informed offices in the web client."
        for assignment in assignments:
            users = set(assignment.to_office.users)
            if assignment.informed_office:
                users |= set(assignment.informed_office.users)
            for user in users:
                cls.notify_user([assignment],
                    icon='tryton-notification',
                    label=gettext('jubao_routing.msg_assignment_notify',
                        method=assignment.method_string,
                        case=assignment.case.rec_name),
                    user=user.id)

    @classmethod
    @ModelView.button
    @Workflow.transition('accepted')
    def accept(cls, assignments):
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        if transaction.user and transaction.check_access:
            offices = set(User.get_jubao_office_ids())
            for assignment in assignments:
                office = assignment.to_office
                if office.kind in OUTSIDE_KINDS:
                    office = assignment.from_office
                if office.id not in offices:
                    raise AssignmentError(gettext(
                            'jubao_routing.msg_assignment_accept_office',
                            office=office.rec_name))
        cls._accept(assignments)

    @classmethod
    def _accept(cls, assignments):
        pool = Pool()
        Case = pool.get('jubao.case')
        Date = pool.get('ir.date')
        Config = pool.get('jubao.configuration')
        config = Config(1)
        today = Date.today()
        user = Transaction().user
        for assignment in assignments:
            assignment.accepted_by = user
            assignment.accepted_date = today
            if assignment.method == 'assign':
                assignment.result_due = config.add_working_days(
                    today, config.assign_result_days)
        cls.save(assignments)
        with without_check_access():
            for assignment in assignments:
                if assignment.on_change_with_out_of_scope_part():
                    # The report stays with the in-scope part's handler.
                    continue
                case = Case(assignment.case.id)
                Case.write([case], {
                        'handling_office': assignment.to_office.id,
                        'handler': (assignment.handler.id
                            if assignment.handler else None),
                        })
                if assignment.method == 'return':
                    Case.back_to_routing([case])
                elif assignment.to_office.kind in OUTSIDE_KINDS:
                    Case.transfer([case])
                else:
                    Case.start_handling([case])

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, assignments):
        pass

    @classmethod
    @ModelView.button
    def report_result(cls, assignments):
        today = Pool().get('ir.date').today()
        for assignment in assignments:
            if not assignment.result_report:
                raise AssignmentError(gettext(
                        'jubao_routing.msg_assignment_result_required',
                        assignment=assignment.rec_name))
        cls.write(assignments, {'result_date': today})
