# This file is part of jubao.  Implementation plans (实施方案) and their
# sections; the tasks are in task.py, the import of plan files in
# plan_import.py.
from trytond.model import ModelSQL, ModelView, fields, sequence_ordered
from trytond.pyson import Eval

from .common import today


class Plan(ModelSQL, ModelView):
    __string__ = "Implementation Plan"
    __name__ = 'jubao.plan'
    name = fields.Char("Name", required=True)
    year = fields.Integer("Year", required=True)
    date = fields.Date(
        "Date", required=True,
        help="The date the plan takes effect; long-term tasks count their "
        "first review period from it.")
    description = fields.Text("Description")
    reminder_days = fields.Integer(
        "Reminder Days", required=True,
        domain=[('reminder_days', '>=', 0)],
        help="Days before a deadline when the reminder \"due soon\" is sent.")
    sections = fields.One2Many('jubao.plan.section', 'plan', "Sections")
    tasks = fields.One2Many('jubao.plan.task', 'plan', "Tasks")
    task_count = fields.Function(fields.Integer("Tasks"), 'get_counts')
    done_count = fields.Function(fields.Integer("Done"), 'get_counts')
    overdue_count = fields.Function(fields.Integer("Overdue"), 'get_counts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('year', 'DESC'), ('name', 'ASC'), ('id', 'DESC')]

    @staticmethod
    def default_year():
        return today().year

    @staticmethod
    def default_date():
        return today()

    @staticmethod
    def default_reminder_days():
        return 7

    @classmethod
    def get_counts(cls, plans, names):
        result = {n: {p.id: 0 for p in plans} for n in names}
        for plan in plans:
            for task in plan.tasks:
                if 'task_count' in names:
                    result['task_count'][plan.id] += 1
                if 'done_count' in names and task.state == 'done':
                    result['done_count'][plan.id] += 1
                if ('overdue_count' in names
                        and task.due_status == 'overdue'):
                    result['overdue_count'][plan.id] += 1
        return result


class Section(sequence_ordered(), ModelSQL, ModelView):
    __string__ = "Plan Section"
    __name__ = 'jubao.plan.section'
    plan = fields.Many2One(
        'jubao.plan', "Plan", required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    tasks = fields.One2Many('jubao.plan.task', 'section', "Tasks",
        domain=[('plan', '=', Eval('plan', -1))])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('plan')
