#!/usr/bin/env python3
"""Scale benchmark (issue 10): each figure beside an anchor measured in the
same run (raw SQL or the plain library doing the same work) and the ratio.

    .venv/bin/python benchmarks/bench_scale.py [-n 10000] [--only a,b]
        [--json out.json] [--keep] [--template DB]

Figures, in this order: analysis, list (list page and number/summary
search), reminders, repeats, ledger, registration.  The corpus is built by
``corpus.py`` (COPY); the database is dropped at the end unless --keep.
Nothing here is a test: the tests assert correctness, never time.
"""
import argparse
import datetime as dt
import json
import os
import secrets
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import corpus  # noqa: E402
from figures import ROWS, print_table, record, record_info  # noqa: E402

FIGURES = ['analysis', 'list', 'reminders', 'repeats', 'ledger',
    'worker_export', 'registration']


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-n', type=int, default=10000)
    parser.add_argument('--database', default='jubao_bench_scale')
    parser.add_argument('--template', default=None)
    parser.add_argument('--uri', default=os.environ.get('JUBAO_TEST_PG',
            'postgresql://root@127.0.0.1:5432/'))
    parser.add_argument('--only', default=','.join(FIGURES))
    parser.add_argument('--json')
    parser.add_argument('--keep', action='store_true',
        help="keep the database (and what was loaded, in .cache/)")
    parser.add_argument('--reuse', action='store_true',
        help="measure on the database a run with --keep left, if any, "
        "instead of loading a new corpus")
    parser.add_argument('--seed', type=int, default=2026)
    parser.add_argument('--seconds', type=int, default=20,
        help="duration of each concurrent registration run")
    parser.add_argument('--workers', type=int, default=2,
        help="gunicorn workers serving the registrations (deploy/run.sh "
        "app); 0: the single-process trytond development server")
    return parser.parse_args()


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def p95(samples):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(round(0.95 * len(samples))))]


def sql_time(cursor, query, params=(), repeat=5):
    "p95 of a raw SQL query run ``repeat`` times (fetching every row)."
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        cursor.execute(query, params)
        cursor.fetchall()
        samples.append(time.perf_counter() - start)
    return p95(samples)


def last_quarter(today):
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first - dt.timedelta(days=1)
    return dt.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


# -- figures ----------------------------------------------------------------

# The figures of Analysis.compute() by hand-written SQL (the honest anchor):
# the reports table (totals, the report's eight dimensions, indicators,
# trend, backlog), the reported persons' four dimensions with the key
# persons, the categories and the deadlines of the period.  %(c0)s etc.
# are the windows; only the labels and the Python rows are left to
# compute().
def _windows(condition=None, count='COUNT(*)', date='received_date'):
    "SQL of one count per window: current, previous, same period last year."
    extra = f' AND {condition}' if condition else ''
    return ',\n        '.join(
        f'{count} FILTER (WHERE {date} BETWEEN %({w}0)s AND %({w}1)s{extra})'
        for w in 'cpl')


IN_WINDOWS = """(received_date BETWEEN %(c0)s AND %(c1)s
        OR received_date BETWEEN %(p0)s AND %(p1)s
        OR received_date BETWEEN %(l0)s AND %(l1)s"""
# The figures of Analysis.compute() by hand-written SQL (the anchor)
ANALYSIS_SQL = [
    f"""SELECT channel, kind, scope, street, handling_office, state,
        disposition, truth, EXTRACT(YEAR FROM received_date) y,
        EXTRACT(MONTH FROM received_date) m,
        GROUPING(channel, kind, scope, street, handling_office, state,
            disposition, truth, EXTRACT(YEAR FROM received_date),
            EXTRACT(MONTH FROM received_date)),
        {_windows()},
        {_windows('real_name')},
        {_windows("channel = 'online'")},
        {_windows("scope = 'out_of_scope'")},
        {_windows('repeat_of IS NOT NULL')},
        COUNT(*) FILTER (WHERE received_date BETWEEN %(c0)s AND %(c1)s
            OR received_date BETWEEN %(l0)s AND %(l1)s),
        COUNT(*) FILTER (WHERE received_date BETWEEN %(y0)s AND %(c1)s
            AND state NOT IN ('draft', 'not_accepted', 'removed',
                'transferred')),
        COUNT(*) FILTER (WHERE received_date BETWEEN %(y0)s AND %(c1)s
            AND state NOT IN ('draft', 'not_accepted', 'removed',
                'transferred') AND concluded_date <= %(c1)s)
    FROM jubao_case
    WHERE state != 'draft' AND {IN_WINDOWS}
        OR received_date BETWEEN %(y0)s AND %(c1)s)
    GROUP BY GROUPING SETS ((), (channel), (kind), (scope), (street),
        (handling_office), (state), (disposition), (truth),
        (EXTRACT(YEAR FROM received_date), EXTRACT(MONTH FROM received_date)))
    """,
    f"""SELECT s.authority, s.rank, s.sector, s.unit, s.name,
        GROUPING(s.authority, s.rank, s.sector, s.unit, s.name),
        {_windows(count='COUNT(DISTINCT c.id)', date='c.received_date')},
        MAX(s.position) FILTER (WHERE c.received_date
            BETWEEN %(c0)s AND %(c1)s)
    FROM jubao_case c JOIN jubao_case_subject s ON s."case" = c.id
    WHERE c.state != 'draft' AND {IN_WINDOWS})
    GROUP BY GROUPING SETS ((s.authority), (s.rank), (s.sector), (s.unit),
        (s.name, s.unit))
    HAVING GROUPING(s.name) = 1 OR COUNT(DISTINCT c.id) FILTER (
        WHERE c.received_date BETWEEN %(c0)s AND %(c1)s) >= 3
    ORDER BY GROUPING(s.name), 7 DESC, s.name, s.unit
    """,
    f"""SELECT r.category,
        {_windows(count='COUNT(DISTINCT c.id)', date='c.received_date')}
    FROM jubao_case c JOIN "jubao_case-jubao_problem_category" r
        ON r."case" = c.id
    WHERE c.state != 'draft' AND {IN_WINDOWS})
    GROUP BY r.category
    """,
    """SELECT
        COUNT(*) FILTER (WHERE acceptance_notice_due BETWEEN %(c0)s AND %(c1)s
            AND (acceptance_notice_date IS NOT NULL
                OR acceptance_notice_due < %(today)s)),
        COUNT(*) FILTER (WHERE acceptance_notice_due BETWEEN %(c0)s AND %(c1)s
            AND acceptance_notice_date <= acceptance_notice_due),
        COUNT(*) FILTER (WHERE feedback_due BETWEEN %(c0)s AND %(c1)s
            AND (feedback_date IS NOT NULL OR feedback_due < %(today)s)),
        COUNT(*) FILTER (WHERE feedback_due BETWEEN %(c0)s AND %(c1)s
            AND feedback_date <= feedback_due)
    FROM jubao_case
    WHERE state != 'draft'
        AND (acceptance_notice_due BETWEEN %(c0)s AND %(c1)s
            OR feedback_due BETWEEN %(c0)s AND %(c1)s)
    """,
    """SELECT
        COUNT(*) FILTER (WHERE a.method = 'direct'
            AND (a.date IS NOT NULL OR a.due_date < %(today)s)),
        COUNT(*) FILTER (WHERE a.method = 'direct' AND a.date <= a.due_date),
        COUNT(*) FILTER (WHERE a.method = 'forward'
            AND (a.accepted_date IS NOT NULL OR a.due_date < %(today)s)),
        COUNT(*) FILTER (WHERE a.method = 'forward'
            AND a.accepted_date <= a.due_date),
        COUNT(*) FILTER (WHERE a.method = 'assign'
            AND (a.accepted_date IS NOT NULL OR a.due_date < %(today)s)),
        COUNT(*) FILTER (WHERE a.method = 'assign'
            AND a.accepted_date <= a.due_date)
    FROM jubao_case_assignment a JOIN jubao_case c ON c.id = a."case"
    WHERE c.state != 'draft' AND a.state != 'cancelled'
        AND a.method IN ('direct', 'forward', 'assign')
        AND a.due_date BETWEEN %(c0)s AND %(c1)s
    """,
    ]


def _distinct_windows(condition=None):
    return _windows(condition, count='COUNT(DISTINCT c.id)',
        date='c.received_date')


# The same figures of the reports, their persons and their categories in
# one GROUPING SETS query (every count distinct over the joined rows; the
# deadlines' two small queries are left out of it)
ANALYSIS_ONE_QUERY = f"""
    SELECT c.channel, c.kind, c.scope, c.street, c.handling_office, c.state,
        c.disposition, c.truth, EXTRACT(YEAR FROM c.received_date),
        EXTRACT(MONTH FROM c.received_date), s.authority, s.rank, s.sector,
        s.unit, s.name, r.category,
        GROUPING(c.channel, c.kind, c.scope, c.street, c.handling_office,
            c.state, c.disposition, c.truth,
            EXTRACT(YEAR FROM c.received_date),
            EXTRACT(MONTH FROM c.received_date), s.authority, s.rank,
            s.sector, s.unit, s.name, r.category),
        {_distinct_windows()},
        {_distinct_windows('c.real_name')},
        {_distinct_windows("c.channel = 'online'")},
        {_distinct_windows("c.scope = 'out_of_scope'")},
        {_distinct_windows('c.repeat_of IS NOT NULL')},
        COUNT(DISTINCT c.id) FILTER (WHERE c.received_date
            BETWEEN %(c0)s AND %(c1)s
            OR c.received_date BETWEEN %(l0)s AND %(l1)s),
        COUNT(DISTINCT c.id) FILTER (WHERE c.received_date
            BETWEEN %(y0)s AND %(c1)s AND c.state NOT IN ('draft',
                'not_accepted', 'removed', 'transferred')),
        COUNT(DISTINCT c.id) FILTER (WHERE c.received_date
            BETWEEN %(y0)s AND %(c1)s AND c.state NOT IN ('draft',
                'not_accepted', 'removed', 'transferred')
            AND c.concluded_date <= %(c1)s),
        MAX(s.position) FILTER (WHERE c.received_date
            BETWEEN %(c0)s AND %(c1)s)
    FROM jubao_case c
        LEFT JOIN jubao_case_subject s ON s."case" = c.id
        LEFT JOIN "jubao_case-jubao_problem_category" r ON r."case" = c.id
    WHERE c.state != 'draft' AND ({IN_WINDOWS.replace('received_date',
        'c.received_date')})
        OR c.received_date BETWEEN %(y0)s AND %(c1)s)
    GROUP BY GROUPING SETS ((), (c.channel), (c.kind), (c.scope), (c.street),
        (c.handling_office), (c.state), (c.disposition), (c.truth),
        (EXTRACT(YEAR FROM c.received_date),
            EXTRACT(MONTH FROM c.received_date)),
        (s.authority), (s.rank), (s.sector), (s.unit), (s.name, s.unit),
        (r.category))
    HAVING GROUPING(s.name) = 1 OR COUNT(DISTINCT c.id) FILTER (
        WHERE c.received_date BETWEEN %(c0)s AND %(c1)s) >= 3
    """


def bench_analysis(ctx):
    from trytond.modules.jubao_reports.engine import Analysis

    from jubao import periods
    start, end = last_quarter(dt.date.today())
    # The first call fills the process's caches (translations, messages,
    # record names) once per server process: shown apart, then compute()
    # is measured as the anchor is, p95 of repeated runs.
    cold, _ = timed(lambda: Analysis(start, end).compute())
    samples = [timed(lambda: Analysis(start, end).compute())[0]
        for _ in range(3)]
    cursor = ctx.cursor()
    previous = periods.previous_period(start, end)
    last_year = periods.same_period_last_year(start, end)
    params = {'c0': start, 'c1': end, 'p0': previous[0], 'p1': previous[1],
        'l0': last_year[0], 'l1': last_year[1],
        'y0': dt.date(end.year, 1, 1), 'today': dt.date.today()}
    anchor = []
    for _ in range(3):
        begin = time.perf_counter()
        for query in ANALYSIS_SQL:
            cursor.execute(query, params)
            cursor.fetchall()
        anchor.append(time.perf_counter() - begin)
    record(f'analysis {start}..{end} (same figures by hand SQL)',
        p95(samples), p95(anchor))
    # The former anchor: one GROUPING SETS query of the current window
    # only, six dimensions (it computes less than compute())
    single = sql_time(cursor, """
        SELECT c.channel, c.kind, c.scope, c.state, s.sector, s.rank,
            COUNT(DISTINCT c.id)
        FROM jubao_case c LEFT JOIN jubao_case_subject s ON s."case" = c.id
        WHERE c.received_date BETWEEN %s AND %s AND c.state != 'draft'
        GROUP BY GROUPING SETS ((), (c.channel), (c.kind), (c.scope),
            (c.state), (s.sector), (s.rank))""", (start, end), repeat=3)
    record('analysis vs one GROUPING SETS query (former anchor)',
        p95(samples), single)
    one = []
    for _ in range(3):
        begin = time.perf_counter()
        cursor.execute(ANALYSIS_ONE_QUERY, params)
        cursor.fetchall()
        one.append(time.perf_counter() - begin)
    record('analysis vs its figures in one GROUPING SETS query',
        p95(samples), p95(one))
    record_info('analysis first call in the process (s)', round(cold, 3))


def bench_list(ctx):
    from trytond.pool import Pool
    Case = Pool().get('jubao.case')
    names = ['number', 'received_date', 'channel', 'kind', 'summary',
        'state', 'handling_office']
    samples = []
    for _ in range(10):
        start = time.perf_counter()
        cases = Case.search([('state', '=', 'accepted'),
                ('channel', '=', 'letter')],
            order=[('received_date', 'DESC'), ('id', 'DESC')], limit=1000)
        Case.read([c.id for c in cases[:80]], names)
        samples.append(time.perf_counter() - start)
    cursor = ctx.cursor()
    anchor = sql_time(cursor, """
        WITH page AS (SELECT id FROM jubao_case
            WHERE state = 'accepted' AND channel = 'letter'
            ORDER BY received_date DESC, id DESC LIMIT 1000)
        SELECT number, received_date, channel, kind, summary, state,
            handling_office FROM jubao_case
        WHERE id IN (SELECT id FROM page) ORDER BY received_date DESC
        LIMIT 80""", repeat=10)
    record('list page p95 (1000 + read 80)', p95(samples), anchor)
    for field, needle in [('number', '%000123%'), ('summary', '%违规兼职%')]:
        samples = []
        for _ in range(10):
            start = time.perf_counter()
            Case.search([(field, 'ilike', needle)], limit=80)
            samples.append(time.perf_counter() - start)
        anchor = sql_time(cursor, f'SELECT id FROM jubao_case WHERE '
            f'{field} ILIKE %s LIMIT 80', (needle,), repeat=10)
        record(f'{field} ilike search p95', p95(samples), anchor)


def bench_reminders(ctx):
    from trytond.modules.jubao_intake.deadline import send_deadline_reminders
    from trytond.transaction import Transaction
    today = dt.date.today()
    cursor = ctx.cursor()
    cursor.execute('SELECT COUNT(*) FROM jubao_case_assignment')
    available = cursor.fetchone()[0]
    for count in [1000, 10000]:
        if count > available:
            # The corpus hands off about 30 % of the reports.
            record_info(f'reminders {count} overdue',
                f'not enough hand-offs ({available}): -n >= '
                f'{-(-count * 10 // 3) + 1000} needed')
            continue
        # Exactly ``count`` hand-offs overdue, rolled back afterwards.
        cursor.execute('SAVEPOINT bench_reminders')
        cursor.execute("UPDATE jubao_case_assignment SET state = 'accepted' "
            "WHERE state IN ('draft', 'sent')")
        cursor.execute("UPDATE jubao_case_assignment SET state = 'sent', "
            "accepted_date = NULL, due_date = %s WHERE id IN (SELECT id "
            "FROM jubao_case_assignment ORDER BY id LIMIT %s)",
            (today - dt.timedelta(days=10), count))
        Transaction().cache.clear()
        value, created = timed(send_deadline_reminders, today)
        anchor = sql_time(cursor, """
            SELECT a.id, a.due_date, a.to_office, c.number
            FROM jubao_case_assignment a JOIN jubao_case c ON c.id = a."case"
            WHERE a.state IN ('draft', 'sent') AND a.due_date <= %s
            ORDER BY a.due_date, a.id""", (today,), repeat=3)
        record(f'reminder job, {count} overdue ({len(created)} reminders)',
            value, anchor)
        # The same day again: everything is read, nothing is sent.
        Transaction().cache.clear()
        value, created = timed(send_deadline_reminders, today)
        record(f'same job again that day ({len(created)} reminders)',
            value, anchor)
        cursor.execute('ROLLBACK TO SAVEPOINT bench_reminders')
        Transaction().cache.clear()


def bench_repeats(ctx):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Case = pool.get('jubao.case')
    Repeat = pool.get('jubao.case.repeat')
    cursor = ctx.cursor()
    cursor.execute('SELECT COUNT(*) FROM jubao_case_subject WHERE name = %s',
        (ctx.corpus.top_name,))
    top_count = cursor.fetchone()[0]
    cursor.execute('SELECT s."case" FROM jubao_case_subject s '
        'JOIN jubao_case c ON c.id = s."case" WHERE s.name = %s '
        'ORDER BY c.received_date DESC LIMIT 30', (ctx.corpus.top_name,))
    ids = [r[0] for r in cursor]
    cursor.execute('SAVEPOINT bench_repeats')
    samples = []
    for case in Case.browse(ids):
        start = time.perf_counter()
        Repeat.propose([case])
        samples.append(time.perf_counter() - start)
    cursor.execute('ROLLBACK TO SAVEPOINT bench_repeats')
    anchor = sql_time(cursor, """
        SELECT c.id, c.repeat_tokens FROM jubao_case c
        WHERE c.id IN (SELECT "case" FROM jubao_case_subject WHERE name = %s)
            AND c.state != 'draft'
        ORDER BY c.received_date DESC, c.id DESC LIMIT 200""",
        (ctx.corpus.top_name,), repeat=10)
    record(f'repeat proposal p95, top name ({top_count} reports)',
        p95(samples), anchor)
    pairs = ctx.corpus.planted[:300]
    found = 0
    cursor.execute('SAVEPOINT bench_recall')
    for later, earlier in pairs:
        Transaction().cache.clear()
        Repeat.propose([Case(later)])
        cursor.execute('SELECT 1 FROM jubao_case_repeat WHERE "case" = %s '
            'AND candidate = %s', (later, earlier))
        found += cursor.fetchone() is not None
    cursor.execute('ROLLBACK TO SAVEPOINT bench_recall')
    Transaction().cache.clear()
    record_info('repeat recall on planted pairs',
        f'{found}/{len(pairs)} = {found / max(1, len(pairs)):.1%}')


def _reset_hwm():
    "Reset this process's peak RSS (Linux clear_refs 5); return RSS in MB."
    try:
        with open('/proc/self/clear_refs', 'w') as refs:
            refs.write('5')
    except OSError:
        pass
    return _status('VmRSS')


def _status(key):
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith(key + ':'):
                return int(line.split()[1]) / 1024
    return 0.0


def _anchor_ledger(ctx, start, end, columns):
    """Plain SQL with a server-side cursor written by xlsxwriter in
    constant-memory mode: (rows written, seconds).

    It writes the cells the ledger writes: as many per row, each one
    formatted (the ledger's cells are bordered, blanks included), dates as
    dates, text as text.  xlsxwriter skips a blank without a format, so an
    anchor writing ``None`` plainly would write a fifth fewer cells."""
    import psycopg
    import xlsxwriter
    begin = time.perf_counter()
    with psycopg.connect(ctx.uri.rstrip('/') + '/' + ctx.database) as conn, \
            tempfile.NamedTemporaryFile(suffix='.xlsx') as output:
        book = xlsxwriter.Workbook(output.name, {'constant_memory': True})
        sheet = book.add_worksheet()
        text = book.add_format({'border': 1, 'text_wrap': True,
                'valign': 'top'})
        date = book.add_format({'border': 1, 'num_format': 'yyyy-mm-dd',
                'valign': 'top'})
        with conn.cursor(name='anchor') as cursor:
            cursor.itersize = 2000
            cursor.execute("""
                SELECT c.number, c.received_date, c.channel, c.kind,
                    c.scope, c.real_name::text, r.name, r.phone, s.name,
                    s.unit, s.position, s.rank, c.summary, c.state,
                    c.disposition, c.truth, c.concluded_date
                FROM jubao_case c
                LEFT JOIN jubao_case_subject s ON s."case" = c.id
                LEFT JOIN jubao_case_reporter r ON r."case" = c.id
                WHERE c.received_date BETWEEN %s AND %s
                    AND c.state != 'draft'
                ORDER BY c.received_date, c.id""", (start, end))
            written = 0
            width = None
            for written, row in enumerate(cursor, 1):
                width = width or len(row)
                for col in range(columns):
                    value = row[col % width]
                    if value is None:
                        sheet.write_blank(written, col, None, text)
                    elif isinstance(value, dt.date):
                        sheet.write_datetime(written, col, value, date)
                    else:
                        sheet.write_string(written, col, value, text)
        book.close()
    return written, time.perf_counter() - begin


def bench_ledger(ctx, repeat=3):
    from trytond.modules.jubao_reports.ledger import Ledger, write_ledger
    year = dt.date.today().year - 1
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    # The ledger and its anchor run in turn ``repeat`` times and the best
    # of each is compared: two shared cores make one sample of each
    # mostly a measure of the neighbours' load.
    samples, anchor_samples = [], []
    for run in range(repeat):
        base = _reset_hwm()
        with tempfile.NamedTemporaryFile(suffix='.xlsx') as output:
            ledger = Ledger('register', start, end, with_reporters=True)
            seconds, rows = timed(write_ledger, ledger, output.name)
        samples.append(seconds)
        if not run:
            process_hwm = _status('VmHWM')
            hwm = process_hwm - base
        columns = len(ledger.columns())
        # Anchor: the same number of rows and cells.
        anchor_base = _reset_hwm()
        written, anchor_seconds = _anchor_ledger(ctx, start, end, columns)
        anchor_samples.append(anchor_seconds)
        if not run:
            anchor_hwm = _status('VmHWM') - anchor_base
    seconds, anchor_seconds = min(samples), min(anchor_samples)
    rate = rows / seconds if seconds else 0
    anchor_rate = written / anchor_seconds if anchor_seconds else 0
    record(f'ledger {year}: rows/s ({rows} rows x {columns} cols; '
        f'anchor {written} joined rows), best of {repeat}', rate,
        anchor_rate, unit='rows/s')
    record_info('ledger rows/s of each run (ledger / anchor)', ', '.join(
            f'{rows / a:.0f}/{written / b:.0f}'
            for a, b in zip(samples, anchor_samples)))
    record('ledger RSS high-water above start (MB), first run',
        hwm, anchor_hwm, unit='MB')
    record_info('ledger process RSS high-water (MB), first run',
        round(process_hwm, 1))


def _group_memory(pgid):
    "{pid: (VmRSS, VmHWM) in MB} of the processes of the group ``pgid``."
    result = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat') as stat:
                fields = stat.read().rsplit(')', 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            with open(f'/proc/{entry}/status') as status:
                values = dict(line.split(':', 1) for line in status)
            result[int(entry)] = tuple(int(values[k].split()[0]) / 1024
                for k in ('VmRSS', 'VmHWM'))
        except (OSError, KeyError, IndexError, ValueError):
            continue
    return result


def _run_export_job(ctx, start, end, timeout=1800):
    """Queue a ledger export as admin (committed) and wait for the worker:
    (seconds, state, rows)."""
    from trytond import config
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Job = Pool().get('jubao.export.job')
    config.set('queue', 'worker', 'True')
    try:
        with Transaction().new_transaction() as transaction, \
                transaction.set_user(1):
            job = Job.enqueue('register', start, end)
            job_id = job.id
            transaction.commit()
    finally:
        config.set('queue', 'worker', 'False')
    begin = time.perf_counter()
    while time.perf_counter() - begin < timeout:
        with Transaction().new_transaction(readonly=True) as transaction:
            cursor = transaction.connection.cursor()
            cursor.execute('SELECT state, rows FROM jubao_export_job '
                'WHERE id = %s', (job_id,))
            state, rows = cursor.fetchone()
        if state in {'done', 'failed'}:
            return time.perf_counter() - begin, state, rows
        time.sleep(0.2)
    return time.perf_counter() - begin, 'timeout', 0


def bench_worker_export(ctx):
    """Ledgers exported in the background by ``deploy/run.sh worker``
    (trytond-worker): last year's, then every year of the corpus; the
    worker processes' RSS high-water after each against before it."""
    import signal
    import subprocess
    year = dt.date.today() - dt.timedelta(days=365)
    env = dict(os.environ,
        PATH=os.path.join(ROOT, '.venv', 'bin') + os.pathsep
        + os.environ.get('PATH', ''),
        JUBAO_DB=ctx.database, JUBAO_QUEUE_WORKERS='1',
        TRYTOND_CONFIG=os.path.join(ROOT, 'trytond.conf'),
        TRYTOND_DATABASE__URI=ctx.uri, TRYTOND_QUEUE__WORKER='True')
    env.pop('TRYTOND_DATABASE_URI', None)
    process = subprocess.Popen(
        [os.path.join(ROOT, 'deploy', 'run.sh'), 'worker'], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    cursor = ctx.cursor()
    cursor.execute("SELECT MIN(received_date) FROM jubao_case "
        "WHERE state != 'draft'")
    first, = cursor.fetchone()
    periods = [(dt.date(year.year, 1, 1), dt.date(year.year, 12, 31))]
    if first and first.year < year.year:
        # Every year of the corpus: a million rows at N = 1,000,000
        periods.append((dt.date(first.year, 1, 1), periods[0][1]))
    try:
        # A one-day export first: the worker loads its pool of modules
        day = dt.date(year.year, 1, 5)
        _run_export_job(ctx, day, day)
        for start, end in periods:
            before = _group_memory(process.pid)
            seconds, state, rows = _run_export_job(ctx, start, end)
            after = _group_memory(process.pid)
            label = f'worker export {start}..{end}'
            record_info(f'{label}: state, rows, seconds', f'{state}, {rows}, '
                f'{seconds:.1f} s ({rows / seconds:.0f} rows/s)')
            # The task runs in one of the pool's processes: the highest
            record(f'{label}: worker RSS high-water after vs before (MB)',
                max(hwm for _, hwm in after.values()),
                max(hwm for _, hwm in before.values()), unit='MB')
            record_info(f'{label}: RSS of the worker processes after (MB)',
                ', '.join(f'{rss:.0f}' for _, (rss, _) in sorted(
                        after.items())))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


class Client:
    "A JSON-RPC client of the trytond server, logged in as admin."

    def __init__(self, port, database, password):
        self.url = f'http://127.0.0.1:{port}/{database}/rpc/'
        user_id, key, _ = self.call('common.db.login',
            ['admin', {'password': password}, 'zh_CN'], auth=False)
        import base64
        self.token = base64.b64encode(
            f'admin:{user_id}:{key}'.encode()).decode()

    def call(self, method, params, auth=True):
        import urllib.request
        request = urllib.request.Request(self.url, data=json.dumps(
                {'id': 1, 'method': method, 'params': params}).encode(),
            headers={'Content-Type': 'application/json'})
        if auth:
            request.add_header('Authorization', 'Session ' + self.token)
        with urllib.request.urlopen(request, timeout=120) as response:
            data = json.loads(response.read())
        if 'error' in data:
            raise RuntimeError(str(data['error'])[:200])
        return data['result']

    def register(self, index):
        day = dt.date.today() - dt.timedelta(days=1)
        case_id, = self.call('model.jubao.case.create', [[{
                        'channel': 'letter',
                        'summary': f'基准测试登记举报{index}',
                        'received_date': {'__class__': 'date',
                            'year': day.year, 'month': day.month,
                            'day': day.day},
                        'subjects': [('create', [{'name': f'基准某{index}'}])],
                        }], {}])
        self.call('model.jubao.case.register', [[case_id], {}])


def _set_admin_password(database):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    password = secrets.token_urlsafe(18)
    with Transaction().start(database, 0):
        pool = Pool()
        User = pool.get('res.user')
        # The clerks' group may press "register".
        clerk = pool.get('ir.model.data').get_id('jubao_intake', 'group_clerk')
        User.write(User.search([('login', '=', 'admin')]),
            {'password': password, 'groups': [('add', [clerk])]})
    return password


def _numbers_gapless(cursor, year):
    cursor.execute('SELECT number FROM jubao_case WHERE number LIKE %s',
        (f'%〔{year}〕%',))
    import re
    seq = sorted(int(re.findall(r'(\d+)号', n)[-1]) for n, in cursor)
    return seq == list(range(1, len(seq) + 1)), len(seq)


def _raw_register(conn, index, year):
    "The anchor: the same rows by plain SQL, the counter taken in it."
    with conn.transaction():
        last, = conn.execute('UPDATE jubao_case_counter SET last = last + 1 '
            'WHERE year = %s RETURNING last', (year,)).fetchone()
        case_id, = conn.execute("INSERT INTO jubao_case (create_uid, "
            "create_date, channel, received_date, summary, state, number, "
            "real_name) VALUES (1, now(), 'letter', %s, %s, 'registered', "
            "%s, false) RETURNING id", (dt.date.today(), f'原始{index}',
                f'信访〔{year}〕第{last:06d}号')).fetchone()
        conn.execute('INSERT INTO jubao_case_subject ("case", create_uid, '
            'create_date, name, authority) VALUES (%s, 1, now(), %s, '
            "'district')",
            (case_id, f'原始某{index}'))


def bench_registration(ctx):
    import subprocess
    import threading
    import psycopg
    sys.path.insert(0, os.path.join(ROOT, 'tests'))
    from servers import start_trytond, stop_trytond
    from app_server import start_app, stop_app
    if ctx.workers:
        # The production topology: gunicorn with N worker processes
        process, port = start_app(ctx.database, ctx.uri, ctx.workers)
        stop = stop_app
    else:
        env = dict(os.environ,
            TRYTOND_CONFIG=os.path.join(ROOT, 'trytond.conf'),
            TRYTOND_DATABASE__URI=ctx.uri)
        env.pop('TRYTOND_DATABASE_URI', None)
        process, port = start_trytond(ctx.database, env, timeout=120)
        stop = stop_trytond
    server = (f'gunicorn, {ctx.workers} workers' if ctx.workers
        else 'one trytond process')
    record_info('registration server', server)
    try:
        client = Client(port, ctx.database, ctx.password)
        # Names of this run only: a run on a kept database (--reuse) finds
        # no repeat candidates left by an earlier run
        run = secrets.token_hex(3)
        client.register(f'{run}-warm')  # warm the server's pool
        samples = []
        for index in range(30):
            start = time.perf_counter()
            client.register(f'{run}-{index}')
            samples.append(time.perf_counter() - start)
        year = (dt.date.today() - dt.timedelta(days=1)).year
        with psycopg.connect(ctx.uri.rstrip('/') + '/' + ctx.database,
                autocommit=True) as conn:
            raw = []
            for index in range(30):
                start = time.perf_counter()
                _raw_register(conn, index, year)
                raw.append(time.perf_counter() - start)
        record('registration RPC p50 (s)', statistics.median(samples),
            statistics.median(raw))
        record('registration RPC p95 (s)', p95(samples), p95(raw))
        for clients in [8, 16]:
            done, failed = [0], [0]
            until = time.monotonic() + ctx.seconds

            def work(worker):
                mine = Client(port, ctx.database, ctx.password)
                index = 0
                while time.monotonic() < until:
                    index += 1
                    try:
                        mine.register(f'{run}-{clients}-{worker}-{index}')
                        done[0] += 1
                    except Exception:
                        failed[0] += 1
            threads = [threading.Thread(target=work, args=(w,))
                for w in range(clients)]
            begin = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - begin
            time.sleep(2)  # numbers deferred to after a commit
            with psycopg.connect(ctx.uri.rstrip('/') + '/' + ctx.database,
                    autocommit=True) as conn:
                gapless, count = _numbers_gapless(conn.cursor(), year)
                unnumbered, = conn.execute("SELECT COUNT(*) FROM jubao_case "
                    "WHERE state = 'registered' AND number IS NULL"
                    ).fetchone()
            record(f'registration {clients} clients {ctx.seconds}s: '
                f'{done[0]} ok, {failed[0]} failed; reports/s',
                done[0] / elapsed, 1 / statistics.median(raw),
                unit='/s')
            record_info(f'numbers {year} after {clients} clients',
                f'gapless+unique={gapless}, {count} numbers, '
                f'{unnumbered} registered without number')
    finally:
        stop(process)


# -- driver -----------------------------------------------------------------

class Context:
    def __init__(self, args, loaded):
        self.uri, self.database = args.uri, args.database
        self.corpus = loaded
        self.workers = args.workers

    def cursor(self):
        from trytond.transaction import Transaction
        return Transaction().connection.cursor()


def measure(args, loaded, only):
    from trytond import config
    config.update_etc(os.path.join(ROOT, 'trytond.conf'))
    config.set('database', 'uri', args.uri)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    Pool(args.database).init()
    ctx = Context(args, loaded)
    ctx.seconds = args.seconds
    # deploy/run.sh runs trytond with -O: its asserts cost a list page most
    # of its time
    record_info('assertions in this process', 'on' if __debug__ else
        'off (PYTHONOPTIMIZE=1, as in production)')
    if 'registration' in only:
        ctx.password = _set_admin_password(args.database)
    for name in FIGURES:
        if name not in only:
            continue
        with Transaction().start(args.database, 0,
                context={'language': 'zh_CN'}) as transaction:
            try:
                globals()['bench_' + name](ctx)
            except Exception as exception:
                record_info(name, f'failed: {exception!r}')
            finally:
                transaction.rollback()


def print_summary(args, load_seconds):
    print_table(f"jubao scale benchmark: {args.n} reports, "
        f"{dt.date.today()}, {os.cpu_count()} CPUs, "
        f"load {load_seconds:.1f} s", width=58)


def main():
    args = parse_args()
    only = set(args.only.split(','))
    kept = os.path.join(ROOT, '.cache', f'{args.database}.corpus.json')
    built = None
    reuse = (args.reuse and os.path.exists(kept)
        and corpus.exists(args.uri, args.database))
    if reuse:
        loaded, load_seconds = corpus.Corpus.read(kept), 0
        corpus.log(f"[bench] reusing {args.database} ({loaded.reports} "
            "reports)")
    else:
        built = corpus.create_database(args.uri, args.database, args.template)
    try:
        if not reuse:
            load_seconds, loaded = timed(corpus.load, args.uri,
                args.database, args.n, args.seed)
            corpus.log(f"[bench] loaded {loaded.reports} in "
                f"{load_seconds:.1f} s")
        if args.keep:
            os.makedirs(os.path.dirname(kept), exist_ok=True)
            loaded.save(kept)
        measure(args, loaded, only)
    finally:
        if not args.keep:
            corpus.drop_database(args.uri, args.database)
            if built:
                corpus.drop_database(args.uri, built)
    print_summary(args, load_seconds)
    if args.json:
        with open(args.json, 'w') as output:
            json.dump({'n': args.n, 'date': str(dt.date.today()),
                    'load_seconds': load_seconds, 'figures': ROWS},
                output, ensure_ascii=False, indent=1)


if __name__ == '__main__':
    main()
