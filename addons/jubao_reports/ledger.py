"""Ledgers (台账), streamed from the database: one per key work category
for a period (the export wizard, the command line) and one of the reports
chosen in the report list.

Rows are read with one SQL query in batches (a server-side cursor on
PostgreSQL, ``fetchmany`` on SQLite); reported
persons, categories and (for entitled users only, through the identity
gate that logs the access) reporters are fetched per batch, so memory stays
flat whatever the period.  Rows are limited to the reports the user may read
(record rules: offices, recusal).
"""
import datetime as dt
import itertools
import os
import tempfile
from collections import defaultdict

from sql import Null
from sql.aggregate import Count
from sql.functions import Function

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.jubao_intake.reporter import (
    readable_cases_query, reporter_identity)
from trytond.pool import Pool
from trytond.report import Report
from trytond.tools import reduce_ids
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateReport, StateTransition, StateView, Wizard)

from jubao import periods
from jubao.filenames import (
    date_label, date_range_label, file_name, period_label)

from trytond.modules.jubao_routing.report import DownloadNameMixin

from .analysis import AnalysisMixin, check_office
from .configuration import configured_threshold
from .engine import CLOSED_WITHOUT_HANDLING
from .exceptions import LedgerError
from .xlsx import LedgerWriter

BATCH = 2000
# Above this many rows the export wizard writes the ledger in the background
# (about five seconds of writing): the request would be held too long
BACKGROUND_ROWS = 20000
# Names of the server-side cursors, unique within the process
_CURSORS = itertools.count()
LEDGER_KINDS = [
    ('register', "Register of All Reports"),
    ('real_name', "Real-Name Reports"),
    ('repeat', "Repeat Reports"),
    ('out_of_scope', "Out-of-Scope Reports"),
    ('key_person', "Reports on Key Persons"),
    ('handoff', "Referrals, Forwards and Assignments"),
    ('feedback', "Acceptance Notices and Feedback"),
    ('backlog', "Open Reports of the Year"),
    ]
TITLES = {
    'register': '信访举报受理登记台账',
    'real_name': '实名举报台账',
    'repeat': '重复举报台账',
    'out_of_scope': '业务范围外信访举报台账',
    'key_person': '重点人员信访举报台账',
    'handoff': '径送、转送、交办台账',
    'feedback': '实名举报受理告知及反馈台账',
    'backlog': '年度未办结问题线索台账',
    }
# The ledger of the reports chosen in the list (SelectionLedger)
SELECTION_TITLE = '信访举报件台账'
HANDOFF_METHODS = {'direct': '径送', 'forward': '转送', 'assign': '交办'}


class _Any(Function):
    "ANY(array): one array parameter instead of thousands of IN values."
    __slots__ = ()
    _function = 'ANY'


def _in(column, ids):
    """``column IN ids``: ``= ANY(%s)`` on PostgreSQL (planned once, a
    fraction of the time of 2000 parameters)."""
    if backend.name == 'postgresql':
        return column == _Any(list(ids))
    return column.in_(list(ids))


def _batch_cursor():
    """A cursor that holds one batch of rows at a time.

    psycopg's ordinary cursor receives the whole result at ``execute``,
    hence a named (server-side) cursor on PostgreSQL; SQLite steps through
    the result as ``fetchmany`` asks for rows."""
    connection = Transaction().connection
    if backend.name == 'postgresql':
        cursor = connection.cursor(name='jubao_ledger_%s' % next(_CURSORS))
        cursor.itersize = BATCH
        return cursor
    return connection.cursor()


class Ledger:
    "Iterate the rows of one ledger; ``columns`` gives the headings."
    # Keywords are the clerk's search aids, not a column of the official
    # ledgers: only the ledger of chosen reports lists them
    with_keywords = False

    def __init__(self, kind, date_from, date_to, office=None,
            with_reporters=False, key_person_threshold=3):
        if kind not in TITLES:
            raise LedgerError(gettext('jubao_reports.msg_ledger_kind'))
        pool = Pool()
        self.Case = pool.get('jubao.case')
        self.Subject = pool.get('jubao.case.subject')
        self.kind = kind
        self.date_from, self.date_to = date_from, date_to
        self.office = office
        self.with_reporters = with_reporters
        self.threshold = key_person_threshold
        self._labels = {}
        for name in ['channel', 'kind', 'scope', 'state', 'disposition',
                'truth']:
            self._labels[name] = dict(
                self.Case.fields_get([name])[name]['selection'])
        for name in ['authority', 'rank', 'sector']:
            self._labels['subject_' + name] = dict(
                self.Subject.fields_get([name])[name]['selection'])

    @property
    def title(self):
        return TITLES[self.kind]

    @property
    def subtitle(self):
        name = periods.official_name(self.date_from, self.date_to)
        scope = (self.office.rec_name if self.office
            else gettext('jubao_reports.msg_district'))
        return (f'{scope}  {name}'
            f'（{date_range_label(self.date_from, self.date_to)}）')

    def columns(self):
        "(heading, kind, width) triples."
        columns = [('序号', 'int', 6), ('编号', 'text', 18),
            ('收件日期', 'date', 11), ('来源渠道', 'text', 10),
            ('类别', 'text', 10), ('业务范围', 'text', 10),
            ('实名', 'text', 6)]
        if self.with_reporters:
            columns += [('反映人', 'text', 12), ('联系电话', 'text', 14)]
        columns += [('被反映人', 'text', 14), ('单位', 'text', 20),
            ('职务', 'text', 14), ('职级', 'text', 10),
            ('管理权限', 'text', 12), ('行业领域', 'text', 12),
            ('问题类别', 'text', 18), ('内容摘要', 'text', 40)]
        if self.with_keywords:
            columns += [('关键词', 'text', 16)]
        columns += [('所在街道', 'text', 12), ('承办单位', 'text', 14),
            ('原件编号', 'text', 18), ('状态', 'text', 10),
            ('处置方式', 'text', 12), ('是否属实', 'text', 10),
            ('办结日期', 'date', 11)]
        if self.kind == 'feedback':
            columns += [('告知期限', 'date', 11), ('告知日期', 'date', 11),
                ('反馈期限', 'date', 11), ('反馈日期', 'date', 11)]
        if self.kind == 'handoff':
            columns += [('方式', 'text', 8), ('移出单位', 'text', 14),
                ('接收单位', 'text', 14), ('移交日期', 'date', 11),
                ('期限', 'date', 11), ('签收日期', 'date', 11),
                ('是否按期', 'text', 8)]
        return columns

    # -- query --------------------------------------------------------------
    def _where(self, case):
        "The reports of the period and office of the ledger."
        where = case.state != 'draft'
        if self.office:
            where &= case.handling_office == self.office.id
        if self.kind == 'backlog':
            where &= case.received_date >= dt.date(self.date_to.year, 1, 1)
            where &= case.received_date <= self.date_to
            where &= ~case.state.in_(CLOSED_WITHOUT_HANDLING)
            where &= (case.concluded_date == Null) | (
                case.concluded_date > self.date_to)
        else:
            where &= (case.received_date >= self.date_from) & (
                case.received_date <= self.date_to)
        return where

    def _query(self, count=False):
        pool = Pool()
        case = self.Case.__table__()
        from_ = case
        where = self._where(case)
        columns = [case.id, case.number, case.received_date, case.channel,
            case.kind, case.scope, case.real_name, case.summary,
            case.street, case.handling_office, case.repeat_of, case.state,
            case.keywords, case.disposition, case.truth, case.concluded_date,
            case.acceptance_notice_due, case.acceptance_notice_date,
            case.feedback_due, case.feedback_date]
        if self.kind == 'real_name':
            where &= case.real_name == True  # noqa: E712
        elif self.kind == 'repeat':
            where &= case.repeat_of != Null
        elif self.kind == 'out_of_scope':
            where &= case.scope == 'out_of_scope'
        elif self.kind == 'feedback':
            where &= (case.acceptance_notice_due != Null) | (
                case.feedback_due != Null)
        elif self.kind == 'key_person':
            subject = self.Subject.__table__()
            inner = self.Case.__table__()
            number = Count(inner.id, distinct=True)
            inner_where = (inner.state != 'draft') & (
                inner.received_date >= self.date_from) & (
                inner.received_date <= self.date_to)
            if self.office:
                inner_where &= inner.handling_office == self.office.id
            key_names = inner.join(subject,
                condition=subject.case == inner.id).select(subject.name,
                where=inner_where, group_by=[subject.name],
                having=number >= self.threshold)
            subject2 = self.Subject.__table__()
            where &= case.id.in_(subject2.select(subject2.case,
                    where=subject2.name.in_(key_names)))
        elif self.kind == 'handoff':
            Assignment = pool.get('jubao.case.assignment')
            assignment = Assignment.__table__()
            from_ = case.join(assignment,
                condition=assignment.case == case.id)
            where = (assignment.method.in_(['direct', 'forward', 'assign'])
                & (assignment.state != 'cancelled')
                & (case.state != 'draft')
                & (assignment.date >= self.date_from)
                & (assignment.date <= self.date_to))
            if self.office:
                where &= ((case.handling_office == self.office.id)
                    | (assignment.from_office == self.office.id)
                    | (assignment.to_office == self.office.id))
            columns += [assignment.method, assignment.from_office,
                assignment.to_office, assignment.date, assignment.due_date,
                assignment.accepted_date]
        # Rows only of the reports the user may read (recusal, offices);
        # the key-person threshold above still counts every report.
        readable = readable_cases_query()
        if readable is not None:
            where &= case.id.in_(readable)
        if count:
            return from_.select(Count(case.id), where=where)
        return from_.select(*columns, where=where,
            order_by=[case.received_date.asc, case.id.asc])

    def count(self):
        cursor = Transaction().connection.cursor()
        cursor.execute(*self._query(count=True))
        return cursor.fetchone()[0]

    def rows(self):
        "Yield the ledger rows in order, batch by batch."
        cursor = _batch_cursor()
        try:
            cursor.execute(*self._query())
            number = 0
            while True:
                batch = cursor.fetchmany(BATCH)
                if not batch:
                    break
                for values in self._format(batch):
                    number += 1
                    yield [number] + values
        finally:
            cursor.close()

    # -- per-batch lookups --------------------------------------------------
    def _subjects(self, ids):
        """{report id: [names, units, positions, ranks, authorities,
        sectors]} joined with 、 (the reported persons in their order)."""
        subject = self.Subject.__table__()
        cursor = Transaction().connection.cursor()
        by_case = defaultdict(list)
        cursor.execute(*subject.select(subject.case, subject.name,
                subject.unit, subject.position, subject.rank,
                subject.authority, subject.sector,
                where=_in(subject.case, ids), order_by=[subject.id]))
        for case_id, *values in cursor:
            by_case[case_id].append(values)
        labels = self._labels
        ranks = labels['subject_rank']
        authorities = labels['subject_authority']
        sectors = labels['subject_sector']
        joiner = '、'.join
        result = {}
        for case_id, subs in by_case.items():
            result[case_id] = [
                joiner([s[0] for s in subs if s[0]]),
                joiner([s[1] for s in subs if s[1]]),
                joiner([s[2] for s in subs if s[2]]),
                joiner([ranks.get(s[3], '') for s in subs if s[3]]),
                joiner([authorities.get(s[4], '') for s in subs if s[4]]),
                joiner([sectors.get(s[5], '') for s in subs if s[5]]),
                ]
        return result

    def _categories(self, ids):
        pool = Pool()
        field = self.Case.categories
        relation = pool.get(field.relation_name).__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*relation.select(getattr(relation, field.origin),
                getattr(relation, field.target),
                where=_in(getattr(relation, field.origin), ids)))
        pairs = cursor.fetchall()
        Category = field.get_target()
        # Names read once per ledger, as the offices'
        names = self._labels.setdefault('category', {})
        missing = {p[1] for p in pairs} - set(names)
        if missing:
            with without_check_access():
                for category in Category.browse(list(missing)):
                    names[category.id] = category.rec_name
        result = defaultdict(list)
        for case_id, category_id in pairs:
            result[case_id].append(names.get(category_id, ''))
        return {case_id: '、'.join(values)
            for case_id, values in result.items()}

    def _reporters(self, ids):
        "Through the identity gate: checked and logged as a ledger."
        identity = reporter_identity(ids, 'ledger', ['name', 'unit', 'phone'],
            strict=False)
        return {case_id: [(r['name'] or r['unit'] or '', r['phone'] or '')
                for r in rows] for case_id, rows in identity.items()}

    def _office_names(self, ids):
        ids = {i for i in ids if i}
        if not ids:
            return {}
        Office = Pool().get('jubao.office')
        missing = ids - set(self._labels.setdefault('office', {}))
        with without_check_access():
            for office in Office.browse(list(missing)):
                self._labels['office'][office.id] = office.rec_name
        return self._labels['office']

    def _format(self, batch):
        ids = [r[0] for r in batch]
        subjects = self._subjects(ids)
        categories = self._categories(ids)
        reporters = self._reporters(ids) if self.with_reporters else {}
        office_ids = set()
        repeat_ids = set()
        for r in batch:
            office_ids.update([r[8], r[9]])
            repeat_ids.add(r[10])
            if self.kind == 'handoff':
                office_ids.update([r[-5], r[-4]])
        offices = self._office_names(office_ids)
        repeat_numbers = {}
        repeat_ids.discard(None)
        if repeat_ids:
            case = self.Case.__table__()
            cursor = Transaction().connection.cursor()
            where = _in(case.id, repeat_ids)
            readable = readable_cases_query()
            if readable is not None:
                where &= case.id.in_(readable)
            cursor.execute(*case.select(case.id, case.number, where=where))
            repeat_numbers = dict(cursor)
        labels = self._labels
        joiner = '、'.join
        no_subject = [''] * 6
        for r in batch:
            (case_id, number, received, channel, kind, scope, real_name,
                summary, street, handling_office, repeat_of, state,
                keywords, disposition, truth, concluded, notice_due,
                notice_date, feedback_due, feedback_date) = r[:20]
            row = [number or '', received,
                labels['channel'].get(channel, ''),
                labels['kind'].get(kind, ''),
                labels['scope'].get(scope, ''),
                '是' if real_name else '否']
            if self.with_reporters:
                people = reporters.get(case_id, [])
                row += [joiner(p[0] for p in people if p[0]),
                    joiner(p[1] for p in people if p[1])]
            row += subjects.get(case_id, no_subject)
            row += [categories.get(case_id, ''), summary or '']
            if self.with_keywords:
                row.append(keywords or '')
            row += [offices.get(street, ''),
                offices.get(handling_office, ''),
                repeat_numbers.get(repeat_of, ''),
                labels['state'].get(state, state or ''),
                labels['disposition'].get(disposition, ''),
                labels['truth'].get(truth, ''), concluded]
            if self.kind == 'feedback':
                row += [notice_due, notice_date, feedback_due,
                    feedback_date]
            if self.kind == 'handoff':
                method, from_office, to_office, date, due, accepted = r[-6:]
                done = date if method == 'direct' else accepted
                row += [HANDOFF_METHODS.get(method, method),
                    offices.get(from_office, ''), offices.get(to_office, ''),
                    date, due, accepted,
                    '' if not due or not done else (
                        '是' if done <= due else '否')]
            yield row


class SelectionLedger(Ledger):
    "The register ledger of the reports chosen in the list, of any period."
    with_keywords = True

    def __init__(self, case_ids, with_reporters=False):
        super().__init__('register', None, None,
            with_reporters=with_reporters)
        self.case_ids = sorted({int(i) for i in case_ids})

    @property
    def title(self):
        return SELECTION_TITLE

    @property
    def subtitle(self):
        return f'所选信访举报共{len(self.case_ids)}件'

    def _where(self, case):
        # Drafts too: the user chose them
        return reduce_ids(case.id, self.case_ids)


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


def ledger_xlsx(ledger):
    "The xlsx bytes of ``ledger``, streamed through a temporary file."
    # A file keeps memory constant while the rows are written
    fd, path = tempfile.mkstemp(suffix='.xlsx')
    os.close(fd)
    try:
        write_ledger(ledger, path)
        with open(path, 'rb') as file:
            return file.read()
    finally:
        os.unlink(path)


def ledger_file_name(kind, date_from, date_to, office=None,
        extension=None):
    """信访举报受理登记台账_2026年第三季度 (the office too when chosen)."""
    if kind not in TITLES:
        raise LedgerError(gettext('jubao_reports.msg_ledger_kind'))
    return file_name(TITLES[kind], office.rec_name if office else None,
        period_label(date_from, date_to), extension=extension)


class LedgerWorkbook(DownloadNameMixin, Report):
    "Ledger of a period (xlsx)"
    __name__ = 'jubao.analysis.ledger.xlsx'

    @classmethod
    def download_name(cls, records, data):
        Office = Pool().get('jubao.office')
        office = Office(data['office']) if data.get('office') else None
        return ledger_file_name(data.get('kind'), data['date_from'],
            data['date_to'], office)

    @classmethod
    def _execute(cls, records, header, data, action):
        pool = Pool()
        Office = pool.get('jubao.office')
        User = pool.get('res.user')
        office = Office(data['office']) if data.get('office') else None
        check_office(office)
        return 'xlsx', ledger_xlsx(Ledger(data.get('kind'), data['date_from'],
                data['date_to'], office,
                with_reporters=User.jubao_reads_reporters(),
                key_person_threshold=configured_threshold()))


class CaseLedger(DownloadNameMixin, Report):
    "Ledger of the reports chosen in the report list (xlsx)"
    __name__ = 'jubao.case.ledger'

    @classmethod
    def download_name(cls, records, data):
        "信访举报件台账_2026年7月3日 (the day of the export)."
        return file_name(SELECTION_TITLE,
            date_label(Pool().get('ir.date').today()))

    @classmethod
    def _execute(cls, records, header, data, action):
        User = Pool().get('res.user')
        return 'xlsx', ledger_xlsx(SelectionLedger([r.id for r in records],
                with_reporters=User.jubao_reads_reporters()))


class LedgerExportStart(AnalysisMixin, ModelView):
    __name__ = 'jubao.analysis.ledger.start'
    __string__ = "Export Ledger"
    kind = fields.Selection(LEDGER_KINDS, "Ledger", required=True,
        sort=False)

    @classmethod
    def default_kind(cls):
        return 'register'


class LedgerQueued(ModelView):
    __name__ = 'jubao.analysis.ledger.queued'
    __string__ = "Ledger Queued"


class LedgerExport(Wizard):
    "Export Ledger"
    __name__ = 'jubao.analysis.ledger'
    start = StateView('jubao.analysis.ledger.start',
        'jubao_reports.ledger_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'choose', 'tryton-ok', default=True),
            ])
    choose = StateTransition()
    export = StateReport('jubao.analysis.ledger.xlsx')
    queued = StateView('jubao.analysis.ledger.queued',
        'jubao_reports.ledger_queued_view_form', [
            Button("OK", 'end', 'tryton-ok', default=True),
            ])

    def transition_choose(self):
        "Small ledgers at once, large ones in the background."
        pool = Pool()
        ExportJob = pool.get('jubao.export.job')
        start = self.start
        start.check_period()
        check_office(start.office)
        ledger = Ledger(start.kind, start.date_from, start.date_to,
            start.office)
        if ledger.count() <= BACKGROUND_ROWS:
            return 'export'
        ExportJob.enqueue(start.kind, start.date_from, start.date_to,
            start.office)
        return 'queued'

    def do_export(self, action):
        start = self.start
        start.check_period()
        check_office(start.office)
        return action, {
            'kind': start.kind,
            'date_from': start.date_from,
            'date_to': start.date_to,
            'office': start.office.id if start.office else None,
            }

    def default_start(self, fields):
        context = Transaction().context
        if (context.get('active_model') != 'jubao.analysis'
                or 'active_id' not in context):
            return {}
        analysis = Pool().get('jubao.analysis')(context['active_id'])
        return {
            'period_type': analysis.period_type,
            'year': analysis.year,
            'period_number': analysis.period_number,
            'date_from': analysis.date_from,
            'date_to': analysis.date_to,
            'office': analysis.office.id if analysis.office else None,
            }
