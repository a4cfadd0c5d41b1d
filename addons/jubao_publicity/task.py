# This file is part of jubao.  Plan tasks: the numbered tasks of a plan
# with their responsible units, progress updates, approval by the
# responsible leader, their deadline and the task board statistics.
import datetime as dt

from sql import Literal
from sql.conditionals import Case

from jubao import periods
from jubao import plans as plan_rules

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from trytond.modules.jubao_intake.deadline import Deadline, DeadlineMixin
from trytond.modules.jubao_intake.timeline import TimelineMixin
from trytond.modules.jubao_intake.workflow import WorkflowFieldsMixin

from .common import check_unit_access, today, user_single_office
from .exceptions import (
    LeaderAccessError, ProgressValidationError, TaskError,
    TaskValidationError)

DEADLINE_TYPES = [
    ('date', "Date"),
    ('month_end', "End of Month"),
    ('year_end', "End of Year"),
    ('long_term', "Long-term"),
    ]
REVIEW_RHYTHMS = [
    (None, ""),
    ('monthly', "Monthly"),
    ('quarterly', "Quarterly"),
    ]
TASK_STATES = [
    ('not_started', "Not Started"),
    ('in_progress', "In Progress"),
    ('awaiting_approval', "Awaiting Approval"),
    ('done', "Done"),
    ]
# The fields a task's due date is computed from (the progress updates give
# the last review of a long-term task).
_DUE_DATE_DEPENDS = {
    'deadline', 'deadline_type', 'review_rhythm', 'plan', 'progress'}


class Task(DeadlineMixin, WorkflowFieldsMixin, Workflow, TimelineMixin,
        sequence_ordered(), ModelSQL, ModelView):
    __string__ = "Plan Task"
    __name__ = 'jubao.plan.task'
    _states = {'readonly': Eval('state') == 'done'}
    plan = fields.Many2One(
        'jubao.plan', "Plan", required=True, ondelete='CASCADE',
        states=_states)
    section = fields.Many2One(
        'jubao.plan.section', "Section", ondelete='RESTRICT',
        domain=[('plan', '=', Eval('plan', -1))], states=_states)
    subsection = fields.Char("Subsection", states=_states)
    number = fields.Char("Number", required=True, states=_states)
    name = fields.Char("Title", required=True, states=_states)
    content = fields.Text("Content", states=_states)
    responsible_leader = fields.Many2One(
        'res.user', "Responsible Leader", states=_states)
    assisting_leader = fields.Many2One(
        'res.user', "Assisting Leader", states=_states)
    offices = fields.Many2Many(
        'jubao.plan.task-jubao.office', 'task', 'office',
        "Responsible Units", states=_states)
    units_text = fields.Char(
        "Units as Written", readonly=True,
        help="The responsible units as written in the source document.")
    deadline_type = fields.Selection(
        DEADLINE_TYPES, "Deadline Type", required=True, states=_states)
    deadline = fields.Date(
        "Deadline",
        states={
            'readonly': _states['readonly'],
            'required': Eval('deadline_type') == 'date',
            'invisible': Eval('deadline_type') == 'long_term',
            })
    deadline_text = fields.Char("Deadline as Written", readonly=True)
    review_rhythm = fields.Selection(
        REVIEW_RHYTHMS, "Review Rhythm",
        states={
            'readonly': _states['readonly'],
            'required': Eval('deadline_type') == 'long_term',
            'invisible': Eval('deadline_type') != 'long_term',
            },
        help="How often progress is due for a long-term task.")
    due_date = fields.Date(
        "Due Date", readonly=True,
        help="The deadline, or for long-term tasks the date the next "
        "progress update is due.")
    phase = fields.Many2One(
        'jubao.campaign.phase', "Phase", ondelete='SET NULL',
        states=_states)
    state = fields.Selection(TASK_STATES, "State", readonly=True,
        required=True, sort=False)
    progress = fields.One2Many('jubao.plan.task.progress', 'task',
        "Progress Updates")
    percent = fields.Function(fields.Integer("Percent"), 'get_percent')
    progress_rate = fields.Function(
        fields.Float("Completion", digits=(1, 4)), 'get_progress_rate')
    last_progress_date = fields.Function(
        fields.Date("Last Progress"), 'get_last_progress_date')
    approved_by = fields.Many2One('res.user', "Approved by", readonly=True)
    approved_date = fields.Date("Approved on", readonly=True)
    leader_names = fields.Function(
        fields.Char("Leaders"), 'get_leader_names')
    office_names = fields.Function(
        fields.Char("Units"), 'get_office_names')
    my_task = fields.Function(
        fields.Boolean("My Task",
            help="The current user is the responsible or assisting leader."),
        'get_my_task', searcher='search_my_task')
    my_unit = fields.Function(
        fields.Boolean("My Unit's Task",
            help="One of the current user's units is responsible."),
        'get_my_unit', searcher='search_my_unit')
    del _states

    @classmethod
    def deadline_visual(cls):
        visual, depends = super().deadline_visual()
        return If(Eval('state') == 'done', 'muted', visual), depends + ['state']

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('plan')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality()),
                    (t.due_date, Index.Range())),
                })
        cls._order = [('plan', 'DESC'), ('sequence', 'ASC'), ('id', 'ASC')]
        cls._workflow_fields |= {
            'state', 'approved_by', 'approved_date', 'due_date'}
        cls._transitions |= {
            ('not_started', 'in_progress'),
            ('in_progress', 'awaiting_approval'),
            ('awaiting_approval', 'done'),
            ('awaiting_approval', 'in_progress'),
            ('done', 'in_progress'),
            }
        # Timeline entries (jubao_intake/timeline.py)
        cls._timeline_states.update({
                'in_progress': 'jubao_publicity.msg_timeline_task_started',
                ('awaiting_approval', 'in_progress'):
                'jubao_publicity.msg_timeline_task_sent_back',
                ('done', 'in_progress'):
                'jubao_publicity.msg_timeline_task_reopened',
                'awaiting_approval':
                'jubao_publicity.msg_timeline_task_submitted',
                'done': 'jubao_publicity.msg_timeline_task_approved',
                })
        cls._buttons.update({
                'start': {
                    'invisible': Eval('state') != 'not_started',
                    'depends': ['state'],
                    },
                'request_approval': {
                    'invisible': Eval('state') != 'in_progress',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'awaiting_approval',
                    'depends': ['state'],
                    },
                'send_back': {
                    'invisible': Eval('state') != 'awaiting_approval',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'done',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'not_started'

    @staticmethod
    def default_deadline_type():
        return 'date'

    def get_rec_name(self, name):
        return '%s %s' % (self.number, self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause[:3]
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('name', operator, value),
            ('number', operator, value),
            ]

    @fields.depends('deadline_type', 'deadline', 'review_rhythm')
    def on_change_deadline_type(self):
        if self.deadline_type == 'long_term':
            self.deadline = None
            if not self.review_rhythm:
                self.review_rhythm = 'quarterly'
        else:
            self.review_rhythm = None
            self.on_change_deadline()

    @fields.depends('deadline_type', 'deadline')
    def on_change_deadline(self):
        if self.deadline and self.deadline_type == 'month_end':
            self.deadline = periods.month_end(
                self.deadline.year, self.deadline.month)
        elif self.deadline and self.deadline_type == 'year_end':
            self.deadline = dt.date(self.deadline.year, 12, 31)

    def get_percent(self, name):
        if self.state == 'done':
            return 100
        values = [p.percent for p in self.progress if p.percent is not None]
        return max(values) if values else 0

    def get_progress_rate(self, name):
        return self.get_percent('percent') / 100

    def get_last_progress_date(self, name):
        dates = [p.date for p in self.progress if p.date]
        return max(dates) if dates else None

    def get_leader_names(self, name):
        return ' / '.join(u.rec_name for u in filter(None, [
                    self.responsible_leader, self.assisting_leader]))

    def get_office_names(self, name):
        return '、'.join(o.rec_name for o in self.offices)

    def get_my_task(self, name):
        user = Transaction().user
        return user in {u.id for u in [
                    self.responsible_leader, self.assisting_leader] if u}

    @classmethod
    def search_my_task(cls, name, clause):
        _, operator, value = clause[:3]
        user = Transaction().user
        domain = ['OR',
            ('responsible_leader', '=', user),
            ('assisting_leader', '=', user),
            ]
        if (operator == '=') == bool(value):
            return domain
        return [
            ['OR', ('responsible_leader', '=', None),
                ('responsible_leader', '!=', user)],
            ['OR', ('assisting_leader', '=', None),
                ('assisting_leader', '!=', user)],
            ]

    @classmethod
    def _user_office_ids(cls):
        User = Pool().get('res.user')
        return User.get_jubao_office_ids()

    def get_my_unit(self, name):
        offices = set(self._user_office_ids())
        return bool(offices & {o.id for o in self.offices})

    @classmethod
    def search_my_unit(cls, name, clause):
        _, operator, value = clause[:3]
        offices = cls._user_office_ids()
        if (operator == '=') == bool(value):
            return [('offices', 'in', offices)]
        return [('offices', 'not in', offices)]

    def compute_due_date(self):
        if self.deadline_type == 'long_term':
            if not self.review_rhythm:
                return None
            start = self.plan.date if self.plan else today()
            return plan_rules.next_review(
                self.review_rhythm, start, self.last_progress_date)
        return self.deadline

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names)
        if field_names is None or field_names & _DUE_DATE_DEPENDS:
            due_date = self.compute_due_date()
            if due_date != self.due_date:
                values['due_date'] = due_date
        return values

    @classmethod
    def update_due_dates(cls, tasks):
        "Recompute the due dates of ``tasks`` after progress was posted."
        cls._compute_fields(cls.browse(tasks), field_names={'progress'})

    @classmethod
    def validate_fields(cls, tasks, field_names):
        super().validate_fields(tasks, field_names)
        if field_names & {
                'deadline', 'deadline_type', 'phase', 'review_rhythm'}:
            cls.check_deadline(tasks)

    @classmethod
    def check_deadline(cls, tasks):
        """Check that each deadline fits its type and the task's phase.

        That a deadline or a review rhythm is given at all is the fields'
        own ``required`` state.
        """
        for task in tasks:
            if task.deadline_type == 'long_term' or not task.deadline:
                continue
            if (task.deadline_type == 'month_end'
                    and task.deadline != periods.month_end(
                        task.deadline.year, task.deadline.month)):
                raise TaskValidationError(gettext(
                        'jubao_publicity.msg_task_not_month_end',
                        task=task.rec_name, deadline=task.deadline))
            if (task.deadline_type == 'year_end'
                    and (task.deadline.month, task.deadline.day) != (12, 31)):
                raise TaskValidationError(gettext(
                        'jubao_publicity.msg_task_not_year_end',
                        task=task.rec_name, deadline=task.deadline))
            phase = task.phase
            if phase and not (
                    phase.start_date <= task.deadline <= phase.end_date):
                raise TaskValidationError(gettext(
                        'jubao_publicity.msg_task_deadline_phase',
                        task=task.rec_name, deadline=task.deadline,
                        phase=phase.rec_name, start=phase.start_date,
                        end=phase.end_date))

    @classmethod
    def copy(cls, tasks, default=None):
        default = default.copy() if default else {}
        default.setdefault('progress', None)
        return super().copy(tasks, default=default)

    def check_leader(self):
        "Only the responsible leader approves or reopens the task."
        user = Transaction().user
        if user == 0:
            return
        if not self.responsible_leader:
            raise TaskError(gettext('jubao_publicity.msg_task_no_leader',
                    task=self.rec_name))
        if self.responsible_leader.id != user:
            raise LeaderAccessError(gettext(
                    'jubao_publicity.msg_task_not_leader',
                    task=self.rec_name,
                    leader=self.responsible_leader.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def start(cls, tasks):
        for task in tasks:
            check_unit_access(task.offices, task.rec_name)

    @classmethod
    @ModelView.button
    @Workflow.transition('awaiting_approval')
    def request_approval(cls, tasks):
        for task in tasks:
            check_unit_access(task.offices, task.rec_name)
            if not task.progress:
                raise TaskError(gettext(
                        'jubao_publicity.msg_task_no_progress',
                        task=task.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def approve(cls, tasks):
        for task in tasks:
            task.check_leader()
        cls.write(tasks, {
                'approved_by': Transaction().user or None,
                'approved_date': today(),
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def send_back(cls, tasks):
        for task in tasks:
            task.check_leader()

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def reopen(cls, tasks):
        for task in tasks:
            task.check_leader()
        cls.write(tasks, {'approved_by': None, 'approved_date': None})

    # Deadline ------------------------------------------------------------

    @classmethod
    def deadlines(cls):
        return super().deadlines() + [
            Deadline('task', 'due_date', [('state', '!=', 'done')],
                'deadline_responsible', 'jubao_publicity.msg_reminder_task',
                window='due_soon_domain'),
            ]

    @classmethod
    def due_soon_domain(cls, date):
        "Due within the plan's reminder days (calendar days) of ``date``."
        Plan = Pool().get('jubao.plan')
        with without_check_access():
            days = sorted({p.reminder_days for p in Plan.search([])})
        if not days:
            return [('id', '=', -1)]
        return ['OR'] + [[('plan.reminder_days', '=', d),
                ('due_date', '<=', date + dt.timedelta(days=d))]
            for d in days]

    def deadline_responsible(self):
        """Both leaders and the liaison and leader of each responsible unit
        (no escalation)."""
        users = []
        for user in [self.responsible_leader, self.assisting_leader]:
            if user and user not in users:
                users.append(user)
        for office in self.offices:
            office_users = [u for u in [office.liaison, office.leader] if u]
            if not office_users:
                office_users = list(office.users)
            for user in office_users:
                if user not in users:
                    users.append(user)
        return None, users

    def deadline_label(self, deadline, due):
        return gettext(deadline.message, record=self.rec_name,
            plan=self.plan.rec_name, due=due)


class TaskOffice(ModelSQL):
    __string__ = "Plan Task - Office"
    __name__ = 'jubao.plan.task-jubao.office'
    task = fields.Many2One(
        'jubao.plan.task', "Task", required=True, ondelete='CASCADE')
    office = fields.Many2One(
        'jubao.office', "Office", required=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('task_office_uniq', Unique(t, t.task, t.office),
                'jubao_publicity.msg_task_office_unique'),
            ]
        cls.__access__.add('task')


class Progress(WorkflowFieldsMixin, ModelSQL, ModelView):
    __string__ = "Task Progress"
    __name__ = 'jubao.plan.task.progress'
    task = fields.Many2One(
        'jubao.plan.task', "Task", required=True, ondelete='CASCADE',
        domain=[('state', 'in', ['not_started', 'in_progress'])])
    office = fields.Many2One(
        'jubao.office', "Unit", required=True, ondelete='RESTRICT',
        help="The responsible unit posting the update.")
    date = fields.Date("Date", required=True)
    user = fields.Many2One('res.user', "Posted by", readonly=True)
    description = fields.Text("Progress", required=True)
    percent = fields.Integer(
        "Percent", domain=['OR', ('percent', '=', None), [
                ('percent', '>=', 0), ('percent', '<=', 100)]])
    milestone = fields.Char("Milestone")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        # Who posted: the user posting (the default), never a name a client
        # gives
        cls._workflow_fields |= {'user'}

    @staticmethod
    def default_date():
        return today()

    @staticmethod
    def default_user():
        return Transaction().user or None

    @classmethod
    def default_office(cls):
        return user_single_office()

    def get_rec_name(self, name):
        return '%s %s %s' % (self.task.rec_name, self.office.rec_name,
            self.date)

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        if field_names & {'task', 'office', 'date'}:
            date = today()
            for record in records:
                if record.office not in record.task.offices:
                    raise ProgressValidationError(gettext(
                            'jubao_publicity.msg_progress_office',
                            office=record.office.rec_name,
                            task=record.task.rec_name))
                if record.date > date:
                    raise ProgressValidationError(gettext(
                            'jubao_publicity.msg_progress_future',
                            date=record.date))

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode in {'create', 'write'}:
            cls._update_tasks(records)

    @classmethod
    def _update_tasks(cls, records):
        "Posting progress starts the task and moves its next review date."
        Task = Pool().get('jubao.plan.task')
        tasks = Task.browse(list({r.task for r in records}))
        Task.start([t for t in tasks if t.state == 'not_started'])
        Task.update_due_dates(tasks)


class TaskUnitStat(ModelSQL, ModelView):
    __string__ = "Tasks per Unit and State"
    __name__ = 'jubao.plan.task.unit_stat'
    plan = fields.Many2One('jubao.plan', "Plan", required=True)
    task = fields.Many2One('jubao.plan.task', "Task", required=True)
    office = fields.Many2One('jubao.office', "Unit", required=True)
    state = fields.Selection(TASK_STATES, "State")
    not_started = fields.Integer("Not Started")
    in_progress = fields.Integer("In Progress")
    awaiting_approval = fields.Integer("Awaiting Approval")
    done = fields.Integer("Done")
    overdue = fields.Integer("Overdue")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('task')
        cls._order = [('office', 'ASC'), ('task', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Task = pool.get('jubao.plan.task')
        TaskOffice = pool.get('jubao.plan.task-jubao.office')
        task = Task.__table__()
        rel = TaskOffice.__table__()
        with without_check_access():
            late = task.id.in_(Task.search(
                    [('due_status', '=', 'overdue')], order=[], query=True))

        def flag(condition):
            return Case((condition, Literal(1)), else_=Literal(0))
        return rel.join(task, condition=rel.task == task.id).select(
            rel.id.as_('id'),
            rel.create_uid.as_('create_uid'),
            rel.create_date.as_('create_date'),
            rel.write_uid.as_('write_uid'),
            rel.write_date.as_('write_date'),
            task.plan.as_('plan'),
            rel.task.as_('task'),
            rel.office.as_('office'),
            task.state.as_('state'),
            flag(task.state == 'not_started').as_('not_started'),
            flag(task.state == 'in_progress').as_('in_progress'),
            flag(task.state == 'awaiting_approval').as_('awaiting_approval'),
            flag(task.state == 'done').as_('done'),
            flag(late).as_('overdue'),
            )


class TaskContext(ModelView):
    __string__ = "Task Filter"
    __name__ = 'jubao.plan.task.context'
    plan = fields.Many2One('jubao.plan', "Plan")
    leader = fields.Many2One('res.user', "Leader",
        help="Tasks where the user is the responsible or assisting leader.")
    office = fields.Many2One('jubao.office', "Unit",
        help="Tasks for which the unit is responsible.")

