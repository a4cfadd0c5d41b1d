#!/usr/bin/env python3
"""Benchmark of the analysis and exports of jubao_reports (not a test).

Creates a PostgreSQL database with jubao_reports (and jubao_routing when it
is installed), bulk-loads N reports (default 100,000) spread over
2025-01-01 .. 2026-09-30 with reported persons, categories, reporters and,
with routing, deadlines and hand-offs, then prints the time of:

- the quarterly analysis (2026 Q3, all figures, SQL aggregation);
- the full-year analysis workbook (2025, analysis + xlsx with charts);
- the full-year register ledger (2025, streamed xlsx, reporters included).

    .venv/bin/python benchmarks/bench_reports.py [-n 100000] [--keep]

The database is dropped at the end unless --keep is given.
"""
import argparse
import datetime as dt
import io
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

START = dt.date(2025, 1, 1)
END = dt.date(2026, 9, 30)
SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'
GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂'
UNITS = ['区建设局', '区教育局', '区卫健委', '区自然资源局', '区财政局',
    '区民政局', '区农业农村局', '区城管局', '某街道办事处', '某社区居委会',
    '区国资公司', '区市场监管局']
POSITIONS = ['局长', '副局长', '科长', '副科长', '主任', '干部', '书记']
CHANNELS = ['letter'] * 30 + ['visit'] * 10 + ['phone'] * 15 + [
    'online'] * 40 + ['referral'] * 3 + ['public_opinion'] * 2
KINDS = ['accusation'] * 85 + ['appeal'] * 5 + ['suggestion'] * 10
SCOPES = ['in_scope'] * 70 + ['out_of_scope'] * 22 + ['mixed'] * 8
STATES = ['accepted'] * 80 + ['not_accepted'] * 12 + ['registered'] * 6 + [
    'removed'] * 2
RANKS = ['bureau', 'county', 'township', 'staff', 'village', 'other', None]
AUTHORITIES = ['city', 'district', 'street', 'other']
SECTORS = ['party_government', 'education', 'health', 'construction',
    'land_resources', 'finance', 'social_security', 'agriculture',
    'state_enterprise', 'law_enforcement', 'grassroots', 'other', None]


def log(message):
    print(message, file=sys.stderr, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-n', type=int, default=100000,
        help="number of reports (default 100000)")
    parser.add_argument('--database', default='jubao_bench_reports')
    parser.add_argument('--uri',
        default=os.environ.get('JUBAO_TEST_PG',
            'postgresql://root@127.0.0.1:5432/'))
    parser.add_argument('--keep', action='store_true',
        help="keep the database afterwards")
    parser.add_argument('--seed', type=int, default=2026)
    return parser.parse_args()


def create_database(args, modules):
    import psycopg
    with psycopg.connect(args.uri.rstrip('/') + '/postgres',
            autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')
    env = dict(os.environ, TRYTOND_DATABASE__URI=args.uri,
        TRYTOND_DATABASE__LANGUAGE='zh_CN')
    with tempfile.NamedTemporaryFile('w', delete=False) as password:
        # trytond.conf refuses weak passwords; nobody logs in here
        password.write(secrets.token_urlsafe(16) + '\n')
    env['TRYTONPASSFILE'] = password.name
    admin = [os.path.join(ROOT, '.venv', 'bin', 'trytond-admin'),
        '-c', os.path.join(ROOT, 'trytond.conf'), '-d', args.database]
    try:
        subprocess.run(admin + ['--all', '-l', 'zh_CN', '--email',
                'admin@example.gov.cn'], env=env, check=True,
            stdout=subprocess.DEVNULL)
        subprocess.run(admin + ['-u', *modules, '--activate-dependencies'],
            env=env, check=True, stdout=subprocess.DEVNULL)
    finally:
        os.unlink(password.name)


def _copy(cursor, table, columns, rows):
    quoted = ', '.join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def load_reports(args, routing):
    "Bulk-load the reports with COPY; return the number of reports."
    import psycopg
    from jubao.workdays import add_working_days
    rng = random.Random(args.seed)
    span = (END - START).days + 1
    uri = args.uri.rstrip('/') + '/' + args.database
    with psycopg.connect(uri) as conn, conn.cursor() as cursor:
        cursor.execute('SELECT id, kind FROM jubao_office')
        offices = cursor.fetchall()
        handling = [i for i, k in offices
            if k in ('commission_office', 'street', 'stationed')]
        streets = [i for i, k in offices if k == 'street']
        higher = [i for i, k in offices if k == 'higher']
        external = [i for i, k in offices if k == 'external']
        cursor.execute('SELECT id FROM jubao_problem_category')
        categories = [r[0] for r in cursor]
        cursor.execute('SELECT COALESCE(MAX(id), 0) FROM jubao_case')
        first_id = cursor.fetchone()[0] + 1
        people = [(rng.choice(SURNAMES) + rng.choice(GIVEN)
                + rng.choice(['', rng.choice(GIVEN)]), rng.choice(UNITS),
                rng.choice(POSITIONS), rng.choice(RANKS),
                rng.choice(AUTHORITIES), rng.choice(SECTORS))
            for _ in range(max(50, args.n // 8))]
        now = dt.datetime.now()
        case_columns = ['id', 'create_uid', 'create_date', 'number',
            'channel', 'received_date', 'kind', 'scope', 'real_name',
            'summary', 'handling_office', 'street', 'repeat_of', 'state']
        if routing:
            case_columns += ['acceptance_notice_due', 'acceptance_notice_date',
                'disposition', 'truth', 'concluded_date', 'feedback_due',
                'feedback_date']
        cases, subjects, links, reporters, assignments = [], [], [], [], []
        holidays_cache = {}

        def due(day, days):
            key = (day, days)
            if key not in holidays_cache:
                holidays_cache[key] = add_working_days(day, days)
            return holidays_cache[key]

        for n in range(args.n):
            case_id = first_id + n
            received = START + dt.timedelta(days=rng.randrange(span))
            real_name = rng.random() < 0.35
            state = rng.choice(STATES)
            repeat_of = (first_id + rng.randrange(n)
                if n and rng.random() < 0.12 else None)
            row = [case_id, 1, now, f'信访〔{received.year}〕第{n + 1:06d}号',
                rng.choice(CHANNELS), received, rng.choice(KINDS),
                rng.choice(SCOPES), real_name, f'反映问题{n}',
                rng.choice(handling), rng.choice(streets + [None]),
                repeat_of, state]
            if routing:
                notice_due = notice = disposition = truth = None
                concluded = feedback_due = feedback = None
                if real_name and not repeat_of:
                    notice_due = due(received, 15)
                    notice = notice_due + dt.timedelta(
                        days=rng.choice([-5, -2, 0, 0, 1, 3]))
                if state == 'accepted' and rng.random() < 0.7:
                    disposition = rng.choice(
                        ['talk', 'verify', 'shelve', 'close', 'investigate'])
                    truth = rng.choice(
                        ['true', 'partly', 'false', 'unverifiable'])
                    concluded = received + dt.timedelta(
                        days=rng.randrange(10, 120))
                    if real_name:
                        feedback_due = due(concluded, 15)
                        feedback = feedback_due + dt.timedelta(
                            days=rng.choice([-3, 0, 2]))
                row += [notice_due, notice, disposition, truth, concluded,
                    feedback_due, feedback]
                if rng.random() < 0.3:
                    method = rng.choice(['direct', 'forward', 'assign'])
                    target = {'direct': higher, 'forward': external,
                        'assign': streets}[method]
                    sent = received + dt.timedelta(days=rng.randrange(1, 8))
                    assignments.append([case_id, 1, now, method, 3,
                        rng.choice(target), sent, due(sent, 5),
                        sent + dt.timedelta(days=rng.randrange(1, 9)),
                        'accepted'])
            cases.append(row)
            for person in rng.sample(people, rng.choice([0, 1, 1, 1, 2])):
                subjects.append([case_id, 1, now, *person])
            for category in rng.sample(categories,
                    rng.choice([0, 1, 1, 2])):
                links.append([case_id, category, 1, now])
            if real_name:
                reporters.append([case_id, 1, now,
                    rng.choice(SURNAMES) + rng.choice(GIVEN),
                    '139%08d' % rng.randrange(10 ** 8)])
        log(f"[bench] loading {len(cases)} reports, {len(subjects)} "
            f"reported persons, {len(links)} categories, "
            f"{len(reporters)} reporters, {len(assignments)} hand-offs")
        _copy(cursor, 'jubao_case', case_columns, cases)
        _copy(cursor, 'jubao_case_subject', ['case', 'create_uid',
                'create_date', 'name', 'unit', 'position', 'rank',
                'authority', 'sector'], subjects)
        _copy(cursor, 'jubao_case-jubao_problem_category', ['case',
                'category', 'create_uid', 'create_date'], links)
        _copy(cursor, 'jubao_case_reporter', ['case', 'create_uid',
                'create_date', 'name', 'phone'], reporters)
        if assignments:
            _copy(cursor, 'jubao_case_assignment', ['case', 'create_uid',
                    'create_date', 'method', 'from_office', 'to_office',
                    'date', 'due_date', 'accepted_date', 'state'],
                assignments)
        cursor.execute("SELECT setval('jubao_case_id_seq', "
            "(SELECT MAX(id) FROM jubao_case))")
        cursor.execute('ANALYZE')
        conn.commit()
    return len(cases)


def measure(args):
    from trytond import config
    config.update_etc(os.path.join(ROOT, 'trytond.conf'))
    config.set('database', 'uri', args.uri)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    pool = Pool(args.database)
    pool.init()
    results = []
    with Transaction().start(args.database, 1, readonly=True,
            context={'language': 'zh_CN', '_check_access': True}):
        from trytond.modules.jubao_reports.engine import Analysis
        from trytond.modules.jubao_reports.ledger import Ledger, write_ledger
        from trytond.modules.jubao_reports.xlsx import write_analysis
        User = pool.get('res.user')

        start = time.perf_counter()
        figures = Analysis(dt.date(2026, 7, 1), dt.date(2026, 9, 30),
            today=dt.date(2026, 11, 22)).compute()
        elapsed = time.perf_counter() - start
        results.append(('quarterly analysis 2026 Q3', elapsed,
                f"{figures['total']} reports, "
                f"{len(figures['dimensions'])} dimensions, "
                f"{len(figures['timeliness'])} timeliness figures"))

        start = time.perf_counter()
        figures = Analysis(dt.date(2025, 1, 1), dt.date(2025, 12, 31),
            today=dt.date(2026, 11, 22)).compute()
        buffer = io.BytesIO()
        write_analysis(figures, buffer)
        elapsed = time.perf_counter() - start
        results.append(('full-year analysis workbook 2025 (xlsx)', elapsed,
                f"{figures['total']} reports, "
                f"{len(buffer.getvalue()) // 1024} KiB"))

        start = time.perf_counter()
        ledger = Ledger('register', dt.date(2025, 1, 1),
            dt.date(2025, 12, 31), with_reporters=User.jubao_reads_reporters())
        with tempfile.NamedTemporaryFile(suffix='.xlsx') as output:
            rows = write_ledger(ledger, output.name)
            size = os.path.getsize(output.name)
        elapsed = time.perf_counter() - start
        results.append(('full-year register ledger 2025 (xlsx, streamed)',
                elapsed, f"{rows} rows, {size // 1024} KiB"))
    return results


def main():
    args = parse_args()
    routing = True  # jubao_reports depends on jubao_routing
    modules = ['jubao_reports']
    log(f"[bench] creating database {args.database} with "
        f"{', '.join(modules)}")
    create_database(args, modules)
    try:
        start = time.perf_counter()
        count = load_reports(args, routing)
        log(f"[bench] loaded {count} reports in "
            f"{time.perf_counter() - start:.1f} s")
        results = measure(args)
    finally:
        if not args.keep:
            import psycopg
            with psycopg.connect(args.uri.rstrip('/') + '/postgres',
                    autocommit=True) as conn:
                conn.execute(
                    f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    print(f"jubao_reports benchmark: {args.n} reports"
        f"{' (with routing data)' if routing else ''}")
    for name, seconds, detail in results:
        print(f"  {name:<50} {seconds:8.2f} s   ({detail})")


if __name__ == '__main__':
    main()
