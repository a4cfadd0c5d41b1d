#!/usr/bin/env python3
"""Portal benchmark (issue 13): N citizen submissions from C concurrent
clients over HTTP, each figure beside an anchor measured in the same run.

    .venv/bin/python benchmarks/bench_portal.py [--count 1000]
        [--clients 20] [--workers N] [--difficulty 8] [--keep]

The database is a copy of the benchmark template (``corpus.py``: every
module, the portal included); the server is the production one,
``deploy/run.sh app`` (gunicorn, ``--workers`` processes, one shared
``[portal] secret``).  Each client does what a browser does: GET the form
(CSRF token, form key, proof-of-work challenge), solve the challenge,
POST the form with a real PNG.  Afterwards the database is checked: every
submission stored once with its report, references and query codes (their
hashes) unique, no receipt lost.

Anchors, and why:
- latency: the GET of the same form by the same clients in the same run,
  interleaved with the POSTs under the same load: the same server, route
  wrapper, transaction and template; the ratio is the cost of the
  submission itself (checks, password hashing, the ORM writes, the file).
- throughput: the same clients doing only GETs of the form, and plain
  psycopg INSERTs of a row with the same data from the same number of
  threads (the database's floor).
- the query password's hash (res.user's, Argon2id), timed alone after the
  run: the largest single cost of a submission, by design.

All clients come from 127.0.0.1, so the rate limits are raised with
``[portal] rate_scale`` (documented in the module's README); the proof of
work is set to ``--difficulty`` bits (16 in production): it is the
client's work, not the server's, and on this machine client and server
share the CPUs.  Its cost at 16 bits is printed for information.
Nothing here is a test.
"""
import argparse
import datetime as dt
import hashlib
import os
import re
import secrets
import statistics
import struct
import sys
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import corpus  # noqa: E402
from app_server import start_app, stop_app  # noqa: E402
from figures import (  # noqa: E402
    percentile, print_table, record, record_info)
from jubao import portal  # noqa: E402

CONTENT = ('某局科长在老旧小区改造工程招标中多次收受施工单位负责人所送购物卡，'
    '并违规指定中标单位，相关转账记录和聊天截图见附件。编号')
PASSWORD = 'chaxun-2026-mima'


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--count', type=int, default=1000)
    parser.add_argument('--clients', type=int, default=20)
    parser.add_argument('--workers', type=int, default=os.cpu_count() or 2,
        help="gunicorn worker processes")
    parser.add_argument('--difficulty', type=int, default=8,
        help="proof-of-work bits asked of the clients")
    parser.add_argument('--database', default='jubao_bench_portal')
    parser.add_argument('--template', default=None)
    parser.add_argument('--uri', default=os.environ.get('JUBAO_TEST_PG',
            'postgresql://root@127.0.0.1:5432/'))
    parser.add_argument('--keep', action='store_true')
    return parser.parse_args()


def valid_id_number(index):
    "A valid 18-digit resident ID number (python-stdnum's check digit)."
    from stdnum.cn import ric
    base = '110105%s%03d' % (
        (dt.date(1960, 1, 1) + dt.timedelta(days=index * 7)).strftime(
            '%Y%m%d'), index % 1000)
    return base + ric.calc_check_digit(base + '0')


def make_png(seed):
    "A small real PNG, different for each submission."
    width, height = 32, 24
    rows = b''.join(b'\x00' + bytes((seed + x * y) % 256
            for x in range(width * 3)) for y in range(height))

    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
            + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    return (b'\x89PNG\r\n\x1a\n'
        + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
        + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


# -- the server ---------------------------------------------------------------

def start_server(args):
    "deploy/run.sh app (gunicorn) on a free port; (process, base URL)."
    process, port = start_app(args.database, args.uri, args.workers,
        ready_path=f'{args.database}/portal/', env={
            'TRYTOND_PORTAL__SECRET': secrets.token_urlsafe(32),
            'TRYTOND_PORTAL__DIFFICULTY': str(args.difficulty),
            'TRYTOND_PORTAL__RATE_SCALE': str(max(1000, 10 * args.count)),
            })
    return process, f'http://127.0.0.1:{port}/{args.database}/portal/'


# -- the clients --------------------------------------------------------------

FIELD = re.compile(r'name="(csrf|form_key|pow_challenge)" value="([^"]*)"')
CODE = re.compile(r'id="query-code">([0-9A-Z-]+)<')
REFERENCE = re.compile(r'提交编号：(WB\w+)')


class Citizen:
    "One client: its own connection and cookies, like one browser."

    def __init__(self, base, difficulty):
        import urllib3
        self.base = base
        self.difficulty = difficulty
        self.http = urllib3.PoolManager(maxsize=1, retries=False,
            timeout=urllib3.Timeout(total=300))
        self.cookies = {}

    def request(self, method, path, **kwargs):
        headers = kwargs.pop('headers', {})
        if self.cookies:
            headers['Cookie'] = '; '.join(
                f'{k}={v}' for k, v in self.cookies.items())
        response = self.http.request(method, self.base + path,
            headers=headers, redirect=False, **kwargs)
        for value in response.headers.getlist('Set-Cookie'):
            name, _, rest = value.partition('=')
            self.cookies[name.strip()] = rest.split(';', 1)[0]
        return response

    def get_form(self):
        start = time.perf_counter()
        response = self.request('GET', 'report')
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f'GET report: {response.status}')
        return elapsed, dict(FIELD.findall(response.data.decode()))

    def submit(self, index):
        "(GET seconds, POST seconds, code, reference) of one submission."
        get_time, fields = self.get_form()
        fields['pow_counter'] = portal.solve(fields['pow_challenge'],
            self.difficulty)
        real = index % 2 == 0
        fields.update({
                'confirm': 'yes', 'kind': 'accusation', 'target': '',
                'real_name': 'yes' if real else 'no',
                'subject_name': '张某%d' % index, 'subject_unit': '区住建局',
                'subject_position': '科长', 'subject_rank': 'township',
                'problem_place': '某小区', 'content': CONTENT + str(index),
                'password': PASSWORD, 'password2': PASSWORD,
                })
        if real:
            fields.update({'name': '李四', 'id_number': valid_id_number(index),
                    'phone': '138%08d' % index, 'address': '区政府路1号'})
        fields = list(fields.items()) + [('files', ('现场照片%d.png' % index,
                    make_png(index), 'image/png'))]
        start = time.perf_counter()
        response = self.request('POST', 'report', fields=fields)
        post_time = time.perf_counter() - start
        text = response.data.decode()
        code = CODE.search(text)
        reference = REFERENCE.search(text)
        if response.status != 200 or not code or not reference:
            raise RuntimeError('refused (%s): %s' % (response.status,
                    re.findall(r'role="alert">([^<]*)<', text)))
        return get_time, post_time, code.group(1), reference.group(1)


def run_clients(count, clients, job):
    "Run ``job(citizen_index, item)`` for ``count`` items over ``clients``."
    results, errors = [None] * count, []
    lock = threading.Lock()
    items = iter(range(count))

    def worker(number):
        while True:
            with lock:
                item = next(items, None)
            if item is None:
                return
            try:
                results[item] = job(number, item)
            except Exception as exception:
                with lock:
                    errors.append(repr(exception))
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    return time.perf_counter() - start, results, errors


# -- the anchors ----------------------------------------------------------------

def insert_anchor(args, count, clients):
    "Plain INSERTs of a row with a submission's data, from ``clients``."
    import psycopg
    uri = args.uri.rstrip('/') + '/' + args.database
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute("""CREATE TABLE bench_portal_anchor (id serial PRIMARY
            KEY, reference varchar UNIQUE, code_hash varchar UNIQUE,
            password_hash varchar, content text, subject varchar,
            file bytea, submitted_at timestamp)""")
    local = threading.local()
    png = make_png(1)

    def job(number, item):
        if not hasattr(local, 'conn'):
            local.conn = psycopg.connect(uri, autocommit=True)
        local.conn.execute("""INSERT INTO bench_portal_anchor (reference,
                code_hash, password_hash, content, subject, file,
                submitted_at) VALUES (%s, %s, %s, %s, %s, %s, now())""",
            ('WB%08d' % item, hashlib.sha256(b'%d' % item).hexdigest(),
                '$argon2id$' + secrets.token_hex(32), CONTENT + str(item),
                '张某%d' % item, png))
    elapsed, _, errors = run_clients(count, clients, job)
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute("DROP TABLE bench_portal_anchor")
    if errors:
        raise RuntimeError(errors[0])
    return count / elapsed


def check_database(args, receipts):
    "What the database holds after the run, against the receipts."
    import psycopg
    uri = args.uri.rstrip('/') + '/' + args.database
    with psycopg.connect(uri) as conn:
        stored, references, codes, keys, cases = conn.execute("""
            SELECT count(*), count(DISTINCT reference),
                count(DISTINCT code_hash), count(DISTINCT form_key),
                count(DISTINCT "case") FROM jubao_portal_submission""",
            ).fetchone()
        online, online_refs, files = conn.execute("""
            SELECT count(*), count(DISTINCT online_reference),
                (SELECT count(*) FROM ir_attachment
                    WHERE jubao_portal_upload)
            FROM jubao_case WHERE channel = 'online'""").fetchone()
        hashes = {row[0] for row in conn.execute(
                "SELECT code_hash FROM jubao_portal_submission")}
        by_reference = dict(conn.execute(
                "SELECT reference, code_hash FROM jubao_portal_submission"))
    lost = sum(1 for code, reference in receipts
        if by_reference.get(reference) != portal.hash_code(code))
    record_info('submissions stored / receipts', f'{stored} / {len(receipts)}')
    record_info('distinct references, query-code hashes, form keys, reports',
        f'{references}, {codes}, {keys}, {cases}')
    record_info('online reports, distinct references, portal files',
        f'{online}, {online_refs}, {files}')
    record_info('receipts whose code is not stored with its reference', lost)
    record_info('distinct codes handed out', len({c for c, _ in receipts}))
    ok = (stored == len(receipts) == references == codes == keys == cases
        == online == online_refs == files == len(hashes)
        and lost == 0 and len({c for c, _ in receipts}) == len(receipts))
    return ok


def password_hash_time(samples=5):
    "Median seconds of res.user's hashing of the query password."
    from trytond.res.user import PASSWORD_HASH
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        PASSWORD_HASH.hash(PASSWORD)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pow_cost(difficulty=16, samples=20):
    "Median seconds a client spends on one challenge (CPython, one core)."
    times = []
    for _ in range(samples):
        challenge = portal.issue_challenge(secrets.token_bytes(16),
            difficulty)
        start = time.perf_counter()
        portal.solve(challenge, difficulty)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# -- driver ---------------------------------------------------------------------

def measure(args, base):
    citizens = [Citizen(base, args.difficulty) for _ in range(args.clients)]
    # Warm every worker (pool, templates) before measuring
    run_clients(4 * args.workers, args.clients,
        lambda number, item: citizens[number].get_form())

    elapsed, gets, errors = run_clients(args.count, args.clients,
        lambda number, item: citizens[number].get_form()[0])
    if errors:
        raise RuntimeError(errors[0])
    get_only_rate = args.count / elapsed

    elapsed, results, errors = run_clients(args.count, args.clients,
        lambda number, item: citizens[number].submit(item))
    done = [r for r in results if r is not None]
    record_info(f'submissions {args.count} from {args.clients} clients, '
        f'{args.workers} workers', f'{len(done)} ok, {len(errors)} failed '
        f'in {elapsed:.1f} s' + (f'; first error {errors[0]}'
            if errors else ''))
    get_times = [r[0] for r in done]
    post_times = [r[1] for r in done]
    record('submit POST p50 (s) | anchor GET form p50', statistics.median(
            post_times), statistics.median(get_times))
    record('submit POST p95 (s) | anchor GET form p95', percentile(
            post_times, 0.95), percentile(get_times, 0.95))
    record('submissions/s (GET+PoW+POST) | anchor GET-only/s',
        len(done) / elapsed, get_only_rate, unit='/s')
    record('submit POST p50 (s) | anchor one password hash (res.user)',
        statistics.median(post_times), password_hash_time())
    insert_rate = insert_anchor(args, args.count, args.clients)
    record('submissions/s | anchor psycopg INSERT/s', len(done) / elapsed,
        insert_rate, unit='/s')
    ok = check_database(args, [(r[2], r[3]) for r in done])
    record_info('all stored once, unique, none lost',
        'yes' if ok and not errors else 'NO')
    record_info(f'proof of work at 16 bits, one client (CPython), s',
        f'{pow_cost():.3f}')
    return ok and not errors


def print_summary(args):
    print_table(f"jubao portal benchmark: {args.count} submissions, "
        f"{args.clients} clients, {args.workers} workers, difficulty "
        f"{args.difficulty}, {dt.date.today()}, {os.cpu_count()} CPUs")


def main():
    args = parse_args()
    built = corpus.create_database(args.uri, args.database, args.template)
    process = None
    ok = False
    try:
        process, base = start_server(args)
        ok = measure(args, base)
    finally:
        if process is not None:
            stop_app(process)
        if not args.keep:
            corpus.drop_database(args.uri, args.database)
            if built:
                corpus.drop_database(args.uri, built)
    print_summary(args)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
