"Reports, offices and persons as routing extends them: routing, handling, feedback."
from sql import Null
from sql.aggregate import Max

from trytond.i18n import gettext
from trytond.model import Index, ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import without_check_access

from jubao.routing import supervises_unit

from trytond.modules.jubao_intake.deadline import Deadline, office_users

from .exceptions import (
    CaseValidationError, HandlingError, RecusalValidationError)
from .recusal import recused_domain

DISPOSITIONS = [
    (None, ""),
    ('talk', "Talk or Written Inquiry"),
    ('verify', "Preliminary Verification"),
    ('shelve', "Set Aside Pending Investigation"),
    ('close', "Closed"),
    ('investigate', "Transferred to Review and Investigation"),
    ]
TRUTHS = [
    (None, ""),
    ('true', "True"),
    ('partly', "Partly True"),
    ('false', "Untrue"),
    ('unverifiable', "Cannot Be Verified"),
    ]
ACCUSATIONS = [
    (None, ""),
    ('false_accusation', "False Accusation"),
    ('mistaken', "Mistaken Report"),
    ]
NOTICE_METHODS = [
    (None, ""),
    ('letter', "Letter"),
    ('phone', "Phone"),
    ('in_person', "In Person"),
    ('online', "Online"),
    ('sms', "Text Message"),
    ]
# Fields that may still change once a report is concluded.
CONCLUDED_WRITABLE = {
    'state', 'feedback_date', 'feedback_method', 'feedback_note',
    'feedback_due', 'objection', 'objection_date', 'objection_answer',
    'objection_answer_date', 'new_evidence', 'reopened_date', 'reopen_count',
    'accusation', 'typical', 'reported_back_date', 'acceptance_notice_date',
    'acceptance_notice_method', 'acceptance_notice_note', 'signed_date',
    'clarifications', 'supervisions', 'repeats', 'recusals',
    }


def _concluded_readonly():
    return {'readonly': Eval('state') == 'concluded'}


class Case(metaclass=PoolMeta):
    __name__ = 'jubao.case'
    channel_string = fields.Function(fields.Char("Channel"),
        'get_channel_string')

    assignments = fields.One2Many('jubao.case.assignment', 'case',
        "Hand-offs", readonly=True)
    handler = fields.Many2One('res.user', "Handler", ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'handling'},
        help="The named handler in the handling office (谁承办、谁答复).")
    recusals = fields.One2Many('jubao.case.recusal', 'case', "Recusals")
    recused_users = fields.Function(fields.Many2Many('res.user', None, None,
            "Recused Users"), 'get_recused_users',
        searcher='search_recused_users')
    handoff_offices = fields.Function(fields.Many2Many('jubao.office', None,
            None, "Offices with Pending Hand-offs"), 'get_handoff_offices',
        searcher='search_handoff_offices')
    handed_over = fields.Function(fields.Boolean("Handed Over",
            help="Sent up (径送) or forwarded (转送) to the body that handles "
            "it: this commission owes the reporter no acceptance notice."),
        'get_handed_over', searcher='search_handed_over')
    # Real-name acceptance notice
    acceptance_notice_due = fields.Date("Acceptance Notice Due",
        readonly=True)
    acceptance_notice_date = fields.Date("Acceptance Notice Date",
        states={'invisible': ~Bool(Eval('acceptance_notice_due'))})
    acceptance_notice_method = fields.Selection(NOTICE_METHODS,
        "Acceptance Notice Method",
        states={
            'invisible': ~Bool(Eval('acceptance_notice_due')),
            'required': Bool(Eval('acceptance_notice_date')),
            })
    acceptance_notice_note = fields.Text("Acceptance Notice Note",
        states={'invisible': ~Bool(Eval('acceptance_notice_due'))})
    # Handling
    disposition = fields.Selection(DISPOSITIONS, "Disposition", sort=False,
        states=_concluded_readonly())
    disposition_string = disposition.translated('disposition')
    truth = fields.Selection(TRUTHS, "Truth", sort=False,
        states=_concluded_readonly())
    truth_string = truth.translated('truth')
    outcome = fields.Text("Outcome", states=_concluded_readonly())
    concluded_date = fields.Date("Concluded Date",
        states=_concluded_readonly())
    reported_back_date = fields.Date("Reported Back to Complaints Office",
        states={'invisible': Eval('state') != 'concluded'})
    # Result feedback
    feedback_due = fields.Date("Feedback Due", readonly=True)
    feedback_date = fields.Date("Feedback Date",
        states={'invisible': Eval('state') != 'concluded'})
    feedback_method = fields.Selection(NOTICE_METHODS, "Feedback Method",
        states={
            'invisible': Eval('state') != 'concluded',
            'required': Bool(Eval('feedback_date')),
            })
    feedback_note = fields.Text("Feedback Note",
        states={'invisible': Eval('state') != 'concluded'})
    objection = fields.Text("Objection",
        help="The reporter's objection to the result.")
    objection_date = fields.Date("Objection Date",
        states={'required': Bool(Eval('objection'))})
    objection_answer = fields.Text("Answer to Objection")
    objection_answer_date = fields.Date("Objection Answered on",
        states={'required': Bool(Eval('objection_answer'))})
    new_evidence = fields.Text("New Evidence",
        help="New evidence that makes the report be checked again.")
    reopened_date = fields.Date("Reopened on", readonly=True)
    reopen_count = fields.Integer("Times Reopened", readonly=True)
    # False accusations
    accusation = fields.Selection(ACCUSATIONS, "False or Mistaken Report",
        states={'invisible': (Eval('state') != 'concluded')
            | (Eval('kind') != 'accusation') | (Eval('truth') != 'false')},
        help="Only for an accusation concluded as untrue.")
    typical = fields.Boolean("Typical Case for Publicity",
        states={'invisible': Eval('state') != 'concluded'})
    supervisions = fields.One2Many('jubao.supervision', 'case',
        "Supervisions", readonly=True)
    clarifications = fields.One2Many('jubao.clarification', 'case',
        "Clarifications", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                # Whole columns, not only the open deadlines: the reminders
                # read the open ones, the analysis those due in a period.
                Index(t, (t.acceptance_notice_due, Index.Range())),
                Index(t, (t.feedback_due, Index.Range())),
                Index(t, (t.concluded_date, Index.Range())),
                })
        cls._workflow_fields |= {
            'assignments', 'supervisions', 'clarifications',
            'acceptance_notice_due', 'feedback_due', 'reopened_date',
            'reopen_count',
            }
        for value in [
                ('handling', "Handling"),
                ('transferred', "Transferred"),
                ('concluded', "Concluded"),
                ]:
            if value not in cls.state.selection:
                cls.state.selection.append(value)
        # Timeline entries (jubao_intake/timeline.py)
        cls._timeline_states.update({
                'handling': 'jubao_routing.msg_timeline_case_handling',
                ('concluded', 'handling'):
                'jubao_routing.msg_timeline_case_reopened',
                # a return posts its own entry (hand-off)
                ('handling', 'accepted'): None,
                'transferred': 'jubao_routing.msg_timeline_case_transferred',
                'concluded': 'jubao_routing.msg_timeline_case_concluded',
                })
        cls._timeline_fields.update({
                'disposition': (
                    'jubao_routing.msg_timeline_case_disposition', None),
                'truth': ('jubao_routing.msg_timeline_case_truth', None),
                'acceptance_notice_date': (
                    'jubao_routing.msg_timeline_case_acceptance_notice', None),
                'feedback_date': (
                    'jubao_routing.msg_timeline_case_feedback', None),
                })
        cls._transitions |= {
            ('accepted', 'handling'),
            ('accepted', 'transferred'),
            ('not_accepted', 'transferred'),
            ('handling', 'accepted'),
            ('handling', 'handling'),
            ('handling', 'transferred'),
            ('handling', 'concluded'),
            ('concluded', 'handling'),
            }
        cls._buttons.update({
                'route': {
                    # accepted reports; out-of-scope ones not accepted; and
                    # the out-of-scope part of a mixed report once its
                    # in-scope part is on its way
                    'invisible': ~Eval('state').in_(['accepted'])
                    & ((Eval('state') != 'not_accepted')
                        | (Eval('scope') != 'out_of_scope'))
                    & ((Eval('scope') != 'mixed')
                        | ~Eval('state').in_(
                            ['handling', 'transferred', 'concluded'])),
                    'depends': ['state', 'scope'],
                    },
                'request_return': {
                    'invisible': Eval('state') != 'handling',
                    'depends': ['state'],
                    },
                'conclude': {
                    'invisible': Eval('state') != 'handling',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'concluded',
                    'readonly': ~Bool(Eval('new_evidence')),
                    'depends': ['state', 'new_evidence'],
                    },
                'print_acceptance_notice': {
                    'invisible': ~Bool(Eval('acceptance_notice_due'))
                    | Eval('handed_over', False),
                    'depends': ['acceptance_notice_due', 'handed_over'],
                    },
                'print_feedback_notice': {
                    'invisible': (Eval('state') != 'concluded')
                    | ~Eval('real_name'),
                    'depends': ['state', 'real_name'],
                    },
                })

    @staticmethod
    def default_reopen_count():
        return 0

    @staticmethod
    def default_typical():
        return False

    def timeline_variables(self):
        variables = super().timeline_variables()
        variables.update({
                'disposition': self._timeline_selection('disposition'),
                'truth': self._timeline_selection('truth'),
                'feedback_method': self._timeline_selection(
                    'feedback_method'),
                'acceptance_notice_date': str(
                    self.acceptance_notice_date or ''),
                'feedback_date': str(self.feedback_date or ''),
                'reopen_count': self.reopen_count or 0,
                })
        return variables

    def get_channel_string(self, name):
        selection = dict(self.fields_get(['channel'])['channel']['selection'])
        return selection.get(self.channel, self.channel)

    def get_recused_users(self, name):
        return [r.user.id for r in self.recusals]

    @classmethod
    def search_recused_users(cls, name, clause):
        "Search by user id with =, !=, in, not in (SQL, usable in rules)."
        return recused_domain('id', clause)

    def get_handoff_offices(self, name):
        return [a.to_office.id for a in self.assignments
            if a.state == 'sent' and a.approved_by]

    @classmethod
    def search_handoff_offices(cls, name, clause):
        "Reports with a hand-off sent to the offices and not yet accepted."
        Assignment = Pool().get('jubao.case.assignment')
        _, operator, value = clause[:3]
        if operator not in {'=', 'in'}:
            raise ValueError(f"unsupported operator {operator}")
        values = value if isinstance(value, (list, tuple)) else [value]
        values = [int(v) for v in values if v is not None]
        table = Assignment.__table__()
        # Only hand-offs sent by the workflow (approved by a router) count:
        # the record rule on reports relies on it.
        query = table.select(table.case,
            where=table.to_office.in_(values or [-1])
            & (table.state == 'sent')
            & (table.approved_by != Null))
        return [('id', 'in', query)]

    @classmethod
    def get_handed_over(cls, cases, name):
        ids = [c.id for c in cases]
        with without_check_access():
            handed = {c.id for c in cls.search([
                        ('id', 'in', ids), ('handed_over', '=', True),
                        ], order=[])}
        return {i: i in handed for i in ids}

    @classmethod
    def search_handed_over(cls, name, clause):
        """Reports whose last hand-off sent or received sends them up (径送)
        or forwards them (转送); a later return (退回) brings them back."""
        pool = Pool()
        Assignment = pool.get('jubao.case.assignment')
        Office = pool.get('jubao.office')
        handoff, last = Assignment.__table__(), Assignment.__table__()
        case, office = cls.__table__(), Office.__table__()
        # Forwarding the out-of-scope part of a mixed report to an external
        # body leaves its in-scope part here.
        part = ((handoff.method == 'forward') & (case.scope == 'mixed')
            & (office.kind == 'external'))
        latest = (handoff
            .join(case, condition=handoff.case == case.id)
            .join(office, condition=handoff.to_office == office.id)
            .select(handoff.case, Max(handoff.id).as_('id'),
                where=handoff.state.in_(['sent', 'accepted']) & ~part,
                group_by=handoff.case))
        query = last.join(latest, condition=last.id == latest.id).select(
            last.case, where=last.method.in_(['direct', 'forward']))
        _, operator, value = clause[:3]
        positive = (operator == '=') == bool(value)
        return [('id', 'in' if positive else 'not in', query)]

    @classmethod
    def copy(cls, cases, default=None):
        default = default.copy() if default is not None else {}
        for fname in ['assignments', 'recusals', 'supervisions',
                'clarifications', 'acceptance_notice_due',
                'acceptance_notice_date', 'feedback_due', 'feedback_date',
                'disposition', 'truth', 'outcome', 'concluded_date',
                'handler', 'reported_back_date', 'accusation',
                'reopened_date']:
            default.setdefault(fname, None)
        default.setdefault('reopen_count', 0)
        return super().copy(cases, default=default)

    # Deadlines ---------------------------------------------------------

    @classmethod
    def deadlines(cls):
        return super().deadlines() + [
            Deadline('acceptance_notice', 'acceptance_notice_due', [
                    ('acceptance_notice_date', '=', None),
                    ('state', 'not in', ['draft', 'not_accepted', 'removed']),
                    ('handed_over', '=', False),
                    ], 'notice_responsible',
                'jubao_routing.msg_reminder_acceptance_notice',
                compute='compute_acceptance_notice_due',
                done='acceptance_notice_date'),
            Deadline('feedback', 'feedback_due', [
                    ('feedback_date', '=', None),
                    ('state', '=', 'concluded'),
                    ], 'feedback_responsible',
                'jubao_routing.msg_reminder_feedback',
                compute='compute_feedback_due', done='feedback_date'),
            ]

    def notice_responsible(self):
        """The complaints office tells the reporter that the report is
        accepted (信访举报部门), whoever handles it."""
        office = Pool().get('jubao.configuration')(1).complaints_office
        return office, office_users(office)

    def feedback_responsible(self):
        """The handler feeds the result back, else the handling office
        (谁承办、谁答复), which is escalated to."""
        office = self.handling_office
        users = {self.handler.id} if self.handler else office_users(office)
        return office, users

    def compute_acceptance_notice_due(self):
        """First-time real-name reports that this commission handles get a
        notice; repeats and reports sent up or forwarded get none."""
        if (not self.real_name or self.repeat_of or not self.received_date
                or self.state in {'draft', 'not_accepted', 'removed'}
                or self.handed_over):
            return None
        Config = Pool().get('jubao.configuration')
        config = Config(1)
        return config.add_working_days(
            self.received_date, config.acceptance_notice_days)

    def compute_feedback_due(self):
        "Real-name results are fed back within N working days of conclusion."
        if not self.real_name or not self.concluded_date:
            return None
        config = Pool().get('jubao.configuration')(1)
        return config.add_working_days(
            self.concluded_date, config.feedback_days)

    @classmethod
    def update_deadlines(cls, cases):
        to_write = []
        for case in cases:
            if case.acceptance_notice_date:
                continue
            due = case.compute_acceptance_notice_due()
            if due != case.acceptance_notice_due:
                to_write.extend(([case], {'acceptance_notice_due': due}))
        if to_write:
            with without_check_access():
                cls.write(*to_write)

    @classmethod
    def on_modification(cls, mode, cases, field_names=None):
        super().on_modification(mode, cases, field_names=field_names)
        if mode == 'create' or (mode == 'write' and field_names and (
                    field_names & {'received_date', 'real_name', 'repeat_of',
                        'state'})):
            cls.update_deadlines(cls.browse([c.id for c in cases]))

    # Validation --------------------------------------------------------

    @classmethod
    def check_modification(cls, mode, cases, values=None, external=False):
        super().check_modification(
            mode, cases, values=values, external=external)
        if mode == 'write' and values and (set(values) - CONCLUDED_WRITABLE):
            for case in cases:
                if case.state == 'concluded':
                    raise HandlingError(gettext(
                            'jubao_routing.msg_case_concluded_readonly',
                            case=case.rec_name))

    @classmethod
    def validate_fields(cls, cases, field_names):
        super().validate_fields(cases, field_names)
        cls.check_handling_dates(cases, field_names)
        cls.check_handler(cases, field_names)
        cls.check_accusation(cases, field_names)

    @classmethod
    def check_handling_dates(cls, cases, field_names=None):
        if field_names and not (field_names & {
                    'feedback_date', 'concluded_date', 'received_date',
                    'acceptance_notice_date', 'objection_date',
                    'objection_answer_date'}):
            return
        today = Pool().get('ir.date').today()
        for case in cases:
            if case.feedback_date:
                if not case.concluded_date:
                    raise CaseValidationError(gettext(
                            'jubao_routing.msg_case_feedback_not_concluded',
                            case=case.rec_name))
                if case.feedback_date < case.concluded_date:
                    raise CaseValidationError(gettext(
                            'jubao_routing.msg_case_feedback_before_conclusion',
                            case=case.rec_name,
                            feedback=case.feedback_date,
                            concluded=case.concluded_date))
            for fname in ['concluded_date', 'acceptance_notice_date']:
                value = getattr(case, fname)
                if value and case.received_date and (
                        value < case.received_date):
                    raise CaseValidationError(gettext(
                            'jubao_routing.msg_case_date_before_receipt',
                            case=case.rec_name,
                            field=cls.__names__(fname)['field']))
            for fname in ['concluded_date', 'feedback_date',
                    'acceptance_notice_date']:
                value = getattr(case, fname)
                if value and value > today:
                    raise CaseValidationError(gettext(
                            'jubao_routing.msg_case_date_future',
                            case=case.rec_name,
                            field=cls.__names__(fname)['field']))
            if (case.objection_answer_date and case.objection_date
                    and case.objection_answer_date < case.objection_date):
                raise CaseValidationError(gettext(
                        'jubao_routing.msg_case_answer_before_objection',
                        case=case.rec_name))

    @property
    def concluded_untrue(self):
        "Whether the report is an accusation concluded as untrue (不属实)."
        return (self.kind == 'accusation' and self.state == 'concluded'
            and self.truth == 'false')

    @classmethod
    def check_accusation(cls, cases, field_names=None):
        "诬告陷害 and 错告 are findings on an accusation concluded as untrue."
        if field_names and not (
                field_names & {'accusation', 'state', 'truth', 'kind'}):
            return
        for case in cases:
            if case.accusation and not case.concluded_untrue:
                raise CaseValidationError(gettext(
                        'jubao_routing.msg_case_accusation_untrue',
                        case=case.rec_name))

    @classmethod
    def check_handler(cls, cases, field_names=None):
        if field_names and 'handler' not in field_names:
            return
        for case in cases:
            if case.handler:
                case.check_not_recused(case.handler)

    def check_not_recused(self, user):
        "Raise when ``user`` must step aside (回避) from this report."
        Recusal = Pool().get('jubao.case.recusal')
        with without_check_access():
            if Recusal.search([
                        ('case', '=', self.id), ('user', '=', user.id),
                        ], limit=1):
                raise RecusalValidationError(gettext(
                        'jubao_routing.msg_case_handler_recused',
                        user=user.rec_name, case=self.rec_name))

    # Routing (the proposal: route.py) --------------------------------

    @classmethod
    @ModelView.button_action('jubao_routing.wizard_route')
    def route(cls, cases):
        pass

    @classmethod
    @ModelView.button_action('jubao_routing.wizard_request_return')
    def request_return(cls, cases):
        pass

    @classmethod
    @Workflow.transition('handling')
    def start_handling(cls, cases):
        pass

    @classmethod
    @Workflow.transition('transferred')
    def transfer(cls, cases):
        pass

    @classmethod
    @Workflow.transition('accepted')
    def back_to_routing(cls, cases):
        cls.write(cases, {'handler': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('concluded')
    def conclude(cls, cases):
        pool = Pool()
        Config = pool.get('jubao.configuration')
        Date = pool.get('ir.date')
        config = Config(1)
        today = Date.today()
        to_write = []
        for case in cases:
            if not case.disposition:
                raise HandlingError(gettext(
                        'jubao_routing.msg_case_conclude_disposition',
                        case=case.rec_name))
            # Only an accusation (检举控告) proves true or untrue; appeals
            # and criticism are answered, not verified.
            if (not case.truth and case.kind == 'accusation'
                    and case.disposition not in {'shelve', 'investigate'}):
                raise HandlingError(gettext(
                        'jubao_routing.msg_case_conclude_truth',
                        case=case.rec_name))
            concluded = case.concluded_date or today
            values = {'concluded_date': concluded}
            if case.real_name:
                values['feedback_due'] = config.add_working_days(
                    concluded, config.feedback_days)
            to_write.extend(([case], values))
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('handling')
    def reopen(cls, cases):
        today = Pool().get('ir.date').today()
        for case in cases:
            if not case.new_evidence:
                raise HandlingError(gettext(
                        'jubao_routing.msg_case_reopen_evidence',
                        case=case.rec_name))
        for case in cases:
            cls.write([case], {
                    'reopened_date': today,
                    'reopen_count': (case.reopen_count or 0) + 1,
                    })
        # Back in handling, the conclusion, its findings and its feedback are
        # redone (the earlier ones stay in the change log).
        cls.write(cases, {'accusation': None})
        cls.write(cases, {'state': 'handling'})
        cls.write(cases, {
                'concluded_date': None,
                'feedback_due': None,
                'feedback_date': None,
                'feedback_method': None,
                })

    @classmethod
    @ModelView.button_action('jubao_routing.report_acceptance_notice')
    def print_acceptance_notice(cls, cases):
        pass

    @classmethod
    @ModelView.button_action('jubao_routing.report_feedback_notice')
    def print_feedback_notice(cls, cases):
        pass


class Office(metaclass=PoolMeta):
    __name__ = 'jubao.office'
    supervised_sectors = fields.MultiSelection(
        'get_sectors', "Supervised Sectors",
        states={'invisible': Eval('kind') != 'stationed'},
        help="Sectors whose cadres this stationed agency supervises; "
        "routing proposes it for reports on them when no supervised unit "
        "matches.")
    supervised_units = fields.Text("Supervised Units",
        states={'invisible': Eval('kind') != 'stationed'},
        help="The departments and units this stationed agency oversees "
        "(监督单位), one name a line; a department covers its sections. "
        "Routing proposes the agency for reports on their cadres.")

    @classmethod
    def get_sectors(cls):
        Subject = Pool().get('jubao.case.subject')
        return [s for s in Subject.fields_get(['sector'])['sector'][
                'selection'] if s[0]]

    @classmethod
    def overseeing_agency(cls, subject):
        """The stationed agency overseeing the unit of the reported
        ``subject``, else the first one supervising their sector."""
        if not subject:
            return None
        with without_check_access():
            agencies = cls.search([('kind', '=', 'stationed')])
        for agency in agencies:
            if supervises_unit(agency.supervised_units, subject.unit):
                return agency
        for agency in agencies:
            if subject.sector and subject.sector in (
                    agency.supervised_sectors or ()):
                return agency
        return None


class CaseSubject(metaclass=PoolMeta):
    __name__ = 'jubao.case.subject'
    user = fields.Many2One('res.user', "User Account", ondelete='SET NULL',
        help="The reported person's own account, if any: they step aside "
        "from the report.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Reported persons follow the access and record rules of their
        # report, so a recused user cannot read them either.
        cls.__access__.add('case')

    @classmethod
    def on_modification(cls, mode, subjects, field_names=None):
        super().on_modification(mode, subjects, field_names=field_names)
        if mode in {'create', 'write'} and (
                mode == 'create' or 'user' in (field_names or set())):
            Recusal = Pool().get('jubao.case.recusal')
            subjects = cls.browse([s.id for s in subjects])
            Recusal.ensure(
                [(s.case, s.user) for s in subjects if s.user], 'self')


class CaseReporter(metaclass=PoolMeta):
    __name__ = 'jubao.case.reporter'
    # For the recusal rule: a field of the reporter itself, so that the
    # rule also holds where Tryton evaluates rules in Python (export),
    # which lets any rule on a field of the report (case.x) pass.
    recused_users = fields.Function(fields.Many2Many('res.user', None, None,
            "Recused Users"), 'get_recused_users',
        searcher='search_recused_users')

    def get_recused_users(self, name):
        with without_check_access():
            return [u.id for u in self.__class__(self.id).case.recused_users]

    @classmethod
    def search_recused_users(cls, name, clause):
        "Search by user id with =, !=, in, not in (SQL, usable in rules)."
        return recused_domain('case', clause)
