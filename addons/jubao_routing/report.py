"Printable notices, supervision letters and quarterly returns."
import shutil
from collections import defaultdict

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from jubao.routing import quarter_bounds

from trytond.modules.jubao_intake.case import reporter_identity


class OdtReport(Report):
    """ODT report converted to PDF only where LibreOffice is installed.

    The actions ask for PDF; without ``soffice`` the ODT is returned as is
    so that printing never fails on a machine without an office suite.
    """

    @classmethod
    def convert(cls, report, data, **kwargs):
        if (report.extension == 'pdf'
                and report.template_extension == 'odt'
                and not shutil.which('soffice')):
            return 'odt', data
        return super().convert(report, data, **kwargs)

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        context = super().get_context(records, header, data)
        Config = pool.get('jubao.configuration')
        context['config'] = Config(1)
        context['today'] = pool.get('ir.date').today()
        context['cn_date'] = cls.cn_date
        context['reporter_names'] = cls.reporter_names
        return context

    @staticmethod
    def reporter_names(case):
        """Names of the reporters for users entitled to see them (through
        the identity gate, logged as a notice); the generic salutation
        otherwise (reporters are confidential)."""
        identity = reporter_identity([case.id], 'notice', ['name'],
            strict=False)
        names = [r['name'] for r in identity.get(case.id, []) if r['name']]
        return '、'.join(names) or gettext(
            'jubao_routing.msg_notice_reporter')

    @staticmethod
    def cn_date(date):
        if not date:
            return ''
        return '%d年%d月%d日' % (date.year, date.month, date.day)


class AcceptanceNotice(OdtReport):
    "Acceptance Notice"
    __name__ = 'jubao.case.acceptance_notice'

    @classmethod
    def get_context(cls, records, header, data):
        for case in records:
            if not case.acceptance_notice_due:
                raise UserError(gettext(
                        'jubao_routing.msg_notice_not_real_name',
                        case=case.rec_name))
        return super().get_context(records, header, data)


class FeedbackNotice(OdtReport):
    "Feedback Notice"
    __name__ = 'jubao.case.feedback_notice'

    @classmethod
    def get_context(cls, records, header, data):
        for case in records:
            if case.state != 'concluded':
                raise UserError(gettext(
                        'jubao_routing.msg_notice_not_concluded',
                        case=case.rec_name))
        return super().get_context(records, header, data)


class SupervisionLetter(OdtReport):
    "Supervision Letter"
    __name__ = 'jubao.supervision.letter'


class QuarterlyReturn(OdtReport):
    "Quarterly Return"
    __name__ = 'jubao.routing.quarterly_return'

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
        start, end = quarter_bounds(year, quarter)
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
            'offices': offices,
            'total': len(cases),
            }


class QuarterlyReturnStart(ModelView):
    "Quarterly Return"
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
    "Quarterly Return"
    __name__ = 'jubao.routing.quarterly_return.wizard'
    start = StateView('jubao.routing.quarterly_return.start',
        'jubao_routing.quarterly_return_start_view_form', [
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
