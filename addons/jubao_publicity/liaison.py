# This file is part of jubao.  Monthly liaison reports (联络员月报): each
# reporting unit's liaison reports every month of the campaign on the work
# done and the articles published, by the campaign's reminder day, from
# which a report not yet submitted is reminded (a deadline).
import datetime as dt

from jubao import periods

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from trytond.modules.jubao_intake.deadline import Deadline, DeadlineMixin
from trytond.modules.jubao_intake.edge import check_links
from trytond.modules.jubao_intake.workflow import WorkflowFieldsMixin

from .common import (
    check_unit_access, first_of_month, today, user_single_office)
from .exceptions import ReportError, ReportValidationError


class Campaign(metaclass=PoolMeta):
    __name__ = 'jubao.campaign'
    reports = fields.One2Many('jubao.campaign.report', 'campaign',
        "Monthly Reports")
    report_day = fields.Integer("Reminder Day", required=True,
        domain=[('report_day', '>=', 1), ('report_day', '<=', 28)],
        help="Day of the month from which liaisons who have not submitted "
        "the month's report are reminded.")
    missing_reports = fields.Function(fields.Many2Many(
            'jubao.campaign.report', None, None, "Missing Reports"),
        'get_missing_reports')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'create_reports': {},
                })

    @staticmethod
    def default_report_day():
        return 25

    def get_missing_reports(self, name):
        "The reports past their reminder day and not submitted."
        Report = Pool().get('jubao.campaign.report')
        return [r.id for r in Report.search([
                    ('campaign', '=', self.id),
                    ('due_status', '!=', None),
                    ])]

    def report_months(self, date):
        "First days of the months from the start until ``date``."
        months = []
        month = first_of_month(self.start_date)
        last = first_of_month(min(date, self.end_date))
        while month <= last:
            months.append(month)
            month = periods.add_months(month, 1)
        return months

    @classmethod
    @ModelView.button
    def create_reports(cls, campaigns, date=None):
        "Create the missing monthly report slots up to the current month."
        Report = Pool().get('jubao.campaign.report')
        date = date or today()
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
        """Scheduled job: create the report slots of the running campaigns
        up to this month (their reminders are the deadline job's).

        Returns the reports created; safe to run several times a day.
        """
        date = date or today()
        campaigns = cls.search([
                ('start_date', '<=', date),
                ('end_date', '>=', first_of_month(date)),
                ])
        return cls.create_reports(campaigns, date=date)


class Report(DeadlineMixin, WorkflowFieldsMixin, Workflow, ModelSQL,
        ModelView):
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
        return first_of_month(today())

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

    @classmethod
    def deadlines(cls):
        return super().deadlines() + [
            Deadline('report', 'reminder_date', [('state', '=', 'draft')],
                'deadline_responsible',
                'jubao_publicity.msg_reminder_report',
                window='reminder_day_domain'),
            ]

    @classmethod
    def reminder_day_domain(cls, date):
        "Reminded from the reminder day on, not before."
        return [('reminder_date', '<=', date)]

    def deadline_responsible(self):
        "The liaison, else the unit's leader (no escalation)."
        users = [u for u in [self.liaison or self.office.liaison] if u]
        if not users and self.office.leader:
            users = [self.office.leader]
        return None, users

    @classmethod
    def validate_fields(cls, reports, field_names):
        super().validate_fields(reports, field_names)
        if field_names & {'month', 'campaign'}:
            current = first_of_month(today())
            for report in reports:
                report.check_month(current)

    def check_month(self, current):
        "The month is a first day, has started and lies in the campaign."
        if self.month.day != 1:
            raise ReportValidationError(gettext(
                    'jubao_publicity.msg_report_month_first',
                    report=self.rec_name))
        if self.month > current:
            raise ReportValidationError(gettext(
                    'jubao_publicity.msg_report_month_not_started',
                    report=self.rec_name))
        campaign = self.campaign
        if not (first_of_month(campaign.start_date) <= self.month
                <= campaign.end_date):
            raise ReportValidationError(gettext(
                    'jubao_publicity.msg_report_outside_campaign',
                    report=self.rec_name, campaign=campaign.rec_name))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if isinstance(values.get('month'), dt.date):
            values['month'] = first_of_month(values['month'])
        return values

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names)
        # Every change reads the campaign's reminder day again: it may have
        # changed since the report was last written.
        date = self.compute_reminder_date()
        if date != self.reminder_date:
            values['reminder_date'] = date
        return values

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, reports):
        for report in reports:
            check_unit_access([report.office], report.rec_name)
            if not report.work_progress:
                raise ReportError(gettext(
                        'jubao_publicity.msg_report_no_progress',
                        report=report.rec_name))
        cls.write(reports, {
                'submitted_date': today(),
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
            date = today()
            for article in articles:
                if article.date > date:
                    raise ReportValidationError(gettext(
                            'jubao_publicity.msg_article_future',
                            article=article.title, date=article.date))
