from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool

from jubao.reminders import Schedule, daily_from
from jubao.workdays import add_working_days

DEFAULT_EXTENSIONS = (
    'pdf jpg jpeg png tif tiff mp3 wav amr m4a doc docx odt txt')


def format_case_number(prefix, year, sequence):
    "Official number: never translated, it is printed on documents."
    return '%s〔%d〕第%04d号' % (prefix or '信访', year, sequence)

class Configuration(ModelSingleton, ModelSQL, ModelView):
    "The settings every jubao module shares; modules add their own fields."
    __string__ = "Complaints and Reports Configuration"
    __name__ = 'jubao.configuration'
    commission_name = fields.Char("Commission Name",
        help="Printed at the head of notices and letters.")
    complaints_office = fields.Many2One('jubao.office', "Complaints Office",
        domain=[('kind', '=', 'commission_office')],
        help="Receives returned reports and the results of handling.")
    repeat_threshold = fields.Float("Repeat Threshold", digits=(1, 2),
        required=True, domain=[
            ('repeat_threshold', '>', 0), ('repeat_threshold', '<=', 1)],
        help="Score from which an earlier report is proposed as repeated.")
    attachment_max_size = fields.Integer("Maximum Attachment Size (MB)",
        required=True, domain=[('attachment_max_size', '>', 0)])
    attachment_extensions = fields.Char("Allowed Attachment Types",
        required=True, help="File extensions separated by spaces.")
    number_prefix = fields.Char("Number Prefix", required=True,
        help="Numbers read like 信访〔2026〕第0001号 with the prefix 信访.")
    referral_sign_days = fields.Integer("Referral Sign-for Days",
        required=True, domain=[('referral_sign_days', '>=', 0)],
        help="Working days to sign for a referral from a higher commission.")
    due_soon_days = fields.Integer(
        "Due Soon Window", required=True, domain=[('due_soon_days', '>=', 0)],
        help="Working days before a deadline from which reminders are sent.")
    reminder_due_soon = fields.Selection([
            ('once', "Once"),
            ('daily', "Daily"),
            ], "Due Soon Reminders", required=True,
        help="Remind an item due soon once per due date or every day.")
    reminder_overdue_daily_days = fields.Integer(
        "Daily Overdue Reminders", required=True,
        domain=[('reminder_overdue_daily_days', '>=', 0)],
        help="Working days overdue during which who answers is reminded "
        "every day.")
    reminder_overdue_interval = fields.Integer(
        "Overdue Reminder Interval", required=True,
        domain=[('reminder_overdue_interval', '>=', 1)],
        help="Days between overdue reminders after the daily ones.")
    reminder_escalation_interval = fields.Integer(
        "Escalation Interval", required=True,
        domain=[('reminder_escalation_interval', '>=', 1)],
        help="Days between escalations of an overdue item to the office's "
        "leader.")

    @classmethod
    def default_commission_name(cls):
        return '区纪委监委'

    @classmethod
    def default_complaints_office(cls):
        return Pool().get('jubao.office').id_from_xml_id('office_complaints')

    @classmethod
    def default_repeat_threshold(cls):
        return 0.6

    @classmethod
    def default_attachment_max_size(cls):
        return 50

    @classmethod
    def default_attachment_extensions(cls):
        return DEFAULT_EXTENSIONS

    @classmethod
    def default_number_prefix(cls):
        return '信访'

    @classmethod
    def default_referral_sign_days(cls):
        return 5

    @classmethod
    def default_due_soon_days(cls):
        return 3

    @classmethod
    def default_reminder_due_soon(cls):
        return 'once'

    @classmethod
    def default_reminder_overdue_daily_days(cls):
        return 5

    @classmethod
    def default_reminder_overdue_interval(cls):
        return 7

    @classmethod
    def default_reminder_escalation_interval(cls):
        return 7

    def format_number(self, year, sequence):
        return format_case_number(self.number_prefix, year, sequence)

    def allowed_extensions(self):
        return {e.strip('. ').lower()
            for e in (self.attachment_extensions or '').split() if e.strip()}

    def working_day_overrides(self):
        """Mapping date -> is working day, from the administrator's
        calendar table: it overrides the holiday library."""
        return Pool().get('jubao.calendar.day').overrides()

    def official_years(self):
        """The years whose State Council notice the administrator loaded:
        the holiday estimate is no longer used for them."""
        return Pool().get('jubao.calendar.year').official_years()

    def add_working_days(self, date, days):
        "Return ``date`` plus ``days`` working days."
        return add_working_days(date, days, self.working_day_overrides(),
            self.official_years())

    @classmethod
    def add_days(cls, date, days):
        "Add ``days`` working days to ``date`` with the calendar table."
        return cls(1).add_working_days(date, days)

    def due_window(self):
        "(today, last day counted as due soon) for deadline colouring."
        today = Pool().get('ir.date').today()
        return today, self.add_working_days(today, self.due_soon_days)

    def reminder_schedule(self):
        "The re-send schedule of the deadline reminders."
        return Schedule(
            due_soon=self.reminder_due_soon,
            overdue_daily_days=self.reminder_overdue_daily_days,
            overdue_interval=self.reminder_overdue_interval,
            escalation_interval=self.reminder_escalation_interval)

    def reminder_daily_from(self, today, schedule):
        "The earliest due date still reminded daily as overdue on ``today``."
        return daily_from(today, schedule.overdue_daily_days,
            self.working_day_overrides(), self.official_years())
