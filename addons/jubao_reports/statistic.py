"""The statistic rows behind the dashboard graphs: one row per registered
report the user may read."""
from sql import Literal, Null
from sql.functions import Extract, ToChar

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.jubao_intake.reporter import readable_cases_query
from trytond.pool import Pool
from trytond.pyson import Eval

from .analysis import open_cases_action


class CaseStatistic(ModelSQL, ModelView):
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
    # Graphs show these: sao labels a graph axis with the raw selection key;
    # eager: sao would read a lazy field one record at a time
    channel_label = fields.Function(fields.Char("Channel"), 'get_label',
        loading='eager')
    scope_label = fields.Function(fields.Char("Scope"), 'get_label',
        loading='eager')

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
        return case.select(
            case.id.as_('id'),
            case.create_uid.as_('create_uid'),
            case.create_date.as_('create_date'),
            case.write_uid.as_('write_uid'),
            case.write_date.as_('write_date'),
            case.id.as_('case'),
            case.number.as_('number'),
            case.received_date.as_('received_date'),
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
