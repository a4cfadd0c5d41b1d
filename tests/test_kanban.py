"""The kanban boards (addons/jubao_intake/board.py and board/static/).

``BoardDefinitionTestCase``: every column of every board is a state of its
model and every move calls a real button doing that transition.

``KanbanBrowserTestCase``: demo users open each board from the sao menu in
headless Chromium against a trytond server with the demo data; the columns
and counts match ``search_count`` over JSON-RPC as the same user, an
allowed drag changes the state in the database, a refused one snaps back
with the Chinese message and changes nothing, and a street committee sees
only its own reports.  Screenshots: tests/artifacts/kanban_*.png.
"""
import base64
import json
import os
import time
import unittest
import urllib.request

from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from .servers import demo_server, stop_trytond
from . import test_browser
from .test_browser import (
    ARTIFACTS, CHROMEDRIVER, CHROMIUM, PG_URI, SAO_ROOT)

MENUS = {
    'task': ('信访举报', '实施方案与宣传年', '方案任务', '任务看板'),
    'case': ('信访举报', '信访举报件', '信访举报件看板'),
    'assignment': ('信访举报', '移交', '移交看板'),
    'supervision': ('信访举报', '督办', '督办看板'),
    }


class BoardDefinitionTestCase(_DBTestCase):
    "Every board column is a state and every move a real transition"
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity']
    language = 'zh_CN'

    @with_transaction()
    def test_definitions(self):
        from trytond.modules.jubao_intake.board import (
            BOARDS, check_definitions, transition_targets)
        pool = Pool()
        self.assertEqual(set(BOARDS), {'task', 'case', 'assignment',
                'supervision'})
        self.assertEqual(list(check_definitions(pool)), [])
        for board in BOARDS.values():
            Model = pool.get(board.model)
            with self.subTest(board=board.name):
                self.assertTrue(board.moves)
                for move in board.moves:
                    self.assertIn(move.source, board.columns)
                    self.assertIn(move.target, board.columns)
                    # the button is callable over RPC, as sao calls it
                    self.assertIn(move.button, Model.__rpc__)
                    if not move.wizard:
                        self.assertIn(move.target,
                            transition_targets(Model, move.button))
                for name in board.card_fields():
                    self.assertIn(name.split('.')[0], Model._fields)
                for filter_ in board.filters:
                    for name in filter_.fields:
                        self.assertIn(name.split('.')[0], Model._fields)

    @with_transaction()
    def test_transition_targets(self):
        "The check finds a transition behind a helper and rejects others"
        from trytond.modules.jubao_intake.board import transition_targets
        pool = Pool()
        Case = pool.get('jubao.case')
        Task = pool.get('jubao.plan.task')
        self.assertEqual(transition_targets(Task, 'approve'), {'done'})
        self.assertEqual(transition_targets(Task, 'send_back'),
            {'in_progress'})
        # register checks, then calls _register (the transition)
        self.assertIn('registered', transition_targets(Case, 'register'))
        self.assertNotIn('concluded', transition_targets(Case, 'accept'))

    @with_transaction()
    def test_column_domain(self):
        "The filters of a board build the domain board.js sends"
        from trytond.modules.jubao_intake.board import BOARDS
        board = BOARDS['task']
        self.assertEqual(board.domain('done'), [('state', '=', 'done')])
        self.assertEqual(board.domain('done', {'leader': 7, 'year': 2026}), [
                ('state', '=', 'done'),
                ['OR', ('responsible_leader', '=', 7),
                    ('assisting_leader', '=', 7)],
                ('plan.year', '=', 2026)])

    @with_transaction()
    def test_menu_urls(self):
        "The menu entries open the boards of the current database"
        pool = Pool()
        Action = pool.get('ir.action')
        ModelData = pool.get('ir.model.data')
        database = pool.database_name
        for module, xml_id, name in [
                ('jubao_publicity', 'act_task_kanban', 'task'),
                ('jubao_routing', 'act_case_kanban', 'case'),
                ('jubao_routing', 'act_assignment_kanban', 'assignment'),
                ('jubao_routing', 'act_supervision_kanban', 'supervision')]:
            action_id = ModelData.get_id(module, xml_id)
            value, = Action.get_action_values('ir.action.url', [action_id])
            self.assertEqual(value['url'],
                f'/{database}/jubao/board/{name}')


class Client:
    "A JSON-RPC client logged in as a user, as sao speaks to trytond."

    def __init__(self, port, database, login, password):
        self.url = f'http://127.0.0.1:{port}/{database}/rpc/'
        self.id = 0
        user_id, session, _ = self.call('common.db.login',
            [login, {'password': password}, 'zh_CN'], auth=False)
        token = base64.b64encode(
            f'{login}:{user_id}:{session}'.encode()).decode()
        self.headers = {'Authorization': f'Session {token}'}
        self.context = self.call('model.res.user.get_preferences',
            [True, {}])

    def call(self, method, params, auth=True):
        self.id += 1
        request = urllib.request.Request(self.url, data=json.dumps(
                {'id': self.id, 'method': method, 'params': params}).encode(),
            headers=dict(self.headers if auth else {},
                **{'Content-Type': 'application/json'}))
        with urllib.request.urlopen(request, timeout=60) as response:
            data = json.loads(response.read())
        if data.get('error'):
            raise RuntimeError(data['error'])
        return data['result']

    def model(self, model, method, *args):
        return self.call(f'model.{model}.{method}',
            list(args) + [self.context])


@unittest.skipUnless(CHROMIUM and CHROMEDRIVER, "chromium not installed")
@unittest.skipUnless(PG_URI.startswith('postgresql'), "needs PostgreSQL")
@unittest.skipUnless(os.path.isfile(os.path.join(SAO_ROOT, 'index.html')),
    "sao not installed")
class KanbanBrowserTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.database, cls.env, cls.server, cls.port = demo_server(
            'kanban', SAO_ROOT, ARTIFACTS)
        cls.driver = test_browser.BrowserTestCase._start_browser()
        cls.driver.set_window_size(1600, 1000)
        cls.main_window = cls.driver.current_window_handle

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        stop_trytond(cls.server)

    def setUp(self):
        # each test starts from a fresh browser session
        driver = self.driver
        for handle in driver.window_handles:
            if handle != self.main_window:
                driver.switch_to.window(handle)
                driver.close()
        driver.switch_to.window(self.main_window)
        # (the session cookie has the path /<database>, which
        # delete_all_cookies misses)
        driver.execute_cdp_cmd('Network.clearBrowserCookies', {})
        driver.get(f'http://127.0.0.1:{self.port}/')
        driver.execute_script('localStorage.clear(); sessionStorage.clear();')

    def run(self, result=None):
        "Keep a screenshot of the page where a test failed."
        outcome = super().run(result)
        if result is not None and (result.errors or result.failures):
            last = (result.errors + result.failures)[-1][0]
            if last is self:
                self.shot('failure_' + self._testMethodName)
        return outcome

    def shot(self, name):
        self.driver.save_screenshot(
            os.path.join(ARTIFACTS, f'kanban_{name}.png'))

    # the sao helpers of tests/test_browser.py
    visible = test_browser.BrowserTestCase.visible
    open_menu = test_browser.BrowserTestCase.open_menu

    def login(self, login):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        # In sao's own window, not in a board a previous test left open
        self.driver.switch_to.window(self.main_window)
        self.driver.get(f'http://127.0.0.1:{self.port}/')
        database = self.visible(By.CSS_SELECTOR, 'input#database')
        database.clear()
        database.send_keys(self.database)
        self.visible(By.ID, 'login').send_keys(login)
        self.visible(By.CSS_SELECTOR, 'button[type=submit]').click()
        self.visible(By.CSS_SELECTOR, 'input[type=password]').send_keys(
            'jubao-2026', Keys.ENTER)
        self.visible(By.XPATH,
            "//*[@id='menu']//*[normalize-space(text())='信访举报']", 60)
        return Client(self.port, self.database, login, 'jubao-2026')

    def open_board(self, name):
        "Open the board from the sao menu: a new tab; wait for its columns."
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        driver = self.driver
        driver.switch_to.window(self.main_window)
        before = set(driver.window_handles)
        self.open_menu(*MENUS[name])
        WebDriverWait(driver, 30).until(
            lambda d: set(d.window_handles) - before)
        time.sleep(1)
        # sao may open the URL action once per click of the double click
        handle, *others = [h for h in driver.window_handles
            if h not in before]
        for other in others:
            driver.switch_to.window(other)
            driver.close()
        driver.switch_to.window(handle)
        self.assertIn(f'/{self.database}/jubao/board/{name}',
            driver.current_url)
        self.visible(By.CSS_SELECTOR, '.column', 60)
        self.wait_loaded()
        # titled after the model, in Chinese
        title = driver.find_element(By.ID, 'board-title').text
        self.assertRegex(title, r'^[\u4e00-\u9fff]+看板$')
        self.assertNotEqual(title, '看板')

    def wait_loaded(self):
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(self.driver, 60).until(lambda d: d.execute_script(
                "var s = document.getElementById('board-status');"
                "return s && s.textContent.startsWith('共');"))

    def columns(self):
        "{state: (label, count, [card ids])} as drawn."
        return {c['state']: (c['label'], c['count'], c['ids'])
            for c in self.driver.execute_script("""
                return Array.from(document.querySelectorAll('.column')).map(
                    c => ({state: c.dataset.state,
                        label: c.querySelector('.column-label').textContent,
                        count: parseInt(
                            c.querySelector('.column-count').textContent),
                        ids: Array.from(c.querySelectorAll('.card')).map(
                            e => parseInt(e.dataset.id))}));""")}

    def check_counts(self, client, board_name, domain=()):
        from trytond.modules.jubao_intake.board import BOARDS
        board = BOARDS[board_name]
        columns = self.columns()
        self.assertEqual(list(columns), list(board.columns))
        labels = dict(client.model(board.model, 'fields_get',
                [board.state_field])[board.state_field]['selection'])
        for state in board.columns:
            label, count, ids = columns[state]
            with self.subTest(board=board_name, state=state):
                self.assertEqual(label, labels[state])
                column_domain = [[board.state_field, '=', state]] + list(
                    domain)
                self.assertEqual(count, client.model(board.model,
                        'search_count', column_domain))
                self.assertEqual(len(ids), min(count, board.limit))
                if ids:
                    self.assertEqual(set(ids), set(client.model(board.model,
                                'search', column_domain + [
                                    ['id', 'in', ids]])))
        return columns

    def drag(self, card_id, state):
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        driver = self.driver
        card = driver.find_element(By.CSS_SELECTOR,
            f'.card[data-id="{card_id}"]')
        target = driver.find_element(By.CSS_SELECTOR,
            f'.cards[data-state="{state}"]')
        driver.execute_script("arguments[0].scrollIntoView({block: 'center',"
            "inline: 'center'});", card)
        (ActionChains(driver)
            .click_and_hold(card).pause(0.2)
            .move_by_offset(10, 10).pause(0.2)
            .move_to_element(target).pause(0.3)
            .move_by_offset(0, 5).pause(0.3)
            .release().perform())

    def message(self):
        return self.driver.execute_script(
            "var m = document.getElementById('board-message');"
            "return m.hidden ? '' : m.textContent;")

    def state_of(self, client, model, record_id):
        record, = client.model(model, 'read', [record_id], ['state'])
        return record['state']

    def wait_for(self, predicate, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.3)
        self.fail("timed out")

    # Tests ---------------------------------------------------------------

    def test_boards_match_rpc(self):
        "Each board opens from the menu with the columns and counts of RPC"
        client = self.login('xfhead')
        for name in ['case', 'assignment', 'supervision']:
            self.open_board(name)
            columns = self.check_counts(client, name)
            self.assertGreater(sum(c[1] for c in columns.values()), 0)
            self.shot(f'{name}_xfhead')
            errors = [e['message'] for e in self.driver.get_log('browser')
                if e['level'] == 'SEVERE' and e['source'] != 'network']
            self.assertEqual(errors, [])
        client = self.login('leader')
        self.open_board('task')
        columns = self.check_counts(client, 'task')
        self.assertGreater(sum(c[1] for c in columns.values()), 0)
        self.shot('task_leader')

    def test_filters_filter(self):
        "The leader, unit and year filters really filter the columns"
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select
        client = self.login('leader')
        self.open_board('task')
        unit = Select(self.driver.find_element(By.NAME, 'unit'))
        office = next(o for o in unit.options if o.text == '组宣部')
        office_id = int(office.get_attribute('value'))
        unit.select_by_value(str(office_id))
        self.wait_loaded()
        columns = self.check_counts(client, 'task',
            [['offices', '=', office_id]])
        total = sum(c[1] for c in columns.values())
        self.assertGreater(total, 0)
        self.assertLess(total, client.model('jubao.plan.task',
                'search_count', []))
        year = Select(self.driver.find_element(By.NAME, 'year'))
        for option in [o.get_attribute('value') for o in year.options][1:]:
            year.select_by_value(option)
            self.wait_loaded()
            self.check_counts(client, 'task', [['offices', '=', office_id],
                    ['plan.year', '=', int(option)]])
        year.select_by_value('2026')
        self.wait_loaded()
        self.shot('task_filtered')

    def test_drag_moves(self):
        "An allowed drag changes the state; a refused one snaps back"
        client = self.login('zxb')
        tasks = client.model('jubao.plan.task', 'search_read',
            [['state', '=', 'not_started'], ['my_unit', '=', True]],
            0, 1, None, ['id'])
        self.assertTrue(tasks, "zxb has no task to start in the demo")
        task_id = tasks[0]['id']
        self.open_board('task')
        self.drag(task_id, 'in_progress')
        self.wait_for(lambda: '已移到' in self.message())
        self.assertEqual(
            self.state_of(client, 'jubao.plan.task', task_id), 'in_progress')
        self.wait_loaded()
        self.assertIn(task_id, self.columns()['in_progress'][2])
        self.shot('task_moved')

        # Refused by the server: a started task without progress
        self.drag(task_id, 'awaiting_approval')
        text = self.wait_for(self.message)
        self.assertRegex(text, r'[\u4e00-\u9fff]')
        self.assertNotIn('已移到', text)
        self.assertEqual(self.state_of(client, 'jubao.plan.task', task_id),
            'in_progress')
        self.assertIn(task_id, self.columns()['in_progress'][2])
        self.shot('task_refused')

        # Refused by the board: no button moves a card there
        self.drag(task_id, 'not_started')
        self.wait_for(lambda: '不能把卡片' in self.message())
        self.assertEqual(self.state_of(client, 'jubao.plan.task', task_id),
            'in_progress')
        self.assertIn(task_id, self.columns()['in_progress'][2])

    def test_wizard_move_opens_record(self):
        "A drop that needs a wizard opens the record in sao, unchanged"
        from selenium.webdriver.support.ui import WebDriverWait
        client = self.login('xfhead')
        case_id, = client.model('jubao.case', 'search',
            [['state', '=', 'accepted']], 0, 1, None)
        self.open_board('case')
        board = self.driver.current_window_handle
        before = set(self.driver.window_handles)
        self.drag(case_id, 'handling')
        self.wait_for(lambda: '已在新标签页中打开' in self.message())
        self.shot('case_wizard')
        WebDriverWait(self.driver, 30).until(
            lambda d: set(d.window_handles) - before)
        handle = (set(self.driver.window_handles) - before).pop()
        self.driver.switch_to.window(handle)
        self.assertIn(f'/model/jubao.case/{case_id}',
            self.driver.current_url)
        self.driver.switch_to.window(board)
        self.assertEqual(self.state_of(client, 'jubao.case', case_id),
            'accepted')
        self.assertIn(case_id, self.columns()['accepted'][2])

    def test_street_committee_sees_own(self):
        "A street committee's boards show only what RPC gives it"
        client = self.login('street1')
        self.open_board('case')
        columns = self.check_counts(client, 'case')
        shown = {i for c in columns.values() for i in c[2]}
        self.assertTrue(shown)
        self.shot('case_street1')
        # and less than the complaints office sees
        xfhead = Client(self.port, self.database, 'xfhead', 'jubao-2026')
        self.assertLess(sum(c[1] for c in columns.values()),
            xfhead.model('jubao.case', 'search_count', []))
        # an id the street may not read never reaches its board
        others = xfhead.model('jubao.case', 'search',
            [['id', 'not in', list(shown)]], 0, 50, None)
        self.assertFalse(set(others) & set(client.model('jubao.case',
                    'search', [['id', 'in', others]])))

    def test_not_logged_in(self):
        "Without a session the page says so in Chinese with a login link"
        from selenium.webdriver.common.by import By
        self.driver.get(
            f'http://127.0.0.1:{self.port}/{self.database}/jubao/board/case')
        element = self.visible(By.CSS_SELECTOR, '.board-login')
        self.assertIn('尚未登录', element.text)
        link = element.find_element(By.TAG_NAME, 'a')
        self.assertEqual(link.text, '登录系统')
        self.shot('not_logged_in')
