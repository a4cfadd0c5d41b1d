"""Gapless yearly report numbers.

One counter row per year, locked while a number is taken: a registration
that fails rolls the counter back with it, and two registrations at the
same time are serialised, so numbers are never skipped nor given twice.
Why a counter and not ``ir.sequence.strict``: see README.md (Numbering).
"""
from trytond.model import ModelSQL, Unique, fields
from trytond.transaction import without_check_access


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
    def take(cls, year):
        "The next number of ``year``; the row stays locked until commit."
        with without_check_access():
            counters = cls.search([('year', '=', year)], limit=1)
            if not counters:
                counters = cls.create([{'year': year, 'last': 0}])
            counter, = counters
            cls.lock([counter])
            counter.last += 1
            counter.save()
        return counter.last
