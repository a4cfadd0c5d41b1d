"Routing rules and hand-offs (径送/移送/转送/交办/退回)."
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Workflow, fields,
    sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from jubao import routing as rules

from trytond.modules.jubao_intake.workflow import WorkflowFieldsMixin

METHODS = [
    ('direct', "Direct Referral Up"),
    ('internal', "Internal Hand-off"),
    ('forward', "Forward"),
    ('assign', "Assignment"),
    ('return', "Return"),
    ]
ROUTING_METHODS = [m for m in METHODS if m[0] != 'return']
OFFICE_KINDS = [
    ('commission_office', "Commission Office"),
    ('street', "Street Discipline Committee"),
    ('stationed', "Stationed Agency"),
    ('external', "External Body"),
    ('higher', "Higher Commission"),
    ]
AUTHORITIES = [
    (None, "Any"),
    ('city', "City Level or Above"),
    ('district', "District Party Committee"),
    ('street', "Street or Department"),
    ('other', "Other"),
    ]
SCOPES = [
    (None, "Any"),
    ('in_scope', "In Scope"),
    ('out_of_scope', "Out of Scope"),
    ('mixed', "Mixed"),
    ]
HEAD = [
    (None, "Any"),
    ('yes', "Yes"),
    ('no', "No"),
    ]
# Receiving units outside the system: the sender records the receipt.
OUTSIDE_KINDS = {'external', 'higher'}


class RoutingRule(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "Routing Rule"
    __name__ = 'jubao.routing.rule'
    name = fields.Char("Name", required=True)
    authority = fields.Selection(AUTHORITIES, "Management Authority",
        sort=False)
    scope = fields.Selection(SCOPES, "Scope", sort=False)
    commission_head = fields.Selection(HEAD, "Commission Head", sort=False)
    target_kind = fields.Selection([(None, "Any")] + OFFICE_KINDS,
        "Unit Concerned", sort=False,
        help="Kind of the unit the matter concerns (a street when the "
        "report names one).")
    method = fields.Selection(ROUTING_METHODS, "Method", required=True,
        sort=False)
    destination_kind = fields.Selection(OFFICE_KINDS, "Destination Kind",
        required=True, sort=False)
    destination = fields.Many2One('jubao.office', "Destination",
        ondelete='RESTRICT',
        domain=[('kind', '=', Eval('destination_kind', -1))],
        help="Leave empty to use the settings or the report's street.")
    method_string = method.translated('method')
    destination_kind_string = destination_kind.translated('destination_kind')

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        for record in records:
            if not rules.kind_allowed(record.method, record.destination_kind):
                raise UserError(gettext(
                        'jubao_routing.msg_rule_wrong_kind',
                        rule=record.rec_name,
                        method=record.method_string,
                        kind=record.destination_kind_string))

    def to_rule(self):
        return rules.Rule(
            method=self.method,
            destination_kind=self.destination_kind,
            authority=self.authority,
            scope=self.scope,
            commission_head={'yes': True, 'no': False}.get(
                self.commission_head),
            target_kind=self.target_kind,
            destination=self.destination,
            key=self.id)

    @classmethod
    def decide(cls, facts):
        "Return (decision, rule record) for ``facts`` or (None, None)."
        with without_check_access():
            records = cls.search([])
        decision = rules.decide(facts, [r.to_rule() for r in records])
        if decision is None:
            return None, None
        return decision, cls(decision.rule)


class Assignment(WorkflowFieldsMixin, Workflow, ModelSQL, ModelView):
    "Hand-off"
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
    due_status = fields.Function(fields.Selection([
                (None, ""),
                ('due_soon', "Due Soon"),
                ('overdue', "Overdue"),
                ], "Deadline"), 'get_due_status')

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

    def get_rec_name(self, name):
        return '%s %s → %s' % (self.method_string,
            self.from_office.rec_name if self.from_office else '',
            self.to_office.rec_name if self.to_office else '')

    def get_due_status(self, name):
        today, soon = Pool().get('jubao.configuration')(1).due_window()
        status = rules.due_status(self.due_date, today, soon,
            done=self.state not in {'draft', 'sent'})
        if status is None and self.method == 'assign':
            status = rules.due_status(self.result_due, today, soon,
                done=bool(self.result_date) or self.state != 'accepted')
        return status

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('due_status') == 'overdue', 'danger',
                    If(Eval('due_status') == 'due_soon', 'warning', ''))),
            ]

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
                raise UserError(gettext(
                        'jubao_routing.msg_assignment_result_before_accept',
                        assignment=assignment.rec_name))

    def check_destination(self):
        self.to_office_kind = kind = self.to_office.kind
        if not rules.kind_allowed(self.method, kind):
            raise UserError(gettext(
                    'jubao_routing.msg_assignment_wrong_kind',
                    method=self.method_string,
                    office=self.to_office.rec_name,
                    kind=self.to_office_kind_string))
        if self.to_office == self.from_office:
            raise UserError(gettext(
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
                    raise UserError(gettext(
                            'jubao_routing.msg_assignment_delete',
                            assignment=assignment.rec_name))

    def check_case_state(self):
        """Accepted reports are routed; reports not accepted as out of
        scope may only be forwarded to the competent external body."""
        case = self.case
        if case.state == 'accepted':
            return
        if (case.state == 'not_accepted' and case.scope == 'out_of_scope'
                and self.method == 'forward'
                and self.to_office.kind == 'external'):
            return
        raise UserError(gettext(
                'jubao_routing.msg_assignment_case_state',
                case=case.rec_name))

    # Deadlines ---------------------------------------------------------

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
        Config = Pool().get('jubao.configuration')
        from_office = case.handling_office or Config(1).complaints_office
        assignment = cls(case=case, method=method, from_office=from_office,
            to_office=to_office, **values)
        assignment.check_case_state()
        if method == 'direct':
            assignment.due_date = assignment.compute_due_date(None)
        assignment.save()
        return assignment


    @classmethod
    def create_return(cls, case, to_office, reason):
        "Create a return (退回) request of ``case`` by its handling office."
        if case.state != 'handling' or not case.handling_office:
            raise UserError(gettext(
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
        returns = []
        for assignment in assignments:
            case = assignment.case
            if assignment.method == 'return':
                if assignment.requested_by and (
                        assignment.requested_by.id == user):
                    raise UserError(gettext(
                            'jubao_routing.msg_assignment_return_own',
                            case=case.rec_name))
                if not assignment.reason:
                    raise UserError(gettext(
                            'jubao_routing.msg_assignment_return_reason',
                            case=case.rec_name))
                returns.append(assignment)
            else:
                assignment.check_case_state()
            if (assignment.proposed_method and (
                        assignment.proposed_method != assignment.method
                        or assignment.proposed_office
                        != assignment.to_office)
                    and not assignment.override_reason):
                raise UserError(gettext(
                        'jubao_routing.msg_assignment_override_reason',
                        case=case.rec_name))
            others = cls.search([
                    ('case', '=', case.id),
                    ('state', '=', 'sent'),
                    ('id', '!=', assignment.id),
                    ])
            if others:
                raise UserError(gettext(
                        'jubao_routing.msg_assignment_pending',
                        case=case.rec_name))
            assignment.date = today
            assignment.approved_by = user
            assignment.due_date = assignment.compute_due_date(today)
            if assignment.method == 'internal':
                assignment.informed_office = config.case_management_office
        cls.save(assignments)
        cls._inform(assignments)
        if returns:
            # A return approved by another person takes effect at once.
            cls._accept(returns)
            cls.write(returns, {'state': 'accepted'})

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
                    raise UserError(gettext(
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
                raise UserError(gettext(
                        'jubao_routing.msg_assignment_result_required',
                        assignment=assignment.rec_name))
        cls.write(assignments, {'result_date': today})


class RouteStart(ModelView):
    "Route Report"
    __name__ = 'jubao.case.route.start'
    case = fields.Many2One('jubao.case', "Report", readonly=True)
    proposed_method = fields.Selection([(None, "")] + ROUTING_METHODS,
        "Proposed Method", readonly=True)
    proposed_office = fields.Many2One('jubao.office', "Proposed Destination",
        readonly=True)
    rule = fields.Many2One('jubao.routing.rule', "Rule", readonly=True)
    method = fields.Selection(ROUTING_METHODS, "Method", required=True,
        sort=False)
    to_office = fields.Many2One('jubao.office', "To", required=True,
        domain=[If(Eval('method') == 'direct', ('kind', '=', 'higher'),
                If(Eval('method') == 'internal',
                    ('kind', '=', 'commission_office'),
                    If(Eval('method') == 'assign',
                        ('kind', 'in', ['street', 'stationed']),
                        ('kind', 'in', ['street', 'stationed', 'external']))))
            ])
    override_reason = fields.Text("Reason for Override",
        states={
            'required': (Eval('method') != Eval('proposed_method'))
            | (Eval('to_office', -1) != Eval('proposed_office', -1)),
            })
    handler = fields.Many2One('res.user', "Handler",
        domain=[('id', 'not in', Eval('recused_users', []))])
    recused_users = fields.Many2Many('res.user', None, None,
        "Recused Users", readonly=True)


class Route(Wizard):
    "Route Report"
    __name__ = 'jubao.case.route'
    start = StateView('jubao.case.route.start',
        'jubao_routing.case_route_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create Hand-off", 'create_', 'tryton-ok', default=True),
            ])
    create_ = StateTransition()

    def default_start(self, fields):
        case = self.record
        method, office, rule = case.propose_routing()
        return {
            'case': case.id,
            'proposed_method': method,
            'proposed_office': office.id if office else None,
            'rule': rule.id if rule else None,
            'method': method,
            'to_office': office.id if office else None,
            'recused_users': [u.id for u in case.recused_users],
            }

    def transition_create_(self):
        Assignment = Pool().get('jubao.case.assignment')
        Assignment.create_for(self.record, self.start.method,
            self.start.to_office,
            proposed_method=self.start.proposed_method,
            proposed_office=self.start.proposed_office,
            rule=self.start.rule,
            override_reason=self.start.override_reason,
            handler=self.start.handler)
        return 'end'


class RequestReturnStart(ModelView):
    "Request Return"
    __name__ = 'jubao.case.request_return.start'
    case = fields.Many2One('jubao.case', "Report", readonly=True)
    to_office = fields.Many2One('jubao.office', "Return to", required=True,
        domain=[('kind', '=', 'commission_office')])
    reason = fields.Text("Reason", required=True)


class RequestReturn(Wizard):
    "Request Return"
    __name__ = 'jubao.case.request_return'
    start = StateView('jubao.case.request_return.start',
        'jubao_routing.case_request_return_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Request", 'request', 'tryton-ok', default=True),
            ])
    request = StateTransition()

    def default_start(self, fields):
        Config = Pool().get('jubao.configuration')
        office = Config(1).complaints_office
        return {
            'case': self.record.id,
            'to_office': office.id if office else None,
            }

    def transition_request(self):
        Assignment = Pool().get('jubao.case.assignment')
        Assignment.create_return(self.record, self.start.to_office,
            self.start.reason)
        return 'end'
