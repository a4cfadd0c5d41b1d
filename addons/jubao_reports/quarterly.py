"The quarterly return (季度报表) of concluded and repeat reports."
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from jubao import periods
from jubao.filenames import file_name, period_label

from trytond.modules.jubao_routing.report import OdtReport


class QuarterlyReturn(OdtReport):
    __name__ = 'jubao.routing.quarterly_return'

    @classmethod
    def download_name(cls, records, data):
        "信访举报件办结情况报告_2026年第三季度"
        title = gettext('jubao_reports.msg_file_quarterly_concluded'
            if data.get('kind') == 'concluded'
            else 'jubao_reports.msg_file_quarterly_repeats')
        return file_name(title, period_label(
                year=data['year'], quarter=data['quarter']))

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context.update(cls.compute(
                data['year'], data['quarter'], data['kind']))
        return context

    @classmethod
    def compute(cls, year, quarter, kind):
        """Rows per handling office of the reports concluded in (``kind``
        'concluded') or of the repeats received in (``kind`` 'repeats')
        the quarter; repeats go to the office handling the original."""
        pool = Pool()
        Case = pool.get('jubao.case')
        start, end = periods.quarter(year, quarter)
        if kind == 'concluded':
            domain = [
                ('concluded_date', '>=', start),
                ('concluded_date', '<=', end),
                ('state', '=', 'concluded'),
                ]
        else:
            domain = [
                ('received_date', '>=', start),
                ('received_date', '<=', end),
                ('repeat_of', '!=', None),
                ]
        cases = Case.search(domain,
            order=[('handling_office', 'ASC'), ('number', 'ASC')])
        by_office = defaultdict(list)
        for case in cases:
            if kind == 'repeats':
                # Notified to the office handling the original report.
                office = (case.repeat_of.handling_office
                    or case.handling_office)
            else:
                office = case.handling_office
            by_office[office].append(case)
        offices = []
        for office, office_cases in by_office.items():
            counts = defaultdict(int)
            for case in office_cases:
                counts[case.truth or 'none'] += 1
            offices.append({
                    'office': office,
                    'name': office.rec_name if office else '',
                    'cases': office_cases,
                    'count': len(office_cases),
                    'true': counts['true'],
                    'partly': counts['partly'],
                    'false': counts['false'],
                    'unverifiable': counts['unverifiable'],
                    'fed_back': len([c for c in office_cases
                            if c.feedback_date]),
                    })
        offices.sort(key=lambda o: o['name'])
        return {
            'year': year,
            'quarter': quarter,
            'kind': kind,
            'start': start,
            'end': end,
            'period_name': periods.official_name(start, end),
            'offices': offices,
            'total': len(cases),
            }


class QuarterlyReturnStart(ModelView):
    __string__ = "Quarterly Return"
    __name__ = 'jubao.routing.quarterly_return.start'
    year = fields.Integer("Year", required=True,
        domain=[('year', '>=', 2000), ('year', '<=', 2100)])
    quarter = fields.Selection([
            (1, "First Quarter"),
            (2, "Second Quarter"),
            (3, "Third Quarter"),
            (4, "Fourth Quarter"),
            ], "Quarter", required=True, sort=False)
    kind = fields.Selection([
            ('concluded', "Concluded Reports"),
            ('repeats', "Repeat Reports"),
            ], "Return", required=True, sort=False)

    @staticmethod
    def default_year():
        return Pool().get('ir.date').today().year

    @staticmethod
    def default_quarter():
        today = Pool().get('ir.date').today()
        return (today.month - 1) // 3 + 1

    @staticmethod
    def default_kind():
        return 'concluded'


class QuarterlyReturnWizard(Wizard):
    __name__ = 'jubao.routing.quarterly_return.wizard'
    start = StateView('jubao.routing.quarterly_return.start',
        'jubao_reports.quarterly_return_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('jubao.routing.quarterly_return')

    def do_print_(self, action):
        return action, {
            'year': self.start.year,
            'quarter': self.start.quarter,
            'kind': self.start.kind,
            'user': Transaction().user,
            }
