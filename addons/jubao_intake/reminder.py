import json
from email.message import EmailMessage

from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.sendmail import send_message_transactional
from trytond.config import config as tconfig
from trytond.transaction import Transaction, without_check_access

from .deadline import send_deadline_reminders

KINDS = [
    ('due_soon', "Due Soon"),
    ('overdue', "Overdue"),
    ('escalation', "Escalation"),
    ('calendar', "Holiday Schedule"),
    ]


class Reminder(ModelSQL, ModelView):
    __string__ = "Reminder"
    __name__ = 'jubao.reminder'
    user = fields.Many2One('res.user', "User", required=True,
        ondelete='CASCADE', readonly=True)
    resource = fields.Reference("Item", selection='get_resources',
        required=True, readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    day = fields.Date("Day", required=True, readonly=True)
    due_date = fields.Date("Due Date", readonly=True)
    message = fields.Char("Message", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('once_a_day', Unique(t, t.user, t.resource, t.kind, t.day),
                'jubao_intake.msg_reminder_once_a_day'),
            ]
        cls._sql_indexes.add(Index(t,
                (t.resource, Index.Equality()), (t.day, Index.Range())))
        cls._order = [('day', 'DESC'), ('id', 'DESC')]

    @classmethod
    def get_resources(cls):
        Model = Pool().get('ir.model')
        models = Model.search([('name', 'like', 'jubao.%')])
        return [(None, '')] + [(m.name, m.string) for m in models]

    @classmethod
    def send(cls, users, record, kind, message, due_date=None):
        """Notify each user once a day about ``record``.

        Returns the reminders created: none for users already reminded of
        the same item and kind today, so daily jobs may call it freely.
        """
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        resource = str(record)
        user_ids = cls.readers(sorted({int(u) for u in users if u}), record)
        if not user_ids:
            return []
        with without_check_access():
            done = {r.user.id for r in cls.search([
                        ('resource', '=', resource),
                        ('kind', '=', kind),
                        ('day', '=', today),
                        ('user', 'in', user_ids),
                        ])}
            pending = [u for u in user_ids if u not in done]
            reminders = cls.create([{
                        'user': u,
                        'resource': resource,
                        'kind': kind,
                        'day': today,
                        'due_date': due_date,
                        'message': message,
                        } for u in pending])
            cls._notify(reminders, record)
        return reminders

    @classmethod
    def run_deadlines(cls, today=None):
        "Daily job: remind every deadline of every module (deadline.py)."
        return send_deadline_reminders(today)

    @classmethod
    def run_calendar(cls, today=None):
        "Daily job: next year's official holiday schedule is not loaded."
        return Pool().get('jubao.calendar.year').remind_next_year(today)

    @classmethod
    def readers(cls, user_ids, record):
        """The users of ``user_ids`` who may read ``record`` when it is a
        report or hangs off one: a reminder names the report, so nobody is
        reminded of one they may not see (e.g. stepped aside from)."""
        if not _follows_report(record.__class__):
            return user_ids
        transaction = Transaction()
        readers = []
        for user_id in user_ids:
            with transaction.set_user(user_id), \
                    transaction.set_context(_check_access=True):
                try:
                    if record.__class__.search_count(
                            [('id', '=', record.id)]):
                        readers.append(user_id)
                except AccessError:
                    pass
        return readers

    @classmethod
    def _notify(cls, reminders, record):
        pool = Pool()
        Notification = pool.get('res.notification')
        kinds = dict(cls.fields_get(['kind'])['kind']['selection'])
        Notification.create([{
                    'user': r.user.id,
                    'label': kinds.get(r.kind, r.kind),
                    'description': r.message,
                    'model': record.__name__,
                    'records': json.dumps([record.id]),
                    } for r in reminders])
        for reminder in reminders:
            if reminder.user.email:
                msg = EmailMessage()
                msg['From'] = tconfig.get('email', 'from')
                msg['To'] = reminder.user.email
                msg['Subject'] = '%s：%s' % (
                    kinds.get(reminder.kind, reminder.kind),
                    reminder.message[:60])
                msg.set_content(reminder.message)
                send_message_transactional(msg)


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('jubao.reminder|run_deadlines', "Send Deadline Reminders"))
        cls.method.selection.append(
            ('jubao.reminder|run_calendar', "Check Next Year's Holidays"))


def _follows_report(Model, seen=None):
    "Whether ``Model`` is the report or follows its access (``__access__``)."
    seen = set() if seen is None else seen
    if Model.__name__ == 'jubao.case':
        return True
    seen.add(Model.__name__)
    return any(_follows_report(target, seen)
        for target in (getattr(Model, f).get_target()
            for f in getattr(Model, '__access__', ()))
        if target.__name__ not in seen)
