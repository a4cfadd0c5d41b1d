"""Official numbers of supervisions: 督〔2026〕第3号, gapless per year.

A supervision takes its number when it is opened (the letter is printed
only from then on), from a counter row of the supervision's year.  The
number is taken inside the transaction that opens the supervision, so it
commits or rolls back with it: a number is never skipped nor given twice.

Concurrency: Tryton runs PostgreSQL in REPEATABLE READ.  Two openings of
the same year both update the year's row; the second one to write gets a
serialisation failure (also when the row was inserted by the other one for
the year's first number: ``ON CONFLICT DO NOTHING`` on a row its snapshot
does not see), which Tryton's dispatcher answers by running the request
again, now seeing the first one's number.  Supervisions are opened a few
times a day, so this retry costs nothing and needs no deferred numbering
like the reports' (jubao_intake/numbering.py).  SQLite has one writer at a
time.
"""
import datetime as dt

from sql import Null

from trytond import backend
from trytond.model import ModelSQL, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

COUNTER_TABLE = 'jubao_supervision_counter'


def format_supervision_number(year, sequence):
    "The official number: 督〔2026〕第3号."
    return f'督〔{year}〕第{sequence}号'


class SupervisionCounter(ModelSQL):
    __string__ = "Supervision Number Counter"
    __name__ = 'jubao.supervision.counter'
    year = fields.Integer("Year", required=True)
    last = fields.Integer("Last Number", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('year_uniq', Unique(t, t.year),
                'jubao_routing.msg_supervision_counter_year_unique'),
            ]

    @classmethod
    def __register__(cls, module_name):
        super().__register__(module_name)
        cls._number_opened(module_name)

    @classmethod
    def _number_opened(cls, module_name):
        """Number the supervisions opened before numbers existed (update
        of a database), in date order, so that each letter has one."""
        pool = Pool()
        Supervision = pool.get('jubao.supervision')
        if not backend.TableHandler.table_exist(Supervision._table):
            return
        handler = backend.TableHandler(Supervision, module_name)
        if not handler.column_exist('number'):
            return
        supervision = Supervision.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*supervision.select(
                supervision.id, supervision.date,
                where=(supervision.number == Null)
                & (supervision.state != 'draft'),
                order_by=[supervision.date, supervision.id]))
        by_year = {}
        for id_, date in cursor.fetchall():
            if not isinstance(date, dt.date):
                date = dt.date.fromisoformat(date)
            by_year.setdefault(date.year, []).append(id_)
        for year, ids in sorted(by_year.items()):
            first = cls.take(year, len(ids))
            for i, id_ in enumerate(ids):
                cursor.execute(*supervision.update(
                        [supervision.number],
                        [format_supervision_number(year, first + i)],
                        where=supervision.id == id_))

    @classmethod
    def take(cls, year, count=1):
        """Take ``count`` numbers of ``year`` in the current transaction;
        returns the first one."""
        cursor = Transaction().connection.cursor()
        if backend.name == 'postgresql':
            # The row of the year, created by the year's first opening;
            # the UPDATE below then serialises concurrent openings.
            cursor.execute(
                f'INSERT INTO "{COUNTER_TABLE}" (year, last, create_uid, '
                'create_date) VALUES (%s, 0, 0, CURRENT_TIMESTAMP) '
                'ON CONFLICT (year) DO NOTHING', (year,))
        else:
            # SQLite has no unique constraint to conflict on (Tryton does
            # not add constraints there) but only one writer at a time.
            cursor.execute(
                f'SELECT 1 FROM "{COUNTER_TABLE}" WHERE year = ?', (year,))
            if not cursor.fetchone():
                cursor.execute(
                    f'INSERT INTO "{COUNTER_TABLE}" (year, last, '
                    'create_uid, create_date) '
                    'VALUES (?, 0, 0, CURRENT_TIMESTAMP)', (year,))
        param = '%s' if backend.name == 'postgresql' else '?'
        cursor.execute(
            f'UPDATE "{COUNTER_TABLE}" SET last = last + {param} '
            f'WHERE year = {param}', (count, year))
        cursor.execute(
            f'SELECT last FROM "{COUNTER_TABLE}" WHERE year = {param}',
            (year,))
        last, = cursor.fetchone()
        return last - count + 1

    @classmethod
    def assign(cls, supervisions):
        """The numbers of ``supervisions`` without one, in date order, as
        ``{supervision: number}``."""
        todo = sorted((s for s in supervisions if not s.number),
            key=lambda s: (s.date, s.id))
        by_year = {}
        for supervision in todo:
            by_year.setdefault(supervision.date.year, []).append(supervision)
        numbers = {}
        for year, of_year in sorted(by_year.items()):
            first = cls.take(year, len(of_year))
            for i, supervision in enumerate(of_year):
                numbers[supervision] = format_supervision_number(
                    year, first + i)
        return numbers
