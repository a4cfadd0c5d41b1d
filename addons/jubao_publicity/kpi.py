# This file is part of jubao.  The campaign's KPIs (成效指标): shares of the
# reports received so far compared with the same period of the previous
# year and with the three months before the campaign, computed with the
# indicator set the analysis of jubao_reports uses (jubao.indicators).
import datetime as dt
from decimal import Decimal

from jubao import indicators, periods

from trytond.model import ModelSQL, ModelView, fields, sequence_ordered
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

from .common import today

INDICATORS = [
    ('out_of_scope', "Share of Out-of-scope Reports"),
    ('real_name', "Share of Real-name Reports"),
    ('online', "Share of Online Reports"),
    ('false_accusation', "Reports Found to Be False Accusations"),
    ('awareness', "Awareness Rate of the Acceptance Scope"),
    ]
# Desired direction of each indicator (seed 001, goals).
DIRECTIONS = {
    'out_of_scope': 'down',
    'real_name': 'up',
    'online': 'up',
    'false_accusation': 'down',
    'awareness': 'up',
    }
# Reports that jubao_routing's conclusion found to be 诬告陷害.
FALSE_ACCUSATION_DOMAIN = [('accusation', '=', 'false_accusation')]


class Campaign(metaclass=PoolMeta):
    __name__ = 'jubao.campaign'
    awareness_rate = fields.Numeric("Awareness Rate (%)", digits=(5, 2),
        domain=['OR', ('awareness_rate', '=', None), [
                ('awareness_rate', '>=', 0), ('awareness_rate', '<=', 100)]],
        help="Latest survey result.")
    awareness_rate_start = fields.Numeric(
        "Awareness Rate at Start (%)", digits=(5, 2),
        domain=['OR', ('awareness_rate_start', '=', None), [
                ('awareness_rate_start', '>=', 0),
                ('awareness_rate_start', '<=', 100)]])
    awareness_rate_previous = fields.Numeric(
        "Awareness Rate Previous Year (%)", digits=(5, 2),
        domain=['OR', ('awareness_rate_previous', '=', None), [
                ('awareness_rate_previous', '>=', 0),
                ('awareness_rate_previous', '<=', 100)]])
    kpis = fields.One2Many('jubao.campaign.kpi', 'campaign', "KPIs",
        readonly=True)
    kpi_date = fields.Date("KPIs Computed on", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'compute_kpis': {},
                })

    def kpi_windows(self, date=None):
        """Return the (start, end) windows of the current period, the same
        period of the previous year and the baseline (the three months
        before the campaign started)."""
        date = date or today()
        end = min(max(date, self.start_date), self.end_date)
        current = (self.start_date, end)
        previous = periods.same_period_last_year(*current)
        baseline = (periods.add_months(self.start_date, -3),
            self.start_date - dt.timedelta(days=1))
        return {'current': current, 'previous': previous, 'start': baseline}

    @classmethod
    def case_counts(cls, window):
        "Counts of the registered reports received in the window."
        Case = Pool().get('jubao.case')
        start, end = window
        domain = [
            ('received_date', '>=', start),
            ('received_date', '<=', end),
            ('state', '!=', 'draft'),
            ]
        with without_check_access():
            counts = {
                'total': Case.search_count(domain),
                'false_accusation': Case.search_count(
                    domain + FALSE_ACCUSATION_DOMAIN),
                }
            for key in indicators.CASE_SHARES:
                counts[key] = Case.search_count(
                    domain + indicators.share_domain(key))
        return counts

    def kpi_values(self, date=None):
        "List of the KPI row values (without the campaign)."
        counts = {k: self.case_counts(w)
            for k, w in self.kpi_windows(date).items()}
        rows = []
        for sequence, (indicator, _) in enumerate(INDICATORS, 1):
            direction = DIRECTIONS[indicator]
            count = total = None
            if indicator == 'awareness':
                values = {
                    'current': self.awareness_rate,
                    'previous': self.awareness_rate_previous,
                    'start': self.awareness_rate_start,
                    }
            else:
                count = counts['current'][indicator]
                total = counts['current']['total']
                if indicator == 'false_accusation':
                    values = {k: Decimal(c[indicator])
                        for k, c in counts.items()}
                else:
                    values = {k: indicators.percent(c[indicator], c['total'])
                        for k, c in counts.items()}
            rows.append({
                    'sequence': sequence,
                    'indicator': indicator,
                    'direction': direction,
                    'count': count,
                    'total': total,
                    **values,
                    'change_previous': indicators.point_change(
                        values['current'], values['previous']),
                    'change_start': indicators.point_change(
                        values['current'], values['start']),
                    'improved_previous': indicators.improved(
                        values['current'], values['previous'], direction),
                    'improved_start': indicators.improved(
                        values['current'], values['start'], direction),
                    })
        return rows

    @classmethod
    @ModelView.button
    def compute_kpis(cls, campaigns, date=None):
        KPI = Pool().get('jubao.campaign.kpi')
        date = date or today()
        KPI.delete([k for c in campaigns for k in c.kpis])
        KPI.create([dict(values, campaign=campaign.id)
                for campaign in campaigns
                for values in campaign.kpi_values(date)])
        cls.write(campaigns, {'kpi_date': date})

    @classmethod
    def run_kpis(cls):
        "Scheduled job: refresh the KPIs of running campaigns."
        date = today()
        cls.compute_kpis(cls.search([
                    ('start_date', '<=', date),
                    ('end_date', '>=', date - dt.timedelta(days=31)),
                    ]), date=date)


class KPI(sequence_ordered(), ModelSQL, ModelView):
    __string__ = "Campaign KPI"
    __name__ = 'jubao.campaign.kpi'
    campaign = fields.Many2One('jubao.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    indicator = fields.Selection(INDICATORS, "Indicator", required=True)
    direction = fields.Selection([
            ('up', "Higher is Better"),
            ('down', "Lower is Better"),
            ], "Goal", required=True)
    count = fields.Integer("Count")
    total = fields.Integer("Reports")
    current = fields.Numeric("Current", digits=(16, 2))
    previous = fields.Numeric("Previous Year", digits=(16, 2))
    start = fields.Numeric("At Campaign Start", digits=(16, 2))
    change_previous = fields.Numeric("Change vs Previous Year",
        digits=(16, 2))
    change_start = fields.Numeric("Change vs Start", digits=(16, 2))
    improved_previous = fields.Boolean("Better than Previous Year")
    improved_start = fields.Boolean("Better than at Start")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('campaign')
