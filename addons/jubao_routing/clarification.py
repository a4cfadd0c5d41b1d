"Clarification (澄清正名) of cadres cleared by an untrue report."
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from trytond.modules.jubao_intake.timeline import TimelineMixin
from trytond.modules.jubao_intake.workflow import WorkflowFieldsMixin

from .exceptions import ClarificationError, ClarificationValidationError
from .summary import CaseSummaryMixin


class Clarification(CaseSummaryMixin, WorkflowFieldsMixin, Workflow,
        TimelineMixin, ModelSQL, ModelView):
    __string__ = "Clarification"
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
        # Timeline entries (jubao_intake/timeline.py), also on the report
        cls._timeline_states.update({
                'approved':
                'jubao_routing.msg_timeline_clarification_approved',
                'done': 'jubao_routing.msg_timeline_clarification_done',
                'cancelled':
                'jubao_routing.msg_timeline_clarification_cancelled',
                })
        cls._timeline_case_states.update(cls._timeline_states)
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

    def timeline_variables(self):
        variables = super().timeline_variables()
        variables.update({
                'method': self._timeline_selection('method'),
                'date': str(self.date or ''),
                })
        return variables

    def get_rec_name(self, name):
        return '%s %s' % (self.case.rec_name,
            self.subject.rec_name if self.subject else '')

    @classmethod
    def validate_fields(cls, clarifications, field_names):
        super().validate_fields(clarifications, field_names)
        today = Pool().get('ir.date').today()
        for clarification in clarifications:
            case = clarification.case
            if not case.concluded_untrue:
                raise ClarificationValidationError(gettext(
                        'jubao_routing.msg_clarification_case',
                        case=case.rec_name))
            if clarification.date and (
                    clarification.date > today
                    or (case.concluded_date
                        and clarification.date < case.concluded_date)):
                raise ClarificationValidationError(gettext(
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
                raise ClarificationError(gettext(
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
                raise ClarificationError(gettext(
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
