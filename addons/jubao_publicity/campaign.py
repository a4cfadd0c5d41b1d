# This file is part of jubao.  The publicity year (宣传年): campaign, working
# group, phases, 四进 events, monthly liaison reports, research and guidance
# visits and the campaign's KPIs measured from the reports of jubao_intake.
import datetime as dt
from decimal import Decimal

from jubao import kpi as kpi_rules
from jubao import plans as plan_rules

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access

from trytond.modules.jubao_intake.edge import check_links
from trytond.modules.jubao_intake.workflow import WorkflowFieldsMixin

from .plan import check_unit_access, user_single_office

PHASE_KINDS = [
    ('launch', "Launch"),
    ('push', "Concentrated Push"),
    ('deepening', "Deepening"),
    ('summary', "Summary"),
    ]
# Default phase months (first, last) as in the seed plan.
PHASE_MONTHS = {
    'launch': (3, 3),
    'push': (4, 6),
    'deepening': (7, 10),
    'summary': (11, 12),
    }
EVENT_KINDS = [
    ('organ', "Into Organs"),
    ('enterprise', "Into Enterprises"),
    ('community', "Into Communities"),
    ('village', "Into Villages"),
    ('other', "Other Activity"),
    ]
INDICATORS = [
    ('out_of_scope', "Share of Out-of-scope Reports"),
    ('real_name', "Share of Real-name Reports"),
    ('online', "Share of Online Reports"),
    ('false_accusation', "Reports Found to Be False Accusations"),
    ('awareness', "Awareness Rate of the Acceptance Scope"),
    ]
# Desired direction of each indicator (seed 001, goals).
DIRECTIONS = {
    'out_of_scope': 'down',
    'real_name': 'up',
    'online': 'up',
    'false_accusation': 'down',
    'awareness': 'up',
    }


def _today():
    return Pool().get('ir.date').today()


def first_of_month(date):
    return date.replace(day=1)


class Campaign(ModelSQL, ModelView):
    "Publicity Year Campaign"
    __string__ = "Publicity Year Campaign"
    __name__ = 'jubao.campaign'
    name = fields.Char("Name", required=True)
    year = fields.Integer("Year", required=True)
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date("End Date", required=True,
        domain=[('end_date', '>=', Eval('start_date', None))])
    plan = fields.Many2One('jubao.plan', "Plan",
        domain=[('year', '=', Eval('year', -1))],
        help="The implementation plan of the publicity year.")
    goals = fields.Text("Goals")
    office = fields.Many2One('jubao.office', "Working Group Office",
        required=True, ondelete='RESTRICT')
    members = fields.One2Many('jubao.campaign.member', 'campaign',
        "Working Group")
    phases = fields.One2Many('jubao.campaign.phase', 'campaign', "Phases")
    events = fields.One2Many('jubao.campaign.event', 'campaign', "Events")
    reports = fields.One2Many('jubao.campaign.report', 'campaign',
        "Monthly Reports")
    visits = fields.One2Many('jubao.campaign.visit', 'campaign',
        "Research and Guidance Visits")
    liaison_offices = fields.Many2Many(
        'jubao.campaign-jubao.office', 'campaign', 'office',
        "Reporting Units",
        help="Units whose liaison reports every month.")
    report_day = fields.Integer("Reminder Day", required=True,
        domain=[('report_day', '>=', 1), ('report_day', '<=', 28)],
        help="Day of the month from which liaisons who have not submitted "
        "the month's report are reminded.")
    awareness_rate = fields.Numeric("Awareness Rate (%)", digits=(5, 2),
        domain=['OR', ('awareness_rate', '=', None), [
                ('awareness_rate', '>=', 0), ('awareness_rate', '<=', 100)]],
        help="Latest survey result.")
    awareness_rate_start = fields.Numeric(
        "Awareness Rate at Start (%)", digits=(5, 2),
        domain=['OR', ('awareness_rate_start', '=', None), [
                ('awareness_rate_start', '>=', 0),
                ('awareness_rate_start', '<=', 100)]])
    awareness_rate_previous = fields.Numeric(
        "Awareness Rate Previous Year (%)", digits=(5, 2),
        domain=['OR', ('awareness_rate_previous', '=', None), [
                ('awareness_rate_previous', '>=', 0),
                ('awareness_rate_previous', '<=', 100)]])
    kpis = fields.One2Many('jubao.campaign.kpi', 'campaign', "KPIs",
        readonly=True)
    kpi_date = fields.Date("KPIs Computed on", readonly=True)
    missing_reports = fields.Function(fields.Many2Many(
            'jubao.campaign.report', None, None, "Missing Reports"),
        'get_missing_reports')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('year_uniq', Unique(t, t.year),
                'jubao_publicity.msg_campaign_year_unique'),
            ]
        cls._order = [('year', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'create_phases': {
                    'invisible': Bool(Eval('phases', [])),
                    'depends': ['phases'],
                    },
                'create_reports': {},
                'compute_kpis': {},
                })

    @staticmethod
    def default_year():
        return _today().year

    @classmethod
    def default_start_date(cls):
        return dt.date(cls.default_year(), 3, 1)

    @classmethod
    def default_end_date(cls):
        return dt.date(cls.default_year(), 12, 31)

    @staticmethod
    def default_report_day():
        return 25

    @staticmethod
    def default_office():
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('jubao_intake', 'office_complaints')
        except (KeyError, ValueError):
            return None

    @classmethod
    def default_liaison_offices(cls):
        Office = Pool().get('jubao.office')
        return [o.id for o in Office.search(
                [('kind', 'in', ['street', 'stationed'])])]

    @fields.depends('year', 'start_date', 'end_date')
    def on_change_year(self):
        if self.year and 2000 <= self.year <= 2100:
            self.start_date = dt.date(self.year, 3, 1)
            self.end_date = dt.date(self.year, 12, 31)

    @classmethod
    def validate_fields(cls, campaigns, field_names):
        super().validate_fields(campaigns, field_names)
        if field_names & {'year', 'start_date', 'end_date'}:
            for campaign in campaigns:
                if (campaign.start_date.year != campaign.year
                        or campaign.end_date.year != campaign.year):
                    raise UserError(gettext(
                            'jubao_publicity.msg_campaign_dates_year',
                            campaign=campaign.rec_name, year=campaign.year))

    def get_missing_reports(self, name):
        Report = Pool().get('jubao.campaign.report')
        today = _today()
        return [r.id for r in Report.search([
                    ('campaign', '=', self.id),
                    ('state', '=', 'draft'),
                    ('reminder_date', '<=', today),
                    ])]

    def phase_values(self):
        values = []
        for sequence, (kind, _) in enumerate(PHASE_KINDS, 1):
            first, last = PHASE_MONTHS[kind]
            values.append({
                    'campaign': self.id,
                    'sequence': sequence,
                    'kind': kind,
                    'start_date': dt.date(self.year, first, 1),
                    'end_date': plan_rules.month_end(self.year, last),
                    })
        return values

    @classmethod
    @ModelView.button
    def create_phases(cls, campaigns):
        Phase = Pool().get('jubao.campaign.phase')
        to_create = []
        for campaign in campaigns:
            if not campaign.phases:
                to_create.extend(campaign.phase_values())
        Phase.create(to_create)

    def report_months(self, date):
        "First days of the months from the start until ``date``."
        months = []
        month = first_of_month(self.start_date)
        last = first_of_month(min(date, self.end_date))
        while month <= last:
            months.append(month)
            month = plan_rules.add_months(month, 1)
        return months

    @classmethod
    @ModelView.button
    def create_reports(cls, campaigns, date=None):
        "Create the missing monthly report slots up to the current month."
        Report = Pool().get('jubao.campaign.report')
        date = date or _today()
        to_create = []
        for campaign in campaigns:
            existing = {(r.office.id, r.month) for r in campaign.reports}
            for month in campaign.report_months(date):
                for office in campaign.liaison_offices:
                    if (office.id, month) in existing:
                        continue
                    to_create.append({
                            'campaign': campaign.id,
                            'office': office.id,
                            'month': month,
                            'liaison': (office.liaison.id
                                if office.liaison else None),
                            })
        with without_check_access():
            return Report.create(to_create)

    @classmethod
    def run_monthly_reports(cls, date=None):
        """Scheduled job: create this month's report slots and remind the
        liaisons whose report is missing after the reminder day.

        Returns the reports found missing.  Safe to run several times a day:
        reminders go through jubao.reminder which sends once per day.
        """
        pool = Pool()
        Report = pool.get('jubao.campaign.report')
        Reminder = pool.get('jubao.reminder')
        date = date or _today()
        campaigns = cls.search([
                ('start_date', '<=', date),
                ('end_date', '>=', first_of_month(date)),
                ])
        cls.create_reports(campaigns, date=date)
        missing = Report.search([
                ('campaign', 'in', [c.id for c in campaigns]),
                ('state', '=', 'draft'),
                ('reminder_date', '<=', date),
                ], order=[('month', 'ASC'), ('office', 'ASC')])
        for report in missing:
            users = report.reminder_users()
            if users:
                Reminder.send(users, report, 'missing',
                    gettext('jubao_publicity.msg_report_missing',
                        office=report.office.rec_name,
                        month=report.period),
                    due_date=report.reminder_date)
        return missing

    # KPIs
    def kpi_windows(self, date=None):
        """Return the (start, end) windows of the current period, the same
        period of the previous year and the baseline (the three months
        before the campaign started)."""
        date = date or _today()
        end = min(max(date, self.start_date), self.end_date)
        current = (self.start_date, end)

        def year_before(day):
            try:
                return day.replace(year=day.year - 1)
            except ValueError:
                return day.replace(year=day.year - 1, day=28)
        previous = (year_before(current[0]), year_before(current[1]))
        baseline = (plan_rules.add_months(self.start_date, -3),
            self.start_date - dt.timedelta(days=1))
        return {'current': current, 'previous': previous, 'start': baseline}

    @classmethod
    def _case_window_domain(cls, window):
        pool = Pool()
        Case = pool.get('jubao.case')
        start, end = window
        field = Case._fields['received_date']
        if isinstance(field, fields.DateTime):
            start = dt.datetime.combine(start, dt.time.min)
            end = dt.datetime.combine(end, dt.time.max)
        return [
            ('received_date', '>=', start),
            ('received_date', '<=', end),
            ('state', '!=', 'draft'),
            ]

    @classmethod
    def _false_accusation_domain(cls):
        """Domain of the reports found to be false accusations (诬告陷害),
        or None when no activated module records the finding (jubao_routing
        adds the field ``accusation`` to concluded reports)."""
        Case = Pool().get('jubao.case')
        field = Case._fields.get('accusation')
        if isinstance(field, fields.Selection):
            return [('accusation', '=', 'false_accusation')]
        return None

    @classmethod
    def case_counts(cls, window):
        "Counts of reports received in the window, per indicator."
        Case = Pool().get('jubao.case')
        domain = cls._case_window_domain(window)
        with without_check_access():
            counts = {
                'total': Case.search_count(domain),
                'out_of_scope': Case.search_count(
                    domain + [('scope', '=', 'out_of_scope')]),
                'real_name': Case.search_count(
                    domain + [('real_name', '=', True)]),
                'online': Case.search_count(
                    domain + [('channel', '=', 'online')]),
                }
            false_domain = cls._false_accusation_domain()
            counts['false_accusation'] = (Case.search_count(
                    domain + false_domain) if false_domain is not None
                else None)
        return counts

    def kpi_values(self, date=None):
        "List of the KPI row values (without the campaign)."
        windows = self.kpi_windows(date)
        counts = {k: self.case_counts(w) for k, w in windows.items()}
        rows = []
        for sequence, (indicator, _) in enumerate(INDICATORS, 1):
            direction = DIRECTIONS[indicator]
            if indicator == 'awareness':
                values = {
                    'current': self.awareness_rate,
                    'previous': self.awareness_rate_previous,
                    'start': self.awareness_rate_start,
                    }
                current_count = total = None
            elif indicator == 'false_accusation':
                values = {k: (Decimal(c[indicator])
                        if c[indicator] is not None else None)
                    for k, c in counts.items()}
                current_count = counts['current'][indicator]
                total = counts['current']['total']
            else:
                values = {k: kpi_rules.percent(c[indicator], c['total'])
                    for k, c in counts.items()}
                current_count = counts['current'][indicator]
                total = counts['current']['total']
            rows.append({
                    'sequence': sequence,
                    'indicator': indicator,
                    'direction': direction,
                    'count': current_count,
                    'total': total,
                    'current': values['current'],
                    'previous': values['previous'],
                    'start': values['start'],
                    'change_previous': kpi_rules.change(
                        values['current'], values['previous']),
                    'change_start': kpi_rules.change(
                        values['current'], values['start']),
                    'improved_previous': kpi_rules.improved(
                        values['current'], values['previous'], direction),
                    'improved_start': kpi_rules.improved(
                        values['current'], values['start'], direction),
                    })
        return rows

    @classmethod
    @ModelView.button
    def compute_kpis(cls, campaigns, date=None):
        KPI = Pool().get('jubao.campaign.kpi')
        date = date or _today()
        KPI.delete([k for c in campaigns for k in c.kpis])
        to_create = []
        for campaign in campaigns:
            for values in campaign.kpi_values(date):
                values['campaign'] = campaign.id
                to_create.append(values)
        KPI.create(to_create)
        cls.write(campaigns, {'kpi_date': date})

    @classmethod
    def run_kpis(cls):
        "Scheduled job: refresh the KPIs of running campaigns."
        today = _today()
        cls.compute_kpis(cls.search([
                    ('start_date', '<=', today),
                    ('end_date', '>=', today - dt.timedelta(days=31)),
                    ]), date=today)


class CampaignOffice(ModelSQL):
    "Campaign - Reporting Unit"
    __string__ = "Campaign - Reporting Unit"
    __name__ = 'jubao.campaign-jubao.office'
    campaign = fields.Many2One('jubao.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    office = fields.Many2One('jubao.office', "Unit", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('campaign')


class Member(sequence_ordered(), ModelSQL, ModelView):
    "Working Group Member"
    __string__ = "Working Group Member"
    __name__ = 'jubao.campaign.member'
    campaign = fields.Many2One('jubao.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    role = fields.Selection([
            ('leader', "Group Leader"),
            ('deputy', "Deputy Leader"),
            ('member', "Member"),
            ], "Role", required=True)
    name = fields.Char("Name", required=True)
    user = fields.Many2One('res.user', "User")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('campaign')

    @staticmethod
    def default_role():
        return 'member'

    @fields.depends('user', 'name')
    def on_change_user(self):
        if self.user and not self.name:
            self.name = self.user.name


class Phase(sequence_ordered(), ModelSQL, ModelView):
    "Campaign Phase"
    __string__ = "Campaign Phase"
    __name__ = 'jubao.campaign.phase'
    campaign = fields.Many2One('jubao.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    kind = fields.Selection(PHASE_KINDS, "Kind", required=True)
    name = fields.Function(fields.Char("Name"), 'get_name',
        searcher='search_name')
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date("End Date", required=True,
        domain=[('end_date', '>=', Eval('start_date', None))])
    description = fields.Text("Description")
    tasks = fields.One2Many('jubao.plan.task', 'phase', "Tasks")
    events = fields.One2Many('jubao.campaign.event', 'phase', "Events",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('campaign')
        t = cls.__table__()
        cls._sql_constraints += [
            ('campaign_kind_uniq', Unique(t, t.campaign, t.kind),
                'jubao_publicity.msg_phase_kind_unique'),
            ]

    def get_name(self, name):
        selection = dict(self.fields_get(['kind'])['kind']['selection'])
        return '%s (%s – %s)' % (selection.get(self.kind, self.kind),
            self.start_date.strftime('%m-%d'),
            self.end_date.strftime('%m-%d'))

    def get_rec_name(self, name):
        return self.name

    @classmethod
    def search_name(cls, name, clause):
        return [('kind',) + tuple(clause[1:])]

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('kind',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, phases, field_names):
        super().validate_fields(phases, field_names)
        if field_names & {'start_date', 'end_date', 'campaign'}:
            for phase in phases:
                campaign = phase.campaign
                if (phase.start_date.year != campaign.year
                        or phase.end_date.year != campaign.year):
                    raise UserError(gettext(
                            'jubao_publicity.msg_phase_outside_year',
                            phase=phase.rec_name, year=campaign.year))
                for other in campaign.phases:
                    if other == phase:
                        continue
                    if (other.start_date <= phase.end_date
                            and phase.start_date <= other.end_date):
                        raise UserError(gettext(
                                'jubao_publicity.msg_phase_overlap',
                                phase=phase.rec_name, other=other.rec_name))
        if field_names & {'start_date', 'end_date'}:
            Task = Pool().get('jubao.plan.task')
            Task.check_deadline([t for p in phases for t in p.tasks])


class Event(ModelSQL, ModelView):
    "Publicity Event"
    __string__ = "Publicity Event"
    __name__ = 'jubao.campaign.event'
    campaign = fields.Many2One('jubao.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    phase = fields.Many2One('jubao.campaign.phase', "Phase",
        readonly=True, ondelete='SET NULL')
    name = fields.Char("Name", required=True)
    kind = fields.Selection(EVENT_KINDS, "Kind", required=True)
    date = fields.Date("Date", required=True)
    organiser = fields.Many2One('jubao.office', "Organising Unit",
        required=True, ondelete='RESTRICT')
    place = fields.Char("Place", required=True)
    participants = fields.Integer("Participants",
        domain=['OR', ('participants', '=', None),
            ('participants', '>=', 0)])
    audience = fields.Char("Audience")
    brochures = fields.Integer("Brochures Handed Out",
        domain=['OR', ('brochures', '=', None), ('brochures', '>=', 0)])
    board_guide = fields.Boolean("Board: Guide to Reporting",
        help="《信访举报指南》")
    board_scope = fields.Boolean("Board: Acceptance Scope",
        help="《纪检监察机关受理检举控告范围和不予受理事项》")
    board_rights = fields.Boolean("Board: Rights and Duties",
        help="《检举控告人的权利和义务》")
    other_materials = fields.Char("Other Materials")
    media = fields.Char("Media Coverage")
    media_link = fields.Char("Media Link")
    description = fields.Text("Description")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.date, Index.Range())))

    @classmethod
    def default_organiser(cls):
        return user_single_office()

    @staticmethod
    def default_kind():
        return 'community'

    @classmethod
    def validate_fields(cls, events, field_names):
        super().validate_fields(events, field_names)
        check_links(events, ['media_link'], field_names)
        if field_names & {'date', 'campaign'}:
            for event in events:
                campaign = event.campaign
                if not (campaign.start_date <= event.date
                        <= campaign.end_date):
                    raise UserError(gettext(
                            'jubao_publicity.msg_event_outside_campaign',
                            event=event.rec_name, date=event.date,
                            start=campaign.start_date,
                            end=campaign.end_date))

    @classmethod
    def _set_phase(cls, events):
        to_write = []
        for event in events:
            phase = None
            for candidate in event.campaign.phases:
                if candidate.start_date <= event.date <= candidate.end_date:
                    phase = candidate
            if phase != event.phase:
                to_write.extend(([event], {
                            'phase': phase.id if phase else None}))
        if to_write:
            with without_check_access():
                super().write(*to_write)

    @classmethod
    def create(cls, vlist):
        events = super().create(vlist)
        cls._set_phase(events)
        return events

    @classmethod
    def write(cls, *args):
        super().write(*args)
        cls._set_phase(sum(args[::2], []))


class Report(WorkflowFieldsMixin, Workflow, ModelSQL, ModelView):
    "Monthly Liaison Report"
    __string__ = "Monthly Liaison Report"
    __name__ = 'jubao.campaign.report'
    _states = {'readonly': Eval('state') != 'draft'}
    campaign = fields.Many2One('jubao.campaign', "Campaign", required=True,
        ondelete='CASCADE', states=_states)
    office = fields.Many2One('jubao.office', "Unit", required=True,
        ondelete='RESTRICT', states=_states)
    liaison = fields.Many2One('res.user', "Liaison", states=_states)
    month = fields.Date("Month", required=True, states=_states,
        help="The first day of the month reported on.")
    period = fields.Function(fields.Char("Period"), 'get_period')
    reminder_date = fields.Date("Reminder Date", readonly=True)
    articles = fields.One2Many('jubao.campaign.report.article', 'report',
        "Articles Published", states=_states)
    article_count = fields.Function(fields.Integer("Articles"),
        'get_article_count')
    work_progress = fields.Text("Progress of the Work", states={
            'readonly': _states['readonly'],
            'required': Eval('state') == 'submitted',
            })
    state = fields.Selection([
            ('draft', "Not Submitted"),
            ('submitted', "Submitted"),
            ], "State", readonly=True, required=True)
    submitted_date = fields.Date("Submitted on", readonly=True)
    submitted_by = fields.Many2One('res.user', "Submitted by",
        readonly=True)
    del _states

    @classmethod
    def view_attributes(cls):
        # PYSON in a view must be encoded by the server: a raw expression
        # in the XML breaks the list in sao
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('state') == 'submitted', '', 'warning'), ['state']),
            ]

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('campaign_office_month_uniq',
                Unique(t, t.campaign, t.office, t.month),
                'jubao_publicity.msg_report_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.state, Index.Equality()),
                (t.reminder_date, Index.Range())))
        cls._order = [('month', 'DESC'), ('office', 'ASC'), ('id', 'ASC')]
        cls._workflow_fields |= {
            'state', 'submitted_date', 'submitted_by', 'reminder_date'}
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'draft'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'submitted',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_month():
        return first_of_month(_today())

    @classmethod
    def default_office(cls):
        return user_single_office()

    @fields.depends('office', 'liaison')
    def on_change_office(self):
        if self.office and self.office.liaison and not self.liaison:
            self.liaison = self.office.liaison

    @fields.depends('month')
    def on_change_month(self):
        if self.month:
            self.month = first_of_month(self.month)

    def get_period(self, name):
        return gettext('jubao_publicity.msg_period',
            year=self.month.year, month=self.month.month)

    def get_rec_name(self, name):
        return '%s %s' % (self.office.rec_name, self.period)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('office.rec_name',) + tuple(clause[1:])]

    def get_article_count(self, name):
        return len(self.articles)

    def compute_reminder_date(self):
        day = min(self.campaign.report_day, 28)
        return self.month.replace(day=day)

    def reminder_users(self):
        users = [u for u in [self.liaison or self.office.liaison] if u]
        if not users and self.office.leader:
            users = [self.office.leader]
        return users

    @classmethod
    def validate_fields(cls, reports, field_names):
        super().validate_fields(reports, field_names)
        if field_names & {'month', 'campaign'}:
            current = first_of_month(_today())
            for report in reports:
                if report.month.day != 1:
                    raise UserError(gettext(
                            'jubao_publicity.msg_report_month_first',
                            report=report.rec_name))
                if report.month > current:
                    raise UserError(gettext(
                            'jubao_publicity.msg_report_month_not_started',
                            report=report.rec_name))
                campaign = report.campaign
                if not (first_of_month(campaign.start_date) <= report.month
                        <= campaign.end_date):
                    raise UserError(gettext(
                            'jubao_publicity.msg_report_outside_campaign',
                            report=report.rec_name,
                            campaign=campaign.rec_name))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if isinstance(values.get('month'), dt.date):
            values['month'] = first_of_month(values['month'])
        return values

    @classmethod
    def create(cls, vlist):
        reports = super().create(vlist)
        cls._set_reminder_date(reports)
        return reports

    @classmethod
    def write(cls, *args):
        super().write(*args)
        cls._set_reminder_date(sum(args[::2], []))

    @classmethod
    def _set_reminder_date(cls, reports):
        to_write = []
        for report in reports:
            date = report.compute_reminder_date()
            if date != report.reminder_date:
                to_write.extend(([report], {'reminder_date': date}))
        if to_write:
            with without_check_access():
                super().write(*to_write)

    @classmethod
    def copy(cls, reports, default=None):
        default = default.copy() if default else {}
        default.setdefault('submitted_date', None)
        default.setdefault('submitted_by', None)
        default.setdefault('reminder_date', None)
        return super().copy(reports, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, reports):
        for report in reports:
            check_unit_access([report.office], report.rec_name)
            if not report.work_progress:
                raise UserError(gettext(
                        'jubao_publicity.msg_report_no_progress',
                        report=report.rec_name))
        cls.write(reports, {
                'submitted_date': _today(),
                'submitted_by': Transaction().user or None,
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def reopen(cls, reports):
        cls.write(reports, {
                'submitted_date': None,
                'submitted_by': None,
                })


class Article(ModelSQL, ModelView):
    "Published Article"
    __string__ = "Published Article"
    __name__ = 'jubao.campaign.report.article'
    report = fields.Many2One('jubao.campaign.report', "Report",
        required=True, ondelete='CASCADE')
    title = fields.Char("Title", required=True)
    medium = fields.Char("Medium", required=True)
    date = fields.Date("Date", required=True)
    link = fields.Char("Link")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('report')

    def get_rec_name(self, name):
        return self.title

    @classmethod
    def validate_fields(cls, articles, field_names):
        super().validate_fields(articles, field_names)
        check_links(articles, ['link'], field_names)
        if field_names & {'date'}:
            today = _today()
            for article in articles:
                if article.date > today:
                    raise UserError(gettext(
                            'jubao_publicity.msg_article_future',
                            article=article.title, date=article.date))


class Visit(ModelSQL, ModelView):
    "Research and Guidance Visit"
    __string__ = "Research and Guidance Visit"
    __name__ = 'jubao.campaign.visit'
    campaign = fields.Many2One('jubao.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    office = fields.Many2One('jubao.office', "Visited Unit", required=True,
        ondelete='RESTRICT')
    visitors = fields.Many2Many('jubao.campaign.visit-res.user', 'visit',
        'user', "Visitors")
    subject = fields.Char("Subject", required=True)
    findings = fields.Text("Findings")
    items = fields.One2Many('jubao.campaign.visit.item', 'visit',
        "Rectification Items")
    state = fields.Function(fields.Selection([
                ('open', "Open"),
                ('closed', "Closed"),
                ], "State"), 'get_state', searcher='search_state')
    open_items = fields.Function(fields.Integer("Open Items"),
        'get_open_items')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return '%s %s %s' % (self.date, self.office.rec_name, self.subject)

    def get_open_items(self, name):
        return len([i for i in self.items if i.state == 'open'])

    def get_state(self, name):
        return 'open' if any(i.state == 'open' for i in self.items) else (
            'closed')

    @classmethod
    def search_state(cls, name, clause):
        _, operator, value = clause[:3]
        positive = (operator in ('=', 'in')) == (
            value == 'open' or (isinstance(value, (list, tuple))
                and 'open' in value))
        if positive:
            return [('items.state', '=', 'open')]
        Item = Pool().get('jubao.campaign.visit.item')
        open_visits = {i.visit.id for i in Item.search(
                [('state', '=', 'open')])}
        return [('id', 'not in', list(open_visits))]

    @classmethod
    def validate_fields(cls, visits, field_names):
        super().validate_fields(visits, field_names)
        if field_names & {'date', 'campaign'}:
            for visit in visits:
                campaign = visit.campaign
                if not (campaign.start_date <= visit.date
                        <= campaign.end_date):
                    raise UserError(gettext(
                            'jubao_publicity.msg_visit_outside_campaign',
                            visit=visit.rec_name, date=visit.date))


class VisitUser(ModelSQL):
    "Visit - Visitor"
    __string__ = "Visit - Visitor"
    __name__ = 'jubao.campaign.visit-res.user'
    visit = fields.Many2One('jubao.campaign.visit', "Visit", required=True,
        ondelete='CASCADE')
    user = fields.Many2One('res.user', "User", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('visit')


class VisitItem(WorkflowFieldsMixin, Workflow, ModelSQL, ModelView):
    "Rectification Item"
    __string__ = "Rectification Item"
    __name__ = 'jubao.campaign.visit.item'
    _states = {'readonly': Eval('state') != 'open'}
    visit = fields.Many2One('jubao.campaign.visit', "Visit", required=True,
        ondelete='CASCADE', states=_states)
    description = fields.Text("Problem and Rectification", required=True,
        states=_states)
    owner = fields.Many2One('jubao.office', "Owner Unit", required=True,
        ondelete='RESTRICT', states=_states)
    owner_user = fields.Many2One('res.user', "Owner", states=_states)
    deadline = fields.Date("Deadline", required=True, states=_states)
    result = fields.Text("Result", states={
            'required': Eval('state') == 'closed',
            })
    closed_date = fields.Date("Closed on", readonly=True)
    state = fields.Selection([
            ('open', "Open"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True)
    overdue = fields.Function(fields.Boolean("Overdue"), 'get_overdue')
    del _states

    @classmethod
    def view_attributes(cls):
        # PYSON in a view must be encoded by the server: a raw expression
        # in the XML breaks the list in sao
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('overdue', False), 'danger', ''),
                ['overdue']),
            ]

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('visit')
        cls._order = [('deadline', 'ASC'), ('id', 'ASC')]
        cls._workflow_fields |= {'state', 'closed_date'}
        cls._transitions |= {
            ('open', 'closed'),
            ('closed', 'open'),
            }
        cls._buttons.update({
                'close': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'closed',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'open'

    def get_rec_name(self, name):
        return (self.description or '')[:40]

    def get_overdue(self, name):
        return self.state == 'open' and self.deadline < _today()

    @classmethod
    def validate_fields(cls, items, field_names):
        super().validate_fields(items, field_names)
        if field_names & {'deadline', 'visit'}:
            for item in items:
                if item.deadline < item.visit.date:
                    raise UserError(gettext(
                            'jubao_publicity.msg_item_deadline_before_visit',
                            item=item.rec_name, deadline=item.deadline,
                            date=item.visit.date))

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, items):
        for item in items:
            check_unit_access([item.owner], item.rec_name)
            if not item.result:
                raise UserError(gettext('jubao_publicity.msg_item_no_result',
                        item=item.rec_name))
        cls.write(items, {'closed_date': _today()})

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, items):
        cls.write(items, {'closed_date': None})


class KPI(sequence_ordered(), ModelSQL, ModelView):
    "Campaign KPI"
    __string__ = "Campaign KPI"
    __name__ = 'jubao.campaign.kpi'
    campaign = fields.Many2One('jubao.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    indicator = fields.Selection(INDICATORS, "Indicator", required=True)
    direction = fields.Selection([
            ('up', "Higher is Better"),
            ('down', "Lower is Better"),
            ], "Goal", required=True)
    count = fields.Integer("Count")
    total = fields.Integer("Reports")
    current = fields.Numeric("Current", digits=(16, 2))
    previous = fields.Numeric("Previous Year", digits=(16, 2))
    start = fields.Numeric("At Campaign Start", digits=(16, 2))
    change_previous = fields.Numeric("Change vs Previous Year",
        digits=(16, 2))
    change_start = fields.Numeric("Change vs Start", digits=(16, 2))
    improved_previous = fields.Boolean("Better than Previous Year")
    improved_start = fields.Boolean("Better than at Start")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('campaign')
