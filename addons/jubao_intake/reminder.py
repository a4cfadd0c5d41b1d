import json
from collections import defaultdict
from email.message import EmailMessage

from sql.aggregate import Max

from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.sendmail import send_message_transactional
from trytond.config import config as tconfig
from trytond.transaction import Transaction, without_check_access

from jubao.reminders import should_send

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
        return cls.send_batch([(record, kind, users, message, due_date)],
            Pool().get('ir.date').today())

    @classmethod
    def send_batch(cls, requests, today, schedule=None, daily_since=None):
        """Send the reminders ``(record, kind, users, message, due date)``
        of ``requests`` dated ``today``, in a constant number of queries.

        Each user is reminded at most once a day per item and kind, and
        only of items they may read.  With a ``schedule``
        (``jubao.reminders.Schedule``), a reminder is also held back until
        the schedule says it is due again (``daily_since``: see
        ``jubao.reminders.daily_from``).  Returns the reminders created.
        """
        wanted = {}
        for record, kind, users, message, due_date in requests:
            for user_id in sorted({int(u) for u in users if u}):
                wanted.setdefault((str(record), kind, user_id),
                    (record, message, due_date))
        readable = cls._readable(
            {(r, u) for (_, _, u), (r, _, _) in wanted.items()})
        with without_check_access():
            last = cls._last_sent({k[0] for k in wanted}, today)
            values, records = [], []
            for (resource, kind, user_id), (record, message, due_date) in (
                    wanted.items()):
                if (record, user_id) not in readable:
                    continue
                days = last.get((resource, kind, user_id), {})
                if today in days.values():
                    continue
                if schedule and not should_send(kind, today, due_date,
                        days.get(due_date), schedule, daily_since):
                    continue
                values.append({
                        'user': user_id,
                        'resource': resource,
                        'kind': kind,
                        'day': today,
                        'due_date': due_date,
                        'message': message,
                        })
                records.append(record)
            reminders = cls.create(values) if values else []
            cls._notify(reminders, records)
        return reminders

    @classmethod
    def _last_sent(cls, resources, today):
        """{(resource, kind, user id): {due date: last day sent}} of the
        reminders about ``resources`` up to ``today``, in one query."""
        if not resources:
            return {}
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                table.resource, table.kind, table.user, table.due_date,
                Max(table.day),
                where=table.resource.in_(sorted(resources))
                & (table.day <= today),
                group_by=[table.resource, table.kind, table.user,
                    table.due_date]))
        last = {}
        for resource, kind, user_id, due_date, day in cursor:
            last.setdefault((resource, kind, user_id), {})[due_date] = day
        return last

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
        readable = cls._readable({(record, u) for u in user_ids})
        return [u for u in user_ids if (record, u) in readable]

    @classmethod
    def _readable(cls, pairs):
        """The ``(record, user id)`` of ``pairs`` where the user may read
        the record: one search per model and user, not per record."""
        by_model = defaultdict(lambda: defaultdict(set))
        readable = set()
        for record, user_id in pairs:
            if _follows_report(record.__class__):
                by_model[record.__class__][user_id].add(record)
            else:
                readable.add((record, user_id))
        transaction = Transaction()
        for Model, users in by_model.items():
            for user_id, records in users.items():
                ids = {r.id for r in records}
                with transaction.set_user(user_id), \
                        transaction.set_context(_check_access=True):
                    try:
                        found = {r.id for r in Model.search(
                                [('id', 'in', list(ids))], order=[])}
                    except AccessError:
                        found = set()
                readable |= {(r, user_id) for r in records if r.id in found}
        return readable

    @classmethod
    def _notify(cls, reminders, records):
        """Notify in the web client and by email: one create for all
        ``reminders``, each about the matching item of ``records``."""
        pool = Pool()
        Notification = pool.get('res.notification')
        if not reminders:
            return
        kinds = dict(cls.fields_get(['kind'])['kind']['selection'])
        emails = {r.user.id: r.user.email for r in reminders}
        Notification.create([{
                    'user': r.user.id,
                    'label': kinds.get(r.kind, r.kind),
                    'description': r.message,
                    'model': record.__name__,
                    'records': json.dumps([record.id]),
                    } for r, record in zip(reminders, records)])
        for reminder in reminders:
            email = emails[reminder.user.id]
            if email:
                msg = EmailMessage()
                msg['From'] = tconfig.get('email', 'from')
                msg['To'] = email
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
