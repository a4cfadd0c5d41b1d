"""The administrator's working-day calendar.

Holidays and make-up working days come from the ``chinesecalendar``
package (jubao.workdays); this table overrides it, for the years the
package does not know yet or for a local decision.
"""
from trytond.cache import Cache
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.transaction import Transaction


class CalendarDay(ModelSQL, ModelView):
    __string__ = "Working-Day Calendar"
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
                'jubao_intake.msg_calendar_day_unique'),
            ]
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def overrides(cls):
        "Mapping date -> is working day, from the table (cached)."
        result = cls._overrides_cache.get(None)
        if result is None:
            table = cls.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.select(table.date, table.working))
            result = {d: bool(w) for d, w in cursor}
            cls._overrides_cache.set(None, result)
        return dict(result)

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        cls._overrides_cache.clear()
