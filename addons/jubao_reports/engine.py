"""The analysis of reports for a period and an optional office.

Every figure is computed by aggregate SQL queries (``COUNT ... FILTER``
per window: the current period, the previous period (环比) and the same
period last year (同比) together).  On PostgreSQL the dimensions of one
table are counted in a single ``GROUPING SETS`` query (three queries for
the thirteen dimensions); SQLite, which has none, runs one query per
dimension with the same counts.
The result is a plain dictionary used alike by the web client (analysis
lines), the xlsx workbook and the written draft.
"""
import datetime as dt

from sql import Grouping, Literal, Null
from sql.aggregate import Count, Max
from sql.functions import Extract, Function

from trytond import backend
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from jubao import analysis as calc
from jubao import indicators, periods
from jubao.indicators import ONLINE_CHANNELS

from .exceptions import AnalysisPeriodError

# Hand-off methods whose timeliness is measured, with their label message
# and the column telling when the step was done: 径送 is due to be sent up,
# 转送/交办 are due to be registered (accepted) by the receiving unit.
HANDOFF_METHODS = [
    ('direct', 'jubao_reports.msg_timeliness_direct', 'date'),
    ('forward', 'jubao_reports.msg_timeliness_forward', 'accepted_date'),
    ('assign', 'jubao_reports.msg_timeliness_assign', 'accepted_date'),
    ]
KEY_MATTERS = 5
# States of reports that are not this commission's to conclude: not
# accepted, removed, or handed out for good (径送/转送)
CLOSED_WITHOUT_HANDLING = ['draft', 'not_accepted', 'removed', 'transferred']



class _GroupingOf(Function):
    "GROUPING(column): 0 in the rows of the grouping set of the column."
    __slots__ = ()
    _function = 'GROUPING'


# key, message id of the title, source, field name
DIMENSIONS = [
    ('channel', 'msg_dim_channel', 'case', 'channel'),
    ('kind', 'msg_dim_kind', 'case', 'kind'),
    ('scope', 'msg_dim_scope', 'case', 'scope'),
    ('category', 'msg_dim_category', 'category', None),
    ('authority', 'msg_dim_authority', 'subject', 'authority'),
    ('rank', 'msg_dim_rank', 'subject', 'rank'),
    ('sector', 'msg_dim_sector', 'subject', 'sector'),
    ('unit', 'msg_dim_unit', 'subject', 'unit'),
    ('street', 'msg_dim_street', 'case', 'street'),
    ('handling_office', 'msg_dim_office', 'case', 'handling_office'),
    ('state', 'msg_dim_state', 'case', 'state'),
    ('disposition', 'msg_dim_disposition', 'case', 'disposition'),
    ('truth', 'msg_dim_truth', 'case', 'truth'),
    ]

# The SQL condition on a jubao.case table of each share of
# jubao.indicators.CASE_SHARES: the analysis counts with these and drills
# down with the domains (a module test proves both select the same reports).
SHARE_CONDITIONS = {
    'real_name': lambda case: case.real_name == Literal(True),
    'online': lambda case: case.channel.in_(ONLINE_CHANNELS),
    'out_of_scope': lambda case: case.scope == 'out_of_scope',
    }


class Analysis:
    "Compute the figures of one period; ``compute()`` returns a dict."

    def __init__(self, date_from, date_to, office=None,
            key_person_threshold=3, today=None):
        try:
            periods.validate(date_from, date_to)
        except periods.PeriodError as exception:
            raise AnalysisPeriodError(gettext(
                    'jubao_reports.msg_period_%s' % exception.code))
        pool = Pool()
        self.Case = pool.get('jubao.case')
        self.Subject = pool.get('jubao.case.subject')
        self.date_from, self.date_to = date_from, date_to
        self.office = office
        self.threshold = key_person_threshold
        self.today = today or dt.date.today()
        self.case = self.Case.__table__()
        self.windows = {
            'current': (date_from, date_to),
            'previous': periods.previous_period(date_from, date_to),
            'last_year': periods.same_period_last_year(date_from, date_to),
            }

    # -- SQL building blocks -------------------------------------------------
    def _in_window(self, name):
        start, end = self.windows[name]
        received = self.case.received_date
        return (received >= start) & (received <= end)

    def _base_where(self, windows=('current', 'previous', 'last_year')):
        case = self.case
        where = (case.state != 'draft')
        if self.office:
            where &= (case.handling_office == self.office.id)
        cond = None
        for name in windows:
            part = self._in_window(name)
            cond = part if cond is None else (cond | part)
        return where & cond

    def _window_counts(self, column, extra=None):
        "COUNT(DISTINCT column) FILTER per window, in window order."
        result = []
        for name in ('current', 'previous', 'last_year'):
            cond = self._in_window(name)
            if extra is not None:
                cond &= extra
            result.append(Count(column, distinct=True, filter_=cond))
        return result

    def _execute(self, query):
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        return cursor.fetchall()

    # -- labels ---------------------------------------------------------------
    def _labeler(self, Model, field_name):
        field = Model._fields[field_name]
        if field._type in ('selection', 'multiselection'):
            selection = dict(Model.fields_get([field_name])[field_name][
                    'selection'])
            return lambda keys: {k: selection.get(k, k or '') for k in keys}
        if field._type == 'many2one':
            Target = field.get_target()
            return lambda keys: self._names(Target, keys)
        if field._type == 'boolean':
            yes, no = gettext('jubao_reports.msg_yes'), gettext(
                'jubao_reports.msg_no')
            return lambda keys: {k: yes if k else no for k in keys}
        return lambda keys: {k: str(k) if k is not None else '' for k in keys}

    @staticmethod
    def _names(Target, keys):
        ids = [k for k in keys if k is not None]
        names = {}
        with without_check_access():
            for record in Target.browse(ids):
                names[record.id] = record.rec_name
        return names

    def _domain_base(self):
        domain = [('state', '!=', 'draft'),
            ('received_date', '>=', self.date_from),
            ('received_date', '<=', self.date_to)]
        if self.office:
            domain.append(('handling_office', '=', self.office.id))
        return domain

    # -- figures ----------------------------------------------------------------
    def totals(self):
        case = self.case
        counts = self._execute(case.select(
                *self._window_counts(case.id), where=self._base_where()))[0]
        return dict(zip(('current', 'previous', 'last_year'), counts))

    def _rows(self, raw, labels, totals, domain_of):
        rows = []
        for key, current, previous, last_year in raw:
            if not (current or previous or last_year):
                continue
            label = labels.get(key) or gettext('jubao_reports.msg_unfilled')
            rows.append({
                    'key': key,
                    'label': label,
                    'count': current,
                    'share': indicators.percent(current, totals['current']),
                    'previous': previous,
                    'mom': indicators.relative_change(current, previous),
                    'last_year': last_year,
                    'yoy': indicators.relative_change(current, last_year),
                    'domain': domain_of(key),
                    })
        rows.sort(key=lambda r: (-r['count'], -r['last_year'], r['label']))
        return rows

    def _dimension_spec(self, source, field_name):
        """(from clause, grouped column, labeller, domain of a value) of a
        dimension."""
        pool = Pool()
        case = self.case
        if source == 'case':
            return (case, getattr(case, field_name),
                self._labeler(self.Case, field_name),
                lambda value: [(field_name, '=', value)])
        if source == 'subject':
            subject = self._subject
            return (case.join(subject, condition=subject.case == case.id),
                getattr(subject, field_name),
                self._labeler(self.Subject, field_name),
                lambda value: [('subjects.%s' % field_name, '=', value)])
        field = self.Case.categories
        relation = pool.get(field.relation_name).__table__()
        Category = field.get_target()
        return (case.join(relation,
                condition=getattr(relation, field.origin) == case.id),
            getattr(relation, field.target),
            lambda keys: self._names(Category, keys),
            lambda value: [('categories', '=', value)])

    @property
    def _subject(self):
        # One alias shared by the subject dimensions so that they can be
        # grouped in the same query
        if not hasattr(self, '_subject_table'):
            self._subject_table = self.Subject.__table__()
        return self._subject_table

    def dimension_counts(self, key, source, field_name):
        "[(value, current, previous, last_year)] of one dimension alone."
        from_, column, _, _ = self._dimension_spec(source, field_name)
        return self._execute(from_.select(column,
                *self._window_counts(self.case.id),
                where=self._base_where(), group_by=[column]))

    def grouped_dimension_counts(self, dimensions):
        """{key: rows as dimension_counts} of ``dimensions``, one query
        per source table (GROUPING SETS) instead of one per dimension."""
        by_source = {}
        for key, _, source, field_name in dimensions:
            by_source.setdefault(source, []).append((key, field_name))
        result = {}
        for source, members in by_source.items():
            specs = [self._dimension_spec(source, f) for _, f in members]
            if len(specs) == 1:
                result[members[0][0]] = self.dimension_counts(
                    members[0][0], source, members[0][1])
                continue
            from_ = specs[0][0]
            columns = [spec[1] for spec in specs]
            for key, _ in members:
                result[key] = []
            raw = self._execute(from_.select(*columns,
                    *[_GroupingOf(c) for c in columns],
                    *self._window_counts(self.case.id),
                    where=self._base_where(),
                    group_by=[Grouping(*[(c,) for c in columns])]))
            size = len(columns)
            for row in raw:
                flags = row[size:2 * size]
                # The grouping set of a row is the one column not rolled up
                index = list(flags).index(0)
                result[members[index][0]].append(
                    (row[index],) + tuple(row[2 * size:]))
        return result

    def _all_dimension_counts(self):
        if backend.name == 'postgresql':
            return self.grouped_dimension_counts(DIMENSIONS)
        # SQLite has no GROUPING SETS
        return {key: self.dimension_counts(key, source, field_name)
            for key, _, source, field_name in DIMENSIONS}

    def dimension(self, key, source, field_name, totals, raw=None):
        if raw is None:
            raw = self.dimension_counts(key, source, field_name)
        _, _, labels_of, domain_of = self._dimension_spec(source, field_name)
        labels = labels_of([r[0] for r in raw])
        base = self._domain_base()
        return self._rows(raw, labels, totals,
            lambda value: base + domain_of(value))

    def indicators(self, totals):
        case = self.case
        specs = [(key, 'msg_ind_%s' % key, SHARE_CONDITIONS[key](case),
                indicators.share_domain(key))
            for key in SHARE_CONDITIONS]
        specs.append(('repeat', 'msg_ind_repeat', case.repeat_of != Null,
                [('repeat_of', '!=', None)]))
        columns = []
        for _, _, cond, _ in specs:
            columns.extend(self._window_counts(case.id, cond))
        values = self._execute(case.select(*columns,
                where=self._base_where()))[0]
        result = []
        base = self._domain_base()
        for i, (key, message, _, domain) in enumerate(specs):
            current, previous, last_year = values[3 * i:3 * i + 3]
            share = indicators.percent(current, totals['current'])
            previous_share = indicators.percent(previous, totals['previous'])
            last_year_share = indicators.percent(
                last_year, totals['last_year'])
            result.append({
                    'key': key,
                    'label': gettext('jubao_reports.%s' % message),
                    'count': current,
                    'share': share,
                    'previous': previous,
                    'previous_share': previous_share,
                    'last_year': last_year,
                    'last_year_share': last_year_share,
                    'share_change_yoy': indicators.point_change(
                        share, last_year_share),
                    'domain': base + domain,
                    })
        return result

    def trend(self):
        "Reports per month of the period and of the same months last year."
        case = self.case
        year = Extract('YEAR', case.received_date)
        month = Extract('MONTH', case.received_date)
        raw = self._execute(case.select(year, month, Count(case.id),
                where=self._base_where(('current', 'last_year')),
                group_by=[year, month]))
        counts = {(int(y), int(m)): c for y, m, c in raw}
        rows = []
        # Months partly outside a custom period are clipped by the WHERE
        # clause, so the monthly counts add up to the period total.
        for y, m in periods.months(*self.windows['current']):
            rows.append({
                    'year': y, 'month': m,
                    'label': f'{y}年{m}月',
                    'count': counts.get((y, m), 0),
                    'last_year': counts.get((y - 1, m), 0),
                    })
        return rows

    def key_persons(self):
        "Reported persons named in ``threshold`` or more reports."
        case = self.case
        subject = self.Subject.__table__()
        number = Count(case.id, distinct=True)
        where = self._base_where(('current',))
        where &= (subject.name != Null) & (subject.name != '')
        raw = self._execute(case.join(subject,
                condition=subject.case == case.id).select(
                subject.name, subject.unit, Max(subject.position), number,
                where=where, group_by=[subject.name, subject.unit],
                having=number >= self.threshold,
                order_by=[number.desc, subject.name, subject.unit]))
        base = self._domain_base()
        return [{
                'name': name,
                'unit': unit_name or '',
                'position': position or '',
                'count': count,
                'domain': base + [('subjects.name', '=', name)]
                + ([('subjects.unit', '=', unit_name)] if unit_name else []),
                } for name, unit_name, position, count in raw]

    def timeliness(self):
        "Share of statutory deadlines falling due in the period met in time."
        pool = Pool()
        case = self.case
        today = self.today
        date_from, date_to = self.windows['current']
        result = []
        office_cond = Literal(True)
        if self.office:
            office_cond = case.handling_office == self.office.id

        def measure(key, label, table, due, done, extra, domain):
            due_cond = ((due >= date_from) & (due <= date_to) & extra)
            # Count an item once it is done or its deadline has passed
            measurable = due_cond & ((done != Null) | (due < today))
            on_time = measurable & (done != Null) & (done <= due)
            total, met = self._execute(table.select(
                    Count(Literal(1), filter_=measurable),
                    Count(Literal(1), filter_=on_time),
                    where=due_cond))[0]
            result.append({
                    'key': key,
                    'label': label,
                    'total': total,
                    'on_time': met,
                    'late': total - met,
                    'share': indicators.percent(met, total),
                    'domain': domain,
                    })

        live = case.state != 'draft'
        # The report's deadlines as declared (jubao_intake.deadline): each
        # one recording when it was met is measured
        for deadline in pool.get('jubao.case').deadlines():
            if not deadline.done:
                continue
            due_name, key = deadline.due, deadline.name
            domain = [(due_name, '>=', date_from), (due_name, '<=', date_to)]
            if self.office:
                domain.append(('handling_office', '=', self.office.id))
            measure(key, gettext('jubao_reports.msg_timeliness_%s' % key),
                case, getattr(case, due_name), getattr(case, deadline.done),
                live & office_cond, domain)

        Assignment = pool.get('jubao.case.assignment')
        assignment = Assignment.__table__()
        handoffs = assignment.join(case,
            condition=assignment.case == case.id)
        for method, message, done_name in HANDOFF_METHODS:
            extra = ((assignment.method == method) & live
                & (assignment.state != 'cancelled'))
            domain = [('assignments.method', '=', method),
                ('assignments.state', '!=', 'cancelled'),
                ('assignments.due_date', '>=', date_from),
                ('assignments.due_date', '<=', date_to)]
            if self.office:
                extra &= ((case.handling_office == self.office.id)
                    | (assignment.from_office == self.office.id)
                    | (assignment.to_office == self.office.id))
            measure(method, gettext(message), handoffs,
                assignment.due_date, getattr(assignment, done_name), extra,
                domain)
        return result

    def backlog(self):
        "年度清零: reports of the year up to the period end not concluded."
        case = self.case
        year_start = dt.date(self.date_to.year, 1, 1)
        where = ((case.received_date >= year_start)
            & (case.received_date <= self.date_to))
        where &= ~case.state.in_(CLOSED_WITHOUT_HANDLING)
        if self.office:
            where &= case.handling_office == self.office.id
        concluded = (case.concluded_date != Null) & (
            case.concluded_date <= self.date_to)
        total, done = self._execute(case.select(
                Count(case.id), Count(case.id, filter_=concluded),
                where=where))[0]
        domain = [
            ('received_date', '>=', year_start),
            ('received_date', '<=', self.date_to),
            ('state', 'not in', CLOSED_WITHOUT_HANDLING),
            ('concluded_date', '=', None),
            ]
        if self.office:
            domain.append(('handling_office', '=', self.office.id))
        return {
            'year': self.date_to.year,
            'total': total,
            'concluded': done,
            'open': total - done,
            'share': indicators.percent(done, total),
            'domain': domain,
            }

    @staticmethod
    def steps():
        "Number of progress steps of compute() and write_analysis()."
        return 2 * len(DIMENSIONS) + 6

    def compute(self, progress=None):
        "All figures of the analysis; ``progress(step)`` is called per step."
        def step(name):
            if progress:
                progress(name)

        totals = self.totals()
        step('totals')
        counts = self._all_dimension_counts()
        dimensions = []
        for key, message, source, field_name in DIMENSIONS:
            dimensions.append({
                    'key': key,
                    'title': gettext('jubao_reports.%s' % message),
                    'rows': self.dimension(key, source, field_name, totals,
                        raw=counts[key]),
                    })
            step(key)
        by_key = {d['key']: d for d in dimensions}
        trend = self.trend()
        step('trend')
        timeliness = self.timeliness()
        step('timeliness')
        backlog = self.backlog()
        key_persons = self.key_persons()
        step('key_persons')
        windows = self.windows
        figures = {
            'period': {
                'date_from': self.date_from,
                'date_to': self.date_to,
                'name': periods.official_name(self.date_from, self.date_to),
                'kind': periods.kind(self.date_from, self.date_to),
                },
            'previous_period': {
                'date_from': windows['previous'][0],
                'date_to': windows['previous'][1],
                'name': periods.official_name(*windows['previous']),
                },
            'last_year_period': {
                'date_from': windows['last_year'][0],
                'date_to': windows['last_year'][1],
                'name': periods.official_name(*windows['last_year']),
                },
            'office': self.office.rec_name if self.office else None,
            'scope_name': (self.office.rec_name if self.office
                else gettext('jubao_reports.msg_district')),
            'total': totals['current'],
            'previous_total': totals['previous'],
            'last_year_total': totals['last_year'],
            'mom': indicators.relative_change(
                totals['current'], totals['previous']),
            'yoy': indicators.relative_change(
                totals['current'], totals['last_year']),
            'total_domain': self._domain_base(),
            'indicators': self.indicators(totals),
            'dimensions': dimensions,
            'trend': trend,
            'timeliness': timeliness,
            'backlog': backlog,
            'key_persons': key_persons,
            'key_person_threshold': self.threshold,
            'key_matters': calc.top(
                by_key['category']['rows'], KEY_MATTERS),
            'key_sectors': calc.top(
                [r for r in by_key['sector']['rows']
                    if r['key'] not in (None, '')], KEY_MATTERS),
            }
        return figures
