"""Load the demo data of every activated jubao module, in dependency order.

Each module may ship ``demo.py`` with a ``load_demo()`` function; it runs
as the admin inside one transaction per module and must be idempotent.
"""
import importlib
import sys

from trytond import config
from trytond.pool import Pool
from trytond.transaction import Transaction

ORDER = ['jubao_intake', 'jubao_routing', 'jubao_publicity', 'jubao_reports',
    'jubao_portal']


def main(database):
    config.update_etc()
    Pool.start()
    pool = Pool(database)
    pool.init()
    with Transaction().start(database, 0, readonly=True):
        Module = pool.get('ir.module')
        activated = {m.name for m in Module.search(
                    [('state', '=', 'activated')])}
    for name in ORDER:
        if name not in activated:
            continue
        try:
            demo = importlib.import_module(f'trytond.modules.{name}.demo')
        except ModuleNotFoundError:
            continue
        with Transaction().start(database, 0, context={
                    'language': 'zh_CN'}) as transaction:
            admin = pool.get('res.user').search([('login', '=', 'admin')])
            with transaction.set_user(admin[0].id if admin else 0), \
                    transaction.set_context(_check_access=False):
                demo.load_demo()
            transaction.commit()
        print(f"[demo] {name}: demo data loaded", file=sys.stderr)


if __name__ == '__main__':
    main(sys.argv[1])
