"Supervision (督办) and clarification (澄清正名)."
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from jubao import routing as rules

from trytond.modules.jubao_intake.workflow import WorkflowFieldsMixin

SUPERVISION_METHODS = [
    ('online', "Online Check"),
    ('phone', "Phone Chasing"),
    ('letter', "Supervision Letter"),
    ('meeting', "Assignment at a Meeting"),
    ('hearing', "Hearing Reports"),
    ('files', "Reviewing Files"),
    ('inspection', "Inspection"),
    ]


class Supervision(WorkflowFieldsMixin, Workflow, ModelSQL, ModelView):
    "Supervision"
    __name__ = 'jubao.supervision'
    _states = {'readonly': Eval('state') != 'draft'}

    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE', states=_states)
    level = fields.Selection([
            ('leader', "Commission Leaders"),
            ('complaints', "Complaints Office"),
            ('higher', "Higher Commission"),
            ], "Level", required=True, sort=False, states=_states)
    level_string = level.translated('level')
    methods = fields.MultiSelection(SUPERVISION_METHODS, "Methods",
        sort=False, states=_states)
    reason = fields.Text("Reason", required=True, states=_states,
        help="Key person or matter, strong public concern, typical problem "
        "or specific clue.")
    requirement = fields.Text("Requirement", states=_states,
        help="What the responsible office must do and report.")
    opened_by = fields.Many2One('res.user', "Opened by", readonly=True)
    date = fields.Date("Date", required=True, states=_states)
    deadline = fields.Date("Deadline", required=True,
        states={'readonly': Eval('state').in_(['closed', 'cancelled'])})
    responsible_office = fields.Many2One('jubao.office',
        "Responsible Office", required=True, ondelete='RESTRICT',
        states=_states)
    notes = fields.One2Many('jubao.supervision.note', 'supervision',
        "Progress Notes",
        states={'readonly': Eval('state').in_(['closed', 'cancelled'])})
    result = fields.Text("Result",
        states={
            'readonly': Eval('state').in_(['closed', 'cancelled']),
            'invisible': Eval('state') == 'draft',
            })
    closed_date = fields.Date("Closed on", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('open', "Open"),
            ('closed', "Closed"),
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
                Index(t, (t.deadline, Index.Range()),
                    where=t.state == 'open'),
                })
        cls._order = [('deadline', 'ASC'), ('id', 'DESC')]
        cls._workflow_fields |= {'state', 'opened_by', 'closed_date'}
        cls._workflow_draft_fields |= {
            'case', 'level', 'methods', 'reason', 'requirement', 'date',
            'responsible_office',
            }
        cls._workflow_parents |= {'case'}
        cls._transitions |= {
            ('draft', 'open'),
            ('draft', 'cancelled'),
            ('open', 'closed'),
            ('open', 'cancelled'),
            }
        cls._buttons.update({
                'open': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'open']),
                    'depends': ['state'],
                    },
                'print_letter': {
                    'invisible': Eval('state') == 'draft',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_level():
        return 'complaints'

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @classmethod
    def default_deadline(cls):
        Config = Pool().get('jubao.configuration')
        config = Config(1)
        return config.add_working_days(
            cls.default_date(), config.supervision_days)

    @fields.depends('case', 'responsible_office')
    def on_change_case(self):
        if self.case and not self.responsible_office:
            self.responsible_office = self.case.handling_office

    def get_rec_name(self, name):
        return '%s %s' % (self.case.rec_name, self.level_string)

    def get_due_status(self, name):
        today, soon = Pool().get('jubao.configuration')(1).due_window()
        return rules.due_status(self.deadline, today, soon,
            done=self.state != 'open')

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('due_status') == 'overdue', 'danger',
                    If(Eval('due_status') == 'due_soon', 'warning', ''))),
            ]

    @classmethod
    def validate_fields(cls, supervisions, field_names):
        super().validate_fields(supervisions, field_names)
        for supervision in supervisions:
            if supervision.deadline < supervision.date:
                raise UserError(gettext(
                        'jubao_routing.msg_supervision_deadline',
                        supervision=supervision.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, supervisions):
        for supervision in supervisions:
            if supervision.case.state in {'concluded', 'removed',
                    'not_accepted', 'transferred'}:
                raise UserError(gettext(
                        'jubao_routing.msg_supervision_case_closed',
                        case=supervision.case.rec_name))
            if not supervision.methods:
                raise UserError(gettext(
                        'jubao_routing.msg_supervision_methods',
                        supervision=supervision.rec_name))
        cls.write(supervisions, {'opened_by': Transaction().user})

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, supervisions):
        for supervision in supervisions:
            if not supervision.result:
                raise UserError(gettext(
                        'jubao_routing.msg_supervision_result',
                        supervision=supervision.rec_name))
        cls.write(supervisions, {
                'closed_date': Pool().get('ir.date').today()})

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, supervisions):
        pass

    @classmethod
    @ModelView.button_action('jubao_routing.report_supervision_letter')
    def print_letter(cls, supervisions):
        pass


class SupervisionNote(WorkflowFieldsMixin, ModelSQL, ModelView):
    "Supervision Progress Note"
    __name__ = 'jubao.supervision.note'
    supervision = fields.Many2One('jubao.supervision', "Supervision",
        required=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    method = fields.Selection([(None, "")] + SUPERVISION_METHODS, "Method",
        sort=False)
    note = fields.Text("Note", required=True)
    user = fields.Many2One('res.user', "Recorded by", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('supervision')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._workflow_fields |= {'user'}
        cls._workflow_parents |= {'supervision'}

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_user():
        return Transaction().user


class Clarification(WorkflowFieldsMixin, Workflow, ModelSQL, ModelView):
    "Clarification"
    __name__ = 'jubao.clarification'
    _states = {'readonly': Eval('state') != 'draft'}

    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE', states=_states)
    subject = fields.Many2One('jubao.case.subject', "Cleared Cadre",
        required=True, ondelete='RESTRICT', states=_states,
        domain=[('case', '=', Eval('case', -1))])
    method = fields.Selection([
            ('letter', "Letter to the Cadre and Party Committee Head"),
            ('talk', "Talk with the Cadre and Party Committee Head"),
            ('briefing', "Briefing to the Party Committee"),
            ('notice', "Notice within a Set Scope"),
            ], "Method", required=True, sort=False, states=_states)
    notice_scope = fields.Char("Notice Scope",
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('method') != 'notice',
            'required': Eval('method') == 'notice',
            })
    reason = fields.Text("Findings", states=_states,
        help="Why the report proved untrue.")
    requested_by = fields.Many2One('res.user', "Requested by", readonly=True)
    approved_by = fields.Many2One('res.user', "Approved by", readonly=True)
    approval_date = fields.Date("Approval Date", readonly=True)
    date = fields.Date("Date",
        states={'readonly': Eval('state') == 'done'},
        help="When the cadre was cleared.")
    record = fields.Text("Written Record",
        states={'readonly': Eval('state') == 'done'},
        help="Every form of clarification is also recorded in writing.")
    typical = fields.Boolean("Typical Case for Publicity",
        states={'readonly': Eval('state') == 'done'})
    state = fields.Selection([
            ('draft', "Draft"),
            ('approved', "Approved"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('case')
        cls._order = [('id', 'DESC')]
        cls._workflow_fields |= {
            'state', 'requested_by', 'approved_by', 'approval_date'}
        cls._workflow_draft_fields |= {
            'case', 'subject', 'method', 'notice_scope', 'reason'}
        cls._workflow_parents |= {'case'}
        cls._transitions |= {
            ('draft', 'approved'),
            ('draft', 'cancelled'),
            ('approved', 'done'),
            ('approved', 'cancelled'),
            }
        cls._buttons.update({
                'approve': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'do': {
                    'invisible': Eval('state') != 'approved',
                    'readonly': ~Bool(Eval('record')),
                    'depends': ['state', 'record'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'approved']),
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_typical():
        return False

    @staticmethod
    def default_requested_by():
        return Transaction().user

    def get_rec_name(self, name):
        return '%s %s' % (self.case.rec_name,
            self.subject.rec_name if self.subject else '')

    @classmethod
    def validate_fields(cls, clarifications, field_names):
        super().validate_fields(clarifications, field_names)
        today = Pool().get('ir.date').today()
        for clarification in clarifications:
            case = clarification.case
            if case.state != 'concluded' or case.truth not in {
                    'false', 'unverifiable'} and not case.accusation:
                raise UserError(gettext(
                        'jubao_routing.msg_clarification_case',
                        case=case.rec_name))
            if clarification.date and (
                    clarification.date > today
                    or (case.concluded_date
                        and clarification.date < case.concluded_date)):
                raise UserError(gettext(
                        'jubao_routing.msg_clarification_date',
                        case=case.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, clarifications):
        user = Transaction().user
        for clarification in clarifications:
            if (clarification.requested_by
                    and clarification.requested_by.id == user):
                raise UserError(gettext(
                        'jubao_routing.msg_clarification_own',
                        case=clarification.case.rec_name))
        cls.write(clarifications, {
                'approved_by': user,
                'approval_date': Pool().get('ir.date').today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, clarifications):
        for clarification in clarifications:
            if not clarification.record or not clarification.date:
                raise UserError(gettext(
                        'jubao_routing.msg_clarification_record',
                        case=clarification.case.rec_name))
        Case = Pool().get('jubao.case')
        typical = [c.case for c in clarifications if c.typical]
        if typical:
            Case.write(typical, {'typical': True})

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, clarifications):
        pass
