"Working-day calendar and deadline settings."
from trytond.cache import Cache
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta


class CalendarDay(ModelSQL, ModelView):
    "Working-Day Calendar"
    __name__ = 'jubao.calendar.day'
    date = fields.Date("Date", required=True)
    working = fields.Boolean("Working Day",
        help="Checked for a make-up working day (调休), unchecked for a day "
        "off; overrides the holiday library.")
    name = fields.Char("Description")
    _overrides_cache = Cache('jubao.calendar.day.overrides', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('date_uniq', Unique(t, t.date),
                'jubao_routing.msg_calendar_day_unique'),
            ]
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def overrides(cls):
        "Mapping date -> is working day, from the table (cached)."
        result = cls._overrides_cache.get(None)
        if result is None:
            table = cls.__table__()
            from trytond.transaction import Transaction
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.select(table.date, table.working))
            result = {d: bool(w) for d, w in cursor}
            cls._overrides_cache.set(None, result)
        return dict(result)

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        cls._overrides_cache.clear()


class Configuration(metaclass=PoolMeta):
    __name__ = 'jubao.configuration'
    commission_name = fields.Char("Commission Name",
        help="Printed at the head of notices and letters.")
    acceptance_notice_days = fields.Integer(
        "Acceptance Notice Days", required=True,
        domain=[('acceptance_notice_days', '>=', 0)],
        help="Working days from receipt to notify a first-time real-name "
        "reporter of acceptance.")
    feedback_days = fields.Integer(
        "Feedback Days", required=True, domain=[('feedback_days', '>=', 0)],
        help="Working days from conclusion to feed the result back.")
    direct_days = fields.Integer(
        "Direct Referral Days", required=True,
        domain=[('direct_days', '>=', 0)],
        help="Working days from receipt to send a report up (径送).")
    forward_days = fields.Integer(
        "Registration Days", required=True,
        domain=[('forward_days', '>=', 0)],
        help="Working days for the receiving unit to register a forwarded "
        "or assigned report (转送/交办).")
    internal_days = fields.Integer(
        "Internal Hand-off Days", required=True,
        domain=[('internal_days', '>=', 0)],
        help="Working days for an internal office to log a report (移送).")
    assign_result_days = fields.Integer(
        "Assignment Result Days", required=True,
        domain=[('assign_result_days', '>', 0)],
        help="Working days for a unit to report the result of an assigned "
        "report (交办).")
    supervision_days = fields.Integer(
        "Supervision Days", required=True,
        domain=[('supervision_days', '>', 0)],
        help="Default working days of a supervision's deadline.")
    due_soon_days = fields.Integer(
        "Due Soon Window", required=True, domain=[('due_soon_days', '>=', 0)],
        help="Working days before a deadline from which reminders are sent.")
    higher_office = fields.Many2One('jubao.office', "Higher Commission",
        domain=[('kind', '=', 'higher')],
        help="Destination of reports sent up (径送) when no rule names one.")
    external_office = fields.Many2One('jubao.office', "Default External Body",
        domain=[('kind', '=', 'external')])
    internal_office = fields.Many2One('jubao.office',
        "Default Handling Office", domain=[('kind', '=', 'commission_office')])
    complaints_office = fields.Many2One('jubao.office', "Complaints Office",
        domain=[('kind', '=', 'commission_office')],
        help="Receives returned reports and the results of handling.")
    case_management_office = fields.Many2One('jubao.office',
        "Case Management Office", domain=[('kind', '=', 'commission_office')],
        help="Informed of every internal hand-off (移送).")

    @classmethod
    def default_commission_name(cls):
        return '区纪委监委'

    @classmethod
    def default_acceptance_notice_days(cls):
        return 15

    @classmethod
    def default_feedback_days(cls):
        return 15

    @classmethod
    def default_direct_days(cls):
        return 5

    @classmethod
    def default_forward_days(cls):
        return 5

    @classmethod
    def default_internal_days(cls):
        return 5

    @classmethod
    def default_assign_result_days(cls):
        return 60

    @classmethod
    def default_supervision_days(cls):
        return 15

    @classmethod
    def default_due_soon_days(cls):
        return 3

    def due_window(self):
        "(today, last day counted as due soon) for deadline colouring."
        today = Pool().get('ir.date').today()
        return today, self.add_working_days(today, self.due_soon_days)

    @staticmethod
    def _office(xml_id):
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('jubao_intake', xml_id)
        except KeyError:
            return None

    @classmethod
    def default_higher_office(cls):
        return cls._office('office_city')

    @classmethod
    def default_external_office(cls):
        return cls._office('office_petition_bureau')

    @classmethod
    def default_internal_office(cls):
        return cls._office('office_discipline_1')

    @classmethod
    def default_complaints_office(cls):
        return cls._office('office_complaints')

    @classmethod
    def default_case_management_office(cls):
        return cls._office('office_case_management')

    def working_day_overrides(self):
        overrides = super().working_day_overrides()
        overrides.update(Pool().get('jubao.calendar.day').overrides())
        return overrides

    @classmethod
    def add_days(cls, date, days):
        "Add ``days`` working days to ``date`` with the calendar table."
        return cls(1).add_working_days(date, days)
