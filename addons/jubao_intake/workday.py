"""The administrator's working-day calendar.

Holidays and make-up working days come from the ``chinesecalendar``
package, estimated by ``holidays`` for the years it does not know yet
(jubao.workdays); this table overrides both.  Loading a year's State
Council notice (``jubao.calendar.import``) fills the table, marks the year
official and recomputes the open deadlines the new days move.
"""
import datetime

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from jubao.workdays import is_provisional, library_knows, parse_schedule

from .deadline import recompute_deadlines
from .exceptions import CalendarImportError


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


class CalendarYear(ModelSQL, ModelView):
    __string__ = "Official Holiday Schedule"
    __name__ = 'jubao.calendar.year'
    year = fields.Integer("Year", required=True)
    notice = fields.Char("Notice",
        help="The State Council notice the days were taken from.")
    _years_cache = Cache('jubao.calendar.year.official', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('year_uniq', Unique(t, t.year),
                'jubao_intake.msg_calendar_year_unique'),
            ]
        cls._order = [('year', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return str(self.year)

    @classmethod
    def official_years(cls):
        "The years loaded by the administrator (cached)."
        result = cls._years_cache.get(None)
        if result is None:
            table = cls.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.select(table.year))
            result = sorted(y for y, in cursor)
            cls._years_cache.set(None, result)
        return frozenset(result)

    @classmethod
    def is_known(cls, year):
        "Whether the official schedule of ``year`` is known."
        return library_knows(year) or year in cls.official_years()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        cls._years_cache.clear()

    @classmethod
    def remind_next_year(cls, today=None):
        """From 1 November, remind the administrators that next year's
        official schedule is not loaded (daily job); returns the reminders
        created."""
        pool = Pool()
        Config = pool.get('jubao.configuration')
        ModelData = pool.get('ir.model.data')
        Reminder = pool.get('jubao.reminder')
        User = pool.get('res.user')
        if today is None:
            today = pool.get('ir.date').today()
        year = today.year + 1
        if today.month < 11 or cls.is_known(year):
            return []
        group = ModelData.get_id('jubao_intake', 'group_admin')
        users = User.search([('groups', '=', group)])
        # The reminder hangs off the settings, a record that always exists.
        config = Config.get_singleton() or Config.create([{}])[0]
        return Reminder.send(users, config, 'calendar',
            gettext('jubao_intake.msg_reminder_calendar_year', year=year))


class CalendarImportStart(ModelView):
    __string__ = "Import Holiday Schedule"
    __name__ = 'jubao.calendar.import.start'
    year = fields.Integer("Year", required=True)
    notice = fields.Char("Notice",
        help="The State Council notice, e.g. 国办发明电〔2026〕号.")
    text = fields.Text("Days", required=True,
        help="One line per day or range: \"2027-01-01 休 元旦\", "
        "\"2027-02-05至2027-02-11 放假 春节\", \"2027-02-14 班\" "
        "(休/放假: day off, 班/上班: make-up working day).")

    @staticmethod
    def default_year():
        return Pool().get('ir.date').today().year + 1


class CalendarImportDone(ModelView):
    __string__ = "Import Holiday Schedule"
    __name__ = 'jubao.calendar.import.done'
    moved = fields.Text("Moved Deadlines", readonly=True)


class CalendarImport(Wizard):
    __string__ = "Import Holiday Schedule"
    __name__ = 'jubao.calendar.import'
    start = StateView('jubao.calendar.import.start',
        'jubao_intake.calendar_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    done = StateView('jubao.calendar.import.done',
        'jubao_intake.calendar_import_done_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        moves = self.load(self.start.year, self.start.text,
            self.start.notice)
        self.done.moved = '\n'.join(
            gettext('jubao_intake.msg_calendar_moved', record=r.rec_name,
                old=old, new=new) for r, old, new in moves) or gettext(
            'jubao_intake.msg_calendar_nothing_moved')
        return 'done'

    def default_done(self, fields):
        return {'moved': self.done.moved}

    @classmethod
    def load(cls, year, text, notice=None):
        """Load the days of ``year``, mark it official and recompute the
        open deadlines; returns ``[(record, old due, new due)]``."""
        pool = Pool()
        Day = pool.get('jubao.calendar.day')
        Year = pool.get('jubao.calendar.year')
        days, bad = parse_schedule(text, year)
        if bad or not days:
            raise CalendarImportError(gettext(
                    'jubao_intake.msg_calendar_import_bad_lines',
                    lines='\n'.join(bad) or '-'))

        def change():
            existing = {d.date: d for d in Day.search(
                    [('date', 'in', list(days))])}
            to_save = []
            for date, (working, name) in sorted(days.items()):
                day = existing.get(date) or Day(date=date)
                day.working, day.name = working, name or None
                to_save.append(day)
            Day.save(to_save)
            if year not in Year.official_years():
                Year.create([{'year': year, 'notice': notice}])
        first = min(days)
        if is_provisional(first, Year.official_years()):
            # The estimate is dropped for the whole year, not only on the
            # listed days (an estimated day off may not be in the notice).
            first = datetime.date(year, 1, 1)
        return recompute_deadlines(first, change)
