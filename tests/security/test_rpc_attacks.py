"""The attack classes over real JSON-RPC, as the web client sends them.

A trytond server is started on the test database (the world of
common.py, committed) and every restricted role logs in like sao
(``common.db.login`` on ``/<db>/session/login``, then the session cookie
on ``/<db>/rpc/``) and tries: read, search_read and export_data of
forbidden records, copies of them (as is and onto its own report), a
forged hand-off already sent to its own office, relation-walking
oracles, a request that writes then fails (nothing may stay), a
spreadsheet cell starting with ``=`` (must be text), another user's
wizard session, and a call after the idle timeout (must be refused).
"""
import base64
import configparser
import io
import json
import os
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import zipfile

from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from .. import confidentiality_tools as tools
from . import common
from ..servers import start_trytond, stop_trytond

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))
PG_URI = os.environ.get('TRYTOND_DATABASE_URI', '')
PASSWORD = 'Sec-Attack-2026!x'
IDLE_TIMEOUT = 6    # seconds of [session] timeout for the server
FORMULA = '=HYPERLINK("http://evil.example/x","点此")'
MODULES = ['jubao_reports', 'jubao_intake', 'jubao_routing',
    'jubao_publicity', 'jubao_portal']




class RPCError(Exception):
    "A refusal or error answered by the server."

    def __init__(self, status, error):
        super().__init__(status, error)
        self.status, self.error = status, error


class Client:
    "A JSON-RPC session like sao's: cookie login, then /<db>/rpc/."

    def __init__(self, url, database):
        self.base = '%s/%s/' % (url, database)
        self.cookies = {}
        self.counter = 0

    def login(self, login, password):
        self.user_id = self.post('session/login', 'common.db.login',
            [login, {'password': password}, 'zh_CN'])[0]
        return self

    def post(self, path, method, params):
        self.counter += 1
        body = json.dumps({'id': self.counter, 'method': method,
                'params': list(params)}, default=_encode).encode('utf-8')
        request = urllib.request.Request(self.base + path, data=body,
            headers={'Content-Type': 'application/json'})
        if self.cookies:
            # The session cookie is Secure: browsers send it to 127.0.0.1
            # over http, urllib's cookie jar would not.
            request.add_header('Cookie', '; '.join(
                    '%s=%s' % c for c in self.cookies.items()))
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                for header in response.headers.get_all('Set-Cookie') or []:
                    name, _, value = header.split(';')[0].partition('=')
                    self.cookies[name.strip()] = value.strip()
                answer = json.loads(response.read().decode('utf-8'),
                    object_hook=_decode)
        except urllib.error.HTTPError as error:
            raise RPCError(error.code, error.read()[:500])
        if answer.get('error'):
            raise RPCError(200, answer['error'])
        return answer['result']

    def call(self, method, *params):
        return self.post('rpc/', method, params)

    def model(self, name, method, *params, context=None):
        return self.call('model.%s.%s' % (name, method), *params,
            context or {})


def _encode(value):
    import datetime as dt
    if isinstance(value, dt.datetime):
        return {'__class__': 'datetime', 'year': value.year,
            'month': value.month, 'day': value.day, 'hour': value.hour,
            'minute': value.minute, 'second': value.second,
            'microsecond': value.microsecond}
    if isinstance(value, dt.date):
        return {'__class__': 'date', 'year': value.year,
            'month': value.month, 'day': value.day}
    if isinstance(value, bytes):
        return {'__class__': 'bytes',
            'base64': base64.b64encode(value).decode('ascii')}
    raise TypeError(repr(value))


def _decode(value):
    if value.get('__class__') == 'bytes':
        return base64.b64decode(value['base64'])
    return value


@unittest.skipUnless(PG_URI.startswith('postgresql'), "needs PostgreSQL")
class RPCAttackTestCase(unittest.TestCase):
    "The attack classes over JSON-RPC, as each restricted role"
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(MODULES, lang='zh_CN')
        cls.world = common.commit_world(DB_NAME)
        cls.facts = cls._prepare()
        cls.config = cls._write_config()
        env = dict(os.environ, TRYTOND_CONFIG=cls.config,
            TRYTOND_DATABASE__URI=PG_URI)
        cls.server, cls.port = start_trytond(DB_NAME, env)
        cls.url = 'http://127.0.0.1:%s' % cls.port

    @classmethod
    def tearDownClass(cls):
        stop_trytond(cls.server)
        os.remove(cls.config)
        drop_db()
        super().tearDownClass()

    @classmethod
    @with_transaction()
    def _prepare(cls):
        """Passwords, a formula in reports the roles see, and the plan
        reduced to plain data; committed for the server."""
        pool = Pool()
        User = pool.get('res.user')
        Case = pool.get('jubao.case')
        User.write(User.browse(list(cls.world['users'].values())),
            {'password': PASSWORD})
        table = Case.__table__()
        cursor = Transaction().connection.cursor()
        for key in ['assigned', 'handled', 'opinion']:
            cursor.execute(*table.update([table.summary], [FORMULA + key],
                    where=table.id == cls.world['cases'][key]))
        plan = common.Plan(cls.world)
        facts = {'samples': plan.samples, 'secrets': plan.secrets,
            'own': {r: plan.own_case(r) for r in common.ATTACKERS},
            'target': {r: plan.target_case(r) for r in common.ATTACKERS},
            'offices': {r: User(u).jubao_offices[0].id
                for r, u in cls.world['users'].items()},
            'handoff': {}, 'markers': {},
            'texts': {name: tools.stored_text_fields(pool.get(name))
                for name in plan.models + ['ir.note', 'ir.attachment']}}
        Assignment = pool.get('jubao.case.assignment')
        for role in common.ATTACKERS:
            target = Case(plan.target_case(role))
            facts['markers'][role] = target.keywords
            handoffs = Assignment.search([('case', '=', target.id)],
                limit=1)
            if handoffs:
                facts['handoff'][role] = tools.record_values(handoffs[0])
        Transaction().commit()
        return facts

    @classmethod
    def _write_config(cls):
        "The project's configuration with a short idle timeout."
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(os.path.join(ROOT, 'trytond.conf'))
        if not parser.has_section('session'):
            parser.add_section('session')
        parser.set('session', 'timeout', str(IDLE_TIMEOUT))
        if not parser.has_section('database'):
            parser.add_section('database')
        parser.set('database', 'uri', PG_URI)
        parser.remove_option('database', 'default_name')
        for section, option in [('attachment', 'filestore')]:
            if parser.has_section(section):
                parser.remove_option(section, option)
        fd, path = tempfile.mkstemp(suffix='.conf')
        with os.fdopen(fd, 'w') as fp:
            parser.write(fp)
        return path

    def client(self, role):
        "A logged-in session of ``role``, checked to work (control)."
        client = Client(self.url, DB_NAME).login('conf_%s' % role, PASSWORD)
        client.model('res.user', 'get_preferences', True)
        return client

    def leaks(self, role, value):
        return tools.found_secrets(value, self.facts['secrets'][role])

    def refused(self, call):
        "('refused', error) or ('done', result) of an RPC call."
        try:
            return 'done', call()
        except RPCError as error:
            return 'refused', error

    def assert_refused(self, role, outcome, what):
        status, value = outcome
        if status == 'done':
            found = self.leaks(role, value)
            self.fail('%s was not refused%s' % (what,
                    ', returned secrets %s' % found if found else ''))
        self.assertNotEqual(value.status, 500,
            msg='%s answered HTTP 500' % what)

    # Copies --------------------------------------------------------------

    def test_copy(self):
        "copy of forbidden records, as is and onto one's own report"
        for role in common.ATTACKERS:
            client = self.client(role)
            own = self.facts['own'][role]
            for label, name, record_id in self.facts['samples'][role]:
                defaults = [('copy', {})]
                if own and name in {'ir.note', 'ir.attachment'}:
                    defaults.append(('copy onto own report',
                            {'resource': 'jubao.case,%s' % own}))

                for route, default in defaults:
                    def call():
                        ids = client.model(name, 'copy', [record_id],
                            default)
                        return client.model(name, 'read', ids,
                            ['rec_name'])
                    with self.subTest(role=role, model=label, route=route):
                        self.assert_refused(role, self.refused(call), route)

    def test_read_and_export(self):
        "read, search_read and export_data of forbidden records"
        for role in common.ATTACKERS:
            client = self.client(role)
            for label, name, record_id in self.facts['samples'][role]:
                names = ['rec_name'] + self.facts['texts'][name]
                routes = {
                    'read': lambda: client.model(name, 'read', [record_id],
                        names),
                    'search_read': lambda: client.model(name, 'search_read',
                        [('id', '=', record_id)], 0, None, None, names),
                    'export_data': lambda: client.model(name, 'export_data',
                        [record_id], names),
                    }
                for route, call in routes.items():
                    with self.subTest(role=role, model=label, route=route):
                        status, value = self.refused(call)
                        if status == 'done' and value:
                            found = self.leaks(role, value)
                            self.fail('%s returned the record%s' % (route,
                                    ', secrets %s' % found if found
                                    else ''))
                        if status == 'refused':
                            self.assertNotEqual(value.status, 500)

    # Buttons -------------------------------------------------------------

    @staticmethod
    @with_transaction()
    def _buttons_and_values(samples):
        """The buttons of each sampled model (from the pool, so a new
        button is covered) and the stored values of each sample."""
        pool = Pool()
        buttons, values = {}, {}
        for _, name, record_id in samples:
            Model = pool.get(name)
            buttons[name] = sorted(getattr(Model, '_buttons', {}))
            values[name, record_id] = tools.record_values(Model(record_id))
        return buttons, values

    def test_buttons(self):
        """every button of every model, pressed on records the role may
        not read: refused (not HTTP 500), nothing changed"""
        samples = {s for role in common.ATTACKERS
            for s in self.facts['samples'][role]}
        buttons, before = self._buttons_and_values(sorted(samples))
        pressed = 0
        for role in common.ATTACKERS:
            client = self.client(role)
            for label, name, record_id in self.facts['samples'][role]:
                for button in buttons[name]:
                    with self.subTest(role=role, model=label, button=button):
                        self.assert_refused(role, self.refused(
                                lambda: client.model(name, button,
                                    [record_id])), button)
                        pressed += 1
        self.assertGreater(pressed, 100)
        self.assertEqual(self._buttons_and_values(sorted(samples))[1],
            before)

    # Forged workflow -----------------------------------------------------

    def test_forged_handoff(self):
        """A hand-off created already sent to one's own office, for a
        report one may not read, is refused and opens nothing"""
        for role in common.ATTACKERS:
            values = self.facts['handoff'].get(role)
            if not values:
                continue
            client = self.client(role)
            target = self.facts['target'][role]
            forged = dict(values, state='sent', case=target,
                to_office=self.facts['offices'][role])
            with self.subTest(role=role, model='jubao.case.assignment',
                    route='create forged sent'):
                outcome = self.refused(lambda: client.model(
                        'jubao.case.assignment', 'create', [forged]))
                opened = self.refused(lambda: client.model('jubao.case',
                        'read', [target], ['summary', 'keywords']))
                self.assertEqual(opened[0], 'refused',
                    msg='the report was opened: %s' % (opened[1],))
                self.assert_refused(role, outcome, 'create forged sent')

    # Relation oracles ----------------------------------------------------

    def test_relation_oracle(self):
        """Domains through relations answer the same for the forbidden
        report's marker as for a prefix found nowhere"""
        domains = {
            'jubao.case': ['repeat_of.keywords', 'repeats.keywords',
                'repeat_candidates.candidate.keywords'],
            'jubao.case.subject': ['case.keywords'],
            'jubao.case.assignment': ['case.keywords'],
            'jubao.supervision.note': ['supervision.case.keywords'],
            'ir.note': [('resource.keywords', 'jubao.case')],
            'ir.attachment': [('resource.keywords', 'jubao.case')],
            }
        for role in common.ATTACKERS:
            client = self.client(role)
            marker = self.facts['markers'][role]
            for name, paths in domains.items():
                for path in paths:
                    path, model = path if isinstance(path, tuple) else (
                        path, None)

                    def answer(prefix):
                        clause = [path, 'like', prefix + '%']
                        if model:
                            clause.append(model)
                        return self.refused(lambda: (
                                client.model(name, 'search', [clause], 0,
                                    None, None),
                                client.model(name, 'search_count',
                                    [clause], 0, None)))[1]
                    with self.subTest(role=role, model=name,
                            route='oracle %s' % path):
                        secret, control = (answer(marker),
                            answer(common.CONTROL))
                        if isinstance(secret, RPCError):
                            secret = 'refused'
                        if isinstance(control, RPCError):
                            control = 'refused'
                        self.assertEqual(secret, control)

    # A failed request changes nothing ------------------------------------

    def test_failed_write_keeps_nothing(self):
        """A write that is refused half-way (own report, then a forbidden
        one) or carries an invalid value leaves the own report unchanged"""
        for role in common.ATTACKERS:
            own = self.facts['own'][role]
            if not own:
                continue
            client = self.client(role)
            target = self.facts['target'][role]
            before = self.refused(lambda: client.model('jubao.case', 'read',
                    [own], ['keywords']))
            if before[0] != 'done':
                continue
            attempts = {
                'write own then forbidden': lambda: client.model(
                    'jubao.case', 'write', [own], {'keywords': '改过'},
                    [target], {'keywords': '改过'}),
                'write with invalid value': lambda: client.model(
                    'jubao.case', 'write', [own],
                    {'keywords': '改过', 'page_count': -5}),
                }
            for route, call in attempts.items():
                with self.subTest(role=role, model='jubao.case',
                        route=route):
                    outcome = self.refused(call)
                    after = client.model('jubao.case', 'read', [own],
                        ['keywords'])
                    self.assertEqual(outcome[0], 'refused')
                    self.assertEqual(after, before[1])

    # Spreadsheets --------------------------------------------------------

    def test_no_formula_in_spreadsheets(self):
        "Text starting with = lands in xlsx as text, never as a formula"
        runs = [('report.jubao.case.ledger', 'ids'),
            ('report.jubao.analysis.ledger.xlsx', 'register')]
        for role in common.ATTACKERS + ['clerk']:
            client = self.client(role)
            cases = self.refused(lambda: client.model('jubao.case',
                    'search', [], 0, None, None))
            ids = cases[1] if cases[0] == 'done' else []
            for method, kind in runs:
                if kind == 'ids':
                    params = [ids, {}]
                else:
                    params = [[], {'kind': kind,
                            'date_from': tools.dt.date(2026, 1, 1),
                            'date_to': tools.dt.date(2026, 12, 31),
                            'office': None}]
                with self.subTest(role=role, model=method,
                        route='formula cell'):
                    outcome = self.refused(lambda: client.call(
                            method + '.execute', *params, {}))
                    if outcome[0] != 'done':
                        continue
                    ext, content = outcome[1][:2]
                    if ext != 'xlsx':
                        continue
                    if role == 'clerk' and kind == 'ids':
                        # Control: the summary is in the ledger
                        self.assertTrue(tools.found_secrets(
                                content, ['evil.example']))
                    self.assertEqual(_formula_cells(content), [])

    # Sessions ------------------------------------------------------------

    def test_wizard_session_bound_to_user(self):
        "A wizard session opened by one user cannot be run by another"
        owner = self.client('analyst')
        wizard = 'wizard.jubao.analysis.ledger'
        session_id, start, _ = owner.call(wizard + '.create', {})
        for role in ['street', 'publicity']:
            client = self.client(role)
            with self.subTest(role=role, model='jubao.analysis.ledger',
                    route='wizard replay'):
                outcome = self.refused(lambda: client.call(
                        wizard + '.execute', session_id, {}, start, {}))
                self.assert_refused(role, outcome, 'wizard replay')
                outcome = self.refused(lambda: client.call(
                        wizard + '.delete', session_id, {}))
                self.assert_refused(role, outcome, 'wizard delete')

    def test_idle_session_times_out(self):
        "A session idle for longer than [session] timeout is refused"
        for role in ['discipline']:
            client = self.client(role)
            with self.subTest(role=role, route='idle timeout'):
                client.model('res.user', 'get_preferences', True)
                time.sleep(IDLE_TIMEOUT + 3)
                outcome = self.refused(lambda: client.model(
                        'jubao.case', 'search', [], 0, 1, None))
                self.assertEqual(outcome[0], 'refused',
                    msg='an idle session still works after %ss'
                    % (IDLE_TIMEOUT + 3))
                self.assertIn(outcome[1].status, {401, 403})


def _formula_cells(content):
    "References of the cells of xlsx ``content`` that hold a formula."
    if isinstance(content, str):
        content = content.encode('latin-1')
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    found = []
    for member in archive.namelist():
        if member.startswith('xl/worksheets/') and member.endswith('.xml'):
            xml = archive.read(member).decode('utf-8')
            if '<f>' in xml or '<f ' in xml:
                found.append(member)
    return found


if __name__ == '__main__':
    unittest.main()
