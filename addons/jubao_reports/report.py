import os
import tempfile

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from jubao import analysis as calc

from . import draft
from trytond.modules.jubao_intake.case import may_read_reporters

from .analysis import AnalysisMixin, check_office, configured_threshold
from .engine import routing_active
from .ledger import LEDGER_KINDS, ROUTING_KINDS, Ledger
from .xlsx import LedgerWriter, write_analysis


class AnalysisWorkbook(Report):
    "Analysis Workbook (xlsx)"
    __name__ = 'jubao.analysis.xlsx'

    @classmethod
    def _execute(cls, records, header, data, action):
        analysis, = records
        return 'xlsx', write_analysis(analysis.figures())


class AnalysisDraft(Report):
    "Analysis Draft (ODT)"
    __name__ = 'jubao.analysis.draft'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        analysis, = records
        figures = analysis.figures()
        context['figures'] = figures
        context['sections'] = [{
                'number': calc.cn_ordinal(i),
                'title': title,
                'paragraphs': paragraphs,
                } for i, (title, paragraphs) in enumerate(
                draft.sections(figures), 1)]
        context['pct'] = calc.format_percent
        context['chg'] = calc.format_change
        context['cn'] = calc.cn_count
        return context


def write_ledger(ledger, output, progress=None):
    "Stream ``ledger`` into the xlsx ``output`` (path or file object)."
    writer = LedgerWriter(output, ledger.title, ledger.subtitle,
        ledger.columns())
    for row in ledger.rows():
        writer.write(row)
        if progress:
            progress(1)
    writer.close()
    return writer.row - 4


class LedgerWorkbook(Report):
    "Ledger (xlsx)"
    __name__ = 'jubao.analysis.ledger.xlsx'

    @classmethod
    def _execute(cls, records, header, data, action):
        pool = Pool()
        Office = pool.get('jubao.office')
        office = Office(data['office']) if data.get('office') else None
        check_office(office)
        if data.get('kind') not in dict(LEDGER_KINDS):
            raise UserError(gettext('jubao_reports.msg_ledger_kind'))
        if data['kind'] in ROUTING_KINDS and not routing_active():
            raise UserError(gettext('jubao_reports.msg_ledger_needs_routing'))
        ledger = Ledger(data['kind'], data['date_from'], data['date_to'],
            office, with_reporters=may_read_reporters(),
            key_person_threshold=configured_threshold())
        # Stream to a temporary file: constant memory while writing rows
        fd, path = tempfile.mkstemp(suffix='.xlsx')
        os.close(fd)
        try:
            write_ledger(ledger, path)
            with open(path, 'rb') as file:
                return 'xlsx', file.read()
        finally:
            os.unlink(path)


class LedgerExportStart(AnalysisMixin, ModelView):
    "Export Ledger"
    __name__ = 'jubao.analysis.ledger.start'
    __string__ = "Export Ledger"
    kind = fields.Selection(LEDGER_KINDS, "Ledger", required=True,
        sort=False, help="The ledgers of hand-offs, feedback and open "
        "reports need the routing module.")

    @classmethod
    def default_kind(cls):
        return 'register'


class LedgerExport(Wizard):
    "Export Ledger"
    __name__ = 'jubao.analysis.ledger'
    start = StateView('jubao.analysis.ledger.start',
        'jubao_reports.ledger_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateReport('jubao.analysis.ledger.xlsx')

    def do_export(self, action):
        start = self.start
        start.check_period()
        check_office(start.office)
        if start.kind in ROUTING_KINDS and not routing_active():
            raise UserError(gettext('jubao_reports.msg_ledger_needs_routing'))
        return action, {
            'kind': start.kind,
            'date_from': start.date_from,
            'date_to': start.date_to,
            'office': start.office.id if start.office else None,
            }

    def default_start(self, fields):
        if 'active_id' in Transaction().context and Transaction().context.get(
                'active_model') == 'jubao.analysis':
            Analysis = Pool().get('jubao.analysis')
            analysis = Analysis(Transaction().context['active_id'])
            return {
                'period_type': analysis.period_type,
                'year': analysis.year,
                'period_number': analysis.period_number,
                'date_from': analysis.date_from,
                'date_to': analysis.date_to,
                'office': analysis.office.id if analysis.office else None,
                }
        return {}
