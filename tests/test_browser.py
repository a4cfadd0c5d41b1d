"""Browser test: a clerk logs into sao, creates and registers a report.

Drives the real web client in headless Chromium against a trytond server
on a throwaway PostgreSQL database, and saves screenshots to
``tests/artifacts`` (JUBAO_TEST_ARTIFACTS) for a person to look at.
"""
import os
import shutil
import subprocess
import sys
import time
import unittest

from .servers import (
    activated_database, demo_env, start_trytond, stop_trytond)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.dirname(sys.executable)
SAO_ROOT = os.environ.get('TRYTOND_WEB__ROOT', '')
ARTIFACTS = os.environ.get(
    'JUBAO_TEST_ARTIFACTS', os.path.join(ROOT, 'tests', 'artifacts'))
PG_URI = os.environ.get('TRYTOND_DATABASE_URI', '')
CHROMIUM = shutil.which('chromium')
CHROMEDRIVER = shutil.which('chromedriver')

CREATE_CLERK = """
import sys
from trytond.pool import Pool
from trytond.transaction import Transaction
Pool.start()
pool = Pool(sys.argv[1]); pool.init()
with Transaction().start(sys.argv[1], 0, context={'language': 'zh_CN'}) as t:
    from trytond.modules.jubao_intake import demo
    demo.load_users()
    # Drafts received today, 40 and 80 days ago: a calendar month shows
    # only the first
    import datetime as dt
    pool = Pool()
    Case = pool.get('jubao.case')
    clerk, = pool.get('res.user').search([('login', '=', 'clerk')])
    today = pool.get('ir.date').today()
    with t.set_user(clerk.id):
        Case.create([{
                    'channel': 'letter',
                    'received_date': today - dt.timedelta(days=days),
                    'summary': f'反映某局干部违规发放津贴问题（{days}）',
                    'subjects': [('create', [{'name': f'赵某{days}'}])],
                    } for days in [0, 40, 80]])
    t.commit()
"""




@unittest.skipUnless(CHROMIUM and CHROMEDRIVER, "chromium not installed")
@unittest.skipUnless(PG_URI.startswith('postgresql'), "needs PostgreSQL")
@unittest.skipUnless(os.path.isfile(os.path.join(SAO_ROOT, 'index.html')),
    "sao not installed")
class BrowserTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.database = os.environ['DB_NAME'] + '_web'
        cls.env = demo_env(ARTIFACTS, 'demo')
        activated_database(cls.database)
        subprocess.run([sys.executable, '-c', CREATE_CLERK, cls.database],
            env=cls.env, check=True, capture_output=True)
        cls.server, cls.port = start_trytond(
            cls.database, dict(cls.env, TRYTOND_WEB__ROOT=SAO_ROOT))
        cls.driver = cls._start_browser()

    @classmethod
    def _start_browser(cls):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ['--headless', '--no-sandbox', '--disable-gpu',
                '--disable-background-networking',
                '--disable-component-update', '--disable-sync',
                '--window-size=1400,900', '--lang=zh-CN']:
            options.add_argument(arg)
        return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        stop_trytond(cls.server)

    def run(self, result=None):
        "Keep a screenshot of the page where a test failed."
        outcome = super().run(result)
        if result is not None and (result.errors or result.failures):
            last = (result.errors + result.failures)[-1][0]
            if last is self and hasattr(self, 'driver'):
                self.shot('failure_' + self._testMethodName)
        return outcome

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(ARTIFACTS, f'{name}.png'))

    def visible(self, by, value, timeout=20):
        "Wait for the first displayed element matching the locator."
        from selenium.webdriver.support.ui import WebDriverWait

        def find(driver):
            return next((e for e in driver.find_elements(by, value)
                    if e.is_displayed() and e.is_enabled()), False)
        return WebDriverWait(self.driver, timeout).until(find)

    def login(self, login, password):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        self.driver.get(f'http://127.0.0.1:{self.port}/')
        # A session stored by an earlier test would skip the password
        self.driver.execute_script("Object.keys(localStorage)"
            ".filter(k => k.startsWith('sao_session_'))"
            ".forEach(k => localStorage.removeItem(k));")
        self.driver.get(f'http://127.0.0.1:{self.port}/')
        # sao starts slowly when the machine is busy (the whole suite)
        database = self.visible(By.CSS_SELECTOR, 'input#database', 60)
        database.clear()
        database.send_keys(self.database)
        self.visible(By.ID, 'login', 60).send_keys(login)
        self.visible(By.CSS_SELECTOR, 'button[type=submit]', 60).click()
        password_entry = self.visible(
            By.CSS_SELECTOR, 'input[type=password]', 60)
        password_entry.send_keys(password, Keys.ENTER)

    def open_menu(self, *path):
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        for label in path:
            item = self.visible(By.XPATH,
                f"//*[@id='menu']//*[normalize-space(text())='{label}']")
            ActionChains(self.driver).double_click(item).perform()

    def type_into(self, by, value, text):
        "Type into a form widget once sao has finished drawing it."
        from selenium.common.exceptions import (
            ElementNotInteractableException, StaleElementReferenceException)
        for _ in range(20):
            try:
                element = self.visible(by, value)
                element.click()
                element.send_keys(text)
                return
            except (ElementNotInteractableException,
                    StaleElementReferenceException):
                time.sleep(0.5)
        self.fail(f"cannot type into {value}")

    def click(self, by, value):
        from selenium.common.exceptions import (
            ElementClickInterceptedException, StaleElementReferenceException)
        for _ in range(20):
            try:
                self.visible(by, value).click()
                return
            except (ElementClickInterceptedException,
                    StaleElementReferenceException):
                time.sleep(0.5)
        self.fail(f"cannot click {value}")

    def test_clerk_registers_report(self):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        self.login('clerk', 'jubao-2026')
        self.open_menu('信访举报', '信访举报件')
        self.visible(By.XPATH, "//*[normalize-space(text())='待筛查']")
        self.shot('01_case_list')
        self.click(By.ID, 'new_')
        self.type_into(By.CSS_SELECTOR, 'input[name=summary]',
            '反映某街道干部违规收受礼金问题')
        self.type_into(By.CSS_SELECTOR, 'textarea[name=content]',
            '来信反映该干部在项目验收中收受礼金。')
        # Registration needs a reported person (or a problem category)
        subjects = ("//div[contains(@class, 'form-one2many')]"
            "[.//label[normalize-space()='被反映人']]")
        self.click(By.XPATH, subjects + "//button[@title='新建']")
        self.type_into(By.XPATH,
            subjects + "//tbody//input[not(@type='checkbox')]", '张某某')
        self.shot('02_new_report')
        # sao saves the record before it runs a button
        self.click(By.CSS_SELECTOR, 'button[name=register]')

        def numbered(driver):
            value = driver.execute_script(
                "var e = Array.from(document.querySelectorAll("
                "'input[name=number]')).find(e => e.offsetParent);"
                "return e ? e.value : '';")
            return value if value.startswith('信访〔') else False
        number = WebDriverWait(self.driver, 30).until(numbered)
        self.driver.execute_script(
            "document.querySelectorAll('.tab-pane.active .form')"
            ".forEach(e => e.scrollIntoView());")
        self.shot('03_registered')
        self.assertRegex(number, r'^信访〔\d{4}〕第\d{4}号$')
        state = self.driver.execute_script(
            "var e = Array.from(document.querySelectorAll("
            "'select[name=state]')).find(e => e.offsetParent);"
            "return e.options[e.selectedIndex].text;")
        self.assertEqual(state, '已登记')

    def test_platform_name_and_database_remembered(self):
        "The platform's name in header and title; the login remembers the database"
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        self.login('clerk', 'jubao-2026')
        self.visible(By.XPATH, "//*[@id='menu']//*[normalize-space(text())"
            "='信访举报']")
        self.assertEqual(self.driver.find_element(By.ID, 'title').text,
            '纪委监委信访举报管理平台')
        self.assertIn('纪委监委信访举报管理平台', self.driver.title)
        self.assertNotIn('Tryton', self.driver.title)
        # A new visit without the session: the form is filled in
        self.driver.execute_script("Object.keys(localStorage)"
            ".filter(k => k.startsWith('sao_session_'))"
            ".forEach(k => localStorage.removeItem(k));")
        self.driver.get(f'http://127.0.0.1:{self.port}/')
        database = self.visible(By.CSS_SELECTOR, 'input#database')
        WebDriverWait(self.driver, 10).until(
            lambda d: database.get_attribute('value'))
        self.shot('05_login_prefilled')
        self.assertEqual(database.get_attribute('value'), self.database)
        # In Chinese before login too
        dialog = self.visible(By.CSS_SELECTOR, '.login-dialog').text
        self.assertNotRegex(dialog, r'Login|Database|User name')
        self.assertIn('数据库', dialog)

    def test_confirmation_counts_selected_rows(self):
        "A confirmed button on several selected rows says how many"
        from selenium.webdriver.common.by import By
        self.login('xfhead', 'jubao-2026')
        self.visible(By.XPATH, "//*[@id='menu']//*[normalize-space(text())"
            "='信访举报']")
        # sao's own Screen.button up to its confirmation, on a screen with
        # two selected rows; the confirmation is captured, then refused
        asked = self.driver.execute_script("""
            var asked = [];
            var run = Sao.common.sur.run;
            Sao.common.sur.run = function(message) {
                asked.push(message);
                return jQuery.Deferred().reject();
            };
            var row = {expr_eval: () => ({}), validate: () => true};
            var screen = {current_record: row, display: () => null,
                current_view: {selected_records: [row, row],
                    set_value: () => null, get_fields: () => []}};
            try {
                Sao.Screen.prototype.button.call(screen,
                    {name: 'send', confirm: '批准并发送该移交？'});
                screen.current_view.selected_records = [row];
                Sao.Screen.prototype.button.call(screen,
                    {name: 'send', confirm: '批准并发送该移交？'});
            } finally {
                Sao.common.sur.run = run;
            }
            return asked;""")
        self.assertEqual(len(asked), 2)
        self.assertIn('已选中 2 条记录，将对全部 2 条执行', asked[0])
        self.assertEqual(asked[1], '批准并发送该移交？')

    def current_screen(self, script):
        "Run ``script`` (a function of sao's current screen) and wait on it."
        return self.driver.execute_async_script("""
            var done = arguments[arguments.length - 1];
            var screen = Sao.Tab.tabs.get_current().screen;
            jQuery.when((""" + script + """)(screen)).then(
                value => done(value === undefined ? null : value),
                error => done('failed: ' + error));""")

    def test_calendar_and_buttons_refresh_the_list(self):
        "No hidden dates after the calendar; a list follows its buttons"
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        self.driver.set_script_timeout(60)
        self.login('xfhead', 'jubao-2026')
        self.open_menu('信访举报', '信访举报件')
        self.click(By.XPATH, "//a[contains(normalize-space(), '草稿')]")

        def rows(driver):
            count = self.current_screen('s => s.group.length')
            return count if count and count >= 3 else False
        drafts = WebDriverWait(self.driver, 30).until(rows)
        self.current_screen("s => s.switch_view('calendar')")
        # Paging the calendar loads the rows of the month it shows
        self.click(By.CSS_SELECTOR, '.fc-prev-button')
        self.click(By.CSS_SELECTOR, '.fc-next-button')
        WebDriverWait(self.driver, 30).until(
            lambda d: self.current_screen('s => s.group.length') < drafts)
        self.shot('06_calendar')
        self.current_screen("s => s.switch_view('tree')")
        self.assertEqual(self.current_screen('s => s.group.length'), drafts)
        # A button on a row: the list searches again, the registered report
        # leaves the tab of drafts
        self.click(By.XPATH, "//div[contains(@class, 'tab-pane') and "
            "contains(@class, 'active')]//tbody//td"
            "[contains(normalize-space(), '违规发放津贴问题（0）')]")
        selected = self.current_screen(
            's => s.current_view.selected_records.map('
            "r => r.field_get_client('summary'))")
        self.assertEqual(selected, ['反映某局干部违规发放津贴问题（0）'])
        result = self.current_screen("s => s.button({name: 'register'})")
        self.assertNotIsInstance(result, str)
        WebDriverWait(self.driver, 30).until(
            lambda d: self.current_screen('s => s.group.length')
            == drafts - 1)
        self.shot('07_list_after_button')

    def test_leader_opens_access_log(self):
        "Leaders reach the log of reads of reporter identity from their menu."
        from selenium.webdriver.common.by import By
        self.login('leader', 'jubao-2026')
        self.visible(By.XPATH, "//*[@id='menu']//*[normalize-space(text())"
            "='信访举报']")
        # forget the messages of the page left behind
        self.driver.get_log('browser')
        self.open_menu('信访举报', '反映人信息查阅记录')
        self.visible(By.XPATH, "//th[normalize-space()='查阅时间']")
        self.visible(By.XPATH, "//th[normalize-space()='查阅途径']")
        self.shot('04_access_log')
        errors = [entry['message'] for entry in self.driver.get_log('browser')
            if entry['level'] == 'SEVERE' and entry['source'] != 'network']
        self.assertEqual(errors, [])
