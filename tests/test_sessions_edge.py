"""Sessions, input at the edge and accounts (issue 8, items 9-11).

In process: idle timeout and max_age of ordinary calls, wizard sessions
bound to their user, logout, login throttling, the password policy of
trytond.conf and the demo's relaxation, http(s)-only link fields (every
field shown with widget="url" in any view, found from the views).

Over a real server started here (production trytond.conf, PostgreSQL): the
same session rules over JSON-RPC, wizard replay, malformed requests, and
trytond-admin refusing a weak admin password with the production
configuration but accepting the demo's with the demo configuration.
"""
import base64
import configparser
import contextlib
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request
from unittest import mock

from sql import Table

from trytond import config
from trytond.exceptions import RateLimitException, UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .servers import activated_database, start_trytond, stop_trytond

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRODUCTION_CONF = os.path.join(ROOT, 'trytond.conf')
VENV_BIN = os.path.dirname(sys.executable)
PG_URI = os.environ.get('TRYTOND_DATABASE_URI', '')
STRONG = 'Zh3n#Kq8vB!t'
# Python's text; UserError and the like are the JSON-RPC error kinds of sao
PYTHON_TEXT = re.compile(
    r'Traceback|File "|\b(?!User|Concurrency|Login)\w+(Error|Exception)\b|'
    r'not enough values|object is not|unexpected keyword|/site-packages/')
CHINESE = re.compile(r'[\u4e00-\u9fff]')

sys.path.insert(0, os.path.join(ROOT, 'scripts'))
import demo_config  # noqa: E402


def production(section):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(PRODUCTION_CONF, encoding='utf-8')
    return dict(parser[section]) if parser.has_section(section) else {}


@contextlib.contextmanager
def configured(section, values):
    "Set configuration options for the block, then restore them."
    before = {o: config.get(section, o) for o in values}
    try:
        for option, value in values.items():
            config.set(section, option, value)
        yield
    finally:
        for option, value in before.items():
            if value is None:
                config._config.remove_option(section, option)
                config._cache_clear()
            else:
                config.set(section, option, value)


def demo_relaxed():
    return configured('password', {
            k.split('__')[1].lower(): v
            for k, v in demo_config.DEMO_PASSWORD_ENV.items()})


class SessionsEdgeTestCase(_DBTestCase):
    "Sessions, links and passwords in process"
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
        'jubao_portal']
    language = 'zh_CN'

    def user(self, login):
        User = Pool().get('res.user')
        user, = User.create([{'login': login, 'name': login}])
        return user

    def session(self, user):
        Session = Pool().get('ir.session')
        with Transaction().set_user(user.id):
            return Session.new()

    def backdate(self, key, **ages):
        "Set create_date/write_date of a session to now minus ages."
        table = Table('ir_session')
        now = dt.datetime.now()
        columns = [getattr(table, c) for c in ages]
        values = [now - dt.timedelta(seconds=s) for s in ages.values()]
        Transaction().connection.cursor().execute(
            *table.update(columns, values, where=table.key == key))
        Transaction().cache.clear()

    @with_transaction()
    def test_idle_session_refused(self):
        "A session idle for [session] timeout is refused and deleted"
        Session = Pool().get('ir.session')
        user = self.user('sess_idle')
        key = self.session(user)
        timeout = config.getint('session', 'timeout')
        self.assertTrue(Session.check(user.id, key))
        self.backdate(key, create_date=timeout + 60, write_date=timeout + 1)
        self.assertFalse(Session.check(user.id, key))
        self.assertEqual(Session.search([('key', '=', key)]), [])
        self.assertIsNone(Session.check(user.id, key))

    @with_transaction()
    def test_recent_activity_keeps_session(self):
        "A session touched within the timeout stays valid"
        Session = Pool().get('ir.session')
        user = self.user('sess_active')
        key = self.session(user)
        timeout = config.getint('session', 'timeout')
        self.backdate(key, create_date=3 * timeout, write_date=timeout - 30)
        self.assertTrue(Session.check(user.id, key))

    @with_transaction()
    def test_active_session_not_read_again(self):
        "An active session is judged on the last touch Tryton's check read"
        Session = Pool().get('ir.session')
        user = self.user('sess_once')
        key = self.session(user)
        with mock.patch.object(Session, '_drop_idle',
                side_effect=AssertionError('read again')):
            self.assertTrue(Session.check(user.id, key))
        Session._session_reset_cache.clear()
        with mock.patch.object(Session, '_drop_idle',
                return_value=False) as drop_idle:
            with mock.patch.object(Session._session_reset_cache, 'get',
                    return_value=None):
                self.assertTrue(Session.check(user.id, key))
        drop_idle.assert_called_once()

    @with_transaction()
    def test_max_age_even_when_active(self):
        "A session older than max_age is refused even if used a second ago"
        Session = Pool().get('ir.session')
        user = self.user('sess_old')
        key = self.session(user)
        max_age = int(production('session')['max_age'])
        with configured('session', {'max_age': str(max_age)}):
            self.backdate(key, create_date=max_age - 60, write_date=1)
            self.assertTrue(Session.check(user.id, key))
            self.backdate(key, create_date=max_age + 1, write_date=1)
            self.assertFalse(Session.check(user.id, key))

    def test_session_configuration(self):
        "trytond.conf: 30 minutes idle, a working day at most, throttling"
        session = production('session')
        self.assertEqual(int(session['timeout']), 1800)
        self.assertLessEqual(int(session['max_age']), 12 * 3600)
        self.assertGreaterEqual(int(session['max_age']), 8 * 3600)
        self.assertLessEqual(int(session['max_attempt']), 5)

    @with_transaction()
    def test_logout_removes_session(self):
        "Logout deletes the session: its key is no longer accepted"
        Session = Pool().get('ir.session')
        user = self.user('sess_logout')
        key = self.session(user)
        self.assertEqual(Session.remove(key), 'sess_logout')
        self.assertIsNone(Session.check(user.id, key))

    @with_transaction()
    def test_login_throttled(self):
        "Wrong passwords beyond [session] max_attempt are rate-limited"
        User = Pool().get('res.user')
        with demo_relaxed():
            User.create([{'login': 'sess_throttle', 'name': 'x',
                        'password': 'right-password'}])
        with mock.patch('trytond.res.user.time.sleep'), \
                configured('session', {
                    'max_attempt': production('session')['max_attempt']}):
            with self.assertRaises(RateLimitException):
                for _ in range(10):
                    User.get_login('sess_throttle', {'password': 'wrong'})

    @with_transaction()
    def test_wizard_session_bound_to_user(self):
        "Another user cannot execute, save or delete a wizard session"
        pool = Pool()
        Wizard = pool.get('ir.model.print_model_graph', type='wizard')
        SessionWizard = pool.get('ir.session.wizard')
        owner, other = self.user('wiz_owner'), self.user('wiz_other')
        transaction = Transaction()
        with transaction.set_user(owner.id), \
                transaction.set_context(_check_access=True):
            session_id, start, _ = Wizard.create()
            self.assertIn('view', Wizard.execute(session_id, {}, start))
        with transaction.set_user(other.id), \
                transaction.set_context(_check_access=True):
            with self.assertRaises(AccessError) as cm:
                Wizard.execute(session_id, {}, start)
            self.assertRegex(cm.exception.message, CHINESE)
            with self.assertRaises(AccessError):
                Wizard.delete(session_id)
            with self.assertRaises(AccessError):
                SessionWizard.write(
                    [SessionWizard(session_id)], {'data': '{}'})
        with transaction.set_user(owner.id), \
                transaction.set_context(_check_access=True):
            Wizard.execute(session_id, {}, start)
            Wizard.delete(session_id)

    @with_transaction(user=0)
    def test_production_password_policy(self):
        "trytond.conf refuses weak passwords, also when set as root"
        User = Pool().get('res.user')
        admin, = User.search([('login', '=', 'admin')])
        with configured('password', production('password')):
            for weak in ['admin', 'jubao-2026', 'Jubao-2026', '123456',
                    'aaaaaaaaaaaaab', '111111111111', '1qaz2wsx3edc',
                    'admin123456']:
                with self.subTest(password=weak):
                    with self.assertRaises(UserError):
                        User.write([admin], {'password': weak})
            User.write([admin], {'password': STRONG})

    @with_transaction(user=0)
    def test_demo_relaxation(self):
        "The demo's relaxation accepts the demo passwords"
        User = Pool().get('res.user')
        admin, = User.search([('login', '=', 'admin')])
        with demo_relaxed():
            User.write([admin], {'password': 'admin'})
            User.create([{'login': 'demo_like', 'name': 'demo_like',
                        'password': 'jubao-2026'}])

    def url_fields(self):
        "(model, field) of every field shown with widget url in a view."
        View = Pool().get('ir.ui.view')
        found = set()
        for view in View.search([]):
            for element in re.findall(r'<field\b[^>]*>', view.arch or ''):
                if re.search(r'widget="url"', element):
                    name = re.search(r'name="([^"]+)"', element).group(1)
                    found.add((view.model, name))
        return found

    @with_transaction()
    def test_every_url_field_refuses_other_schemes(self):
        "Each field with widget url accepts only http(s) links"
        pool = Pool()
        fields = self.url_fields()
        self.assertIn(('jubao.case', 'opinion_link'), fields)
        for model, name in sorted(fields):
            Model = pool.get(model)
            for value in ['javascript:alert(document.cookie)',
                    'data:text/html;base64,PHNjcmlwdD4=', 'file:///etc/passwd']:
                with self.subTest(model=model, field=name, value=value):
                    with self.assertRaises(ValidationError) as cm:
                        Model.validate_fields([Model(**{name: value})], {name})
                    self.assertRegex(cm.exception.message, CHINESE)
            Model.validate_fields(
                [Model(**{name: 'https://example.com/a?b=1'})], {name})

    @with_transaction()
    def test_case_link_saved_only_when_web_address(self):
        "A public-opinion report keeps https links and refuses javascript:"
        Case = Pool().get('jubao.case')
        case, = Case.create([{'channel': 'public_opinion',
                    'opinion_source': '本地论坛', 'summary': '网帖反映问题',
                    'opinion_link': 'https://bbs.example.cn/t/1'}])
        with self.assertRaises(ValidationError):
            Case.write([case], {'opinion_link': 'javascript:alert(1)'})
        with self.assertRaises(ValidationError):
            Case.create([{'channel': 'public_opinion',
                        'opinion_source': '本地论坛', 'summary': '网帖',
                        'opinion_link': 'JAVASCRIPT:alert(1)'}])


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




@unittest.skipUnless(PG_URI.startswith('postgresql'), "needs PostgreSQL")
class RealServerTestCase(unittest.TestCase):
    "Sessions and malformed requests over JSON-RPC to a real server"

    @classmethod
    def setUpClass(cls):
        import psycopg
        cls.database = os.environ.get('DB_NAME', 'jubao_test') + '_edge'
        cls.tmp = tempfile.mkdtemp(prefix='jubao_edge_')
        cls.demo_conf = demo_config.write(
            os.path.join(cls.tmp, 'trytond-demo.conf'))
        base = dict(os.environ, TRYTOND_DATABASE__URI=PG_URI)
        for key in list(base):
            if key.startswith('TRYTOND_PASSWORD__'):
                del base[key]
        cls.production_env = dict(base, TRYTOND_CONFIG=PRODUCTION_CONF)
        cls.demo_env = dict(base, TRYTOND_CONFIG=cls.demo_conf,
            **demo_config.DEMO_PASSWORD_ENV)
        cls.pg = psycopg.connect(PG_URI.rstrip('/') + '/postgres',
            autocommit=True)
        activated_database(cls.database)
        cls.admin(['--password', '--email', 'admin@example.com'],
            'admin', cls.demo_env, check=True)
        subprocess.run([sys.executable, '-c', CREATE_USERS, cls.database],
            env=cls.demo_env, check=True, capture_output=True)
        cls.db = psycopg.connect(
            PG_URI.rstrip('/') + '/' + cls.database, autocommit=True)
        cls.server, cls.port = start_trytond(
            cls.database, cls.production_env)
        cls.url = f'http://127.0.0.1:{cls.port}/{cls.database}/rpc/'

    @classmethod
    def tearDownClass(cls):
        stop_trytond(cls.server)
        cls.db.close()
        cls.pg.execute(
            f'DROP DATABASE IF EXISTS "{cls.database}" WITH (FORCE)')
        cls.pg.close()

    @classmethod
    def admin(cls, args, password, env, check=False):
        "Run trytond-admin on the test database with ``password``."
        passfile = os.path.join(cls.tmp, 'pass')
        with open(passfile, 'w') as fp:
            fp.write(password)
        try:
            return subprocess.run(
                [os.path.join(VENV_BIN, 'trytond-admin'),
                    '-d', cls.database] + args,
                env=dict(env, TRYTONPASSFILE=passfile), check=check,
                capture_output=True, text=True)
        finally:
            os.remove(passfile)

    def post(self, body, auth=None, headers=None):
        "POST to the RPC endpoint: (status, body text)."
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(self.url, data=data, headers={
                'Content-Type': 'application/json', **(headers or {})})
        if auth:
            token = base64.b64encode(':'.join(map(str, auth)).encode())
            request.add_header('Authorization', 'Session ' + token.decode())
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def rpc(self, method, params, auth=None, **kwargs):
        return self.post(
            {'id': 1, 'method': method, 'params': params}, auth, **kwargs)

    def login(self, login='clerk', password='jubao-2026'):
        status, body = self.rpc('common.db.login',
            [login, {'password': password}, 'zh_CN'])
        self.assertEqual(status, 200, body)
        user_id, key, _ = json.loads(body)['result']
        return (login, user_id, key)

    def preferences(self, auth):
        return self.rpc('model.res.user.get_preferences', [True, {}], auth)

    def backdate(self, key, **ages):
        now = dt.datetime.now()
        sets = ', '.join(f'{c} = %s' for c in ages)
        self.db.execute(f'UPDATE ir_session SET {sets} WHERE key = %s',
            [now - dt.timedelta(seconds=s) for s in ages.values()] + [key])

    def session_count(self, key):
        return self.db.execute(
            'SELECT count(*) FROM ir_session WHERE key = %s',
            [key]).fetchone()[0]

    def test_idle_session_logged_out(self):
        "A call after 30 idle minutes gets 401 (sao shows the login)"
        auth = self.login()
        self.assertEqual(self.preferences(auth)[0], 200)
        self.backdate(auth[2], create_date=1900, write_date=1801)
        self.assertEqual(self.preferences(auth)[0], 401)
        self.assertEqual(self.session_count(auth[2]), 0)

    def test_activity_keeps_session_alive(self):
        "A call within the idle time is accepted and touches the session"
        auth = self.login()
        self.backdate(auth[2], create_date=3000, write_date=1500)
        self.assertEqual(self.preferences(auth)[0], 200)
        write_date, = self.db.execute(
            'SELECT write_date FROM ir_session WHERE key = %s',
            [auth[2]]).fetchone()
        self.assertGreater(write_date,
            dt.datetime.now() - dt.timedelta(seconds=120))

    def test_max_age_logs_out(self):
        "A session older than a working day is refused however active"
        auth = self.login()
        max_age = int(production('session')['max_age'])
        self.backdate(auth[2], create_date=max_age + 60, write_date=5)
        self.assertEqual(self.preferences(auth)[0], 401)

    def test_logout_invalidates(self):
        "After logout the session key is refused"
        auth = self.login()
        self.assertEqual(self.preferences(auth)[0], 200)
        status, _ = self.rpc('common.db.logout', [], auth)
        self.assertEqual(status, 200)
        self.assertEqual(self.preferences(auth)[0], 401)

    def test_wizard_replay_refused(self):
        "Another user executing a wizard session id gets a Chinese refusal"
        owner, other = self.login('jjs1'), self.login('street1')
        name = 'wizard.ir.model.print_model_graph'
        status, body = self.rpc(name + '.create', [{}], owner)
        session_id, start, _ = json.loads(body)['result']
        status, body = self.rpc(
            name + '.execute', [session_id, {}, start, {}], other)
        error = json.loads(body).get('error')
        self.assertTrue(error, body)
        self.assertRegex(json.dumps(error, ensure_ascii=False), CHINESE)
        status, body = self.rpc(name + '.delete', [session_id, {}], other)
        self.assertTrue(json.loads(body).get('error'), body)
        status, body = self.rpc(
            name + '.execute', [session_id, {}, start, {}], owner)
        self.assertIn('result', json.loads(body), body)

    def assertClean(self, status, body, label):
        "A 4xx, or a JSON-RPC error in Chinese; never Python's text"
        self.assertNotEqual(status, 500, f'{label}: {body[:300]}')
        self.assertLess(status, 500, f'{label}: {body[:300]}')
        self.assertIsNone(PYTHON_TEXT.search(body), f'{label}: {body[:300]}')
        if status == 200:
            error = json.loads(body).get('error')
            self.assertTrue(error, f'{label}: {body[:300]}')
            self.assertRegex(json.dumps(error, ensure_ascii=False), CHINESE,
                label)

    def test_malformed_requests(self):
        "Foreign Origin, null/unknown methods, wrong types, huge, deep"
        auth = self.login()
        read = ['model.res.user.read', [[auth[1]], ['login'], {}]]
        nested = []
        for _ in range(600):
            nested = [nested]
        cases = {
            'foreign origin': (
                {'id': 1, 'method': read[0], 'params': read[1]},
                {'Origin': 'https://evil.example'}),
            'broken origin': (
                {'id': 1, 'method': read[0], 'params': read[1]},
                {'Origin': 'http://[evil'}),
            'null method': ({'id': 1, 'method': None, 'params': []}, {}),
            'empty method': ({'id': 1, 'method': '', 'params': []}, {}),
            'unknown model': (
                {'id': 1, 'method': 'model.no.such.read', 'params': []}, {}),
            'bare name': ({'id': 1, 'method': 'foo', 'params': []}, {}),
            'number method': ({'id': 1, 'method': 5, 'params': []}, {}),
            'wrong types': ({'id': 1, 'method': read[0],
                    'params': ['x', 5, {}]}, {}),
            'wrong domain': ({'id': 1, 'method': 'model.res.user.search',
                    'params': [[['login', 'zz', 1]], 0, None, None, {}]}, {}),
            'params object': ({'id': 1, 'method': read[0],
                    'params': {'a': 1}}, {}),
            'huge integer': ({'id': 1, 'method': read[0],
                    'params': [[10 ** 40], ['login'], {}]}, {}),
            'huge limit': ({'id': 1, 'method': 'model.res.user.search',
                    'params': [[], 0, 10 ** 30, None, {}]}, {}),
            'deep domain': ({'id': 1, 'method': 'model.res.user.search',
                    'params': [nested, 0, None, None, {}]}, {}),
            'deep json': (b'{"id":1,"method":"model.res.user.read","params":'
                + b'[' * 100000 + b']' * 100000 + b'}', {}),
            'not json': (b'{"id": 1, "method"', {}),
            'json list': ([1, 2, 3], {}),
            }
        for label, (body, headers) in cases.items():
            with self.subTest(label):
                status, text = self.post(body, auth, headers)
                self.assertClean(status, text, label)
        with self.subTest('anonymous null method'):
            status, text = self.rpc(None, [])
            self.assertClean(status, text, 'anonymous')
        # The server still answers normally afterwards
        self.assertEqual(self.preferences(auth)[0], 200)

    def test_production_refuses_weak_admin_password(self):
        "trytond-admin with trytond.conf refuses the demo passwords"
        for weak in ['jubao-2026', '1qaz2wsx3edc']:
            result = self.admin(['--password'], weak, self.production_env)
            self.assertNotEqual(result.returncode, 0, result.stderr[-500:])
            status, _ = self.rpc('common.db.login',
                ['admin', {'password': weak}, 'zh_CN'])
            self.assertNotEqual(status, 200)

    def test_demo_accepts_demo_password(self):
        "trytond-admin with the demo configuration keeps admin/admin"
        result = self.admin(['--password'], 'admin', self.demo_env)
        self.assertEqual(result.returncode, 0, result.stderr[-500:])
        self.login('admin', 'admin')
