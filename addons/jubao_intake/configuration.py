from trytond.model import ModelSingleton, ModelSQL, ModelView, fields

DEFAULT_EXTENSIONS = 'pdf jpg jpeg png tif tiff mp3 wav amr m4a doc docx odt txt'


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Jubao Configuration"
    __name__ = 'jubao.configuration'
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

    def format_number(self, year, sequence):
        "Official number: never translated, it is printed on documents."
        return '%s〔%d〕第%04d号' % (self.number_prefix or '信访', year, sequence)

    @classmethod
    def default_referral_sign_days(cls):
        return 5

    def allowed_extensions(self):
        return {e.strip('. ').lower()
            for e in (self.attachment_extensions or '').split() if e.strip()}

    def add_working_days(self, date, days):
        """Return ``date`` plus ``days`` working days.

        jubao_routing extends this with the administrator's calendar table.
        """
        from jubao.workdays import add_working_days
        return add_working_days(date, days, self.working_day_overrides())

    def working_day_overrides(self):
        "Mapping date -> is working day that overrides the holiday library."
        return {}
