# This file is part of jubao.  Scheduled jobs of the publicity module.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('jubao.plan.task|send_reminders',
                    "Remind Plan Tasks Due Soon and Overdue"),
                ('jubao.campaign|run_monthly_reports',
                    "Create Monthly Liaison Reports and Remind Missing Ones"),
                ('jubao.campaign|run_kpis', "Refresh Campaign KPIs"),
                ])
