# This file is part of jubao.  Research and guidance visits (调研指导) of
# the publicity year: who visited which unit, what was found, and the
# rectification items the visited units close by their deadline.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from trytond.modules.jubao_intake.deadline import Deadline, DeadlineMixin
from trytond.modules.jubao_intake.workflow import WorkflowFieldsMixin

from .common import check_unit_access, today
from .exceptions import VisitItemError, VisitValidationError


class Visit(ModelSQL, ModelView):
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
                    raise VisitValidationError(gettext(
                            'jubao_publicity.msg_visit_outside_campaign',
                            visit=visit.rec_name, date=visit.date))


class VisitUser(ModelSQL):
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


class VisitItem(DeadlineMixin, WorkflowFieldsMixin, Workflow, ModelSQL,
        ModelView):
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
    del _states

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

    @classmethod
    def deadlines(cls):
        # Shown in the lists only: nobody is reminded of rectifications.
        return super().deadlines() + [
            Deadline('rectification', 'deadline', [('state', '=', 'open')]),
            ]

    @classmethod
    def validate_fields(cls, items, field_names):
        super().validate_fields(items, field_names)
        if field_names & {'deadline', 'visit'}:
            for item in items:
                if item.deadline < item.visit.date:
                    raise VisitValidationError(gettext(
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
                raise VisitItemError(gettext(
                        'jubao_publicity.msg_item_no_result',
                        item=item.rec_name))
        cls.write(items, {'closed_date': today()})

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, items):
        cls.write(items, {'closed_date': None})
