# This file is part of jubao.  The publicity year (宣传年) campaign: its
# dates, working group, reporting units and four phases.  Its documents
# are in event.py, liaison.py (monthly reports) and visit.py; kpi.py
# measures it.
import datetime as dt

from jubao import periods

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields, sequence_ordered
from trytond.pool import Pool
from trytond.pyson import Bool, Eval

from .common import today
from .exceptions import CampaignValidationError

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


class Campaign(ModelSQL, ModelView):
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
    visits = fields.One2Many('jubao.campaign.visit', 'campaign',
        "Research and Guidance Visits")
    liaison_offices = fields.Many2Many(
        'jubao.campaign-jubao.office', 'campaign', 'office',
        "Reporting Units",
        help="Units whose liaison reports every month.")

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
                })

    @staticmethod
    def default_year():
        return today().year

    @classmethod
    def default_start_date(cls):
        return dt.date(cls.default_year(), 3, 1)

    @classmethod
    def default_end_date(cls):
        return dt.date(cls.default_year(), 12, 31)

    @staticmethod
    def default_office():
        Office = Pool().get('jubao.office')
        return Office.id_from_xml_id('office_complaints')

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
                    raise CampaignValidationError(gettext(
                            'jubao_publicity.msg_campaign_dates_year',
                            campaign=campaign.rec_name, year=campaign.year))

    def phase_values(self):
        values = []
        for sequence, (kind, _) in enumerate(PHASE_KINDS, 1):
            first, last = PHASE_MONTHS[kind]
            values.append({
                    'campaign': self.id,
                    'sequence': sequence,
                    'kind': kind,
                    'start_date': dt.date(self.year, first, 1),
                    'end_date': periods.month_end(self.year, last),
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


class CampaignOffice(ModelSQL):
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
                phase.check_dates()
        if field_names & {'start_date', 'end_date'}:
            Task = Pool().get('jubao.plan.task')
            Task.check_deadline([t for p in phases for t in p.tasks])

    def check_dates(self):
        "The phase lies in the campaign year and overlaps no other phase."
        campaign = self.campaign
        if (self.start_date.year != campaign.year
                or self.end_date.year != campaign.year):
            raise CampaignValidationError(gettext(
                    'jubao_publicity.msg_phase_outside_year',
                    phase=self.rec_name, year=campaign.year))
        for other in campaign.phases:
            if other != self and (other.start_date <= self.end_date
                    and self.start_date <= other.end_date):
                raise CampaignValidationError(gettext(
                        'jubao_publicity.msg_phase_overlap',
                        phase=self.rec_name, other=other.rec_name))
