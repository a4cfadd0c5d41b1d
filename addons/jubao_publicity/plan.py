# This file is part of jubao.  Implementation plans (实施方案) and their
# numbered tasks, progress updates, the task board statistics and the
# import of plans from structured data files.
import datetime as dt
import os

from sql import Literal, Null
from sql.conditionals import Case

from jubao import plans as plan_rules

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields, sequence_ordered)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateView, Wizard
from trytond.exceptions import UserError
from trytond.modules.jubao_intake.workflow import WorkflowFieldsMixin

DATA_DIR = os.path.join(os.path.dirname(__file__), 'data')
SEED_FILES = {
    'implementation': 'plan_000_implementation.csv',
    'publicity': 'plan_001_publicity_year.csv',
    }
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
# Internal offices named in the seeds, by their XML id in jubao_intake.
OFFICE_ALIASES = {
    '办公室': 'office_general',
    '组宣部': 'office_publicity',
    '信访室': 'office_complaints',
    '案管室': 'office_case_management',
    '审理室': 'office_trial',
    }


def _today():
    return Pool().get('ir.date').today()


MANAGER_GROUPS = ['group_clerk', 'group_complaints_head', 'group_leader',
    'group_admin']


def check_unit_access(offices, record_name):
    """Raise an AccessError unless the user works for one of ``offices``
    or belongs to a managing group (complaints office, leaders, admin)."""
    transaction = Transaction()
    if transaction.user == 0:
        return
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    groups = set(User.get_groups())
    managers = {ModelData.get_id('jubao_intake', g) for g in MANAGER_GROUPS}
    if groups & managers:
        return
    mine = set(User.get_jubao_office_ids())
    if not mine & {o.id for o in offices}:
        raise AccessError(gettext('jubao_publicity.msg_not_your_unit',
                record=record_name))


def user_single_office():
    "The id of the user's office when the user works for exactly one."
    User = Pool().get('res.user')
    offices = User.get_jubao_office_ids()
    return offices[0] if len(offices) == 1 else None


def resolve_office_specs(specs):
    """Return (offices, unknown) for unit specs from jubao.plans.

    ``unknown`` lists the specs that match no active office.
    """
    pool = Pool()
    Office = pool.get('jubao.office')
    ModelData = pool.get('ir.model.data')
    offices, unknown = [], []

    def by_xml_id(fs_id):
        try:
            return Office(ModelData.get_id('jubao_intake', fs_id))
        except (KeyError, ValueError):
            return None

    for kind, value in specs:
        found = []
        if kind == 'kind':
            found = Office.search([('kind', '=', value)], order=[
                    ('sequence', 'ASC NULLS LAST'), ('code', 'ASC'),
                    ('id', 'ASC')])
        elif kind == 'discipline':
            name = plan_rules.discipline_name(value)
            found = Office.search([('name', '=', name)])
            if not found:
                office = by_xml_id('office_discipline_%s' % value)
                found = [office] if office else []
        else:
            found = Office.search([('name', '=', value)])
            if not found and value in OFFICE_ALIASES:
                office = by_xml_id(OFFICE_ALIASES[value])
                found = [office] if office else []
        if not found:
            unknown.append(value if kind == 'name' else
                plan_rules.discipline_name(value) if kind == 'discipline'
                else {'street': '各街道纪工委',
                    'stationed': '派驻(出)机构'}.get(value, value))
        for office in found:
            if office not in offices:
                offices.append(office)
    return offices, unknown


class Plan(ModelSQL, ModelView):
    "Implementation Plan"
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
        return _today().year

    @staticmethod
    def default_date():
        return _today()

    @staticmethod
    def default_reminder_days():
        return 7

    @classmethod
    def get_counts(cls, plans, names):
        result = {n: {p.id: 0 for p in plans} for n in names}
        today = _today()
        for plan in plans:
            for task in plan.tasks:
                if 'task_count' in names:
                    result['task_count'][plan.id] += 1
                if 'done_count' in names and task.state == 'done':
                    result['done_count'][plan.id] += 1
                if 'overdue_count' in names and task.is_overdue(today):
                    result['overdue_count'][plan.id] += 1
        return result

    @classmethod
    def import_file(cls, data, filename, name, year, review_rhythm='quarterly',
            campaign=None, date=None):
        """Create a plan from a CSV/XLSX file: all rows or nothing.

        Raises a UserError listing every bad row.
        """
        pool = Pool()
        Section = pool.get('jubao.plan.section')
        Task = pool.get('jubao.plan.task')
        if not year or year < 2000 or year > 2100:
            raise UserError(gettext('jubao_publicity.msg_import_bad_year',
                    year=year))
        try:
            rows = plan_rules.read_rows(data, filename or 'plan.csv')
        except plan_rules.RowError as exception:
            raise UserError(gettext(
                    'jubao_publicity.msg_import_bad_file',
                    detail=str(exception)))
        if not rows:
            raise UserError(gettext('jubao_publicity.msg_import_empty'))
        phases = {}
        if campaign:
            phases = {p.kind: p for p in campaign.phases}
        errors, parsed, seen = [], [], set()
        for line, row in rows:
            problems = []
            title = plan_rules.fill_year(row['title'], year)
            number = row['number']
            if not row['section']:
                problems.append(gettext(
                        'jubao_publicity.msg_row_no_section'))
            if not title:
                problems.append(gettext('jubao_publicity.msg_row_no_title'))
            if not number:
                problems.append(gettext('jubao_publicity.msg_row_no_number'))
            key = (row['section'], number)
            if number and key in seen:
                problems.append(gettext(
                        'jubao_publicity.msg_row_duplicate', number=number))
            seen.add(key)
            try:
                deadline_type, deadline = plan_rules.parse_deadline(
                    row['deadline'], year)
            except plan_rules.DeadlineError:
                deadline_type = deadline = None
                problems.append(gettext(
                        'jubao_publicity.msg_row_bad_deadline',
                        deadline=row['deadline']))
            offices = []
            try:
                specs = plan_rules.parse_units(row['units'])
            except plan_rules.UnitError:
                problems.append(gettext('jubao_publicity.msg_row_no_units'))
            else:
                offices, unknown = resolve_office_specs(specs)
                if unknown:
                    problems.append(gettext(
                            'jubao_publicity.msg_row_unknown_units',
                            units='、'.join(unknown)))
            phase = None
            if row['phase'] and campaign:
                phase = phases.get(row['phase'])
                if not phase:
                    problems.append(gettext(
                            'jubao_publicity.msg_row_unknown_phase',
                            phase=row['phase']))
            if problems:
                errors.append(gettext('jubao_publicity.msg_row_error',
                        line=line, number=number or '?',
                        problems='；'.join(problems)))
                continue
            parsed.append((row, title, deadline_type, deadline, offices,
                    phase))
        if errors:
            raise UserError(gettext('jubao_publicity.msg_import_failed',
                    count=len(errors)), '\n'.join(errors))

        plan, = cls.create([{
                    'name': name, 'year': year,
                    'date': date or dt.date(year, 1, 1)}])
        sections = {}
        for row, *_ in parsed:
            if row['section'] not in sections:
                sections[row['section']] = None
        section_records = Section.create([{
                    'plan': plan.id, 'name': s, 'sequence': i}
                for i, s in enumerate(sections, 1)])
        sections = dict(zip(sections, section_records))
        to_create = []
        for i, (row, title, deadline_type, deadline, offices, phase) in (
                enumerate(parsed, 1)):
            to_create.append({
                    'plan': plan.id,
                    'section': sections[row['section']].id,
                    'subsection': row['subsection'] or None,
                    'sequence': i,
                    'number': row['number'],
                    'name': title,
                    'content': plan_rules.fill_year(row['content'], year),
                    'units_text': row['units'],
                    'deadline_text': plan_rules.fill_year(
                        row['deadline'], year),
                    'deadline_type': deadline_type,
                    'deadline': deadline,
                    'review_rhythm': (review_rhythm
                        if deadline_type == 'long_term' else None),
                    'offices': [('add', [o.id for o in offices])],
                    'phase': phase.id if phase else None,
                    })
        Task.create(to_create)
        return plan

    @classmethod
    def import_seed(cls, seed, year, campaign=None, name=None):
        "Import one of the plans shipped in data/ for ``year``."
        filename = SEED_FILES[seed]
        with open(os.path.join(DATA_DIR, filename), 'rb') as fp:
            data = fp.read()
        if not name:
            name = gettext('jubao_publicity.msg_seed_name_%s' % seed,
                year=year)
        return cls.import_file(data, filename, name, year,
            campaign=campaign, date=dt.date(year, 1, 1))


class Section(sequence_ordered(), ModelSQL, ModelView):
    "Plan Section"
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


class Task(WorkflowFieldsMixin, Workflow, sequence_ordered(), ModelSQL,
        ModelView):
    "Plan Task"
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
    overdue = fields.Function(
        fields.Boolean("Overdue"), 'get_overdue', searcher='search_overdue')
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
    def view_attributes(cls):
        # PYSON in a view must be encoded by the server: a raw expression
        # in the XML breaks the list in sao
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('overdue', False), 'danger',
                    If(Eval('state') == 'done', 'muted', '')),
                ['overdue', 'state']),
            ]

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
            self.deadline = plan_rules.month_end(
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

    def is_overdue(self, today=None):
        today = today or _today()
        return bool(self.state != 'done' and self.due_date
            and self.due_date < today)

    @classmethod
    def get_overdue(cls, tasks, name):
        today = _today()
        return {t.id: t.is_overdue(today) for t in tasks}

    @classmethod
    def search_overdue(cls, name, clause):
        _, operator, value = clause[:3]
        today = _today()
        positive = (operator == '=') == bool(value)
        domain = [('state', '!=', 'done'), ('due_date', '<', today)]
        if positive:
            return domain
        return ['OR',
            ('state', '=', 'done'),
            ('due_date', '=', None),
            ('due_date', '>=', today)]

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
            start = self.plan.date if self.plan else _today()
            return plan_rules.next_review(
                self.review_rhythm, start, self.last_progress_date)
        return self.deadline

    @classmethod
    def update_due_dates(cls, tasks):
        to_write = []
        for task in tasks:
            due = task.compute_due_date()
            if due != task.due_date:
                to_write.extend(([task], {'due_date': due}))
        if to_write:
            with without_check_access():
                cls.write(*to_write)

    @classmethod
    def validate_fields(cls, tasks, field_names):
        super().validate_fields(tasks, field_names)
        cls.check_deadline(tasks, field_names)

    @classmethod
    def check_deadline(cls, tasks, field_names=None):
        if field_names and not (field_names & {
                    'deadline', 'deadline_type', 'phase', 'review_rhythm'}):
            return
        for task in tasks:
            if task.deadline_type == 'long_term':
                if not task.review_rhythm:
                    raise UserError(gettext(
                            'jubao_publicity.msg_task_review_rhythm',
                            task=task.rec_name))
                continue
            if task.deadline_type == 'date' and not task.deadline:
                raise UserError(gettext(
                        'jubao_publicity.msg_task_deadline_required',
                        task=task.rec_name))
            if not task.deadline:
                continue
            if (task.deadline_type == 'month_end'
                    and task.deadline != plan_rules.month_end(
                        task.deadline.year, task.deadline.month)):
                raise UserError(gettext(
                        'jubao_publicity.msg_task_not_month_end',
                        task=task.rec_name, deadline=task.deadline))
            if (task.deadline_type == 'year_end'
                    and (task.deadline.month, task.deadline.day) != (12, 31)):
                raise UserError(gettext(
                        'jubao_publicity.msg_task_not_year_end',
                        task=task.rec_name, deadline=task.deadline))
            phase = task.phase
            if phase and not (
                    phase.start_date <= task.deadline <= phase.end_date):
                raise UserError(gettext(
                        'jubao_publicity.msg_task_deadline_phase',
                        task=task.rec_name, deadline=task.deadline,
                        phase=phase.rec_name, start=phase.start_date,
                        end=phase.end_date))

    @classmethod
    def create(cls, vlist):
        tasks = super().create(vlist)
        cls.update_due_dates(tasks)
        return tasks

    @classmethod
    def write(cls, *args):
        super().write(*args)
        actions = iter(args)
        fnames = set()
        tasks = []
        for records, values in zip(actions, actions):
            fnames.update(values)
            tasks.extend(records)
        if fnames & {'deadline', 'deadline_type', 'review_rhythm', 'plan'}:
            cls.update_due_dates(tasks)

    @classmethod
    def copy(cls, tasks, default=None):
        default = default.copy() if default else {}
        default.setdefault('progress', None)
        default.setdefault('approved_by', None)
        default.setdefault('approved_date', None)
        return super().copy(tasks, default=default)

    def check_leader(self):
        "Only the responsible leader approves or reopens the task."
        user = Transaction().user
        if user == 0:
            return
        if not self.responsible_leader:
            raise UserError(gettext('jubao_publicity.msg_task_no_leader',
                    task=self.rec_name))
        if self.responsible_leader.id != user:
            raise AccessError(gettext('jubao_publicity.msg_task_not_leader',
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
                raise UserError(gettext(
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
                'approved_date': _today(),
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

    def reminder_users(self):
        "Both leaders and the liaison and leader of each responsible unit."
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
        return users

    @classmethod
    def send_reminders(cls, date=None):
        """Remind tasks due soon or overdue (daily job, idempotent).

        Returns the list of (task, kind) that were considered.
        """
        pool = Pool()
        Reminder = pool.get('jubao.reminder')
        today = date or _today()
        horizon = today + dt.timedelta(days=max(
                [p.reminder_days for p in Pool().get('jubao.plan').search(
                        [])] or [7]))
        tasks = cls.search([
                ('state', '!=', 'done'),
                ('due_date', '!=', None),
                ('due_date', '<=', horizon),
                ])
        sent = []
        for task in tasks:
            if task.due_date < today:
                kind = 'overdue'
                message = gettext('jubao_publicity.msg_reminder_overdue',
                    task=task.rec_name, plan=task.plan.rec_name,
                    due_date=task.due_date)
            elif task.due_date <= today + dt.timedelta(
                    days=task.plan.reminder_days):
                kind = 'due_soon'
                message = gettext('jubao_publicity.msg_reminder_due_soon',
                    task=task.rec_name, plan=task.plan.rec_name,
                    due_date=task.due_date)
            else:
                continue
            users = task.reminder_users()
            if users:
                Reminder.send(users, task, kind, message,
                    due_date=task.due_date)
            sent.append((task, kind))
        return sent


class TaskOffice(ModelSQL):
    "Plan Task - Office"
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


class Progress(ModelSQL, ModelView):
    "Task Progress"
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

    @staticmethod
    def default_date():
        return _today()

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
            today = _today()
            for record in records:
                if record.office not in record.task.offices:
                    raise UserError(gettext(
                            'jubao_publicity.msg_progress_office',
                            office=record.office.rec_name,
                            task=record.task.rec_name))
                if record.date > today:
                    raise UserError(gettext(
                            'jubao_publicity.msg_progress_future',
                            date=record.date))

    @classmethod
    def create(cls, vlist):
        user = Transaction().user or None
        vlist = [dict(v, user=user) for v in vlist]
        records = super().create(vlist)
        cls._update_tasks(records)
        return records

    @classmethod
    def write(cls, *args):
        super().write(*args)
        cls._update_tasks(sum(args[::2], []))

    @classmethod
    def _update_tasks(cls, records):
        pool = Pool()
        Task = pool.get('jubao.plan.task')
        tasks = list({r.task for r in records})
        with without_check_access():
            Task.start([t for t in Task.browse(tasks)
                    if t.state == 'not_started'])
            Task.update_due_dates(Task.browse(tasks))


class TaskUnitStat(ModelSQL, ModelView):
    "Tasks per Unit and State"
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
        today = _today()

        def flag(condition):
            return Case((condition, Literal(1)), else_=Literal(0))
        late = (task.state != 'done') & (task.due_date != Null) & (
            task.due_date < today)
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
    "Task Filter"
    __string__ = "Task Filter"
    __name__ = 'jubao.plan.task.context'
    plan = fields.Many2One('jubao.plan', "Plan")
    leader = fields.Many2One('res.user', "Leader",
        help="Tasks where the user is the responsible or assisting leader.")
    office = fields.Many2One('jubao.office', "Unit",
        help="Tasks for which the unit is responsible.")


class ImportPlanStart(ModelView):
    "Import Plan"
    __string__ = "Import Plan"
    __name__ = 'jubao.plan.import.start'
    source = fields.Selection([
            ('implementation', "Implementation plan for complaint and report "
                "work (seed)"),
            ('publicity', "Publicity year plan (seed)"),
            ('file', "File (CSV or XLSX)"),
            ], "Source", required=True)
    file = fields.Binary(
        "File", filename='filename',
        states={
            'invisible': Eval('source') != 'file',
            'required': Eval('source') == 'file',
            })
    filename = fields.Char("File Name", states={'invisible': True})
    name = fields.Char("Plan Name",
        states={'required': Eval('source') == 'file'},
        help="Leave empty to use the seed's title.")
    year = fields.Integer("Year", required=True,
        help="Replaces the year placeholder 20** of the document.")
    review_rhythm = fields.Selection(
        REVIEW_RHYTHMS[1:], "Review Rhythm of Long-term Tasks", required=True)
    campaign = fields.Many2One('jubao.campaign', "Campaign",
        domain=[If(Bool(Eval('year')), ('year', '=', Eval('year', 0)), ())],
        help="Puts the tasks of a publicity year plan into the campaign's "
        "phases (column \"phase\").")

    @staticmethod
    def default_source():
        return 'implementation'

    @staticmethod
    def default_year():
        return _today().year

    @staticmethod
    def default_review_rhythm():
        return 'quarterly'


class ImportPlan(Wizard):
    "Import Plan"
    __string__ = "Import Plan"
    __name__ = 'jubao.plan.import'
    start = StateView('jubao.plan.import.start',
        'jubao_publicity.plan_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateAction('jubao_publicity.act_plan_form')

    def do_import_(self, action):
        pool = Pool()
        Plan = pool.get('jubao.plan')
        start = self.start
        if start.source == 'file':
            plan = Plan.import_file(start.file, start.filename or 'plan.csv',
                start.name, start.year, review_rhythm=start.review_rhythm,
                campaign=start.campaign)
        else:
            filename = SEED_FILES[start.source]
            with open(os.path.join(DATA_DIR, filename), 'rb') as fp:
                data = fp.read()
            name = start.name or gettext(
                'jubao_publicity.msg_seed_name_%s' % start.source,
                year=start.year)
            plan = Plan.import_file(data, filename, name, start.year,
                review_rhythm=start.review_rhythm, campaign=start.campaign,
                date=dt.date(start.year, 1, 1))
        action['res_id'] = [plan.id]
        action['views'].reverse()
        return action, {}
