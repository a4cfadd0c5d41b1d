"""Saved analyses of a period and an office, their figures (analysis
lines) and their exports: the xlsx workbook and the ODT draft."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, PYSONDecoder, PYSONEncoder
from trytond.report import Report
from trytond.transaction import Transaction

from jubao import analysis as calc
from jubao import periods
from jubao.filenames import file_name

from trytond.modules.jubao_routing.report import DownloadNameMixin

from . import draft
from .configuration import configured_threshold
from .engine import Analysis as Engine
from .exceptions import AnalysisPeriodError, OfficeAccessError
from .xlsx import write_analysis

# Fields whose change recomputes the figures of a saved analysis
RECOMPUTED_BY = {'date_from', 'date_to', 'office', 'key_person_threshold'}
PERIOD_FIELDS = {'period_type', 'year', 'period_number', 'date_from',
    'date_to'}
PERIOD_TYPES = [
    ('quarter', "Quarter"),
    ('half', "Half-Year"),
    ('year', "Year"),
    ('month', "Month"),
    ('custom', "Custom"),
    ]


def check_office(office):
    """Raise when the current user may not analyse ``office`` (None = the
    whole district)."""
    User = Pool().get('res.user')
    if User.jubao_sees_district():
        return
    if not office:
        raise OfficeAccessError(gettext('jubao_reports.msg_office_required'))
    if office.id not in User.get_jubao_office_ids():
        raise OfficeAccessError(gettext('jubao_reports.msg_office_forbidden',
                office=office.rec_name))


def open_cases_action(domain, name=None):
    "An action opening the reports matching ``domain`` (drill-down)."
    pool = Pool()
    Action = pool.get('ir.action')
    ModelData = pool.get('ir.model.data')
    action_id = ModelData.get_id('jubao_reports', 'act_case_drill')
    action = Action.get_action_values('ir.action.act_window',
        [action_id])[0]
    action['pyson_domain'] = PYSONEncoder().encode(domain)
    if name:
        action['name'] = '%s - %s' % (action['name'], name)
    return action


def _encode_domain(domain):
    return PYSONEncoder().encode(domain)


class AnalysisMixin:
    __slots__ = ()
    period_type = fields.Selection(PERIOD_TYPES, "Period Type",
        required=True, sort=False)
    year = fields.Integer("Year",
        states={'invisible': Eval('period_type') == 'custom'})
    period_number = fields.Integer("Number",
        states={'invisible': Eval('period_type').in_(['custom', 'year'])},
        help="The quarter (1-4), half-year (1-2) or month (1-12).")
    date_from = fields.Date("From", required=True,
        states={'readonly': Eval('period_type') != 'custom'})
    date_to = fields.Date("To", required=True,
        states={'readonly': Eval('period_type') != 'custom'})
    office = fields.Many2One('jubao.office', "Office",
        domain=[('kind', 'in', ['commission_office', 'street', 'stationed'])],
        help="Leave empty for the whole district.")

    @classmethod
    def default_period_type(cls):
        return 'quarter'

    @classmethod
    def default_year(cls):
        return Pool().get('ir.date').today().year

    @classmethod
    def default_period_number(cls):
        today = Pool().get('ir.date').today()
        return (today.month - 1) // 3 + 1

    @classmethod
    def default_date_from(cls):
        return cls._bounds('quarter', cls.default_year(),
            cls.default_period_number())[0]

    @classmethod
    def default_date_to(cls):
        return cls._bounds('quarter', cls.default_year(),
            cls.default_period_number())[1]

    @classmethod
    def default_office(cls):
        User = Pool().get('res.user')
        if User.jubao_sees_district():
            return None
        offices = User.get_jubao_office_ids()
        return offices[0] if offices else None

    @staticmethod
    def _bounds(period_type, year, number):
        try:
            if period_type == 'quarter':
                return periods.quarter(year, number)
            if period_type == 'half':
                return periods.half_year(year, number)
            if period_type == 'month':
                return periods.month(year, number)
            if period_type == 'year':
                return periods.year(year)
        except (periods.PeriodError, TypeError, ValueError):
            return None, None
        return None, None

    @fields.depends('period_type', 'year', 'period_number')
    def on_change_with_date_from(self):
        if self.period_type == 'custom':
            return getattr(self, 'date_from', None)
        return self._bounds(self.period_type, self.year,
            self.period_number)[0]

    @fields.depends('period_type', 'year', 'period_number')
    def on_change_with_date_to(self):
        if self.period_type == 'custom':
            return getattr(self, 'date_to', None)
        return self._bounds(self.period_type, self.year,
            self.period_number)[1]

    def check_period(self):
        period_type = getattr(self, 'period_type', None)
        if period_type and period_type not in ('custom', 'year'):
            date_from, _ = self._bounds(period_type,
                getattr(self, 'year', None),
                getattr(self, 'period_number', None))
            if not date_from:
                raise AnalysisPeriodError(gettext(
                        'jubao_reports.msg_period_number'))
        try:
            periods.validate(getattr(self, 'date_from', None),
                getattr(self, 'date_to', None))
        except periods.PeriodError as exception:
            raise AnalysisPeriodError(gettext(
                    'jubao_reports.msg_period_%s' % exception.code))

    def engine(self, threshold=None):
        if threshold is None:
            threshold = configured_threshold()
        return Engine(self.date_from, self.date_to, self.office,
            key_person_threshold=threshold,
            today=Pool().get('ir.date').today())


class Analysis(AnalysisMixin, ModelSQL, ModelView):
    __name__ = 'jubao.analysis'
    __string__ = "Report Analysis"
    name = fields.Char("Name", required=True)
    period_name = fields.Function(fields.Char("Period"), 'get_period_name')
    key_person_threshold = fields.Integer("Key Person Threshold",
        required=True, domain=[('key_person_threshold', '>=', 2)])
    computed = fields.Timestamp("Computed", readonly=True)
    total = fields.Integer("Reports", readonly=True)
    previous_total = fields.Integer("Previous Period", readonly=True)
    last_year_total = fields.Integer("Same Period Last Year", readonly=True)
    mom = fields.Numeric("Change on Previous Period (%)", digits=(16, 1),
        readonly=True)
    yoy = fields.Numeric("Change on Last Year (%)", digits=(16, 1),
        readonly=True)
    real_name_share = fields.Numeric("Real-Name Share (%)", digits=(16, 1),
        readonly=True)
    online_share = fields.Numeric("Online Share (%)", digits=(16, 1),
        readonly=True)
    out_of_scope_share = fields.Numeric("Out-of-Scope Share (%)",
        digits=(16, 1), readonly=True)
    repeat_share = fields.Numeric("Repeat Share (%)", digits=(16, 1),
        readonly=True)
    backlog_open = fields.Integer("Open Reports of the Year", readonly=True)
    lines = fields.One2Many('jubao.analysis.line', 'analysis', "Figures",
        readonly=True)
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date_from', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'compute': {'icon': 'tryton-refresh'},
                'open_cases': {'icon': 'tryton-list'},
                })

    @classmethod
    def default_key_person_threshold(cls):
        return configured_threshold()

    def get_period_name(self, name):
        try:
            return periods.official_name(self.date_from, self.date_to)
        except periods.PeriodError:
            return ''

    @fields.depends('date_from', 'date_to', 'office', 'name')
    def on_change_with_name(self):
        if self.name:
            return self.name
        try:
            name = periods.official_name(self.date_from, self.date_to)
        except (periods.PeriodError, TypeError):
            return None
        suffix = gettext('jubao_reports.msg_analysis_suffix')
        if self.office:
            return f'{name}{self.office.rec_name}{suffix}'
        return f'{name}{suffix}'

    @classmethod
    def validate_fields(cls, analyses, field_names):
        super().validate_fields(analyses, field_names)
        for analysis in analyses:
            analysis.check_period()

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        # Refused before anything is written: the record rules would refuse
        # another office too, but without saying why.
        if 'office' in values:
            Office = Pool().get('jubao.office')
            office = Office(values['office']) if values['office'] else None
            # The hooks run without access checks: the role is the caller's
            with Transaction().set_context(_check_access=True):
                check_office(office)
        if mode == 'create':
            cls(**{k: v for k, v in values.items()
                    if k in PERIOD_FIELDS}).check_period()
        return values

    @classmethod
    def on_modification(cls, mode, analyses, field_names=None):
        super().on_modification(mode, analyses, field_names=field_names)
        if mode == 'create' or (mode == 'write'
                and field_names & RECOMPUTED_BY):
            cls.compute(analyses)

    def figures(self, progress=None):
        "The figures of this analysis, computed now by SQL aggregation."
        check_office(self.office)
        return self.engine(self.key_person_threshold).compute(progress)

    @classmethod
    @ModelView.button
    def compute(cls, analyses):
        pool = Pool()
        Line = pool.get('jubao.analysis.line')
        Line.delete(Line.search([('analysis', 'in', [a.id for a in analyses])]))
        lines = []
        for analysis in analyses:
            figures = analysis.figures()
            indicators = {i['key']: i for i in figures['indicators']}
            values = {
                'total': figures['total'],
                'previous_total': figures['previous_total'],
                'last_year_total': figures['last_year_total'],
                'mom': figures['mom'],
                'yoy': figures['yoy'],
                'real_name_share': indicators['real_name']['share'],
                'online_share': indicators['online']['share'],
                'out_of_scope_share': indicators['out_of_scope']['share'],
                'repeat_share': indicators['repeat']['share'],
                'backlog_open': figures['backlog']['open'],
                'computed': dt.datetime.now(),
                }
            cls.write([analysis], values)
            lines.extend(Line.from_figures(analysis, figures))
        Line.save(lines)

    @classmethod
    @ModelView.button
    def open_cases(cls, analyses):
        if len(analyses) != 1:
            return
        analysis, = analyses
        check_office(analysis.office)
        return open_cases_action(analysis.engine()._domain_base(),
            analysis.period_name)


SECTIONS = [
    ('total', "Total"),
    ('indicator', "Indicator"),
    ('dimension', "Dimension"),
    ('trend', "Monthly Trend"),
    ('timeliness', "Timeliness"),
    ('backlog', "Backlog of the Year"),
    ('key_person', "Key Person"),
    ]


class AnalysisLine(ModelSQL, ModelView):
    __name__ = 'jubao.analysis.line'
    __string__ = "Report Analysis Figure"
    analysis = fields.Many2One('jubao.analysis', "Analysis", required=True,
        ondelete='CASCADE')
    sequence = fields.Integer("Sequence")
    section = fields.Selection(SECTIONS, "Section", readonly=True)
    dimension = fields.Char("Dimension Key", readonly=True)
    dimension_name = fields.Char("Dimension", readonly=True)
    label = fields.Char("Item", readonly=True)
    count = fields.Integer("Count", readonly=True)
    share = fields.Numeric("Share (%)", digits=(16, 1), readonly=True)
    previous = fields.Integer("Previous Period", readonly=True)
    mom = fields.Numeric("Change on Previous Period (%)", digits=(16, 1),
        readonly=True)
    last_year = fields.Integer("Same Period Last Year", readonly=True)
    yoy = fields.Numeric("Change on Last Year (%)", digits=(16, 1),
        readonly=True)
    domain = fields.Text("Domain", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('analysis')
        cls._order = [('analysis', 'DESC'), ('sequence', 'ASC'),
            ('id', 'ASC')]
        cls._buttons.update({
                'open_cases': {
                    'icon': 'tryton-list',
                    'invisible': ~Bool(Eval('domain')),
                    'depends': ['domain'],
                    },
                })

    @classmethod
    def from_figures(cls, analysis, figures):
        lines = []

        def add(section, dimension, dimension_name, label, count, **kw):
            domain = kw.pop('domain', None)
            lines.append(cls(analysis=analysis, sequence=len(lines) + 1,
                    section=section, dimension=dimension,
                    dimension_name=dimension_name, label=label, count=count,
                    domain=_encode_domain(domain) if domain else None,
                    **kw))

        total_label = gettext('jubao_reports.msg_total')
        add('total', 'total', total_label, total_label, figures['total'],
            previous=figures['previous_total'], mom=figures['mom'],
            last_year=figures['last_year_total'], yoy=figures['yoy'],
            domain=figures['total_domain'])
        indicator_label = gettext('jubao_reports.msg_indicators')
        for row in figures['indicators']:
            add('indicator', row['key'], indicator_label, row['label'],
                row['count'], share=row['share'], previous=row['previous'],
                last_year=row['last_year'], domain=row['domain'])
        for dimension in figures['dimensions']:
            for row in dimension['rows']:
                add('dimension', dimension['key'], dimension['title'],
                    row['label'], row['count'], share=row['share'],
                    previous=row['previous'], mom=row['mom'],
                    last_year=row['last_year'], yoy=row['yoy'],
                    domain=row['domain'])
        trend_label = gettext('jubao_reports.msg_trend')
        for row in figures['trend']:
            add('trend', 'trend', trend_label, row['label'], row['count'],
                last_year=row['last_year'])
        timeliness_label = gettext('jubao_reports.msg_timeliness')
        for row in figures['timeliness']:
            add('timeliness', row['key'], timeliness_label, row['label'],
                row['total'], share=row['share'], domain=row['domain'])
        backlog = figures['backlog']
        add('backlog', 'backlog', gettext('jubao_reports.msg_backlog'),
            gettext('jubao_reports.msg_backlog_open'), backlog['open'],
            share=backlog['share'], domain=backlog['domain'])
        key_label = gettext('jubao_reports.msg_key_persons')
        for row in figures['key_persons']:
            label = ' '.join(filter(None, [row['name'], row['unit'],
                        row['position']]))
            add('key_person', 'key_person', key_label, label, row['count'],
                domain=row['domain'])
        return lines

    @classmethod
    @ModelView.button
    def open_cases(cls, lines):
        if len(lines) != 1:
            return
        line, = lines
        check_office(line.analysis.office)
        domain = PYSONDecoder().decode(line.domain) if line.domain else []
        return open_cases_action(domain, line.label)


class AnalysisWorkbook(DownloadNameMixin, Report):
    "Analysis Workbook (xlsx)"
    __name__ = 'jubao.analysis.xlsx'

    @classmethod
    def _execute(cls, records, header, data, action):
        analysis, = records
        return 'xlsx', write_analysis(analysis.figures())

    @classmethod
    def download_name(cls, records, data):
        "信访举报分析_2026年第三季度 (the office too when chosen)."
        title = gettext('jubao_reports.msg_file_analysis')
        if len(records) != 1:
            return file_name(title, f'{len(records)}份')
        analysis, = records
        return file_name(title,
            analysis.office.rec_name if analysis.office else None,
            analysis.period_name)


class AnalysisDraft(DownloadNameMixin, Report):
    "Analysis Draft (ODT)"
    __name__ = 'jubao.analysis.draft'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        analysis, = records
        figures = analysis.figures()
        context['figures'] = figures
        # The same content as the .docx draft (draft.document)
        context['document'] = draft.document(figures)
        context['sections'] = context['document']['sections']
        context['pct'] = calc.format_percent
        context['chg'] = calc.format_change
        context['cn'] = calc.cn_count
        return context

    @classmethod
    def download_name(cls, records, data):
        return draft.download_name(records)
