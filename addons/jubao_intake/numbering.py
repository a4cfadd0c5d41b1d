"""Gapless yearly report numbers, taken without making anyone wait.

One counter row per year.  A registration takes its numbers as its last
step, in its own transaction, when the counter is free: the number commits
with the registration or rolls back with it, so numbers are never skipped
nor given twice.  When another registration holds the counter (or changed
it since this transaction began: Tryton runs PostgreSQL transactions in
REPEATABLE READ, where waiting for the row would only end in a
serialisation error), the registration commits without its numbers and
they are given right after the commit by ``number_pending``: a short
transaction that locks the counter table *before* its snapshot, numbers
every registered report still without one in received order, and commits.
A registration therefore never fails nor waits on another one's counter,
and the counter is held only while numbers are taken.  A cron job runs
``number_pending`` as a safety net (a process killed between the two
commits).  Why a counter and not ``ir.sequence.strict``: see README.md.
"""
import datetime as dt
import logging
import time
from collections import namedtuple

from sql import For, Null, Table
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.model import ModelSQL, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .configuration import format_case_number

logger = logging.getLogger(__name__)

COUNTER_TABLE = 'jubao_case_counter'
CASE_TABLE = 'jubao_case'
RETRIES = 10
LOCK_TIMEOUT = 10  # seconds
_Pending = namedtuple('_Pending', ['id', 'received_date'])


class CaseCounter(ModelSQL):
    __string__ = "Report Number Counter"
    __name__ = 'jubao.case.counter'
    year = fields.Integer("Year", required=True)
    last = fields.Integer("Last Number", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('year_uniq', Unique(t, t.year),
                'jubao_intake.msg_counter_year_unique'),
            ]

    @classmethod
    def take(cls, cases):
        """{report id: number} of ``cases`` (being registered), taken now
        if the counter is free; empty when another registration holds it:
        they are then numbered just after this transaction commits.  The
        counter stays held to the commit: take the numbers last."""
        if not cases:
            return {}
        pool = Pool()
        transaction = Transaction()
        prefix = pool.get('jubao.configuration')(1).number_prefix
        cursor = transaction.connection.cursor()
        ordered = sorted(cases, key=lambda c: (c.received_date, c.id))
        if backend.name != 'postgresql':
            # SQLite lets one writer at a time: the counter is always free.
            numbers = _take(cursor, ordered, prefix)
        else:
            cursor.execute('SAVEPOINT jubao_number')
            try:
                numbers = _take(cursor, ordered, prefix, nowait=True)
            except (backend.DatabaseOperationalError,
                    backend.DatabaseIntegrityError):
                cursor.execute('ROLLBACK TO SAVEPOINT jubao_number')
                transaction.atexit(_number_after_commit,
                    transaction.database.name)
                return {}
            cursor.execute('RELEASE SAVEPOINT jubao_number')
        return {case.id: number for case, number in zip(ordered, numbers)}

    @classmethod
    def number_pending_cron(cls):
        """Safety net: number the registered reports left without one, in
        the cron's own transaction (a report committed after its snapshot
        waits for the next run)."""
        cursor = Transaction().connection.cursor()
        cursor.execute(f'LOCK TABLE "{COUNTER_TABLE}" IN EXCLUSIVE MODE'
            if backend.name == 'postgresql' else 'SELECT 1')
        count = _number_pending(cursor)
        Transaction().cache.clear()
        return count


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('jubao.case.counter|number_pending_cron',
                "Number Registered Reports"))


def _advance(cursor, year, count, nowait=False):
    "Take ``count`` numbers of ``year``; returns the first."
    # python-sql: the same statements on PostgreSQL and SQLite
    counter = Table(COUNTER_TABLE)
    query = counter.select(counter.last, where=counter.year == year)
    if nowait:
        query.for_ = For('UPDATE', nowait=True)
    cursor.execute(*query)
    row = cursor.fetchone()
    if row is None:
        # A concurrent first registration of the year makes this INSERT
        # fail on the unique year: the caller defers as for a lock.
        cursor.execute(*counter.insert(
                [counter.year, counter.last, counter.create_uid,
                    counter.create_date],
                [[year, count, 0, CurrentTimestamp()]]))
        return 1
    cursor.execute(*counter.update([counter.last], [counter.last + count],
            where=counter.year == year))
    return row[0] + 1


def _take(cursor, reports, prefix, nowait=False):
    """The numbers of ``reports`` (with ``received_date``), in that order,
    taken from the counters of their years."""
    counts = {}
    for report in reports:
        year = report.received_date.year
        counts[year] = counts.get(year, 0) + 1
    next_of = {year: _advance(cursor, year, count, nowait=nowait)
        for year, count in sorted(counts.items())}
    numbers = []
    for report in reports:
        year = report.received_date.year
        numbers.append(format_case_number(prefix, year, next_of[year]))
        next_of[year] += 1
    return numbers


def _number_after_commit(database_name):
    # Runs once the request's transaction has ended: an error here must
    # not turn a committed registration into an error for the user.
    try:
        number_pending(database_name)
    except Exception:
        logger.exception("numbering after commit failed; "
            "the cron job will number the reports")


def _number_pending(cursor):
    "Number the registered reports without a number, in received order."
    case = Table(CASE_TABLE)
    query = case.select(case.id, case.received_date,
        where=(case.number == Null) & (case.state != 'draft'),
        order_by=[case.received_date, case.id])
    if backend.name == 'postgresql':
        query.for_ = For('UPDATE')
    cursor.execute(*query)
    reports = [_Pending(i, d if isinstance(d, dt.date)
            else dt.date.fromisoformat(d)) for i, d in cursor.fetchall()]
    if reports:
        configuration = Table('jubao_configuration')
        cursor.execute(*configuration.select(configuration.number_prefix,
                order_by=[configuration.id], limit=1))
        row = cursor.fetchone()
        numbers = _take(cursor, reports, row[0] if row else None)
        for report, number in zip(reports, numbers):
            cursor.execute(*case.update([case.number], [number],
                    where=case.id == report.id))
    return len(reports)


def number_pending(database_name):
    """Number every registered report without a number, in received order,
    in a transaction of its own that locks the counter before its snapshot
    (so it waits its turn and sees every registration committed before).
    Returns how many were numbered.  The wait is bounded: a lock held for
    long (never by a registration) leaves the reports to the cron job."""
    database = backend.Database(database_name).connect()
    for attempt in range(RETRIES):
        connection = database.get_connection()
        try:
            cursor = connection.cursor()
            # Neither SET nor LOCK takes a snapshot: the SELECT after the
            # LOCK sees the registrations committed while it waited.
            cursor.execute("SET LOCAL lock_timeout = '%ds'" % LOCK_TIMEOUT)
            cursor.execute(
                f'LOCK TABLE "{COUNTER_TABLE}" IN EXCLUSIVE MODE')
            count = _number_pending(cursor)
            connection.commit()
            return count
        except backend.DatabaseOperationalError as error:
            connection.rollback()
            if getattr(error, 'sqlstate', None) == '55P03':
                break  # lock_timeout: not a registration holding it
            time.sleep(0.02 * (attempt + 1))
        finally:
            database.put_connection(connection)
    logger.error("reports left without a number; "
        "the cron job will number them")
    return 0
