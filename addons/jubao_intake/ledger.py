import datetime as dt
import io

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report

from jubao.xlsx import safe_workbook

from .case import may_read_reporters, reporter_identity


def field_label(Model, name):
    return Model.fields_get([name])[name]['string']


def selection_labels(Model, name):
    return dict(Model.fields_get([name])[name]['selection'])


class CaseLedger(Report):
    "Report Ledger (xlsx)"
    __name__ = 'jubao.case.ledger'

    @classmethod
    def _execute(cls, records, header, data, action):
        return 'xlsx', cls.render_xlsx(records)

    @classmethod
    def columns(cls, records=()):
        """(header, getter) pairs; reporter columns only for entitled users,
        filled through the identity gate (logged, recusal respected)."""
        Case = Pool().get('jubao.case')
        Subject = Pool().get('jubao.case.subject')
        sel = {n: selection_labels(Case, n)
            for n in ['channel', 'kind', 'scope', 'state']}
        authorities = selection_labels(Subject, 'authority')
        yes, no = gettext('jubao_intake.msg_yes'), gettext(
            'jubao_intake.msg_no')

        def label(name):
            return field_label(Case, name)
        columns = [
            (label('number'), lambda c: c.number or ''),
            (label('received_date'), lambda c: c.received_date),
            (label('channel'), lambda c: sel['channel'].get(c.channel, '')),
            (label('kind'), lambda c: sel['kind'].get(c.kind, '')),
            (label('scope'), lambda c: sel['scope'].get(c.scope, '')),
            (label('real_name'), lambda c: yes if c.real_name else no),
            (label('subject_names'), lambda c: c.subject_names or ''),
            (field_label(Subject, 'unit'),
                lambda c: '、'.join(s.unit for s in c.subjects if s.unit)),
            (field_label(Subject, 'position'),
                lambda c: '、'.join(
                    s.position for s in c.subjects if s.position)),
            (field_label(Subject, 'authority'),
                lambda c: '、'.join(sorted({authorities.get(s.authority, '')
                            for s in c.subjects}))),
            (label('categories'),
                lambda c: '、'.join(x.rec_name for x in c.categories)),
            (label('keywords'), lambda c: c.keywords or ''),
            (label('summary'), lambda c: c.summary or ''),
            (label('handling_office'),
                lambda c: c.handling_office.rec_name
                if c.handling_office else ''),
            (label('repeat_of'),
                lambda c: c.repeat_of.rec_name if c.repeat_of else ''),
            (label('state'), lambda c: sel['state'].get(c.state, '')),
            ]
        if may_read_reporters():
            Reporter = Pool().get('jubao.case.reporter')
            identity = reporter_identity([c.id for c in records], 'ledger',
                ['name', 'phone'], strict=False)

            def people(name):
                return lambda c: '、'.join(
                    r[name] for r in identity.get(c.id, []) if r[name])
            columns += [
                (field_label(Reporter, 'name'), people('name')),
                (field_label(Reporter, 'phone'), people('phone')),
                ]
        return columns

    @classmethod
    def render_xlsx(cls, records):
        output = io.BytesIO()
        workbook = safe_workbook(output, {
                'in_memory': True, 'constant_memory': True,
                'default_date_format': 'yyyy-mm-dd'})
        sheet = workbook.add_worksheet(gettext('jubao_intake.msg_ledger_sheet'))
        head = workbook.add_format({
                'bold': True, 'bg_color': '#D9E1F2', 'border': 1,
                'text_wrap': True, 'valign': 'vcenter'})
        cell = workbook.add_format({'border': 1, 'valign': 'top'})
        date = workbook.add_format({
                'border': 1, 'valign': 'top', 'num_format': 'yyyy-mm-dd'})
        columns = cls.columns(records)
        title = gettext('jubao_intake.msg_ledger_title')
        sheet.merge_range(0, 0, 0, len(columns) - 1, title, workbook.add_format(
                {'bold': True, 'font_size': 16, 'align': 'center'}))
        for col, (header, _) in enumerate(columns):
            sheet.write(1, col, header, head)
        for row, record in enumerate(records, start=2):
            for col, (_, getter) in enumerate(columns):
                value = getter(record)
                if hasattr(value, 'isoformat'):
                    sheet.write_datetime(row, col,
                        dt.datetime.combine(
                            value, dt.time()), date)
                else:
                    sheet.write(row, col, value, cell)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, len(columns) - 1, 14)
        sheet.freeze_panes(2, 1)
        sheet.autofilter(1, 0, max(1, len(records) + 1), len(columns) - 1)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(1)
        workbook.close()
        return output.getvalue()
