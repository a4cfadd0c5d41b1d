"""Deadlines declared once per model, and everything derived from them.

A model with deadlines mixes in :class:`DeadlineMixin` and declares each
deadline as a :class:`Deadline`: the date field that holds the due date, the
domain under which it still runs (its "not done" condition) and who answers
for it.  From that single declaration come the list status and colouring,
the next due date and the working days left, the searches on them and the
daily reminders (``jubao.reminder|run_deadlines``): nothing else restates
when a deadline is done.  A deadline counted in working days also names the
method that computes its due date: its due date is provisional while it
falls in a year whose official holiday schedule is not known, and it is
recomputed when that schedule is loaded (``recompute_deadlines``).
"""
import contextvars
import datetime

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from jubao.workdays import countdown_label, is_provisional, library_knows, \
    working_days_between

# Items handled together by the reminder job: small enough that a chunk's
# records and those they reach stay within the record cache (2000) when a
# model reminds record by record (see ``DeadlineMixin.deadline_facts``).
REMINDER_CHUNK = 500

# Office facts read once per reminder run (see office_users), and the
# records of the chunk being reminded (see ``_chunk_records``).
_office_memo = contextvars.ContextVar('jubao_office_memo', default=None)

DUE_STATUSES = [
    (None, ""),
    ('due_soon', "Due Soon"),
    ('overdue', "Overdue"),
    ]


class Deadline:
    """One deadline of a model.

    ``due``: the name of the Date field holding the due date.
    ``open``: the domain under which the deadline still runs.
    ``responsible``: the name of a method of the record returning
    ``(office, user ids)``: who is reminded, and the office whose leader an
    overdue reminder is escalated to (None: no escalation).  None: nobody is
    reminded, the deadline only shows in lists.
    ``message``: the id of the reminder text; it receives ``record`` (the
    record's name) and ``due`` (see ``DeadlineMixin.deadline_label``).
    ``window``: the name of a class method returning, for ``today``, the
    domain of the records that count as due soon (or are overdue); by
    default the due date falls within the configured working days.
    ``compute``: for a deadline counted in working days, the name of a
    method of the record returning its due date by the rule (None when
    the rule gives none).
    ``done``: the name of the Date field recording when the duty was met,
    for the timeliness figures of the analysis (met on time: done on or
    before due).
    """
    __slots__ = ('name', 'due', 'open', 'responsible', 'message', 'window',
        'compute', 'done')

    def __init__(self, name, due, open, responsible=None, message=None,
            window=None, compute=None, done=None):
        self.name = name
        self.due = due
        self.open = open
        self.responsible = responsible
        self.message = message
        self.window = window
        self.compute = compute
        self.done = done

    def running(self):
        "Domain of the records whose deadline runs and has a due date."
        return [(self.due, '!=', None)] + list(self.open)

    def near(self, Model, today, limit):
        "Domain of the records due soon or overdue on ``today``."
        if self.window:
            return getattr(Model, self.window)(today)
        return [(self.due, '<=', limit)]


def _nothing():
    return [('id', '=', -1)]


def office_users(office):
    """The ids of the users of ``office`` and of its liaison.

    Within a reminder run they are read once per office: the office often
    comes from a fresh instance (e.g. the configuration's complaints office)
    whose users would otherwise be read again for every item."""
    if not office:
        return set()
    return office_user_ids(office.id)


def office_user_ids(office_id):
    "``office_users`` of the office of id ``office_id`` (None: nobody)."
    if office_id is None:
        return set()
    return set(_office_row(int(office_id))[0])


def _office_row(office_id):
    """(user ids, leader id, name) of the office of id ``office_id``: read
    once per reminder run (offices are few and the run writes nothing
    before it has read everything)."""
    memo = _office_memo.get()
    key = ('office', office_id)
    if memo is not None and key in memo:
        return memo[key]
    office = Pool().get('jubao.office')(office_id)
    users = {u.id for u in office.users}
    if office.liaison:
        users.add(office.liaison.id)
    row = (frozenset(users), office.leader.id if office.leader else None,
        office.rec_name)
    if memo is not None:
        memo[key] = row
    return row


def office_name(office_id):
    "The name (rec_name) of the office of id ``office_id``, once per run."
    return _office_row(int(office_id))[2] if office_id is not None else ''


def case_rec_name(number, summary):
    """The name of a report from its ``number`` and ``summary`` columns:
    ``jubao.case.get_rec_name``, and labels built from SQL rows without
    instantiating the reports."""
    return number or gettext('jubao_intake.msg_case_unregistered',
        summary=(summary or '')[:20])


def selection_strings(Model, name):
    """A function giving the translated string of a value of the
    selection field ``name`` of ``Model``, as its ``translated`` descriptor
    gives it (the selection is read once, not per record)."""
    field = Model._fields[name]
    selection = field.get_selection(Model, name, None)
    return lambda value: field.get_selection_string(selection, value)


def message_template(message_id):
    """The text of the message ``message_id`` in the user's language, not
    formatted: ``message_template(m) % variables`` is ``gettext(m,
    **variables)``, for a text formatted for many items."""
    return gettext(message_id)


def _chunk_records(Model, ids):
    """The records of ``ids`` browsed once for the default (record by
    record) hooks of a reminder chunk: the facts and the labels of a chunk
    share the instances and what they read."""
    memo = _office_memo.get()
    key = (Model.__name__, tuple(ids))
    if memo is not None and memo.get('chunk', (None,))[0] == key:
        return memo['chunk'][1]
    records = Model.browse(list(ids))
    if memo is not None:
        memo['chunk'] = (key, records)
    return records


def _status(dues, today):
    "The status of a record from its running (due date, near, …) tuples."
    if any(due < today for due, *_ in dues):
        return 'overdue'
    if any(near for _, near, _ in dues):
        return 'due_soon'
    return None


def _official_years():
    return Pool().get('jubao.calendar.year').official_years()


def _provisional_ranges(official):
    """The date ranges ``(first, last)`` (``last`` None: open-ended) of the
    years, from last year on, whose schedule is neither in the library nor
    loaded."""
    year = Pool().get('ir.date').today().year - 1
    while library_knows(year):
        year += 1
    last = max(official | {year})
    ranges = [(datetime.date(y, 1, 1), datetime.date(y, 12, 31))
        for y in range(year, last + 1) if y not in official]
    ranges.append((datetime.date(last + 1, 1, 1), None))
    return ranges


def _due_within(due, ranges):
    "Domain: the ``due`` field falls within one of ``ranges``."
    return ['OR'] + [[(due, '>=', first)]
        + ([(due, '<=', last)] if last else []) for first, last in ranges]


class DeadlineMixin:
    "Status, next due date, working days left and reminders of deadlines"
    __slots__ = ()
    due_status = fields.Function(fields.Selection(DUE_STATUSES, "Deadline",
            help="Whether a running deadline is overdue or due soon."),
        'get_deadline_fields', searcher='search_due_status')
    next_due = fields.Function(fields.Date("Next Deadline",
            help="The earliest due date among the deadlines still running."),
        'get_deadline_fields')
    working_days_left = fields.Function(fields.Integer("Working Days Left",
            help="Working days from today to the next deadline; negative "
            "when it is overdue."),
        'get_deadline_fields')
    countdown = fields.Function(fields.Char("Time Left",
            help="Working days left to the next deadline, or overdue by."),
        'get_deadline_fields')
    provisional = fields.Function(fields.Boolean("Provisional Deadline",
            help="A running deadline falls in a year whose official holiday "
            "schedule is not published yet: it is counted on the computed "
            "statutory holidays and recomputed once the State Council "
            "notice is loaded."),
        'get_deadline_fields', searcher='search_provisional')

    @classmethod
    def deadlines(cls):
        "The deadlines of the model; modules extend the list."
        return []

    @classmethod
    def view_attributes(cls):
        visual, depends = cls.deadline_visual()
        return super().view_attributes() + [
            ('/tree', 'visual', visual, depends),
            ]

    @classmethod
    def deadline_visual(cls):
        "The colour of a list row and the fields it needs."
        return (If(Eval('due_status') == 'overdue', 'danger',
                If(Eval('due_status') == 'due_soon', 'warning', '')),
            ['due_status'])

    @classmethod
    def _running_dues(cls, records, today, limit):
        """{record id: [(due date, due soon or overdue), …]} of the running
        deadlines of ``records``."""
        ids = [r.id for r in records]
        result = {i: [] for i in ids}
        with without_check_access():
            for deadline in cls.deadlines():
                domain = [('id', 'in', ids)] + deadline.running()
                near = {r.id for r in cls.search(
                        domain + [deadline.near(cls, today, limit)],
                        order=[])}
                for row in cls.search_read(domain, order=[],
                        fields_names=[deadline.due]):
                    result[row['id']].append((row[deadline.due],
                            row['id'] in near, bool(deadline.compute)))
        return result

    @classmethod
    def get_deadline_fields(cls, records, names):
        config = Pool().get('jubao.configuration')(1)
        today, limit = config.due_window()
        overrides = (config.working_day_overrides()
            if {'working_days_left', 'countdown'} & set(names) else None)
        official = config.official_years()
        result = {n: {} for n in names}
        for record_id, dues in cls._running_dues(
                records, today, limit).items():
            first = min((due for due, *_ in dues), default=None)
            days_left = (
                working_days_between(today, first, overrides, official)
                if first and overrides is not None else None)
            values = {
                'due_status': _status(dues, today),
                'next_due': first,
                'working_days_left': days_left,
                'countdown': countdown_label(days_left),
                'provisional': any(is_provisional(due, official)
                    for due, _, counted in dues if counted),
                }
            for name in names:
                result[name][record_id] = values[name]
        return result

    @classmethod
    def _status_domains(cls, today, limit):
        "The domains (overdue, due soon or overdue) with the getter's rules."
        deadlines = cls.deadlines()
        if not deadlines:
            return _nothing(), _nothing()
        overdue = ['OR'] + [d.running() + [(d.due, '<', today)]
            for d in deadlines]
        near = ['OR'] + [d.running() + [d.near(cls, today, limit)]
            for d in deadlines]
        return overdue, near

    @classmethod
    def search_due_status(cls, name, clause):
        "Search by status with the rules of the getter."
        _, operator, value = clause[:3]
        values = set(value if isinstance(value, (list, tuple)) else [value])
        statuses = {s for s, _ in DUE_STATUSES}
        if operator in {'=', 'in'}:
            wanted = statuses & values
        elif operator in {'!=', 'not in'}:
            wanted = statuses - values
        else:
            raise ValueError(f"unsupported operator {operator}")
        if wanted == statuses:
            return []
        today, limit = Pool().get('jubao.configuration')(1).due_window()
        overdue, near = cls._status_domains(today, limit)
        not_overdue = ('id', 'not in',
            cls.search(overdue, order=[], query=True))
        parts = []
        if 'overdue' in wanted:
            parts.append(overdue)
        if 'due_soon' in wanted:
            parts.append([near, not_overdue])
        if None in wanted:
            parts.append([not_overdue,
                    ('id', 'not in', cls.search(near, order=[], query=True))])
        return ['OR'] + parts if parts else _nothing()

    @classmethod
    def search_provisional(cls, name, clause):
        "Records with a running working-day deadline in an estimated year."
        _, operator, value = clause[:3]
        if operator not in {'=', '!='}:
            raise ValueError(f"unsupported operator {operator}")
        wanted = bool(value) == (operator == '=')
        ranges = _provisional_ranges(_official_years())
        domain = ['OR'] + [d.running() + [_due_within(d.due, ranges)]
            for d in cls.deadlines() if d.compute]
        if len(domain) == 1:
            domain = _nothing()
        if wanted:
            return domain
        return [('id', 'not in', cls.search(domain, order=[], query=True))]

    @classmethod
    def due_reminders(cls, today, limit):
        """Yield ``(deadline, ids)`` of the running deadlines due soon or
        overdue on ``today`` that remind someone, the most urgent first:
        one query per deadline, then the ids in chunks, so that reading one
        chunk never drags the whole result through the record cache."""
        cursor = Transaction().connection.cursor()
        for deadline in cls.deadlines():
            if not deadline.responsible:
                continue
            # The ids only: instances of the whole result would each check
            # the whole list of ids (``browse``).
            cursor.execute(*cls.search(deadline.running()
                    + [deadline.near(cls, today, limit)],
                    order=[(deadline.due, 'ASC'), ('id', 'ASC')],
                    query=True))
            ids = [i for i, in cursor]
            for chunk in grouped_slice(ids, REMINDER_CHUNK):
                yield deadline, list(chunk)

    @classmethod
    def deadline_facts(cls, deadline, ids):
        """{id: (due date, office id, user ids)} of ``deadline`` of the
        records of ``ids``: who is reminded and the office escalated to
        (see ``Deadline.responsible``).

        The default asks each record (``deadline.responsible``); a model
        with many items to remind overrides it with one query."""
        result = {}
        for record in _chunk_records(cls, ids):
            office, users = getattr(record, deadline.responsible)()
            result[record.id] = (getattr(record, deadline.due),
                office.id if office else None, users)
        return result

    @classmethod
    def deadline_labels(cls, deadline, ids, dues):
        """{id: text naming the item in a reminder} of ``deadline`` of the
        records of ``ids`` (``dues``: {id: due date}).

        The default asks each record (``deadline_label``); a model with
        many items to remind overrides it with one query giving the same
        text."""
        return {r.id: r.deadline_label(deadline, dues[r.id])
            for r in _chunk_records(cls, ids)}

    def deadline_label(self, deadline, due):
        "The text naming the item in a reminder (models add parameters)."
        return gettext(deadline.message, record=self.rec_name, due=due)


def deadline_models():
    "The models of the pool that declare deadlines."
    pool = Pool()
    return [Model for _, Model in pool.iterobject()
        if isinstance(Model, type) and issubclass(Model, DeadlineMixin)
        and Model.deadlines()]


def send_deadline_reminders(today=None):
    """Remind who answers for every deadline due soon or overdue, and
    escalate overdue ones to the office's leader (daily job), on the
    configured re-send schedule (``jubao.reminders``).

    Idempotent: nothing is sent twice the same day.  Set-based: what the
    reminders need is read chunk by chunk of item ids by the batch hooks
    of each model (``deadline_facts``, ``deadline_labels``: one query per
    chunk where a model overrides them), offices once per run, then every
    reminder is sent in one batch (``jubao.reminder.send_batch``: one
    readability search per model and user, one query for the reminders
    already sent, bulk inserts).  Returns the reminders created.
    """
    pool = Pool()
    Reminder = pool.get('jubao.reminder')
    config = pool.get('jubao.configuration')(1)
    if today is None:
        today = pool.get('ir.date').today()
    limit = config.add_working_days(today, config.due_soon_days)
    schedule = config.reminder_schedule()
    daily_since = config.reminder_daily_from(today, schedule)
    requests = []
    with without_check_access():
        # Read everything before writing: a write empties the record
        # caches.
        token = _office_memo.set({})
        try:
            for Model in deadline_models():
                for deadline, ids in Model.due_reminders(today, limit):
                    requests += _requests(Model, deadline, ids, today)
                    _office_memo.get().pop('chunk', None)
        finally:
            _office_memo.reset(token)
        return Reminder.send_batch(requests, today, schedule=schedule,
            daily_since=daily_since)


def _requests(Model, deadline, ids, today):
    """The reminders ``((model name, id), kind, users, message, due)``
    that ``deadline`` of the records of ``ids`` calls for on ``today``."""
    facts = Model.deadline_facts(deadline, ids)
    labels = Model.deadline_labels(deadline, ids,
        {i: due for i, (due, _, _) in facts.items()})
    due_soon, overdue, escalation = map(message_template, [
            'jubao_intake.msg_reminder_due_soon',
            'jubao_intake.msg_reminder_overdue',
            'jubao_intake.msg_reminder_escalation'])
    requests = []
    for record_id in ids:
        due, office, users = facts[record_id]
        label = labels[record_id]
        item = (Model.__name__, record_id)
        if due >= today:
            requests.append((item, 'due_soon', users,
                    due_soon % {'label': label}, due))
            continue
        requests.append((item, 'overdue', users,
                overdue % {'label': label}, due))
        if office is not None:
            _, leader, name = _office_row(office)
            if leader:
                requests.append((item, 'escalation', [leader],
                        escalation % {'office': name, 'label': label}, due))
    return requests


def recompute_deadlines(first, change):
    """Apply ``change`` (a function changing the calendar) and recompute
    the running working-day deadlines due on or after ``first``.

    Only a due date that its rule gave before the change is recomputed: one
    set by hand stays.  Returns ``[(record, old due, new due)]`` of the due
    dates written.
    """
    candidates = []
    with without_check_access():
        for Model in deadline_models():
            for deadline in Model.deadlines():
                if not deadline.compute:
                    continue
                for record in Model.search(deadline.running()
                        + [(deadline.due, '>=', first)],
                        order=[(deadline.due, 'ASC'), ('id', 'ASC')]):
                    due = getattr(record, deadline.due)
                    if getattr(record, deadline.compute)() == due:
                        candidates.append((record, deadline, due))
        change()
        moves = []
        for record, deadline, old in candidates:
            new = getattr(record, deadline.compute)()
            if new and new != old:
                record.__class__.write([record], {deadline.due: new})
                moves.append((record, old, new))
    return moves
