import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.tools.timezone import SERVER, UTC, get_tzinfo
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)

from jubao.identity import (
    is_valid_id_number, is_valid_phone, normalize_id_number)
from jubao.repeats import repeat_score

from .workflow import WorkflowFieldsMixin

from .edge import check_links

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
AUTHORITIES = [
    ('city', "City Level or Above"),
    ('district', "District Party Committee"),
    ('street', "Street or Department"),
    ('other', "Other"),
    ]
RANKS = [
    (None, ""),
    ('bureau', "Bureau Level"),
    ('county', "County Level"),
    ('township', "Township Level"),
    ('staff', "General Cadre"),
    ('village', "Village or Community Cadre"),
    ('other', "Other Personnel"),
    ]
SECTORS = [
    (None, ""),
    ('party_government', "Party and Government Organs"),
    ('education', "Education"),
    ('health', "Health"),
    ('construction', "Construction and Engineering"),
    ('land_resources', "Land and Resources"),
    ('finance', "Finance"),
    ('social_security', "Social Security and Civil Affairs"),
    ('agriculture', "Agriculture and Rural Affairs"),
    ('state_enterprise', "State-owned Enterprises"),
    ('law_enforcement', "Law Enforcement"),
    ('grassroots', "Grassroots Villages and Communities"),
    ('other', "Other"),
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

# Reading any of these by a user is written to the access log
IDENTITY_FIELDS = {'name', 'id_number', 'phone', 'address', 'unit', 'rec_name'}
# The outputs through which reporter identity leaves the system
ACCESS_ROUTES = [
    ('form', "Form"),
    ('export', "Export"),
    ('ledger', "Ledger"),
    ('notice', "Notice"),
    ('other', "Other"),
    ]

_DRAFT_ONLY = {'readonly': Eval('state') != 'draft'}


def _channel_group(channel):
    return {'invisible': Eval('channel') != channel}


class Case(WorkflowFieldsMixin, Workflow, ModelSQL, ModelView):
    "Report"
    __name__ = 'jubao.case'
    _rec_name = 'number'

    number = fields.Char("Number", readonly=True,
        help="Gapless yearly number assigned on registration.")
    number_year = fields.Integer("Number Year", readonly=True)
    number_sequence = fields.Integer("Number Sequence", readonly=True)
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
    is_repeat = fields.Function(fields.Boolean("Repeat"), 'get_is_repeat',
        searcher='search_is_repeat')
    repeats = fields.One2Many('jubao.case', 'repeat_of', "Repeats",
        readonly=True)
    repeat_candidates = fields.One2Many('jubao.case.repeat', 'case',
        "Possible Repeats", readonly=True)
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
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_uniq', Unique(t, t.number),
                'jubao_intake.msg_case_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.received_date, Index.Range())),
                Index(t, (t.state, Index.Equality())),
                Index(t, (t.handling_office, Index.Equality())),
                })
        cls._order = [
            ('received_date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._workflow_fields |= {
            'state', 'number', 'number_year', 'number_sequence',
            'registration_date', 'registered_by', 'online_checked',
            'online_checked_by', 'removal_requested_by',
            'removal_approved_by', 'removal_date', 'repeat_of',
            'handling_office', 'repeats', 'repeat_candidates',
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
        return cls._office_by_xml_id('office_complaints')

    @classmethod
    def default_found_by(cls):
        return cls._office_by_xml_id('office_publicity')

    @staticmethod
    def _office_by_xml_id(xml_id):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('jubao_intake', xml_id)
        except KeyError:
            return None

    def get_rec_name(self, name):
        return self.number or gettext('jubao_intake.msg_case_unregistered',
            summary=(self.summary or '')[:20])

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause[:3]
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('number', operator, value),
            ('summary', operator, value),
            ]

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        result = super().export_data(records, fields_names, header=header)
        # Export reads records without access checks: gate and log here
        paths = [f.split('/') for f in fields_names]
        names = {p[1] if len(p) > 1 else 'rec_name' for p in paths
            if p[0] == 'reporters'} & IDENTITY_FIELDS
        if names and Transaction().check_access:
            with without_check_access():
                counts = {c.id: len(c.reporters) for c in records}
            Pool().get('jubao.reporter.access').grant(
                counts, 'export', names)
        return result

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
                raise UserError(gettext(
                        'jubao_intake.msg_case_received_future',
                        date=case.received_date))
            if (case.postmark_date and case.received_date
                    and case.postmark_date > case.received_date):
                raise UserError(gettext(
                        'jubao_intake.msg_case_postmark_after_received'))
            if case.call_time and case.call_time.date() > today:
                raise UserError(gettext(
                        'jubao_intake.msg_case_call_future'))
            if case.call_duration and case.call_duration < dt.timedelta(0):
                raise UserError(gettext(
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
            raise UserError(gettext(
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
    def copy(cls, cases, default=None):
        default = default.copy() if default is not None else {}
        for fname in ['number', 'number_year', 'number_sequence',
                'registration_date', 'registered_by', 'repeat_of',
                'removal_requested_by', 'removal_approved_by',
                'removal_date', 'online_checked_by', 'handling_office']:
            default.setdefault(fname, None)
        default.setdefault('state', 'draft')
        default.setdefault('online_checked', False)
        default.setdefault('repeat_candidates', None)
        default.setdefault('repeats', None)
        return super().copy(cases, default=default)

    # Buttons --------------------------------------------------------------

    @classmethod
    @ModelView.button
    def check_online(cls, cases):
        for case in cases:
            if case.channel != 'online':
                raise UserError(gettext(
                        'jubao_intake.msg_case_not_online',
                        case=case.rec_name))
            if not case.summary or not case.subjects:
                raise UserError(gettext(
                        'jubao_intake.msg_case_online_incomplete',
                        case=case.rec_name))
        cls.write(cases, {
                'online_checked': True,
                'online_checked_by': Transaction().user,
                })

    @classmethod
    @ModelView.button
    def register(cls, cases):
        cls.lock(cases)
        for case in cases:
            if case.state != 'draft' or case.number:
                raise UserError(gettext(
                        'jubao_intake.msg_case_already_registered',
                        case=case.rec_name))
            if case.channel == 'online' and not case.online_checked:
                raise UserError(gettext(
                        'jubao_intake.msg_case_online_unchecked',
                        case=case.rec_name))
            case.check_registrable()
        # Every report is checked before any takes a number: a failure
        # consumes no number and leaves all of them drafts.
        cls._register(cases)

    def check_registrable(self):
        "Re-check a draft before it is registered (a draft may be stale)."
        self.check_dates([self])
        if not (self.summary or '').strip():
            raise UserError(gettext(
                    'jubao_intake.msg_case_register_summary',
                    case=self.rec_name))
        with without_check_access():
            case = self.__class__(self.id)
            if not case.subjects and not case.categories:
                raise UserError(gettext(
                        'jubao_intake.msg_case_register_matter',
                        case=self.rec_name))
        required = {
            'referral': 'referral_source',
            'public_opinion': 'opinion_source',
            'visit': 'visitor_count',
            }.get(self.channel)
        if required and not getattr(self, required):
            raise UserError(gettext(
                    'jubao_intake.msg_case_register_channel',
                    case=self.rec_name,
                    field=self.__names__(required)['field']))
        self.check_real_name()

    @classmethod
    @Workflow.transition('registered')
    def _register(cls, cases):
        pool = Pool()
        Date = pool.get('ir.date')
        Config = pool.get('jubao.configuration')
        config = Config(1)
        today = Date.today()
        for case in sorted(cases, key=lambda c: (c.received_date, c.id)):
            year = case.received_date.year
            sequence = cls._next_sequence(year)
            case.number_year = year
            case.number_sequence = sequence
            case.number = config.format_number(year, sequence)
            case.registration_date = today
            case.registered_by = Transaction().user
            if case.channel == 'referral' and not case.sign_for_due:
                case.sign_for_due = config.add_working_days(
                    case.received_date, config.referral_sign_days)
            if case.handling_office is None and case.intake_office:
                case.handling_office = case.intake_office
        cls.save(cases)
        cls.propose_repeats(cases)

    @classmethod
    def _next_sequence(cls, year):
        "Next gapless number of the year; the counter row is locked."
        Counter = Pool().get('jubao.case.counter')
        with without_check_access():
            counters = Counter.search([('year', '=', year)], limit=1)
            if not counters:
                counters = Counter.create([{'year': year, 'last': 0}])
            counter, = counters
            Counter.lock([counter])
            counter = Counter(counter.id)
            counter.last += 1
            counter.save()
        return counter.last

    @classmethod
    def propose_repeats(cls, cases):
        "Propose earlier reports about the same person with similar content."
        pool = Pool()
        Candidate = pool.get('jubao.case.repeat')
        threshold = pool.get('jubao.configuration')(1).repeat_threshold
        to_create = []
        with without_check_access():
            for case in cases:
                names = {s.name.strip() for s in case.subjects if s.name}
                if not names:
                    continue
                earlier = cls.search([
                        ('id', '!=', case.id),
                        ('state', '!=', 'draft'),
                        ('subjects.name', 'in', list(names)),
                        ('received_date', '<=', case.received_date),
                        ], order=[('received_date', 'ASC'), ('id', 'ASC')])
                text = case._repeat_text()
                for other in earlier:
                    score = repeat_score(
                        names, text,
                        [s.name for s in other.subjects],
                        other._repeat_text())
                    if score >= threshold:
                        to_create.append({
                                'case': case.id,
                                'candidate': other.id,
                                'score': score,
                                })
            Candidate.create(to_create)

    def _repeat_text(self):
        return '\n'.join(filter(None, [
                    self.summary, self.keywords, self.content]))

    @classmethod
    @ModelView.button
    @Workflow.transition('accepted')
    def accept(cls, cases):
        for case in cases:
            if not case.kind or not case.scope:
                raise UserError(gettext(
                        'jubao_intake.msg_case_accept_screening',
                        case=case.rec_name))
            if case.scope == 'out_of_scope':
                raise UserError(gettext(
                        'jubao_intake.msg_case_accept_out_of_scope',
                        case=case.rec_name))
            if case.scope == 'mixed' and not case.competent_body:
                raise UserError(gettext(
                        'jubao_intake.msg_case_competent_body',
                        case=case.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('not_accepted')
    def not_accept(cls, cases):
        for case in cases:
            if not case.not_accepted_reason:
                raise UserError(gettext(
                        'jubao_intake.msg_case_not_accepted_reason',
                        case=case.rec_name))
            if case.scope == 'out_of_scope' and not (
                    case.competent_body and case.out_of_scope_explanation):
                raise UserError(gettext(
                        'jubao_intake.msg_case_out_of_scope_details',
                        case=case.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('removal_requested')
    def request_removal(cls, cases):
        for case in cases:
            if not case.removal_reason or not case.removal_note:
                raise UserError(gettext(
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
                raise UserError(gettext(
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


class CaseCounter(ModelSQL):
    "Report Number Counter"
    __name__ = 'jubao.case.counter'
    year = fields.Integer("Year", required=True)
    last = fields.Integer("Last Number", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('year_uniq', Unique(t, t.year),
                'jubao_intake.msg_counter_year_unique'),
            ]


class CaseReporter(ModelSQL, ModelView):
    "Reporter"
    __name__ = 'jubao.case.reporter'
    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name")
    id_number = fields.Char("ID Number")
    phone = fields.Char("Phone")
    address = fields.Char("Address")
    unit = fields.Char("Unit")
    is_unit = fields.Boolean("Reporting as a Unit")
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'ASC')]

    def get_rec_name(self, name):
        return self.name or gettext('jubao_intake.msg_reporter_anonymous')

    @classmethod
    def read(cls, ids, fields_names):
        result = super().read(ids, fields_names)
        transaction = Transaction()
        if (ids and transaction.check_access
                and set(fields_names) & IDENTITY_FIELDS):
            Pool().get('jubao.reporter.access').grant(
                cls.case_counts(ids), 'form', fields_names)
        return result

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        result = super().export_data(records, fields_names, header=header)
        # Export reads records without access checks: gate and log here
        names = {f.split('/')[0] for f in fields_names} & IDENTITY_FIELDS
        if names and Transaction().check_access:
            Pool().get('jubao.reporter.access').grant(
                cls.case_counts([r.id for r in records]), 'export', names)
        return result

    @classmethod
    def case_counts(cls, ids):
        "{report id: number of the reporters ``ids`` on it}"
        counts = defaultdict(int)
        with without_check_access():
            for reporter in cls.browse(ids):
                counts[reporter.case.id] += 1
        return dict(counts)

    @fields.depends('id_number')
    def on_change_id_number(self):
        if self.id_number:
            self.id_number = normalize_id_number(self.id_number)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('id_number'):
            values['id_number'] = normalize_id_number(values['id_number'])
        return values

    @classmethod
    def validate_fields(cls, reporters, field_names):
        super().validate_fields(reporters, field_names)
        for reporter in reporters:
            if reporter.id_number and not is_valid_id_number(
                    reporter.id_number):
                raise UserError(gettext(
                        'jubao_intake.msg_reporter_id_invalid',
                        number=reporter.id_number))
            if reporter.phone and not is_valid_phone(reporter.phone):
                raise UserError(gettext(
                        'jubao_intake.msg_reporter_phone_invalid',
                        phone=reporter.phone))


class CaseSubject(ModelSQL, ModelView):
    "Reported Person"
    __name__ = 'jubao.case.subject'
    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    unit = fields.Char("Unit")
    position = fields.Char("Position")
    rank = fields.Selection(RANKS, "Rank", sort=False)
    authority = fields.Selection(AUTHORITIES, "Management Authority",
        required=True, sort=False)
    is_commission_head = fields.Boolean("Head of This Commission",
        help="Reports on the commission's own head go straight up.")
    is_party_member = fields.Boolean("Party Member")
    sector = fields.Selection(SECTORS, "Sector", sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Follow the access rights and record rules of the report
        cls.__access__.add('case')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.name, Index.Equality())))
        cls._order = [('id', 'ASC')]

    @staticmethod
    def default_authority():
        return 'district'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('name'):
            values['name'] = values['name'].strip()
        return values


class CaseCategory(ModelSQL):
    "Report - Problem Category"
    __name__ = 'jubao.case-jubao.problem.category'
    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE')
    category = fields.Many2One('jubao.problem.category', "Category",
        required=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('case')


class RepeatCandidate(WorkflowFieldsMixin, Workflow, ModelSQL, ModelView):
    "Possible Repeat"
    __name__ = 'jubao.case.repeat'
    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE', readonly=True)
    candidate = fields.Many2One('jubao.case', "Earlier Report",
        required=True, ondelete='CASCADE', readonly=True)
    candidate_summary = fields.Function(fields.Char("Earlier Summary"),
        'get_candidate_field')
    candidate_date = fields.Function(fields.Date("Earlier Received"),
        'get_candidate_field')
    score = fields.Float("Score", digits=(1, 2), readonly=True)
    state = fields.Selection([
            ('proposed', "Proposed"),
            ('confirmed', "Confirmed"),
            ('dismissed', "Dismissed"),
            ], "State", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('case')
        cls._order = [('score', 'DESC'), ('id', 'ASC')]
        cls._workflow_fields |= {'state', 'case', 'candidate', 'score'}
        cls._transitions |= {
            ('proposed', 'confirmed'),
            ('proposed', 'dismissed'),
            ('dismissed', 'confirmed'),
            ('confirmed', 'dismissed'),
            }
        cls._buttons.update({
                'confirm': {
                    'invisible': Eval('state') == 'confirmed',
                    'depends': ['state'],
                    },
                'dismiss': {
                    'invisible': Eval('state') == 'dismissed',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'proposed'

    # The access follows the report (``case``); the earlier report may be
    # handled by another office, so users see only the candidates whose
    # earlier report they may read as well (``__access__`` with two fields
    # to the same model would only follow one of them).

    @classmethod
    def search(cls, domain, *args, **kwargs):
        transaction = Transaction()
        if transaction.user and transaction.check_access:
            Case = Pool().get('jubao.case')
            domain = [domain,
                ('candidate', 'in', Case.search([], query=True))]
        return super().search(domain, *args, **kwargs)

    @classmethod
    def _check_candidates(cls, ids):
        "Raise AccessError unless the user may read the earlier reports."
        transaction = Transaction()
        ids = [i for i in ids if i is not None and int(i) >= 0]
        if ids and transaction.user and transaction.check_access:
            with without_check_access():
                candidates = {c.candidate.id for c in cls.browse(ids)}
            Pool().get('jubao.case').read(list(candidates), ['id'])

    @classmethod
    def read(cls, ids, fields_names):
        cls._check_candidates(ids)
        return super().read(ids, fields_names)

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        cls._check_candidates([r.id for r in records])
        return super().export_data(records, fields_names, header=header)

    def get_candidate_field(self, name):
        with without_check_access():
            candidate = self.__class__(self.id).candidate
            if name == 'candidate_summary':
                return candidate.summary
            return candidate.received_date

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, candidates):
        Case = Pool().get('jubao.case')
        for candidate in candidates:
            case = candidate.case
            original = candidate.candidate.repeat_of or candidate.candidate
            if original == case:
                raise UserError(gettext('jubao_intake.msg_repeat_cycle'))
            if case.repeat_of and case.repeat_of != original:
                raise UserError(gettext(
                        'jubao_intake.msg_repeat_already_linked',
                        case=case.rec_name, original=case.repeat_of.rec_name))
            Case.write([case], {'repeat_of': original.id})
        others = cls.search([
                ('case', 'in', [c.case.id for c in candidates]),
                ('state', '=', 'proposed'),
                ('id', 'not in', [c.id for c in candidates]),
                ])
        cls.write(others, {'state': 'dismissed'})

    @classmethod
    @ModelView.button
    @Workflow.transition('dismissed')
    def dismiss(cls, candidates):
        Case = Pool().get('jubao.case')
        for candidate in candidates:
            case = candidate.case
            original = candidate.candidate.repeat_of or candidate.candidate
            if candidate.state == 'confirmed' and case.repeat_of == original:
                Case.write([case], {'repeat_of': None})


class ReporterAccess(ModelSQL, ModelView):
    "Reporter Identity Access"
    __name__ = 'jubao.reporter.access'
    # Plain ids, no foreign keys: the row is written by a separate
    # transaction that must never wait for the reading one.
    user_id = fields.Integer("User ID", readonly=True)
    user = fields.Function(fields.Many2One('res.user', "User"),
        'get_user', searcher='search_user')
    case_id = fields.Integer("Report ID", readonly=True)
    case = fields.Function(fields.Many2One('jubao.case', "Report"),
        'get_case', searcher='search_case')
    reporter_count = fields.Integer("Reporters Read", readonly=True)
    fields_read = fields.Char("Fields Read", readonly=True)
    fields_read_string = fields.Function(fields.Char("Fields Read"),
        'get_fields_read_string')
    route = fields.Selection(ACCESS_ROUTES, "Route", readonly=True,
        sort=False, help="The output through which the identity was read.")
    read_at = fields.Timestamp("Read at", readonly=True)
    read_at_string = fields.Function(fields.Char("Read at"),
        'get_read_at_string')
    # For the record rule hiding rows about reports the user may not read
    # (recusal): case_id is a plain integer, so no rule follows the report.
    case_readers = fields.Function(fields.Many2Many('res.user', None, None,
            "Report Readers"), 'get_case_readers',
        searcher='search_case_readers')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('read_at', 'DESC'), ('id', 'DESC')]

    def get_user(self, name):
        return self.user_id

    def get_read_at_string(self, name):
        """The time of reading in the user's time zone, as text: sao 8 lists
        have no column for timestamps."""
        if not self.read_at:
            return None
        zone = Transaction().context.get('timezone')
        local = self.read_at.replace(tzinfo=UTC).astimezone(
            get_tzinfo(zone) if zone else SERVER)
        return local.strftime('%Y-%m-%d %H:%M:%S')

    def get_fields_read_string(self, name):
        "The labels of the fields read, in the user's language."
        Reporter = Pool().get('jubao.case.reporter')
        # The record name of a reporter is their name
        names = list(dict.fromkeys(
                'name' if n == 'rec_name' else n
                for n in (self.fields_read or '').split(',')
                if n in Reporter._fields))
        labels = Reporter.fields_get(names)
        return '、'.join(labels[n]['string'] for n in names)

    def get_case(self, name):
        return self.case_id

    @classmethod
    def get_case_readers(cls, accesses, name):
        "The current user, on the rows whose report they may read."
        user = Transaction().user
        readable = readable_case_ids({a.case_id for a in accesses
                if a.case_id is not None})
        return {a.id: [user] if a.case_id in readable else []
            for a in accesses}

    @classmethod
    def search_case_readers(cls, name, clause):
        """Rows whose report the users may read (=, in), for the record
        rule: evaluated as each user, so that the rule also holds where
        Tryton applies it as root (Rule.query_get, Rule.check)."""
        _, operator, value = clause[:3]
        if operator not in {'=', 'in'}:
            raise ValueError(f"unsupported operator {operator}")
        values = value if isinstance(value, (list, tuple)) else [value]
        transaction = Transaction()
        domain = ['OR']
        for user in {int(v) for v in values if v is not None}:
            with transaction.set_user(user):
                query = readable_cases_query()
            if query is None:
                return []
            domain.append(('case_id', 'in', query))
        return [domain] if len(domain) > 1 else [('id', '=', None)]

    @classmethod
    def search_user(cls, name, clause):
        return [('user_id',) + tuple(clause[1:])] if clause[1] in {
            '=', '!=', 'in', 'not in'} else [
            ('user_id', 'in', [u.id for u in Pool().get('res.user').search(
                        [('rec_name',) + tuple(clause[1:])])])]

    @classmethod
    def search_case(cls, name, clause):
        return [('case_id',) + tuple(clause[1:])] if clause[1] in {
            '=', '!=', 'in', 'not in'} else [
            ('case_id', 'in', [c.id for c in Pool().get('jubao.case').search(
                        [('rec_name',) + tuple(clause[1:])])])]

    @classmethod
    def grant(cls, case_counts, route, fields_names, strict=True):
        """The one gate to reporter identity, whatever the output.

        ``case_counts`` maps report ids to the number of their reporters
        shown.  The user must be entitled by role (``may_read_reporters``)
        and may read the report under its record rules (so not recused).
        Returns the ids of the reports granted and logs the access naming
        ``route``.  Refused reports raise AccessError, or are left out when
        not ``strict`` (outputs shared with other roles, such as ledgers,
        then show no identity for them).
        """
        if Transaction().user == 0:
            return set(case_counts)
        granted = (readable_case_ids(case_counts) if may_read_reporters()
            else set())
        if strict and set(case_counts) - granted:
            raise AccessError(gettext('jubao_intake.msg_reporter_refused'))
        cls.record({c: n for c, n in case_counts.items()
                if c in granted and n}, route, fields_names)
        return granted

    @classmethod
    def record(cls, case_counts, route, fields_names):
        """Log who read the reporters of which reports, even from a
        read-only request.

        Written in its own transaction: RPC reads run read-only and a read
        must be logged even when the request fails afterwards.
        """
        if not case_counts:
            return
        user = Transaction().user
        names = ','.join(sorted(set(fields_names) & IDENTITY_FIELDS))
        now = dt.datetime.now()
        with Transaction().new_transaction() as transaction, \
                without_check_access():
            cls.create([{
                        'user_id': user,
                        'case_id': case_id,
                        'reporter_count': count,
                        'fields_read': names,
                        'route': route,
                        'read_at': now,
                        } for case_id, count in case_counts.items()])
            transaction.commit()


def may_read_reporters():
    """Whether the user's role entitles them to reporter identity.

    The only source of the role check (recusal is checked per report by
    ``ReporterAccess.grant``); evaluated with access rules enforced.
    """
    transaction = Transaction()
    if transaction.user == 0:
        return True
    ModelAccess = Pool().get('ir.model.access')
    with transaction.set_context(_check_access=True):
        access = ModelAccess.get_access(['jubao.case.reporter'])
    return bool(access['jubao.case.reporter']['read'])


def readable_case_ids(case_ids):
    "The ids of ``case_ids`` the user may read under the record rules."
    pool = Pool()
    Case = pool.get('jubao.case')
    Rule = pool.get('ir.rule')
    transaction = Transaction()
    ids = {int(i) for i in case_ids}
    if transaction.user == 0 or not ids:
        return ids
    with transaction.set_context(_check_access=True):
        domain = Rule.domain_get('jubao.case', mode='read')
    if not domain:
        return ids
    # As Rule.check does: the rule domain is evaluated as root
    with transaction.set_user(0, set_context=True), inactive_records(), \
            without_check_access():
        return {c.id for c in Case.search(
                [('id', 'in', list(ids)), domain], order=[])}


def readable_cases_query():
    """SQL query of the ids of the reports the user may read, or None when
    the record rules do not restrict them: raw-SQL outputs filter on it."""
    Rule = Pool().get('ir.rule')
    transaction = Transaction()
    if transaction.user == 0:
        return None
    with transaction.set_context(_check_access=True):
        if not Rule.domain_get('jubao.case', mode='read'):
            return None
        return Rule.query_get('jubao.case')


def reporter_identity(case_ids, route, fields_names=('name', 'phone'),
        strict=True):
    """{report id: [{field: value}]} of the reporters of the reports, read
    through ``ReporterAccess.grant`` (checked and logged as ``route``).

    For ledgers, notices and any other output built outside the reporter
    model; reports refused are left out when not ``strict``.
    """
    pool = Pool()
    Reporter = pool.get('jubao.case.reporter')
    Access = pool.get('jubao.reporter.access')
    case_ids = [int(i) for i in case_ids]
    if not case_ids or not (strict or may_read_reporters()):
        return {}
    by_case = defaultdict(list)
    with without_check_access():
        reporters = Reporter.search([('case', 'in', case_ids)],
            order=[('id', 'ASC')])
        for values in Reporter.read([r.id for r in reporters],
                ['case'] + list(fields_names)):
            by_case[values['case']].append(values)
    granted = Access.grant({c: len(by_case.get(c, [])) for c in case_ids},
        route, fields_names, strict=strict)
    return {c: rows for c, rows in by_case.items() if c in granted}
