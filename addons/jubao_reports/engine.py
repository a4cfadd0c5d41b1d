"""The analysis of reports for a period and an optional office.

Every figure is computed by aggregate SQL queries (``COUNT ... FILTER``
per window: the current period, the previous period (环比) and the same
period last year (同比) together).  On PostgreSQL the figures come from five
set-based queries: one ``GROUPING SETS`` query on the reports gives the
totals, the eight dimensions of the report, the indicators, the monthly
trend and the year's backlog; one on the reported persons (their four
dimensions and the key persons), one on the categories and one per table
of deadlines (the report's own, the hand-offs).  SQLite, which has
no GROUPING SETS, runs one query per dimension and per figure with the
same counts (``per_part_counts``; a module test compares both paths).
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

    def _window_counts(self, column, extra=None, distinct=True):
        """COUNT(DISTINCT column) FILTER per window, in window order; a
        plain COUNT when the rows are unique (the reports table alone)."""
        result = []
        for name in ('current', 'previous', 'last_year'):
            cond = self._in_window(name)
            if extra is not None:
                cond &= extra
            result.append(Count(column, distinct=distinct, filter_=cond))
        return result

    def _execute(self, query):
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        return cursor.fetchall()

    # -- labels ---------------------------------------------------------------
    def _selection(self, Model, field_name):
        """The selection of a field; one ``fields_get`` per model for the
        fields of every dimension (translations are read once)."""
        cache = self.__dict__.setdefault('_selections', {})
        if Model.__name__ not in cache:
            names = [f for _, _, _, f in DIMENSIONS
                if f and f in Model._fields
                and Model._fields[f]._type in ('selection', 'multiselection')]
            if field_name not in names:
                names.append(field_name)
            cache[Model.__name__] = {name: dict(values['selection'])
                for name, values in Model.fields_get(names).items()}
        return cache[Model.__name__][field_name]

    def _labeler(self, Model, field_name):
        field = Model._fields[field_name]
        if field._type in ('selection', 'multiselection'):
            selection = self._selection(Model, field_name)
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

    def case_counts(self):
        """The figures counted on the reports table alone, in one query:
        {'totals', 'dimensions' (those of the report), 'indicators',
        'trend', 'backlog'} as ``per_part_counts`` gives them.

        GROUPING SETS: () for the totals, indicators and backlog, one set
        per dimension, (year, month) for the trend; each figure is a
        COUNT FILTER of its window (the report rows are unique: no
        DISTINCT).  The WHERE clause takes the three windows and the
        backlog's months; rows outside a figure's windows count zero."""
        case = self.case
        members = [(key, getattr(case, field_name))
            for key, _, source, field_name in DIMENSIONS
            if source == 'case']
        columns = [column for _, column in members]
        year, month = self._months()
        grouped = columns + [year, month]
        backlog, concluded = self._backlog_conditions()
        where = self._base_where() | backlog
        if self.office:
            where &= case.handling_office == self.office.id
        where &= case.state != 'draft'
        trend = self._in_window('current') | self._in_window('last_year')
        aggregates = (self._window_counts(case.id, distinct=False)
            + self._indicator_columns(distinct=False)
            + [Count(case.id, filter_=trend),
                Count(case.id, filter_=backlog),
                Count(case.id, filter_=backlog & concluded)])
        sets = [()] + [(c,) for c in columns] + [(year, month)]
        raw = self._execute(case.select(*grouped, _GroupingOf(*grouped),
                *aggregates, where=where, group_by=[Grouping(*sets)]))
        size = len(grouped)
        # GROUPING(...) is a bit mask, the first column the highest bit: a
        # bit is set when its column is rolled up
        full = (1 << size) - 1
        bit = {i: 1 << (size - 1 - i) for i in range(size)}
        trend_mask = full & ~bit[size - 2] & ~bit[size - 1]
        result = {'dimensions': {key: [] for key, _ in members},
            'trend': {}}
        windows = slice(size + 1, size + 4)
        for row in raw:
            mask = row[size]
            counts = tuple(row[windows])
            if mask == full:
                result['totals'] = dict(zip(
                        ('current', 'previous', 'last_year'), counts))
                result['indicators'] = tuple(row[size + 4:-3])
                result['backlog'] = tuple(row[-2:])
            elif mask == trend_mask:
                if row[-3]:
                    result['trend'][(int(row[size - 2]),
                            int(row[size - 1]))] = row[-3]
            else:
                index = [i for i in range(size - 2)
                    if not mask & bit[i]][0]
                # Values seen only in the backlog's months are not rows
                if any(counts):
                    result['dimensions'][members[index][0]].append(
                        (row[index],) + counts)
        if 'totals' not in result:  # no report at all
            result['totals'] = dict.fromkeys(
                ('current', 'previous', 'last_year'), 0)
            result['indicators'] = (0,) * len(self._indicator_columns())
            result['backlog'] = (0, 0)
        return result

    def subject_counts(self):
        """({key: rows as dimension_counts} of the reported persons'
        dimensions, key person rows as ``key_person_counts``) in one
        GROUPING SETS query: the key persons are one more grouping set,
        (name, unit), counted in the current window, so the reports and
        their reported persons are joined once."""
        case = self.case
        subject = self._subject
        keys = [key for key, _, source, _ in DIMENSIONS if source == 'subject']
        names = [f for _, _, source, f in DIMENSIONS if source == 'subject']
        # The key persons' name and unit, after the dimensions' columns
        names += [f for f in ('name', 'unit') if f not in names]
        grouped = [getattr(subject, f) for f in names]
        name_at, unit_at = names.index('name'), names.index('unit')
        name, unit = grouped[name_at], grouped[unit_at]
        current = Count(case.id, distinct=True,
            filter_=self._in_window('current'))
        position = Max(subject.position, filter_=self._in_window('current'))
        sets = [(c,) for c in grouped[:len(keys)]] + [(name, unit)]
        # Rows of the (name, unit) set are kept only over the threshold
        having = (_GroupingOf(name) == 1) | (current >= self.threshold)
        raw = self._execute(case.join(subject,
                condition=subject.case == case.id).select(
                *grouped, _GroupingOf(*grouped),
                *self._window_counts(case.id), position,
                where=self._base_where(),
                group_by=[Grouping(*sets)], having=having,
                order_by=[_GroupingOf(name), current.desc, name, unit]))
        size = len(grouped)
        # GROUPING(...) is a bit mask, the first column the highest bit: a
        # bit is set when its column is rolled up
        persons_mask = ((1 << size) - 1) & ~(1 << (size - 1 - name_at)) & ~(
            1 << (size - 1 - unit_at))
        dimensions = {key: [] for key in keys}
        persons = []
        for row in raw:
            mask = row[size]
            counts = tuple(row[size + 1:size + 4])
            if mask == persons_mask:
                if row[name_at] and counts[0] >= self.threshold:
                    persons.append((row[name_at], row[unit_at],
                            row[size + 4], counts[0]))
                continue
            index = [i for i in range(len(keys))
                if not mask & (1 << (size - 1 - i))][0]
            if any(counts):
                dimensions[keys[index]].append((row[index],) + counts)
        return dimensions, persons

    def set_based_counts(self):
        "The counts of ``per_part_counts`` by GROUPING SETS (PostgreSQL)."
        result = self.case_counts()
        dimensions, persons = self.subject_counts()
        result['dimensions'].update(dimensions)
        result['dimensions'].update(self.grouped_dimension_counts(
                [d for d in DIMENSIONS if d[2] == 'category']))
        result['key_persons'] = persons
        return result

    def per_part_counts(self):
        """{'totals', 'dimensions': {key: [(value, current, previous,
        last_year)]}, 'indicators', 'trend': {(year, month): count},
        'backlog': (total, concluded)}, one query per figure."""
        return {
            'totals': self.totals(),
            'dimensions': {key: [r for r in self.dimension_counts(
                            key, source, field_name) if any(r[1:])]
                for key, _, source, field_name in DIMENSIONS},
            'indicators': self.indicator_counts(),
            'trend': self.trend_counts(),
            'backlog': self.backlog_counts(),
            'key_persons': self.key_person_counts(),
            }

    def counts(self):
        if backend.name == 'postgresql':
            # JIT compiling these aggregates of ~10^5 rows costs more than
            # it saves (about 80 ms a query at a million reports)
            Transaction().connection.cursor().execute('SET LOCAL jit = off')
            return self.set_based_counts()
        # SQLite has no GROUPING SETS
        return self.per_part_counts()

    def dimension(self, key, source, field_name, totals, raw=None):
        if raw is None:
            raw = self.dimension_counts(key, source, field_name)
        _, _, labels_of, domain_of = self._dimension_spec(source, field_name)
        labels = labels_of([r[0] for r in raw])
        base = self._domain_base()
        return self._rows(raw, labels, totals,
            lambda value: base + domain_of(value))

    def _indicator_specs(self):
        "(key, message, SQL condition, domain) of each indicator."
        case = self.case
        specs = [(key, 'msg_ind_%s' % key, SHARE_CONDITIONS[key](case),
                indicators.share_domain(key))
            for key in SHARE_CONDITIONS]
        specs.append(('repeat', 'msg_ind_repeat', case.repeat_of != Null,
                [('repeat_of', '!=', None)]))
        return specs

    def _indicator_columns(self, distinct=True):
        columns = []
        for _, _, cond, _ in self._indicator_specs():
            columns.extend(self._window_counts(self.case.id, cond,
                    distinct=distinct))
        return columns

    def indicator_counts(self):
        "(current, previous, last_year) of each indicator, flattened."
        return tuple(self._execute(self.case.select(
                    *self._indicator_columns(), where=self._base_where()))[0])

    def indicators(self, totals, values=None):
        if values is None:
            values = self.indicator_counts()
        specs = self._indicator_specs()
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

    def _months(self):
        case = self.case
        return (Extract('YEAR', case.received_date),
            Extract('MONTH', case.received_date))

    def trend_counts(self):
        "{(year, month): reports} of the period and of last year's."
        case = self.case
        year, month = self._months()
        raw = self._execute(case.select(year, month, Count(case.id),
                where=self._base_where(('current', 'last_year')),
                group_by=[year, month]))
        return {(int(y), int(m)): c for y, m, c in raw}

    def trend(self, counts=None):
        "Reports per month of the period and of the same months last year."
        if counts is None:
            counts = self.trend_counts()
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

    def key_person_counts(self):
        """[(name, unit, position, count)] of the reported persons named
        in ``threshold`` or more reports of the period, most named first."""
        case = self.case
        subject = self.Subject.__table__()
        number = Count(case.id, distinct=True)
        where = self._base_where(('current',))
        where &= (subject.name != Null) & (subject.name != '')
        return self._execute(case.join(subject,
                condition=subject.case == case.id).select(
                subject.name, subject.unit, Max(subject.position), number,
                where=where, group_by=[subject.name, subject.unit],
                having=number >= self.threshold,
                order_by=[number.desc, subject.name, subject.unit]))

    def key_persons(self, raw=None):
        "Reported persons named in ``threshold`` or more reports."
        if raw is None:
            raw = self.key_person_counts()
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
        """Share of statutory deadlines falling due in the period met in
        time: one query for the report's deadlines, one for the hand-offs
        (a pair of COUNT FILTER per deadline)."""
        pool = Pool()
        case = self.case
        today = self.today
        date_from, date_to = self.windows['current']
        office_cond = Literal(True)
        if self.office:
            office_cond = case.handling_office == self.office.id

        def measure(table, items):
            "items: (key, label, due, done, extra, domain)"
            if not items:
                return []
            columns, where = [], None
            for _, _, due, done, extra, _ in items:
                due_cond = ((due >= date_from) & (due <= date_to) & extra)
                # Count an item once it is done or its deadline has passed
                measurable = due_cond & ((done != Null) | (due < today))
                on_time = measurable & (done != Null) & (done <= due)
                columns += [Count(Literal(1), filter_=measurable),
                    Count(Literal(1), filter_=on_time)]
                where = due_cond if where is None else (where | due_cond)
            values = self._execute(table.select(*columns, where=where))[0]
            result = []
            for i, (key, label, _, _, _, domain) in enumerate(items):
                total, met = values[2 * i:2 * i + 2]
                result.append({
                        'key': key,
                        'label': label,
                        'total': total,
                        'on_time': met,
                        'late': total - met,
                        'share': indicators.percent(met, total),
                        'domain': domain,
                        })
            return result

        live = case.state != 'draft'
        # The report's deadlines as declared (jubao_intake.deadline): each
        # one recording when it was met is measured
        items = []
        for deadline in pool.get('jubao.case').deadlines():
            if not deadline.done:
                continue
            due_name, key = deadline.due, deadline.name
            domain = [(due_name, '>=', date_from), (due_name, '<=', date_to)]
            if self.office:
                domain.append(('handling_office', '=', self.office.id))
            items.append((key,
                    gettext('jubao_reports.msg_timeliness_%s' % key),
                    getattr(case, due_name), getattr(case, deadline.done),
                    live & office_cond, domain))
        result = measure(case, items)

        Assignment = pool.get('jubao.case.assignment')
        assignment = Assignment.__table__()
        handoffs = assignment.join(case,
            condition=assignment.case == case.id)
        items = []
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
            items.append((method, gettext(message), assignment.due_date,
                    getattr(assignment, done_name), extra, domain))
        result += measure(handoffs, items)
        return result

    def _backlog_conditions(self):
        """(reports of the backlog without the office, those concluded by
        the period end)."""
        case = self.case
        year_start = dt.date(self.date_to.year, 1, 1)
        where = ((case.received_date >= year_start)
            & (case.received_date <= self.date_to))
        where &= ~case.state.in_(CLOSED_WITHOUT_HANDLING)
        concluded = (case.concluded_date != Null) & (
            case.concluded_date <= self.date_to)
        return where, concluded

    def backlog_counts(self):
        "(reports of the backlog, those concluded)"
        case = self.case
        where, concluded = self._backlog_conditions()
        if self.office:
            where &= case.handling_office == self.office.id
        return tuple(self._execute(case.select(
                    Count(case.id), Count(case.id, filter_=concluded),
                    where=where))[0])

    def backlog(self, counts=None):
        "年度清零: reports of the year up to the period end not concluded."
        if counts is None:
            counts = self.backlog_counts()
        total, done = counts
        year_start = dt.date(self.date_to.year, 1, 1)
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

        counts = self.counts()
        totals = counts['totals']
        step('totals')
        dimensions = []
        for key, message, source, field_name in DIMENSIONS:
            dimensions.append({
                    'key': key,
                    'title': gettext('jubao_reports.%s' % message),
                    'rows': self.dimension(key, source, field_name, totals,
                        raw=counts['dimensions'][key]),
                    })
            step(key)
        by_key = {d['key']: d for d in dimensions}
        trend = self.trend(counts['trend'])
        step('trend')
        timeliness = self.timeliness()
        step('timeliness')
        backlog = self.backlog(counts['backlog'])
        key_persons = self.key_persons(counts['key_persons'])
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
            'indicators': self.indicators(totals, counts['indicators']),
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
