"""Production deployment (issue 10, items 6-8).

Over real processes on PostgreSQL: ``scripts/serve.sh`` (gunicorn with two
workers, trytond-cron, trytond-worker) serving JSON-RPC, a report
registered, a cron job and a queue task run, and every process gone after
SIGTERM; ``scripts/backup.sh`` round trip of database and filestore.
Without a container runtime: docker-compose.yml runs the same commands
(deploy/run.sh) as serve.sh, with volumes and health checks.
"""
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from .servers import activated_database, free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.dirname(sys.executable)
PG_URI = os.environ.get('TRYTOND_DATABASE_URI', '')
STRONG = 'Zh3n#Kq8vB!t'
CREATE_USERS = """
import sys
from trytond.pool import Pool
from trytond.transaction import Transaction
Pool.start()
pool = Pool(sys.argv[1]); pool.init()
with Transaction().start(sys.argv[1], 0, context={'language': 'zh_CN'}) as t:
    from trytond.modules.jubao_intake import demo
    demo.load_users()
    t.commit()
"""


def pg(database='postgres'):
    import psycopg
    return psycopg.connect(PG_URI.rstrip('/') + '/' + database,
        autocommit=True)


def drop(name):
    with pg() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def set_admin_password(database, env):
    "Give admin a password the production policy accepts."
    with tempfile.NamedTemporaryFile('w', suffix='.pass') as fp:
        fp.write(STRONG)
        fp.flush()
        subprocess.run([os.path.join(VENV_BIN, 'trytond-admin'),
                '-d', database, '--password'],
            env=dict(env, TRYTONPASSFILE=fp.name), check=True,
            capture_output=True)


def group_pids(pgid):
    "Processes still in the process group ``pgid``."
    out = subprocess.run(['ps', '-eo', 'pid=,pgid='], capture_output=True,
        text=True).stdout
    return [int(p) for p, g in (line.split() for line in out.splitlines())
        if int(g) == pgid]


@unittest.skipUnless(PG_URI.startswith('postgresql'), "needs PostgreSQL")
class ServeTestCase(unittest.TestCase):
    "bin/jubao serve: the production processes on one machine"

    @classmethod
    def setUpClass(cls):
        cls.database = os.environ.get('DB_NAME', 'jubao_test') + '_serve'
        cls.tmp = tempfile.mkdtemp(prefix='jubao_serve_')
        activated_database(cls.database)
        cls.env = {k: v for k, v in os.environ.items()
            if not k.startswith('TRYTOND_PASSWORD__')}
        cls.env.update(TRYTOND_CONFIG=os.path.join(ROOT, 'trytond.conf'),
            TRYTOND_DATABASE__URI=PG_URI)
        set_admin_password(cls.database, cls.env)
        # The demo users (clerk/jubao-2026 registers reports), created with
        # the demo's relaxed password rules; the server is production.
        sys.path.insert(0, os.path.join(ROOT, 'scripts'))
        import demo_config
        demo_env = dict(cls.env, **demo_config.DEMO_PASSWORD_ENV,
            TRYTOND_CONFIG=demo_config.write(
                os.path.join(cls.tmp, 'trytond-demo.conf')))
        subprocess.run([sys.executable, '-c', CREATE_USERS, cls.database],
            env=demo_env, check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        drop(cls.database)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def start(self, *args):
        # Its own session: the test finds every descendant by group.
        process = subprocess.Popen(
            [os.path.join(ROOT, 'scripts', 'serve.sh'), *args],
            env=self.env, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, start_new_session=True)
        return process

    def rpc(self, method, params, auth=None, database=None):
        url = f'http://127.0.0.1:{self.port}/{database or self.database}/rpc/'
        request = urllib.request.Request(url, data=json.dumps(
                {'id': 1, 'method': method, 'params': params}).encode(),
            headers={'Content-Type': 'application/json'})
        if auth:
            import base64
            token = base64.b64encode(':'.join(map(str, auth)).encode())
            request.add_header('Authorization', 'Session ' + token.decode())
        with urllib.request.urlopen(request, timeout=60) as response:
            data = json.loads(response.read())
        self.assertNotIn('error', data, data)
        return data['result']

    def wait_healthy(self, process, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.assertIsNone(process.poll(), process.stderr.read()
                if process.poll() is not None else '')
            # sao's page, served by trytond ([web] root), as the proxy checks
            try:
                with urllib.request.urlopen(
                        f'http://127.0.0.1:{self.port}/', timeout=10) as r:
                    return r.status
            except (OSError, urllib.error.URLError):
                time.sleep(0.5)
        self.fail("serve.sh did not answer")

    def wait_for(self, query, timeout=60):
        "Poll the database until ``query`` returns a true first value."
        deadline = time.monotonic() + timeout
        with pg(self.database) as conn:
            while time.monotonic() < deadline:
                row = conn.execute(query).fetchone()
                if row and row[0]:
                    return row[0]
                time.sleep(0.5)
        self.fail(f"timed out waiting for {query}")

    def test_refuses_sqlite(self):
        "serve.sh refuses SQLite with a Chinese message"
        process = self.start('--database', 'sqlite://', '--name', 'x')
        _, err = process.communicate(timeout=60)
        self.assertEqual(process.returncode, 2)
        self.assertIn('只支持 PostgreSQL', err)

    def test_refuses_missing_database(self):
        "serve.sh refuses a database without the jubao modules"
        process = self.start('--database', PG_URI,
            '--name', self.database + '_missing')
        _, err = process.communicate(timeout=60)
        self.assertEqual(process.returncode, 2)
        self.assertIn('不存在或未启用', err)

    def test_serve(self):
        "Login, a registered report, a cron job, a queue task, clean stop"
        self.port = free_port()
        process = self.start('--database', PG_URI, '--name', self.database,
            '--workers', '2', '--port', str(self.port), '--data',
            os.path.join(self.tmp, 'data'))
        try:
            self.wait_healthy(process)
            self.wait_for_processes(process.pid)
            self.register_report(self.login())
            self.run_cron(self.login('admin', STRONG))
            self.run_queue_task()
        finally:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
            process.wait(60)
        self.assertEqual(process.returncode, 0)
        deadline = time.monotonic() + 30
        while group_pids(process.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertEqual(group_pids(process.pid), [])
        self.assertEqual(self.descendants_left(), [])
        logs = os.listdir(os.path.join(self.tmp, 'data', 'logs'))
        self.assertEqual(sorted(logs), ['app.log', 'cron.log', 'worker.log'])

    def wait_for_processes(self, pid, seconds=30):
        "The processes, given time to start on a loaded machine."
        deadline = time.monotonic() + seconds
        while True:
            try:
                return self.check_processes(pid)
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def check_processes(self, pid):
        "gunicorn master and 2 workers, trytond-cron, trytond-worker run"
        # -ww: full command lines even when COLUMNS is set (as in CI)
        out = subprocess.run(['ps', '-ww', '-eo', 'args='],
            capture_output=True, text=True).stdout
        mine = [line for line in out.splitlines()
            if self.database in line or f':{self.port}' in line]
        self.assertEqual(len([l for l in out.splitlines()
                    if 'gunicorn' in l and f':{self.port}' in l]), 3, mine)
        self.assertTrue(any('trytond-cron' in l for l in mine), mine)
        self.assertTrue(any('trytond-worker' in l for l in mine), mine)

    def descendants_left(self):
        # -ww: full command lines even when COLUMNS is set (as in CI)
        out = subprocess.run(['ps', '-ww', '-eo', 'args='],
            capture_output=True, text=True).stdout
        return [line for line in out.splitlines()
            if f'-d {self.database}' in line or f':{self.port} ' in line]

    def login(self, login='clerk', password='jubao-2026'):
        user_id, key, _ = self.rpc('common.db.login',
            [login, {'password': password}, 'zh_CN'])
        return (login, user_id, key)

    def register_report(self, auth):
        yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
        case_id, = self.rpc('model.jubao.case.create', [[{
                        'channel': 'letter', 'summary': '生产部署测试举报',
                        'received_date': {'__class__': 'date',
                            'year': int(yesterday[:4]),
                            'month': int(yesterday[5:7]),
                            'day': int(yesterday[8:])},
                        'subjects': [('create', [{'name': '测试某'}])],
                        }], {}], auth)
        self.rpc('model.jubao.case.register', [[case_id], {}], auth)
        case, = self.rpc('model.jubao.case.read',
            [[case_id], ['state'], {}], auth)
        self.assertEqual(case['state'], 'registered')

    def cron_id(self):
        with pg(self.database) as conn:
            return conn.execute("SELECT id FROM ir_cron "
                "WHERE method = 'ir.queue|clean'").fetchone()[0]

    def run_cron(self, auth):
        "ir.cron run_once over RPC runs the job in an app worker"
        self.rpc('model.ir.cron.run_once', [[self.cron_id()], {}], auth)

    def run_queue_task(self):
        "A task pushed to ir.queue is run by trytond-worker"
        data = {'model': 'ir.cron', 'method': 'run_once',
            'instances': [self.cron_id()], 'args': [], 'kwargs': {},
            'context': {}, 'user': 0}
        with pg(self.database) as conn:
            task_id, = conn.execute("INSERT INTO ir_queue "
                "(name, data, enqueued_at, create_date, create_uid) "
                "VALUES ('default', %s, now(), now(), 0) RETURNING id",
                [json.dumps(data)]).fetchone()
            conn.execute('NOTIFY "ir.queue"')
        self.wait_for(
            f"SELECT finished_at FROM ir_queue WHERE id = {task_id}")


ATTACH = """
import sys
from trytond.pool import Pool
from trytond.transaction import Transaction
Pool.start()
pool = Pool(sys.argv[1]); pool.init()
with Transaction().start(sys.argv[1], 0) as t:
    Attachment = pool.get('ir.attachment')
    Attachment.create([{'name': f'扫描件{i}.pdf', 'resource': 'res.user,1',
                'data': bytes([i]) * (1000 + i)} for i in range(3)])
    t.commit()
"""


def table_digests(database):
    "md5 of every table's rows, by table name."
    with pg(database) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM "
                "pg_tables WHERE schemaname = 'public'").fetchall()]
        return {t: conn.execute(f'SELECT count(*), md5(string_agg('
                f"x::text, '' ORDER BY x::text)) FROM \"{t}\" x").fetchone()
            for t in tables}


def file_digests(directory):
    result = {}
    for base, _, files in os.walk(directory):
        for name in files:
            path = os.path.join(base, name)
            with open(path, 'rb') as fp:
                result[os.path.relpath(path, directory)] = hashlib.sha256(
                    fp.read()).hexdigest()
    return result


@unittest.skipUnless(PG_URI.startswith('postgresql'), "needs PostgreSQL")
class BackupTestCase(unittest.TestCase):
    "bin/jubao backup / restore: database and filestore round trip"

    def setUp(self):
        self.database = os.environ.get('DB_NAME', 'jubao_test') + '_bak'
        self.restored = self.database + '_restored'
        self.tmp = tempfile.mkdtemp(prefix='jubao_backup_')
        self.store = os.path.join(self.tmp, 'data', 'filestore')
        self.env = dict(os.environ, TRYTOND_DATABASE__URI=PG_URI,
            TRYTOND_CONFIG=os.path.join(ROOT, 'trytond.conf'),
            TRYTOND_DATABASE__PATH=self.store)
        activated_database(self.database)
        subprocess.run([sys.executable, '-c', ATTACH, self.database],
            env=self.env, check=True, capture_output=True)
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.addCleanup(drop, self.database)
        self.addCleanup(drop, self.restored)

    def jubao(self, *args):
        return subprocess.run([os.path.join(ROOT, 'bin', 'jubao'), *args,
                '--database', PG_URI, '--data', os.path.join(self.tmp, 'data')],
            env={k: v for k, v in self.env.items()
                if k != 'TRYTOND_DATABASE__PATH'},
            capture_output=True, text=True)

    def test_round_trip(self):
        "Every table's rows and every file come back under a new name"
        archive = os.path.join(self.tmp, 'jubao.tar')
        files = file_digests(os.path.join(self.store, self.database))
        self.assertEqual(len(files), 3)
        result = self.jubao('backup', '--name', self.database, '--to', archive)
        self.assertEqual(result.returncode, 0, result.stderr)
        result = self.jubao('restore', '--from', archive,
            '--name', self.restored)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(table_digests(self.restored),
            table_digests(self.database))
        self.assertEqual(
            file_digests(os.path.join(self.store, self.restored)), files)
        # Restoring again onto the same name is refused, nothing changed
        result = self.jubao('restore', '--from', archive,
            '--name', self.restored)
        self.assertEqual(result.returncode, 2)
        self.assertIn('已存在', result.stderr)


class ComposeTestCase(unittest.TestCase):
    "docker-compose.yml runs what scripts/serve.sh runs"

    @classmethod
    def setUpClass(cls):
        import yaml
        with open(os.path.join(ROOT, 'docker-compose.yml')) as fp:
            cls.compose = yaml.safe_load(fp)
        cls.services = cls.compose['services']
        with open(os.path.join(ROOT, 'scripts', 'serve.sh')) as fp:
            cls.serve = fp.read()

    def test_same_commands(self):
        "app, cron and worker run deploy/run.sh <role>, as serve.sh does"
        self.assertIn('for role in app cron worker; do', self.serve)
        self.assertIn('"$ROOT/deploy/run.sh" "$role"', self.serve)
        for role in ['app', 'cron', 'worker']:
            with self.subTest(role=role):
                self.assertEqual(self.services[role]['command'],
                    ['deploy/run.sh', role])
                env = self.services[role]['environment']
                self.assertEqual(env['TRYTOND_QUEUE__WORKER'], 'True')
                self.assertEqual(env['TRYTOND_CONFIG'], '/app/trytond.conf')
                self.assertTrue(
                    env['TRYTOND_DATABASE__URI'].startswith('postgresql://'))

    def test_volumes(self):
        "The database and the filestore live in named volumes"
        self.assertLessEqual({'pgdata', 'filestore'},
            set(self.compose['volumes']))
        self.assertIn('pgdata:/var/lib/postgresql/data',
            self.services['postgres']['volumes'])
        for role in ['app', 'cron', 'worker']:
            with self.subTest(role=role):
                path = self.services[role]['environment'][
                    'TRYTOND_DATABASE__PATH']
                self.assertIn(f'filestore:{path}',
                    self.services[role]['volumes'])

    def test_health_checks(self):
        "Every service has a health check"
        self.assertEqual(set(self.services),
            {'postgres', 'app', 'cron', 'worker', 'proxy'})
        for name, service in self.services.items():
            with self.subTest(service=name):
                self.assertTrue(service['healthcheck']['test'])
