"""Command-line export of an analysis workbook or a ledger, with a progress
bar.  It runs as a named user, so the same access rules apply as in the
web client (own office only for units; reporters only for entitled users).

    python -m trytond.modules.jubao_reports.cli -c trytond.conf -d jubao \\
        --period 2026Q3 [--office CODE] [--ledger register] -o out.xlsx
"""
import argparse
import datetime as dt
import sys


def _date(text):
    return dt.date.fromisoformat(text)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Export a jubao analysis workbook or ledger (xlsx).")
    parser.add_argument('-c', '--config', dest='config')
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('-u', '--user', default='admin',
        help="login whose rights apply (default: admin)")
    parser.add_argument('--period',
        help="2026, 2026Q3, 2026H1 or 2026-05")
    parser.add_argument('--from', dest='date_from', type=_date)
    parser.add_argument('--to', dest='date_to', type=_date)
    parser.add_argument('--office', help="office code (default: district)")
    parser.add_argument('--ledger',
        help="export this ledger instead of the analysis workbook")
    parser.add_argument('-o', '--output', required=True)
    parser.add_argument('--no-progress', action='store_true')
    args = parser.parse_args(argv)
    if args.period:
        from jubao.periods import PeriodError, parse
        try:
            args.date_from, args.date_to = parse(args.period)
        except PeriodError as exception:
            parser.error(str(exception))
    if not (args.date_from and args.date_to):
        parser.error("give --period or both --from and --to")
    return args


def export(database, login, date_from, date_to, output, office_code=None,
        ledger_kind=None, progress=True):
    "Write the export; return the number of rows or steps written."
    from tqdm import tqdm

    from trytond.exceptions import UserError
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    Pool.start()
    pool = Pool(database)
    pool.init()
    with Transaction().start(database, 0, readonly=True):
        User = pool.get('res.user')
        users = User.search([('login', '=', login)])
        if not users:
            raise SystemExit(f"unknown user {login!r}")
        user_id = users[0].id
    with Transaction().start(database, user_id, readonly=True) as transaction:
        User = pool.get('res.user')
        context = User.get_preferences(context_only=True)
        context['_check_access'] = True
        with transaction.set_context(context):
            from .analysis import check_office
            from .configuration import configured_threshold
            from .engine import Analysis
            from .ledger import Ledger, write_ledger
            from .xlsx import write_analysis
            Office = pool.get('jubao.office')
            office = None
            if office_code:
                offices = Office.search([('code', '=', office_code)])
                if not offices:
                    raise SystemExit(f"unknown office {office_code!r}")
                office, = offices
            threshold = configured_threshold()
            try:
                check_office(office)
                if ledger_kind:
                    ledger = Ledger(ledger_kind, date_from, date_to, office,
                        with_reporters=User.jubao_reads_reporters(),
                        key_person_threshold=threshold)
                    with tqdm(total=ledger.count(), unit='行',
                            disable=not progress, desc=ledger.title) as bar:
                        return write_ledger(ledger, output, bar.update)
                engine = Analysis(date_from, date_to, office,
                    key_person_threshold=threshold)
                with tqdm(total=engine.steps(), disable=not progress,
                        desc='分析') as bar:
                    figures = engine.compute(lambda _: bar.update(1))
                    write_analysis(figures, output,
                        lambda _: bar.update(1))
                    return bar.n
            except UserError as exception:
                raise SystemExit(exception.message)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from trytond import config
    config.update_etc(args.config)
    export(args.database, args.user, args.date_from, args.date_to,
        args.output, args.office, args.ledger, not args.no_progress)


if __name__ == '__main__':
    main()
