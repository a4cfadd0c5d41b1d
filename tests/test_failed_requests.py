"""A request that fails changes nothing, on SQLite and on PostgreSQL.

Each back-end gets a real trytond server process started with the project's
trytond.conf (as ``bin/jubao demo`` does) on a throwaway database.  The calls
go over JSON-RPC like sao sends them: a write refused by a record rule, an
invalid value (received date in the future) on create and on write, and an
upload with a forbidden extension.  After each refusal the database is read
directly, outside the server: no row may have been added or changed.
On SQLite this needs addons/jubao_intake/sqlite.py: the cache sync of
``[cache] clean_timeout = 0`` put each request's connection in autocommit.
"""
import base64
import datetime as dt
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import urllib.request

from .servers import activated_database, start_trytond, stop_trytond

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.dirname(sys.executable)
CONFIG = os.path.join(ROOT, 'trytond.conf')
PG_URI = os.environ.get('TRYTOND_DATABASE_URI', '')
# Tables a request may touch without storing anything of the user's.
BOOKKEEPING = {'ir_session', 'ir_session_wizard', 'res_user_login_attempt',
    'res_user_device', 'ir_cache'}
# login: (group, office) XML ids of jubao_intake
USERS = {
    'fr_clerk': ('group_clerk', 'office_complaints'),
    'fr_publicity': ('group_publicity', 'office_publicity'),
    }

CREATE_USERS = """
import json
import sys
from trytond.pool import Pool
from trytond.transaction import Transaction
dbname, password, users = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
Pool.start()
pool = Pool(dbname)
pool.init()
with Transaction().start(dbname, 0, context={'language': 'zh_CN'}) as t:
    User = pool.get('res.user')
    Data = pool.get('ir.model.data')
    ref = lambda xml_id: Data.get_id('jubao_intake', xml_id)
    User.create([{
                'login': login, 'name': login, 'password': password,
                'groups': [('add', [ref(group)])],
                'jubao_offices': [('add', [ref(office)])],
                } for login, (group, office) in users.items()])
    t.commit()
"""




def _date(value):
    return {'__class__': 'date', 'year': value.year, 'month': value.month,
        'day': value.day}


class ServerMixin:
    """A trytond server with jubao_intake on a throwaway database of the
    back-end mixin, started with trytond.conf, and JSON-RPC calls as sao
    makes them."""
    database_uri = None
    activated = False  # whether create_database activates the modules

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix='jubao_failed_')
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.password = secrets.token_urlsafe(16)
        cls.database = cls.create_database()
        cls.addClassCleanup(cls.drop_database)
        cls.env = dict(os.environ,
            TRYTOND_CONFIG=CONFIG,
            TRYTOND_DATABASE_URI=cls.database_uri,
            TRYTOND_DATABASE__URI=cls.database_uri,
            TRYTOND_DATABASE__PATH=cls.tmp,
            TRYTOND_ATTACHMENT__PATH=os.path.join(cls.tmp, 'attachments'))
        passfile = os.path.join(cls.tmp, 'adminpass')
        with open(passfile, 'w') as fp:
            fp.write(cls.password)
        # A copied database is activated already: only set the password
        activate = (['--password'] if cls.activated else ['-u', 'jubao_intake',
                '--activate-dependencies', '-l', 'zh_CN'])
        cls.run_checked([os.path.join(VENV_BIN, 'trytond-admin'),
                '-d', cls.database, '--email', 'admin@example.com']
            + activate, env=dict(cls.env, TRYTONPASSFILE=passfile))
        cls.run_checked([sys.executable, '-c', CREATE_USERS, cls.database,
                cls.password, json.dumps(USERS)], env=cls.env)
        cls.start_server()
        cls.sessions = {}
        cls.today = dt.date.today()

    @classmethod
    def run_checked(cls, args, env):
        process = subprocess.run(args, env=env, capture_output=True,
            text=True)
        if process.returncode:
            raise RuntimeError(process.stdout + process.stderr)

    @classmethod
    def start_server(cls):
        cls.log = open(os.path.join(cls.tmp, 'server.log'), 'w')
        try:
            cls.server, cls.port = start_trytond(
                cls.database, cls.env, log=cls.log)
        except RuntimeError:
            with open(cls.log.name) as log:
                raise RuntimeError(
                    "trytond did not start:\n" + log.read())
        cls.addClassCleanup(cls.stop_server)
        cls.base = f'http://127.0.0.1:{cls.port}'

    @classmethod
    def stop_server(cls):
        stop_trytond(cls.server)
        cls.log.close()

    @classmethod
    def post(cls, path, payload, cookie=None):
        headers = {'Content-Type': 'application/json', 'Origin': cls.base}
        if cookie:
            headers['Cookie'] = cookie
        request = urllib.request.Request(cls.base + path,
            data=json.dumps(payload).encode('utf-8'), headers=headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            return response, json.loads(response.read())

    @classmethod
    def login(cls, login):
        "Log in as sao does (session cookie) and fetch the user's context."
        response, data = cls.post(f'/{cls.database}/session/login', {
                'id': 0, 'method': 'common.db.login',
                'params': [login, {'password': cls.password,
                        'device_cookie': None}, 'zh_CN']})
        assert 'result' in data, data
        cookie, = [c.split(';', 1)[0]
            for c in response.headers.get_all('Set-Cookie')
            if c.startswith('tryton_session=')]
        cls.sessions[login] = (cookie, {})
        context = cls.call(login, 'model.res.user.get_preferences', True)
        cls.sessions[login] = (cookie, context['result'])

    @classmethod
    def call(cls, login, method, *params):
        if login not in cls.sessions:
            cls.login(login)
        cookie, context = cls.sessions[login]
        _, data = cls.post(f'/{cls.database}/rpc/', {
                'id': 1, 'method': method, 'params': [*params, context]},
            cookie=cookie)
        return data

    @classmethod
    def rpc(cls, login, method, *params):
        data = cls.call(login, method, *params)
        assert 'result' in data, data
        return data['result']


class FailedRequestsMixin(ServerMixin):
    "The same failed requests on every back-end."

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A report of the complaints office to attach files to and edit
        cls.case_id, = cls.rpc('fr_clerk', 'model.jubao.case.create', [{
                    'channel': 'visit', 'summary': '失败请求测试',
                    'received_date': _date(cls.today - dt.timedelta(days=1)),
                    }])

    def assertRefused(self, login, method, *params):
        "The call fails with a user error and the database is unchanged."
        before = self.snapshot()
        data = self.call(login, method, *params)
        self.assertIn('error', data)
        self.assertEqual(data['error'][0], 'UserError', data)
        self.assertEqual(self.snapshot(), before)

    def snapshot(self):
        "Row count of every table but the bookkeeping ones."
        return {t: n for t, n in self.table_counts().items()
            if t not in BOOKKEEPING}

    def test_record_rule_refuses_create(self):
        "A report outside the rule of 组宣部 staff is not stored"
        self.assertRefused('fr_publicity', 'model.jubao.case.create', [{
                    'channel': 'letter', 'summary': '越权登记的举报',
                    'received_date': _date(self.today),
                    }])

    def test_validation_refuses_create(self):
        "A report received in the future leaves no draft behind"
        self.assertRefused('fr_clerk', 'model.jubao.case.create', [{
                    'channel': 'visit', 'summary': '日期在将来的举报',
                    'received_date': _date(
                        self.today + dt.timedelta(days=3)),
                    }])

    def test_validation_refuses_write(self):
        "A refused save keeps the stored values"
        before = self.rpc('fr_clerk', 'model.jubao.case.read',
            [self.case_id], ['received_date', 'summary'])
        self.assertRefused('fr_clerk', 'model.jubao.case.write',
            [self.case_id], {
                'summary': '改过的摘要',
                'received_date': _date(self.today + dt.timedelta(days=3)),
                })
        self.assertEqual(self.rpc('fr_clerk', 'model.jubao.case.read',
                [self.case_id], ['received_date', 'summary']), before)

    def test_registration_numbers_report(self):
        "Registering numbers the report on every back-end, the demo's too"
        case_id, = self.rpc('fr_clerk', 'model.jubao.case.create', [{
                    'channel': 'letter', 'summary': '登记编号测试',
                    'received_date': _date(self.today - dt.timedelta(days=1)),
                    'subjects': [('create', [{'name': '编号测试某'}])],
                    }])
        self.rpc('fr_clerk', 'model.jubao.case.register', [case_id])
        case, = self.rpc('fr_clerk', 'model.jubao.case.read', [case_id],
            ['number', 'state'])
        year = (self.today - dt.timedelta(days=1)).year
        self.assertRegex(case['number'], rf'^信访〔{year}〕第\d{{4}}号$')
        self.assertEqual(case['state'], 'registered')
        # its timeline entry and history, written by SQL on this back-end
        resource = f'jubao.case,{case_id}'
        entry, = self.rpc('fr_clerk', 'model.ir.chat.channel.get', resource)
        self.assertIn(case['number'], entry['content'])
        logs = self.rpc('fr_clerk', 'model.ir.model.log.search_read',
            [('resource', '=', resource)], 0, None, [('id', 'ASC')],
            ['event', 'target'])
        self.assertEqual([(l['event'], l['target']) for l in logs],
            [('button', 'register'), ('transition', 'state:registered')])

    def test_upload_refuses_extension(self):
        "A file with a forbidden extension is not attached"
        self.assertRefused('fr_clerk', 'model.ir.attachment.create', [{
                    'name': 'payload.exe',
                    'resource': f'jubao.case,{self.case_id}',
                    'data': {'__class__': 'bytes',
                        'base64': base64.b64encode(b'MZ\x90\x00').decode()},
                    }])
        self.assertEqual(self.rpc('fr_clerk', 'model.ir.attachment.search',
                [('resource', '=', f'jubao.case,{self.case_id}')]), [])


class SQLiteBackend:
    "A database file in the temporary directory, as the demo has."
    database_uri = 'sqlite://'

    @classmethod
    def create_database(cls):
        name = 'failed_requests'
        open(os.path.join(cls.tmp, name + '.sqlite'), 'w').close()
        return name

    @classmethod
    def drop_database(cls):
        pass  # the file goes with the temporary directory

    def table_counts(self):
        path = os.path.join(self.tmp, self.database + '.sqlite')
        with sqlite3.connect(f'file:{path}?mode=ro', uri=True) as conn:
            tables = [t for t, in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {t: conn.execute(
                    f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
                for t in tables}


class PostgreSQLBackend:
    "A throwaway database on the PostgreSQL of the test run."
    database_uri = PG_URI
    activated = True

    @classmethod
    def admin_connection(cls, name='postgres'):
        import psycopg
        return psycopg.connect(PG_URI.rstrip('/') + '/' + name,
            autocommit=True)

    @classmethod
    def create_database(cls):
        return activated_database(
            os.environ.get('DB_NAME', 'jubao_test') + '_failed')

    @classmethod
    def drop_database(cls):
        with cls.admin_connection() as conn:
            conn.execute(
                f'DROP DATABASE IF EXISTS "{cls.database}" WITH (FORCE)')

    def table_counts(self):
        with self.admin_connection(self.database) as conn:
            tables = [t for t, in conn.execute(
                    "SELECT tablename FROM pg_tables "
                    "WHERE schemaname = 'public'")]
            return {t: conn.execute(
                    f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
                for t in tables}


class SQLiteFailedRequestsTestCase(
        SQLiteBackend, FailedRequestsMixin, unittest.TestCase):
    "Failed requests on the SQLite demo back-end"


@unittest.skipUnless(PG_URI.startswith('postgresql'), "needs PostgreSQL")
class PostgreSQLFailedRequestsTestCase(
        PostgreSQLBackend, FailedRequestsMixin, unittest.TestCase):
    "Failed requests on PostgreSQL"
