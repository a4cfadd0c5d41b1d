from collections import defaultdict
from email.message import EmailMessage

from sql import Column, Null
from sql.aggregate import Max
from sql.functions import CurrentTimestamp

from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import AccessError
from trytond.model.modelstorage import local_cache, record_cache_size
from trytond.pool import Pool, PoolMeta
from trytond.sendmail import send_message_transactional
from trytond.config import config as tconfig
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from jubao.reminders import should_send

from .deadline import send_deadline_reminders

# Rows of one multi-row INSERT of reminders or notifications.
INSERT_ROWS = 1000
# Records browsed together (see ``_browse``).
BROWSE_SLICE = 200
# Ids of one ``IN`` / ``= ANY`` clause (``grouped_slice`` without a size
# slices one by one).
IN_SIZE = 10000

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

        ``record`` is a record or its ``(model name, id)`` (the daily job
        names its items so, without instantiating them).  Each user is
        reminded at most once a day per item and kind, and only of items
        they may read.  With a ``schedule`` (``jubao.reminders.Schedule``),
        a reminder is also held back until the schedule says it is due
        again (``daily_since``: see ``jubao.reminders.daily_from``).
        Returns the reminders created.
        """
        wanted = {}
        for record, kind, users, message, due_date in requests:
            item = _item(record)
            resource = '%s,%s' % item
            for user_id in sorted({int(u) for u in users if u}):
                wanted.setdefault((resource, kind, user_id),
                    (item, message, due_date))
        with without_check_access():
            last = cls._last_sent({k[0] for k in wanted}, today)
        due = {}
        for key, (record, message, due_date) in wanted.items():
            days = last.get(key, {})
            if today in days.values():
                continue
            if schedule and not should_send(key[1], today, due_date,
                    days.get(due_date), schedule, daily_since):
                continue
            due[key] = (record, message, due_date)
        # Readability last: only of the reminders the schedule sends (none
        # when the job runs again the same day).
        readable = cls._readable_items(
            {(i, u) for (_, _, u), (i, _, _) in due.items()})
        with without_check_access():
            rows, records = [], []
            for (resource, kind, user_id), (record, message, due_date) in (
                    due.items()):
                if (record, user_id) not in readable:
                    continue
                rows.append((user_id, resource, kind, today, due_date,
                        message))
                records.append(record)
            reminders = cls._insert(rows)
            cls._notify(reminders, rows, records)
        return reminders

    @classmethod
    def _insert(cls, rows):
        """Insert the reminders ``rows`` ``(user id, resource, kind, day,
        due date, message)`` in a few multi-row INSERTs; return them.

        Not ``create``: a reminder has no hook, every value is set here and
        its item exists, while ``create`` validates each new record by
        instantiating it and reading its reference (the item) again, which
        was most of a daily job's time.  The database still enforces the
        once-a-day constraint."""
        if not rows:
            return []
        return _browse(cls, _bulk_insert(cls, ['user', 'resource', 'kind',
                    'day', 'due_date', 'message'], rows))

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
        readable = cls._readable_items({(_item(r), u) for r, u in pairs})
        return {(r, u) for r, u in pairs if (_item(r), u) in readable}

    @classmethod
    def _readable_items(cls, pairs):
        """The ``((model name, id), user id)`` of ``pairs`` where the user
        may read the item: one search per model and user."""
        pool = Pool()
        by_model = defaultdict(lambda: defaultdict(set))
        readable = set()
        follows = {}
        for item, user_id in pairs:
            name = item[0]
            if name not in follows:
                follows[name] = _follows_report(pool.get(name))
            if follows[name]:
                by_model[name][user_id].add(item)
            else:
                readable.add((item, user_id))
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        for name, users in by_model.items():
            Model = pool.get(name)
            for user_id, records in users.items():
                ids = sorted({i for _, i in records})
                found = set()
                with transaction.set_user(user_id), \
                        transaction.set_context(_check_access=True):
                    try:
                        # The ids only, not instances: one query each.
                        for sub_ids in grouped_slice(ids, IN_SIZE):
                            cursor.execute(*Model.search(
                                    [('id', 'in', list(sub_ids))], order=[],
                                    query=True))
                            found.update(i for i, in cursor)
                    except AccessError:
                        pass
                readable |= {(r, user_id) for r in records if r[1] in found}
        return readable

    @classmethod
    def _notify(cls, reminders, rows, records):
        """Notify in the web client and by email: ``reminders`` were
        inserted from ``rows`` (see ``_insert``), each about the matching
        item ``(model name, id)`` of ``records``; the notifications are
        inserted in bulk too,
        then announced on the bus as ``res.notification`` does on create."""
        pool = Pool()
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        if not reminders:
            return
        kinds = dict(cls.fields_get(['kind'])['kind']['selection'])
        cursor = Transaction().connection.cursor()
        values = [(user_id, kinds.get(kind, kind), message, name,
                '[%d]' % record_id, True)
            for (user_id, _, kind, _, _, message), (name, record_id)
            in zip(rows, records)]
        ids = _bulk_insert(Notification, ['user', 'label', 'description',
                'model', 'records', 'unread'], values)
        # The bus announcement reads user, label and description: given
        # from the values inserted, not read back, on instances sharing
        # their caches and one instance per user (as ``browse`` does).
        transaction = Transaction()
        caches = {
            '_local_cache': local_cache(Notification, transaction),
            '_transaction_cache': transaction.get_cache(),
            '_transaction': transaction,
            }
        targets = {u: User(u) for u in {r[0] for r in rows}}
        Notification.on_modification('create', [
                Notification(i, user=targets[user_id], label=label,
                    description=description, **caches)
                for i, (user_id, label, description, *_) in zip(ids, values)])
        user = User.__table__()
        emails = {}
        for sub_ids in grouped_slice(sorted({r[0] for r in rows}),
                IN_SIZE):
            cursor.execute(*user.select(user.id, user.email,
                    where=user.id.in_(list(sub_ids))
                    & (user.email != Null) & (user.email != '')))
            emails.update(cursor)
        for user_id, _, kind, _, _, message in rows:
            email = emails.get(user_id)
            if email:
                msg = EmailMessage()
                msg['From'] = tconfig.get('email', 'from')
                msg['To'] = email
                msg['Subject'] = '%s：%s' % (
                    kinds.get(kind, kind), message[:60])
                msg.set_content(message)
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


def _bulk_insert(Model, columns, rows):
    """Insert ``rows`` (values of the ``columns`` named) into the table of
    ``Model``, stamped with the transaction's user and time; return the
    new ids in ``rows`` order.  On PostgreSQL by COPY (a multi-row INSERT
    of thousands of parameters spends its time in the driver splitting
    the query); elsewhere by multi-row INSERTs of ``INSERT_ROWS``."""
    if not rows:
        return []
    transaction = Transaction()
    database = transaction.database
    cursor = transaction.connection.cursor()
    table = Model.__table__()
    names = ['create_uid', 'create_date'] + list(columns)
    ids = database.nextid(transaction.connection, Model._table,
        count=len(rows))
    if isinstance(ids, int):
        ids = [ids]
    if ids is not None and hasattr(cursor, 'copy'):
        # The value an INSERT of CURRENT_TIMESTAMP stores in the column.
        cursor.execute('SELECT CAST(CURRENT_TIMESTAMP AS TIMESTAMP)')
        now, = cursor.fetchone()
        quoted = ', '.join('"%s"' % c for c in ['id'] + names)
        with cursor.copy('COPY "%s" (%s) FROM STDIN' % (
                    Model._table, quoted)) as copy:
            for i, row in zip(ids, rows):
                copy.write_row((i, transaction.user, now, *row))
    elif ids is not None:
        columns = [Column(table, c) for c in ['id'] + names]
        for sub in grouped_slice(list(zip(ids, rows)), INSERT_ROWS):
            cursor.execute(*table.insert(columns, [
                        [i, transaction.user, CurrentTimestamp(), *row]
                        for i, row in sub]))
    else:
        # A backend without sequences (SQLite): one row at a time.
        columns = [Column(table, c) for c in names]
        ids = []
        for row in rows:
            cursor.execute(*table.insert(columns,
                    [[transaction.user, CurrentTimestamp(), *row]],
                    [table.id]))
            ids.append(cursor.fetchone()[0])
    transaction.create_records[Model.__name__].extend(ids)
    return ids


def _item(record):
    "``(model name, id)`` of a record or of such a pair."
    if isinstance(record, tuple):
        name, record_id = record
        return name, int(record_id)
    return record.__name__, record.id


def _browse(Model, ids):
    """The records of ``ids``, browsed by slices (``browse`` checks every id
    of the list for each record: quadratic on one long list)."""
    size = min(BROWSE_SLICE, record_cache_size(Transaction()))
    return [r for sub_ids in grouped_slice(ids, size)
        for r in Model.browse(sub_ids)]


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
