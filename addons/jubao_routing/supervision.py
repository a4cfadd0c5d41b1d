"Supervision (督办) of reports and its progress notes."
from sql import Column

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from trytond.modules.jubao_intake.deadline import (
    Deadline, DeadlineMixin, case_rec_name, message_template,
    office_user_ids, office_users, selection_strings)
from trytond.modules.jubao_intake.timeline import TimelineMixin
from trytond.modules.jubao_intake.workflow import WorkflowFieldsMixin

from .exceptions import SupervisionError, SupervisionValidationError
from .summary import CaseSummaryMixin

SUPERVISION_METHODS = [
    ('online', "Online Check"),
    ('phone', "Phone Chasing"),
    ('letter', "Supervision Letter"),
    ('meeting', "Assignment at a Meeting"),
    ('hearing', "Hearing Reports"),
    ('files', "Reviewing Files"),
    ('inspection', "Inspection"),
    ]


def supervision_name(number, case_name, level):
    "A supervision's name; the official number first, as people quote it."
    name = '%s %s' % (case_name, level)
    return '%s %s' % (number, name) if number else name


class Supervision(CaseSummaryMixin, DeadlineMixin, WorkflowFieldsMixin,
        Workflow, TimelineMixin, ModelSQL, ModelView):
    __string__ = "Supervision"
    __name__ = 'jubao.supervision'
    _states = {'readonly': Eval('state') != 'draft'}

    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE', states=_states)
    level = fields.Selection([
            ('leader', "Commission Leaders"),
            ('complaints', "Complaints Office"),
            ('higher', "Higher Commission"),
            ], "Level", required=True, sort=False, states=_states)
    level_string = level.translated('level')
    methods = fields.MultiSelection(SUPERVISION_METHODS, "Methods",
        sort=False, states=_states)
    reason = fields.Text("Reason", required=True, states=_states,
        help="Key person or matter, strong public concern, typical problem "
        "or specific clue.")
    requirement = fields.Text("Requirement", states=_states,
        help="What the responsible office must do and report.")
    number = fields.Char("Number", readonly=True,
        help="The official number, given when the supervision is opened.")
    opened_by = fields.Many2One('res.user', "Opened by", readonly=True)
    date = fields.Date("Date", required=True, states=_states)
    deadline = fields.Date("Deadline", required=True,
        states={'readonly': Eval('state').in_(['closed', 'cancelled'])})
    responsible_office = fields.Many2One('jubao.office',
        "Responsible Office", required=True, ondelete='RESTRICT',
        states=_states)
    notes = fields.One2Many('jubao.supervision.note', 'supervision',
        "Progress Notes",
        states={'readonly': Eval('state').in_(['closed', 'cancelled'])})
    result = fields.Text("Result",
        states={
            'readonly': Eval('state').in_(['closed', 'cancelled']),
            'invisible': Eval('state') == 'draft',
            })
    closed_date = fields.Date("Closed on", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('open', "Open"),
            ('closed', "Closed"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('case')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.case, Index.Equality())),
                Index(t, (t.deadline, Index.Range()),
                    where=t.state == 'open'),
                })
        cls._order = [('deadline', 'ASC'), ('id', 'DESC')]
        cls._workflow_fields |= {'state', 'number', 'opened_by',
            'closed_date'}
        cls._workflow_draft_fields |= {
            'case', 'level', 'methods', 'reason', 'requirement', 'date',
            'responsible_office',
            }
        cls._workflow_parents |= {'case'}
        cls._transitions |= {
            ('draft', 'open'),
            ('draft', 'cancelled'),
            ('open', 'closed'),
            ('open', 'cancelled'),
            }
        # Timeline entries (jubao_intake/timeline.py), also on the report
        cls._timeline_states.update({
                'open': 'jubao_routing.msg_timeline_supervision_opened',
                'closed': 'jubao_routing.msg_timeline_supervision_closed',
                'cancelled':
                'jubao_routing.msg_timeline_supervision_cancelled',
                })
        cls._timeline_case_states.update(cls._timeline_states)
        cls._buttons.update({
                'open': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'open']),
                    'depends': ['state'],
                    },
                'print_letter': {
                    'invisible': Eval('state') == 'draft',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_level():
        return 'complaints'

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @classmethod
    def default_deadline(cls):
        return cls(date=cls.default_date()).compute_supervision_due()

    @classmethod
    def preprocess_values(cls, mode, values):
        "Without a deadline, it counts from the supervision's own date."
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('deadline'):
            supervision = cls(date=values.get('date') or cls.default_date())
            values['deadline'] = supervision.compute_supervision_due()
        return values

    @fields.depends('date')
    def on_change_date(self):
        if self.date:
            self.deadline = self.compute_supervision_due()

    @fields.depends('case', 'responsible_office')
    def on_change_case(self):
        if self.case and not self.responsible_office:
            self.responsible_office = self.case.handling_office

    def timeline_variables(self):
        variables = super().timeline_variables()
        variables.update({
                'level': self.level_string or '',
                'office': self._timeline_name(self.responsible_office),
                'deadline': str(self.deadline or ''),
                })
        return variables

    def get_rec_name(self, name):
        return supervision_name(self.number, self.case.rec_name,
            self.level_string)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number', operator, operand, *extra),
            ('case.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def deadlines(cls):
        return super().deadlines() + [
            Deadline('supervision', 'deadline', [('state', '=', 'open')],
                'deadline_responsible',
                'jubao_routing.msg_reminder_supervision',
                compute='compute_supervision_due'),
            ]

    def compute_supervision_due(self):
        """The deadline the rule gives from the supervision's date (one set
        by hand is not recomputed, see recompute_deadlines)."""
        if not self.date:
            return None
        config = Pool().get('jubao.configuration')(1)
        return config.add_working_days(self.date, config.supervision_days)

    def deadline_responsible(self):
        return self.responsible_office, office_users(self.responsible_office)

    def deadline_label(self, deadline, due):
        return gettext(deadline.message, record=self.rec_name,
            case=self.case.rec_name, due=due)

    @classmethod
    def deadline_facts(cls, deadline, ids):
        "``deadline_responsible`` of the supervisions of ``ids``, one query."
        if deadline.name != 'supervision':
            return super().deadline_facts(deadline, ids)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id,
                Column(table, deadline.due), table.responsible_office,
                where=table.id.in_(list(ids))))
        return {record_id: (due, office, office_user_ids(office))
            for record_id, due, office in cursor}

    @classmethod
    def deadline_labels(cls, deadline, ids, dues):
        """``deadline_label`` of the supervisions of ``ids`` from one query
        of their number, level and report (see ``get_rec_name``)."""
        if deadline.name != 'supervision':
            return super().deadline_labels(deadline, ids, dues)
        Case = Pool().get('jubao.case')
        table = cls.__table__()
        case = Case.__table__()
        level = selection_strings(cls, 'level')
        template = message_template(deadline.message)
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.join(case, condition=table.case == case.id
                ).select(table.id, table.number, table.level,
                case.number, case.summary,
                where=table.id.in_(list(ids))))
        labels = {}
        for record_id, number, level_, case_number, summary in cursor:
            case_name = case_rec_name(case_number, summary)
            labels[record_id] = template % {
                'record': supervision_name(number, case_name, level(level_)),
                'case': case_name, 'due': dues[record_id]}
        return labels

    @classmethod
    def validate_fields(cls, supervisions, field_names):
        super().validate_fields(supervisions, field_names)
        for supervision in supervisions:
            if supervision.deadline < supervision.date:
                raise SupervisionValidationError(gettext(
                        'jubao_routing.msg_supervision_deadline',
                        supervision=supervision.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, supervisions):
        for supervision in supervisions:
            if supervision.case.state in {'concluded', 'removed',
                    'not_accepted', 'transferred'}:
                raise SupervisionError(gettext(
                        'jubao_routing.msg_supervision_case_closed',
                        case=supervision.case.rec_name))
            if not supervision.methods:
                raise SupervisionError(gettext(
                        'jubao_routing.msg_supervision_methods',
                        supervision=supervision.rec_name))
        # The official number is taken now: the letter can be printed
        numbers = Pool().get('jubao.supervision.counter').assign(supervisions)
        user = Transaction().user
        to_write = []
        for supervision in supervisions:
            values = {'opened_by': user}
            if supervision in numbers:
                values['number'] = numbers[supervision]
            to_write.extend(([supervision], values))
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, supervisions):
        for supervision in supervisions:
            if not supervision.result:
                raise SupervisionError(gettext(
                        'jubao_routing.msg_supervision_result',
                        supervision=supervision.rec_name))
        cls.write(supervisions, {
                'closed_date': Pool().get('ir.date').today()})

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, supervisions):
        pass

    @classmethod
    @ModelView.button_action('jubao_routing.report_supervision_letter')
    def print_letter(cls, supervisions):
        pass


class SupervisionNote(WorkflowFieldsMixin, ModelSQL, ModelView):
    __string__ = "Supervision Progress Note"
    __name__ = 'jubao.supervision.note'
    supervision = fields.Many2One('jubao.supervision', "Supervision",
        required=True, ondelete='CASCADE')
    date = fields.Date("Date", required=True)
    method = fields.Selection([(None, "")] + SUPERVISION_METHODS, "Method",
        sort=False)
    note = fields.Text("Note", required=True)
    user = fields.Many2One('res.user', "Recorded by", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('supervision')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._workflow_fields |= {'user'}
        cls._workflow_parents |= {'supervision'}

    @staticmethod
    def default_date():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_user():
        return Transaction().user
