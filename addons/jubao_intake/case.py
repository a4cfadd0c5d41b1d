import datetime as dt
import functools

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, PYSONEncoder
from trytond.tools import grouped_slice
from trytond.transaction import (
    Transaction, check_access, without_check_access)

from .deadline import Deadline, DeadlineMixin, case_rec_name, office_users
from .edge import check_links
from .exceptions import (
    CaseValidationError, RegistrationError, RemovalError, ScreeningError)
from .postgresql import ensure_extensions
from .repeat import REPEAT_TEXT_FIELDS, case_tokens
from .timeline import TimelineMixin
from .workflow import WorkflowFieldsMixin

CHANNELS = [
    ('letter', "Letter"),
    ('visit', "Visit"),
    ('phone', "Phone Call"),
    ('online', "Online"),
    ('referral', "Referral from Higher Commission"),
    ('public_opinion', "Public Opinion"),
    ]
KINDS = [
    (None, ""),
    ('accusation', "Accusation"),
    ('appeal', "Appeal"),
    ('suggestion', "Criticism and Suggestion"),
    ]
SCOPES = [
    (None, ""),
    ('in_scope', "In Scope"),
    ('out_of_scope', "Out of Scope"),
    ('mixed', "Mixed"),
    ]
STATES = [
    ('draft', "Draft"),
    ('registered', "Registered"),
    ('accepted', "Accepted"),
    ('not_accepted', "Not Accepted"),
    ('removal_requested', "Removal Requested"),
    ('removed', "Removed"),
    ]
RECEPTION_AREAS = [
    (None, ""),
    ('waiting', "Waiting Area"),
    ('reception', "Reception Area"),
    ('interview', "Interview Area"),
    ]
REMOVAL_REASONS = [
    (None, ""),
    ('no_substance', "No Substantive Content"),
    ('false_name', "Filed in Another Person's Name"),
    ]

_DRAFT_ONLY = {'readonly': Eval('state') != 'draft'}


def _channel_group(channel):
    return {'invisible': Eval('channel') != channel}


def locked_first(button):
    """Lock the records before the button's access checks: Tryton takes
    record locks at the start of a transaction, so the first ``lock``
    restarts the call, and checks made before it would run twice."""
    @functools.wraps(button)
    def wrapper(cls, records, *args, **kwargs):
        cls.lock(records)
        return button(cls, records, *args, **kwargs)
    return wrapper


class Case(DeadlineMixin, WorkflowFieldsMixin, Workflow, TimelineMixin,
        ModelSQL, ModelView):
    __string__ = "Report"
    __name__ = 'jubao.case'
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True,
        help="Gapless yearly number assigned on registration.")
    channel = fields.Selection(CHANNELS, "Channel", required=True,
        sort=False, states=_DRAFT_ONLY)
    received_date = fields.Date("Received Date", required=True,
        states=_DRAFT_ONLY)
    received_month = fields.Function(
        fields.Char("Received Month"), 'get_received_month')
    registration_date = fields.Date("Registration Date", readonly=True)
    registered_by = fields.Many2One('res.user', "Registered by",
        readonly=True)
    intake_office = fields.Many2One('jubao.office', "Receiving Office",
        states=_DRAFT_ONLY, ondelete='RESTRICT')
    kind = fields.Selection(KINDS, "Kind", sort=False,
        states={
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            'required': Eval('state').in_(['accepted']),
            })
    scope = fields.Selection(SCOPES, "Scope", sort=False,
        states={
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            'required': Eval('state').in_(['accepted']),
            })
    real_name = fields.Boolean("Real Name",
        states={'readonly': ~Eval('state').in_(['draft', 'registered'])},
        help="The reporter gave a name and a concrete way to reach them.")
    reporters = fields.One2Many('jubao.case.reporter', 'case', "Reporters",
        states={'readonly': ~Eval('state').in_(['draft', 'registered'])})
    subjects = fields.One2Many('jubao.case.subject', 'case',
        "Reported Persons",
        states={'readonly': ~Eval('state').in_(['draft', 'registered'])})
    subject_names = fields.Function(fields.Char("Reported Persons"),
        'get_subject_names', searcher='search_subject_names')
    categories = fields.Many2Many('jubao.case-jubao.problem.category',
        'case', 'category', "Problem Categories",
        states={'readonly': ~Eval('state').in_(['draft', 'registered'])})
    keywords = fields.Char("Keywords")
    problem_date = fields.Date("Problem Date",
        help="When the reported problem happened (first known date).")
    problem_period = fields.Char("Problem Period",
        help="Free description such as 2024年至今.")
    summary = fields.Char("Summary", required=True,
        states={'readonly': ~Eval('state').in_(['draft', 'registered'])})
    content = fields.Text("Content",
        states={'readonly': ~Eval('state').in_(['draft', 'registered'])})
    street = fields.Many2One('jubao.office', "Street",
        domain=[('kind', '=', 'street')], ondelete='RESTRICT',
        help="The street the reported matter concerns.")
    handling_office = fields.Many2One('jubao.office', "Handling Office",
        ondelete='RESTRICT', readonly=True,
        help="Set by routing; decides which units may see the report.")

    # Letters
    postmark_date = fields.Date("Postmark Date",
        states=_channel_group('letter'))
    page_count = fields.Integer("Pages", states=_channel_group('letter'),
        domain=['OR', ('page_count', '=', None), ('page_count', '>=', 0)])
    # Visits
    visitor_count = fields.Integer("Visitors", states=_channel_group('visit'),
        domain=['OR', ('visitor_count', '=', None),
            ('visitor_count', '>=', 1)])
    group_visit = fields.Function(fields.Boolean("Group Visit"),
        'get_group_visit')
    reception_area = fields.Selection(RECEPTION_AREAS, "Reception Area",
        states=_channel_group('visit'))
    received_by = fields.Many2One('res.user', "Received by",
        states=_channel_group('visit'))
    receiving_leader = fields.Many2One('res.user', "Receiving Leader",
        states=_channel_group('visit'),
        help="The commission leader on reception day, if any.")
    # Phone calls
    call_time = fields.DateTime("Call Time", states=_channel_group('phone'))
    call_duration = fields.TimeDelta("Call Duration",
        states=_channel_group('phone'))
    answered_by = fields.Many2One('res.user', "Answered by",
        states=_channel_group('phone'))
    # Online submissions
    online_reference = fields.Char("Submission Reference",
        states=_channel_group('online'))
    online_checked = fields.Boolean("Data Checked", readonly=True,
        states=_channel_group('online'))
    online_checked_by = fields.Many2One('res.user', "Checked by",
        readonly=True, states=_channel_group('online'))
    # Referrals from higher commissions
    referral_source = fields.Many2One('jubao.office', "Source Commission",
        domain=[('kind', '=', 'higher')], ondelete='RESTRICT',
        states={
            'invisible': Eval('channel') != 'referral',
            'required': Eval('channel') == 'referral',
            })
    referral_document = fields.Char("Document Number",
        states=_channel_group('referral'))
    sign_for_due = fields.Date("Sign-for Deadline",
        states=_channel_group('referral'))
    signed_date = fields.Date("Signed for on",
        states=_channel_group('referral'))
    # Public opinion
    opinion_source = fields.Char("Source Site or Platform",
        states={
            'invisible': Eval('channel') != 'public_opinion',
            'required': Eval('channel') == 'public_opinion',
            })
    opinion_link = fields.Char("Link", states=_channel_group('public_opinion'))
    found_by = fields.Many2One('jubao.office', "Found by",
        ondelete='RESTRICT', states=_channel_group('public_opinion'))

    # Screening
    competent_body = fields.Many2One('jubao.office', "Competent Body",
        domain=[('kind', 'in', ['external', 'higher', 'street', 'stationed'])],
        ondelete='RESTRICT',
        states={
            'invisible': ~Eval('scope').in_(['out_of_scope', 'mixed']),
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            })
    out_of_scope_explanation = fields.Text("Explanation Given",
        states={
            'invisible': ~Eval('scope').in_(['out_of_scope', 'mixed']),
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            })
    not_accepted_reason = fields.Many2One('jubao.not_accepted.reason',
        "Not Accepted Reason", ondelete='RESTRICT',
        states={
            'readonly': Eval('state') != 'registered',
            'invisible': ~Eval('state').in_(['registered', 'not_accepted']),
            })
    not_accepted_note = fields.Text("Not Accepted Note",
        states={
            'readonly': Eval('state') != 'registered',
            'invisible': ~Eval('state').in_(['registered', 'not_accepted']),
            })
    removal_reason = fields.Selection(REMOVAL_REASONS, "Removal Reason",
        states={
            'readonly': Eval('state') != 'registered',
            'invisible': ~Eval('state').in_(
                ['registered', 'removal_requested', 'removed']),
            })
    removal_note = fields.Text("Removal Note",
        states={
            'readonly': Eval('state') != 'registered',
            'invisible': ~Eval('state').in_(
                ['registered', 'removal_requested', 'removed']),
            })
    removal_requested_by = fields.Many2One('res.user',
        "Removal Requested by", readonly=True)
    removal_approved_by = fields.Many2One('res.user',
        "Removal Approved by", readonly=True)
    removal_date = fields.Date("Removal Date", readonly=True)

    # Repeats
    repeat_of = fields.Many2One('jubao.case', "Repeat of", readonly=True,
        ondelete='RESTRICT', help="The original report this one repeats.")
    # What the form shows of the original and the repeats: a report the
    # user may not read is masked, never opened (reading repeat_of.rec_name
    # would be refused by the office rule and leave the form blank)
    repeat_of_number = fields.Function(fields.Char("Repeat of"),
        'get_repeat_of_number')
    is_repeat = fields.Function(fields.Boolean("Repeat"), 'get_is_repeat',
        searcher='search_is_repeat')
    repeats = fields.One2Many('jubao.case', 'repeat_of', "Repeats",
        readonly=True)
    visible_repeats = fields.Function(fields.Many2Many('jubao.case', None,
            None, "Repeats", readonly=True), 'get_visible_repeats')
    repeat_count = fields.Function(fields.Integer("Number of Repeats"),
        'get_repeat_count')
    repeat_candidates = fields.One2Many('jubao.case.repeat', 'case',
        "Possible Repeats", readonly=True)
    # The words compared for repeats, stored at registration so the repeat
    # check never re-tokenises earlier reports (repeat.py); in no view.
    repeat_tokens = fields.Text("Repeat Tokens", readonly=True)
    count_letter = fields.Function(fields.Integer("Letters"), 'get_count')
    count_visit = fields.Function(fields.Integer("Visits"), 'get_count')
    count_phone = fields.Function(fields.Integer("Phone Calls"), 'get_count')
    count_online = fields.Function(fields.Integer("Online"), 'get_count')
    count_referral = fields.Function(fields.Integer("Referrals"), 'get_count')
    count_public_opinion = fields.Function(
        fields.Integer("Public Opinion"), 'get_count')
    pending_repeat_count = fields.Function(
        fields.Integer("Possible Repeats to Review"),
        'get_pending_repeat_count')
    state = fields.Selection(STATES, "State", readonly=True, required=True,
        sort=False)

    @classmethod
    def __register__(cls, module_name):
        ensure_extensions()
        super().__register__(module_name)
        # sao's top search box finds reports (number, person, summary);
        # it searches as the user, so the record rules apply
        ir_model = Pool().get('ir.model').__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*ir_model.update([ir_model.global_search_p], [True],
                where=ir_model.name == cls.__name__))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Timeline entries of the workflow steps (timeline.py)
        cls._timeline_states.update({
                'registered': 'jubao_intake.msg_timeline_case_registered',
                ('removal_requested', 'registered'):
                'jubao_intake.msg_timeline_case_removal_rejected',
                'accepted': 'jubao_intake.msg_timeline_case_accepted',
                'not_accepted': 'jubao_intake.msg_timeline_case_not_accepted',
                'removal_requested':
                'jubao_intake.msg_timeline_case_removal_requested',
                'removed': 'jubao_intake.msg_timeline_case_removed',
                })
        cls._timeline_fields['repeat_of'] = (
            'jubao_intake.msg_timeline_case_repeat',
            'jubao_intake.msg_timeline_case_repeat_cleared')
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_uniq', Unique(t, t.number),
                'jubao_intake.msg_case_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.received_date, Index.Range())),
                Index(t, (t.handling_office, Index.Equality())),
                # The list filters: a state or channel, newest first.
                Index(t, (t.state, Index.Equality()),
                    (t.received_date, Index.Range())),
                Index(t, (t.channel, Index.Equality()),
                    (t.received_date, Index.Range())),
                # Substring search from the list and the top search box
                # (GIN trigram where pg_trgm exists, see postgresql.py).
                Index(t, (t.number, Index.Similarity())),
                Index(t, (t.summary, Index.Similarity())),
                })
        cls._order = [
            ('received_date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._workflow_fields |= {
            'state', 'number', 'registration_date', 'registered_by', 'online_checked',
            'online_checked_by', 'removal_requested_by',
            'removal_approved_by', 'removal_date', 'repeat_of',
            'handling_office', 'repeats', 'repeat_candidates',
            'repeat_tokens',
            }
        cls._transitions |= {
            ('draft', 'registered'),
            ('registered', 'accepted'),
            ('registered', 'not_accepted'),
            ('registered', 'removal_requested'),
            ('removal_requested', 'removed'),
            ('removal_requested', 'registered'),
            }
        cls._buttons.update({
                'check_online': {
                    'invisible': ((Eval('state') != 'draft')
                        | (Eval('channel') != 'online')
                        | Bool(Eval('online_checked'))),
                    'depends': ['state', 'channel', 'online_checked'],
                    },
                'register': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'accept': {
                    'invisible': Eval('state') != 'registered',
                    'depends': ['state'],
                    },
                'not_accept': {
                    'invisible': Eval('state') != 'registered',
                    'depends': ['state'],
                    },
                'request_removal': {
                    'invisible': Eval('state') != 'registered',
                    'depends': ['state'],
                    },
                'approve_removal': {
                    'invisible': Eval('state') != 'removal_requested',
                    'depends': ['state'],
                    },
                'reject_removal': {
                    'invisible': Eval('state') != 'removal_requested',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/form/notebook/page[@id="channel"]/group[@id="%s"]' % channel,
                'states', {'invisible': Eval('channel') != channel})
            for channel, _ in CHANNELS]

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_channel():
        return 'letter'

    @staticmethod
    def default_received_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_real_name():
        return False

    @staticmethod
    def default_online_checked():
        return False

    @staticmethod
    def default_visitor_count():
        return 1

    @classmethod
    def default_intake_office(cls):
        return Pool().get('jubao.office').id_from_xml_id('office_complaints')

    @classmethod
    def default_found_by(cls):
        return Pool().get('jubao.office').id_from_xml_id('office_publicity')

    def timeline_message(self, msg):
        msg = super().timeline_message(msg)
        if msg == 'jubao_intake.msg_timeline_case_registered' and (
                not self.number):
            # The counter was busy: the number is given after the commit
            return 'jubao_intake.msg_timeline_case_registered_pending'
        return msg

    def timeline_variables(self):
        variables = super().timeline_variables()
        variables.update({
                'number': self.number or '',
                'office': self._timeline_name(self.handling_office),
                'reason': self._timeline_name(self.not_accepted_reason),
                })
        return variables

    def get_rec_name(self, name):
        return case_rec_name(self.number, self.summary)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause[:3]
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('number', operator, value),
            ('summary', operator, value),
            ('subjects.name', operator, value),
            ]

    def get_received_month(self, name):
        return self.received_date.strftime('%Y-%m') if self.received_date \
            else None

    def get_count(self, name):
        "1 in the column of the report's channel: graph series by channel."
        return int(name == 'count_' + self.channel)

    def get_group_visit(self, name):
        return self.channel == 'visit' and (self.visitor_count or 1) >= 5

    def get_subject_names(self, name):
        return '、'.join(s.name for s in self.subjects if s.name)

    @classmethod
    def search_subject_names(cls, name, clause):
        return [('subjects.name',) + tuple(clause[1:])]

    def get_is_repeat(self, name):
        return bool(self.repeat_of)

    @classmethod
    def _readable_ids(cls, ids):
        """Those of ``ids`` the user may read: record rules applied even
        in a getter (getters run without access checks)."""
        readable = set()
        with check_access():
            for sub_ids in grouped_slice(ids):
                readable.update(r.id for r in cls.search(
                        [('id', 'in', list(sub_ids))], order=[]))
        return readable

    @classmethod
    def get_repeat_of_number(cls, cases, name):
        with without_check_access():
            originals = {c.id: c.repeat_of for c in cls.browse(cases)}
            numbers = {o.id: o.number for o in originals.values() if o}
        readable = cls._readable_ids(list(numbers))
        result = {}
        for case_id, original in originals.items():
            if not original:
                result[case_id] = None
                continue
            number = numbers[original.id] or gettext(
                'jubao_intake.msg_repeat_of_unnumbered')
            # Not even the number of a report the user may not read
            result[case_id] = number if original.id in readable else gettext(
                'jubao_intake.msg_repeat_of_other_office')
        return result

    @classmethod
    def get_visible_repeats(cls, cases, name):
        with without_check_access():
            repeats = {c.id: [r.id for r in c.repeats]
                for c in cls.browse(cases)}
        readable = cls._readable_ids(
            sorted({i for ids in repeats.values() for i in ids}))
        return {c: [i for i in ids if i in readable]
            for c, ids in repeats.items()}

    @classmethod
    def get_repeat_count(cls, cases, name):
        with without_check_access():
            return {c.id: len(c.repeats) for c in cls.browse(cases)}

    @classmethod
    def search_is_repeat(cls, name, clause):
        _, operator, value = clause[:3]
        positive = (operator == '=') == bool(value)
        return [('repeat_of', '!=' if positive else '=', None)]

    def get_pending_repeat_count(self, name):
        return len([c for c in self.repeat_candidates
                if c.state == 'proposed'])

    @fields.depends('reporters', 'real_name')
    def on_change_reporters(self):
        if any(r.name and (r.phone or r.address) for r in self.reporters):
            self.real_name = True

    # Deadlines ----------------------------------------------------------

    @classmethod
    def deadlines(cls):
        return super().deadlines() + [
            Deadline('sign_for', 'sign_for_due', [
                    ('channel', '=', 'referral'),
                    ('signed_date', '=', None),
                    ('state', 'not in', ['not_accepted', 'removed']),
                    ], 'sign_for_responsible',
                'jubao_intake.msg_reminder_sign_for',
                compute='compute_sign_for_due'),
            ]

    def compute_sign_for_due(self):
        "A referral is signed for within N working days of receipt."
        if self.channel != 'referral' or not self.received_date:
            return None
        config = Pool().get('jubao.configuration')(1)
        return config.add_working_days(
            self.received_date, config.referral_sign_days)

    def sign_for_responsible(self):
        "The receiving office signs for a referral."
        office = (self.intake_office
            or Pool().get('jubao.configuration')(1).complaints_office)
        return office, office_users(office)

    # Validation ---------------------------------------------------------

    @classmethod
    def validate_fields(cls, cases, field_names):
        super().validate_fields(cases, field_names)
        cls.check_dates(cases, field_names)
        check_links(cases, ['opinion_link'], field_names)

    @classmethod
    def check_dates(cls, cases, field_names=None):
        if field_names and not (field_names & {
                    'received_date', 'postmark_date', 'call_time'}):
            return
        today = Pool().get('ir.date').today()
        for case in cases:
            if case.received_date and case.received_date > today:
                raise CaseValidationError(gettext(
                        'jubao_intake.msg_case_received_future',
                        date=case.received_date))
            if (case.postmark_date and case.received_date
                    and case.postmark_date > case.received_date):
                raise CaseValidationError(gettext(
                        'jubao_intake.msg_case_postmark_after_received'))
            if case.call_time and case.call_time.date() > today:
                raise CaseValidationError(gettext(
                        'jubao_intake.msg_case_call_future'))
            if case.call_duration and case.call_duration < dt.timedelta(0):
                raise CaseValidationError(gettext(
                        'jubao_intake.msg_case_call_duration'))

    @classmethod
    def validate(cls, cases):
        super().validate(cases)
        for case in cases:
            case.check_real_name()

    def check_real_name(self):
        if not self.real_name:
            return
        with without_check_access():
            reporters = self.__class__(self.id).reporters
        if not any(r.name and (r.phone or r.address) for r in reporters):
            raise CaseValidationError(gettext(
                    'jubao_intake.msg_case_real_name_contact',
                    case=self.rec_name))

    @classmethod
    def check_modification(cls, mode, cases, values=None, external=False):
        super().check_modification(
            mode, cases, values=values, external=external)
        if mode == 'delete':
            for case in cases:
                if case.state != 'draft' or case.number:
                    raise AccessError(gettext(
                            'jubao_intake.msg_case_delete_registered',
                            case=case.rec_name))

    @classmethod
    def on_modification(cls, mode, cases, field_names=None):
        super().on_modification(mode, cases, field_names=field_names)
        if (mode == 'write' and field_names
                and field_names & REPEAT_TEXT_FIELDS):
            Pool().get('jubao.case.repeat').store_tokens(
                [c for c in cls.browse([c.id for c in cases])
                    if c.state != 'draft'])

    @classmethod
    def copy(cls, cases, default=None):
        default = default.copy() if default is not None else {}
        for fname in ['number', 'registration_date', 'registered_by',
                'repeat_of', 'removal_requested_by', 'removal_approved_by',
                'removal_date', 'online_checked_by', 'handling_office']:
            default.setdefault(fname, None)
        default.setdefault('state', 'draft')
        default.setdefault('online_checked', False)
        default.setdefault('repeat_candidates', None)
        default.setdefault('repeat_tokens', None)
        default.setdefault('repeats', None)
        return super().copy(cases, default=default)

    # Buttons --------------------------------------------------------------

    @classmethod
    @ModelView.button
    def check_online(cls, cases):
        for case in cases:
            if case.channel != 'online':
                raise RegistrationError(gettext(
                        'jubao_intake.msg_case_not_online',
                        case=case.rec_name))
            if not case.summary or not case.subjects:
                raise RegistrationError(gettext(
                        'jubao_intake.msg_case_online_incomplete',
                        case=case.rec_name))
        cls.write(cases, {
                'online_checked': True,
                'online_checked_by': Transaction().user,
                })

    @classmethod
    @locked_first
    @ModelView.button
    def register(cls, cases):
        for case in cases:
            if case.state != 'draft' or case.number:
                raise RegistrationError(gettext(
                        'jubao_intake.msg_case_already_registered',
                        case=case.rec_name))
            if case.channel == 'online' and not case.online_checked:
                raise RegistrationError(gettext(
                        'jubao_intake.msg_case_online_unchecked',
                        case=case.rec_name))
            case.check_registrable()
        # Every report is checked before any takes a number: a failure
        # consumes no number and leaves all of them drafts.
        cls._register(cases)
        return cls._repeat_prompt(cases)

    @classmethod
    def _repeat_prompt(cls, cases):
        """The repeat candidates registration found, opened for review (sao
        runs the action a button returns), or nothing when none."""
        pool = Pool()
        Repeat = pool.get('jubao.case.repeat')
        Action = pool.get('ir.action')
        ModelData = pool.get('ir.model.data')
        candidates = Repeat.search([
                ('case', 'in', [c.id for c in cases]),
                ('state', '=', 'proposed'),
                ])
        if not candidates:
            return
        action, = Action.get_action_values('ir.action.act_window',
            [ModelData.get_id('jubao_intake', 'act_case_repeats')])
        action['name'] = gettext('jubao_intake.msg_repeat_candidates_found',
            count=len(candidates))
        action['pyson_domain'] = PYSONEncoder().encode(
            [('id', 'in', [c.id for c in candidates])])
        return action

    def check_registrable(self):
        "Re-check a draft before it is registered (a draft may be stale)."
        self.check_dates([self])
        if not (self.summary or '').strip():
            raise RegistrationError(gettext(
                    'jubao_intake.msg_case_register_summary',
                    case=self.rec_name))
        with without_check_access():
            # read on this record: the repeat check reads them again
            if not self.subjects and not self.categories:
                raise RegistrationError(gettext(
                        'jubao_intake.msg_case_register_matter',
                        case=self.rec_name))
        required = {
            'referral': 'referral_source',
            'public_opinion': 'opinion_source',
            'visit': 'visitor_count',
            }.get(self.channel)
        if required and not getattr(self, required):
            raise RegistrationError(gettext(
                    'jubao_intake.msg_case_register_channel',
                    case=self.rec_name,
                    field=self.__names__(required)['field']))
        self.check_real_name()

    @classmethod
    @Workflow.transition('registered')
    def _register(cls, cases):
        """Register checked drafts (the caller checked each is a draft) in
        one write: state, registration fields and number together, so one
        validation and one timeline entry, with the number; the transition
        wrapper then finds the state written and writes no record again
        (its write gets an empty list)."""
        if not cases:
            return
        pool = Pool()
        today = pool.get('ir.date').today()
        user = Transaction().user
        tokens = {case.id: case_tokens(case) for case in cases}
        pool.get('jubao.case.repeat').propose(cases, tokens)
        # Last before the write: the counter is held from here to the commit
        numbers = pool.get('jubao.case.counter').take(cases)
        to_write = []
        for case in cases:
            values = {
                'state': 'registered',
                'registration_date': today,
                'registered_by': user,
                'repeat_tokens': tokens[case.id],
                }
            if case.id in numbers:
                values['number'] = numbers[case.id]
            if case.channel == 'referral' and not case.sign_for_due:
                values['sign_for_due'] = case.compute_sign_for_due()
            if case.handling_office is None and case.intake_office:
                values['handling_office'] = case.intake_office.id
            to_write.extend(([case], values))
        cls.write(*to_write)
        cls.log(cases, 'transition', 'state:registered')

    @classmethod
    @ModelView.button
    @Workflow.transition('accepted')
    def accept(cls, cases):
        for case in cases:
            if not case.kind or not case.scope:
                raise ScreeningError(gettext(
                        'jubao_intake.msg_case_accept_screening',
                        case=case.rec_name))
            if case.scope == 'out_of_scope':
                raise ScreeningError(gettext(
                        'jubao_intake.msg_case_accept_out_of_scope',
                        case=case.rec_name))
            if case.scope == 'mixed' and not case.competent_body:
                raise ScreeningError(gettext(
                        'jubao_intake.msg_case_competent_body',
                        case=case.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('not_accepted')
    def not_accept(cls, cases):
        for case in cases:
            if not case.not_accepted_reason:
                raise ScreeningError(gettext(
                        'jubao_intake.msg_case_not_accepted_reason',
                        case=case.rec_name))
            if case.scope == 'out_of_scope' and not (
                    case.competent_body and case.out_of_scope_explanation):
                raise ScreeningError(gettext(
                        'jubao_intake.msg_case_out_of_scope_details',
                        case=case.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('removal_requested')
    def request_removal(cls, cases):
        for case in cases:
            if not case.removal_reason or not case.removal_note:
                raise RemovalError(gettext(
                        'jubao_intake.msg_case_removal_reason',
                        case=case.rec_name))
        cls.write(cases, {'removal_requested_by': Transaction().user})

    @classmethod
    @ModelView.button
    @Workflow.transition('removed')
    def approve_removal(cls, cases):
        user = Transaction().user
        for case in cases:
            if case.removal_requested_by and \
                    case.removal_requested_by.id == user:
                raise RemovalError(gettext(
                        'jubao_intake.msg_case_removal_own',
                        case=case.rec_name))
        cls.write(cases, {
                'removal_approved_by': user,
                'removal_date': Pool().get('ir.date').today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('registered')
    def reject_removal(cls, cases):
        cls.write(cases, {'removal_requested_by': None})
