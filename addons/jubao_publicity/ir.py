# This file is part of jubao.  Scheduled jobs of the publicity module.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('jubao.campaign|run_monthly_reports',
                    "Create Monthly Liaison Report Slots"),
                ('jubao.campaign|run_kpis', "Refresh Campaign KPIs"),
                ])
