import datetime as dt
from sql import Literal, Null
from sql.functions import Extract, ToChar

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, PYSONDecoder, PYSONEncoder
from trytond.transaction import Transaction, without_check_access

from jubao import periods

from trytond.modules.jubao_intake.case import readable_cases_query

from .engine import Analysis as Engine

# Groups that see the whole district; the others see their own offices only
DISTRICT_GROUPS = ['group_leader', 'group_analyst', 'group_complaints_head',
    'group_admin']
PERIOD_TYPES = [
    ('quarter', "Quarter"),
    ('half', "Half-Year"),
    ('year', "Year"),
    ('month', "Month"),
    ('custom', "Custom"),
    ]


def _group_ids(names):
    ModelData = Pool().get('ir.model.data')
    return {ModelData.get_id('jubao_intake', n) for n in names}


def sees_district():
    "Whether the current user may analyse the whole district."
    transaction = Transaction()
    if transaction.user == 0 or not transaction.check_access:
        return True
    User = Pool().get('res.user')
    return bool(set(User.get_groups()) & _group_ids(DISTRICT_GROUPS))


def user_offices():
    User = Pool().get('res.user')
    return User.get_jubao_office_ids()


def check_office(office):
    """Raise when the current user may not analyse ``office`` (None = the
    whole district)."""
    if sees_district():
        return
    if not office:
        raise UserError(gettext('jubao_reports.msg_office_required'))
    if office.id not in user_offices():
        raise UserError(gettext('jubao_reports.msg_office_forbidden',
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


def configured_threshold():
    "The key-person threshold of the configuration (readable by everyone)."
    Configuration = Pool().get('jubao.configuration')
    with without_check_access():
        return Configuration(1).key_person_threshold or 3


def _encode_domain(domain):
    return PYSONEncoder().encode(domain)


class Configuration(metaclass=PoolMeta):
    __name__ = 'jubao.configuration'
    key_person_threshold = fields.Integer("Key Person Threshold",
        domain=['OR', ('key_person_threshold', '=', None),
            ('key_person_threshold', '>=', 2)],
        help="A reported person named in at least this many reports of a "
        "period is listed as a key person in the analysis.")

    @classmethod
    def default_key_person_threshold(cls):
        return 3


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
        if sees_district():
            return None
        offices = user_offices()
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
                raise ValidationError(gettext(
                        'jubao_reports.msg_period_number'))
        try:
            periods.validate(getattr(self, 'date_from', None),
                getattr(self, 'date_to', None))
        except periods.PeriodError as exception:
            raise ValidationError(gettext(
                    'jubao_reports.msg_period_%s' % exception.code))

    def engine(self, threshold=None):
        if threshold is None:
            threshold = configured_threshold()
        return Engine(self.date_from, self.date_to, self.office,
            key_person_threshold=threshold,
            today=Pool().get('ir.date').today())


class Analysis(AnalysisMixin, ModelSQL, ModelView):
    "Report Analysis"
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
            check_office(analysis.office)

    @classmethod
    def create(cls, vlist):
        # Refuse bad input before anything is written
        Office = Pool().get('jubao.office')
        for values in vlist:
            if 'office' in values:
                check_office(
                    Office(values['office']) if values['office'] else None)
            cls(**{k: v for k, v in values.items() if k in {
                            'period_type', 'year', 'period_number',
                            'date_from', 'date_to'}}).check_period()
        analyses = super().create(vlist)
        cls.compute(analyses)
        return analyses

    @classmethod
    def write(cls, *args):
        Office = Pool().get('jubao.office')
        actions = iter(args)
        for _, values in zip(actions, actions):
            if 'office' in values:
                check_office(
                    Office(values['office']) if values['office'] else None)
        super().write(*args)
        changed = set()
        actions = iter(args)
        for records, values in zip(actions, actions):
            if set(values) & {'date_from', 'date_to', 'office',
                    'key_person_threshold'}:
                changed.update(records)
        if changed:
            cls.compute(list(changed))

    @classmethod
    def copy(cls, analyses, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('lines')
        return super().copy(analyses, default=default)

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
                'backlog_open': (figures['backlog']['open']
                    if figures['backlog'] else None),
                'computed': dt.datetime.now(),
                }
            # ModelSQL.write directly: no recomputation loop through write()
            super(Analysis, cls).write([analysis], values)
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
    "Report Analysis Figure"
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
        if backlog:
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


class CaseStatistic(ModelSQL, ModelView):
    "Report Statistic"
    __name__ = 'jubao.report.case'
    __string__ = "Report Statistic"
    case = fields.Many2One('jubao.case', "Report", readonly=True)
    number = fields.Char("Number", readonly=True)
    received_date = fields.Date("Received", readonly=True)
    year = fields.Integer("Year", readonly=True)
    month = fields.Char("Month", readonly=True)
    channel = fields.Selection('get_channels', "Channel", readonly=True)
    kind = fields.Selection('get_kinds', "Kind", readonly=True)
    scope = fields.Selection('get_scopes', "Scope", readonly=True)
    real_name = fields.Boolean("Real Name", readonly=True)
    is_repeat = fields.Boolean("Repeat", readonly=True)
    handling_office = fields.Many2One('jubao.office', "Handling Office",
        readonly=True)
    street = fields.Many2One('jubao.office', "Street", readonly=True)
    state = fields.Selection('get_states', "State", readonly=True)
    count = fields.Integer("Reports", readonly=True)
    # Graphs show these: sao labels a graph axis with the raw selection key
    channel_label = fields.Function(fields.Char("Channel"), 'get_label')
    scope_label = fields.Function(fields.Char("Scope"), 'get_label')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('received_date', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'open_case': {'icon': 'tryton-forward'},
                })

    @classmethod
    def get_label(cls, records, names):
        result = {}
        for name in names:
            field = name[:-len('_label')]
            labels = dict(cls._case_selection(field))
            result[name] = {r.id: labels.get(getattr(r, field))
                for r in records}
        return result

    @classmethod
    def table_query(cls):
        pool = Pool()
        Case = pool.get('jubao.case')
        case = Case.__table__()
        received = case.received_date
        if Case.received_date._type == 'datetime':
            from sql.functions import DateTrunc
            from sql import Cast
            received = Cast(DateTrunc('day', case.received_date), 'DATE')
        return case.select(
            case.id.as_('id'),
            case.create_uid.as_('create_uid'),
            case.create_date.as_('create_date'),
            case.write_uid.as_('write_uid'),
            case.write_date.as_('write_date'),
            case.id.as_('case'),
            case.number.as_('number'),
            received.as_('received_date'),
            Extract('YEAR', case.received_date).as_('year'),
            ToChar(case.received_date, 'YYYY-MM').as_('month'),
            case.channel.as_('channel'),
            case.kind.as_('kind'),
            case.scope.as_('scope'),
            case.real_name.as_('real_name'),
            (case.repeat_of != Null).as_('is_repeat'),
            case.handling_office.as_('handling_office'),
            case.street.as_('street'),
            case.state.as_('state'),
            Literal(1).as_('count'),
            where=cls._readable_where(case))

    @classmethod
    def _readable_where(cls, case):
        """Rows of the reports the user may read: a row shows the report's
        number, so a recused user must not get it (record rules of the
        report, applied inside the query)."""
        where = case.state != 'draft'
        readable = readable_cases_query()
        if readable is not None:
            where &= case.id.in_(readable)
        return where

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/graph/y/field[@key="real_name"]', 'domain',
                Eval('real_name', False)),
            ('/graph/y/field[@key="online"]', 'domain',
                Eval('channel') == 'online'),
            ]

    @classmethod
    def _case_selection(cls, field_name):
        Case = Pool().get('jubao.case')
        return Case.fields_get([field_name])[field_name]['selection']

    @classmethod
    def get_channels(cls):
        return cls._case_selection('channel')

    @classmethod
    def get_kinds(cls):
        return cls._case_selection('kind')

    @classmethod
    def get_scopes(cls):
        return cls._case_selection('scope')

    @classmethod
    def get_states(cls):
        return cls._case_selection('state')

    @classmethod
    @ModelView.button
    def open_case(cls, statistics):
        return open_cases_action(
            [('id', 'in', [s.case.id for s in statistics])])
