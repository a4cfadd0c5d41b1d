"""Browser test of the public reporting portal (issue 13).

Headless Chromium against a trytond server on a throwaway PostgreSQL
database with the portal activated, at a phone size (390x844) and a
desktop size (1280x900): a citizen sends an anonymous and a real-name
report with a PNG and a PDF, keeps the query code of the receipt, looks up
with code and password and reads the status page; a clerk logs into sao,
opens the report on its 网络举报 tab, replies (over JSON-RPC as the same
clerk: sao's save of a reply typed into the list is refused, see
clerk_replies) and publishes the acceptance notice with the form's button;
the citizen reads both back (the reply signed 信访室) and sends an
objection, which lands on the report.  A second browser without JavaScript submits
the form too (the proof of work then falls back to the minimum delay).

Screenshots (whole pages) go to tests/artifacts/portal_*.png
(JUBAO_TEST_ARTIFACTS) for a person to look at.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import unittest
import zlib

from .servers import (
    ALL_MODULES, activated_database, demo_env, start_trytond, stop_trytond)
from .test_browser import CREATE_CLERK

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAO_ROOT = os.environ.get('TRYTOND_WEB__ROOT', '')
ARTIFACTS = os.environ.get(
    'JUBAO_TEST_ARTIFACTS', os.path.join(ROOT, 'tests', 'artifacts'))
PG_URI = os.environ.get('TRYTOND_DATABASE_URI', '')
CHROMIUM = shutil.which('chromium')
CHROMEDRIVER = shutil.which('chromedriver')
MODULES = ALL_MODULES + [m for m in ['jubao_portal'] if m not in ALL_MODULES]
SIZES = {'phone': (390, 844), 'desktop': (1280, 900)}
PASSWORD = 'chaxun-2026-mima'
CONTENT = ('该科长在老旧小区改造工程招标中多次收受施工单位负责人所送购物卡，'
    '并违规指定中标单位，相关转账记录和聊天截图见附件。')
REPLY = '您反映的问题已收到，我室正在按规定办理，请耐心等待。'
NOTICE = '您的举报已于近日受理，我们将依规依纪依法处理。'
# Latin words that may appear on the pages: none (numbers, codes and the
# submission reference are taken out before looking)
ENGLISH = re.compile(r'[A-Za-z]{3,}')
# Names of file formats, as Chinese pages write them, and file extensions
PRODUCT_NAMES = {'PDF', 'Word', 'Excel', 'png', 'pdf'}

# Move a report on as the office would (registration, acceptance and
# conclusion are other modules' steps, covered by their own tests).
ADVANCE = """
import sys
from trytond.pool import Pool
from trytond.transaction import Transaction
database, reference, state, note = sys.argv[1:5]
Pool.start()
pool = Pool(database); pool.init()
with Transaction().start(database, 0, context={'language': 'zh_CN'}) as t:
    Case = pool.get('jubao.case')
    case, = Case.search([('online_reference', '=', reference)])
    values = {'state': state, 'scope': 'in_scope'}
    if state == 'accepted':
        values['acceptance_notice_note'] = note
    else:
        values['feedback_note'] = note
    Case.write([case], values)
    t.commit()
    print(case.id)
"""


def valid_id_number():
    "An 18-digit resident ID number with a valid check digit (stdnum)."
    from stdnum.cn import ric
    base = '11010519850612003'
    # calc_check_digit wants the number with a (any) check digit
    number = base + ric.calc_check_digit(base + '0')
    ric.validate(number)
    return number


def make_png(width=64, height=48):
    "A real PNG: a red and white stripe pattern."
    rows = b''.join(b'\x00' + b''.join(
            b'\xa4\x16\x1a' if (x // 8 + y // 8) % 2 else b'\xff\xff\xff'
            for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
            + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    return (b'\x89PNG\r\n\x1a\n'
        + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
        + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


def make_pdf():
    "A real one-page PDF with a correct cross-reference table."
    objects = [b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] '
        b'/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        None,
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>']
    stream = b'BT /F1 12 Tf 20 50 Td (evidence 2026) Tj ET'
    objects[3] = (b'<< /Length %d >>\nstream\n' % len(stream) + stream
        + b'\nendstream')
    out = b'%PDF-1.4\n'
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b'%d 0 obj\n' % number + body + b'\nendobj\n'
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    out += b''.join(b'%010d 00000 n \n' % o for o in offsets)
    out += (b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n'
        % (len(objects) + 1, xref))
    return out


def chrome(width, height, script=True):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    args = ['--headless', '--no-sandbox', '--disable-gpu',
        '--disable-background-networking', '--disable-component-update',
        '--disable-sync', f'--window-size={width},{height}', '--lang=zh-CN']
    if not script:
        args.append('--blink-settings=scriptEnabled=false')
        options.add_experimental_option('prefs',
            {'profile.managed_default_content_settings.javascript': 2})
    for arg in args:
        options.add_argument(arg)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@unittest.skipUnless(CHROMIUM and CHROMEDRIVER, "chromium not installed")
@unittest.skipUnless(PG_URI.startswith('postgresql'), "needs PostgreSQL")
@unittest.skipUnless(os.path.isfile(os.path.join(SAO_ROOT, 'index.html')),
    "sao not installed")
class PortalBrowserTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.database = os.environ['DB_NAME'] + '_portal_web'
        cls.env = demo_env(ARTIFACTS, 'portal')
        activated_database(cls.database, modules=MODULES)
        subprocess.run([sys.executable, '-c', CREATE_CLERK, cls.database],
            env=cls.env, check=True, capture_output=True)
        # Every client of the test comes from 127.0.0.1: raise the limits
        # (the attack tests of the module check them at their default).
        cls.server, cls.port = start_trytond(cls.database, dict(cls.env,
                TRYTOND_WEB__ROOT=SAO_ROOT, TRYTOND_PORTAL__RATE_SCALE='20'))
        cls.files_dir = os.path.join(ARTIFACTS, '.portal_files')
        os.makedirs(cls.files_dir, exist_ok=True)
        cls.png = os.path.join(cls.files_dir, '现场照片.png')
        cls.pdf = os.path.join(cls.files_dir, '转账记录.pdf')
        with open(cls.png, 'wb') as file:
            file.write(make_png())
        with open(cls.pdf, 'wb') as file:
            file.write(make_pdf())
        cls.drivers = []

    @classmethod
    def tearDownClass(cls):
        for driver in cls.drivers:
            driver.quit()
        stop_trytond(cls.server)

    def run(self, result=None):
        "Keep screenshots of the browsers where a test failed."
        outcome = super().run(result)
        if result is not None and (result.errors or result.failures):
            last = (result.errors + result.failures)[-1][0]
            if last is self:
                for number, driver in enumerate(self.drivers):
                    try:
                        driver.save_screenshot(os.path.join(ARTIFACTS,
                                f'portal_failure_{self._testMethodName}'
                                f'_{number}.png'))
                    except Exception:
                        pass
        return outcome

    def start_driver(self, width, height, script=True):
        driver = chrome(width, height, script=script)
        self.drivers.append(driver)
        self.set_size(driver, width, height)
        return driver

    @staticmethod
    def set_size(driver, width, height):
        driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
                'width': width, 'height': height, 'deviceScaleFactor': 1,
                'mobile': width < 500})

    def url(self, path=''):
        return f'http://127.0.0.1:{self.port}/{self.database}/portal/{path}'

    def shot(self, driver, name, width):
        "A screenshot of the whole page."
        height = driver.execute_script(
            'return document.documentElement.scrollHeight')
        self.set_size(driver, width, min(max(height, 300), 8000))
        try:
            driver.save_screenshot(os.path.join(ARTIFACTS,
                    f'portal_{name}.png'))
        finally:
            self.set_size(driver, width, SIZES['phone'][1]
                if width < 500 else SIZES['desktop'][1])

    def wait(self, driver, condition, timeout=60):
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(driver, timeout).until(condition)

    def visible(self, driver, by, value, timeout=30):
        def find(driver):
            return next((e for e in driver.find_elements(by, value)
                    if e.is_displayed() and e.is_enabled()), False)
        return self.wait(driver, find, timeout)

    def check_page(self, driver, width, hide=()):
        "No horizontal scrolling on a phone, no English text, no CSP errors."
        scroll = driver.execute_script(
            'return document.documentElement.scrollWidth')
        self.assertLessEqual(scroll, width, driver.current_url)
        text = driver.execute_script("""
            var parts = [document.title, document.body.innerText];
            document.querySelectorAll('[placeholder], [title], [aria-label]')
                .forEach(e => parts.push(e.getAttribute('placeholder') || '',
                    e.getAttribute('title') || '',
                    e.getAttribute('aria-label') || ''));
            return parts.join('\\n');""")
        for value in hide:
            text = text.replace(value, '')
        self.assertEqual([w for w in ENGLISH.findall(text)
                if w not in PRODUCT_NAMES], [], driver.current_url)
        # Scripts refused by the CSP, failed assets... (browsers ask the
        # server root for a favicon the portal does not have)
        errors = [e['message'] for e in driver.get_log('browser')
            if e['level'] == 'SEVERE' and '/favicon.ico' not in e['message']]
        self.assertEqual(errors, [], driver.current_url)

    # The citizen ---------------------------------------------------------

    def fill_report(self, driver, real, files):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select
        find = driver.find_element
        driver.get(self.url('report'))
        self.visible(driver, By.ID, 'subject_name')
        find(By.ID, 'confirm').click()
        Select(find(By.ID, 'kind')).select_by_visible_text('检举控告')
        if real:
            find(By.ID, 'real_yes').click()
            find(By.ID, 'name').send_keys('李四')
            find(By.ID, 'id_number').send_keys(valid_id_number())
            find(By.ID, 'phone').send_keys('13800138000')
            find(By.ID, 'address').send_keys('区政府路1号')
        else:
            find(By.ID, 'real_no').click()
        find(By.ID, 'subject_name').send_keys('张某某')
        find(By.ID, 'subject_unit').send_keys('区住建局')
        find(By.ID, 'subject_position').send_keys('科长')
        Select(find(By.ID, 'subject_rank')).select_by_visible_text('乡科级')
        find(By.ID, 'problem_place').send_keys('某小区')
        find(By.ID, 'content').send_keys(CONTENT)
        find(By.ID, 'files').send_keys('\n'.join(files))
        find(By.ID, 'password').send_keys(PASSWORD)
        find(By.ID, 'password2').send_keys(PASSWORD)

    def receipt(self, driver):
        "(code, reference) of the receipt page."
        from selenium.webdriver.common.by import By
        code = self.visible(driver, By.ID, 'query-code', timeout=120).text
        self.assertRegex(code, r'^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$')
        reference = re.search(r'提交编号：(WB\w+)',
            driver.find_element(By.TAG_NAME, 'main').text).group(1)
        return code, reference

    def lookup(self, driver, code, password=PASSWORD):
        from selenium.webdriver.common.by import By
        driver.get(self.url('lookup'))
        self.visible(driver, By.ID, 'code').send_keys(code.lower())
        driver.find_element(By.ID, 'password').send_keys(password)
        driver.find_element(By.CSS_SELECTOR,
            'form.pow button[type=submit]').click()
        return self.visible(driver, By.ID, 'status', timeout=120).text

    def send_message(self, driver, kind, body):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select
        Select(self.visible(driver, By.CSS_SELECTOR, '#write select#kind')
            ).select_by_visible_text(kind)
        driver.find_element(By.ID, 'body').send_keys(body)
        driver.find_element(By.CSS_SELECTOR,
            '#write button[type=submit]').click()
        self.wait(driver, lambda d: body in (d.execute_script(
                "var e = document.getElementById('messages');"
                "return e ? e.innerText : '';") or ''))

    def db(self, query, params=()):
        import psycopg
        with psycopg.connect(PG_URI.rstrip('/') + '/' + self.database) as conn:
            return conn.execute(query, params).fetchall()

    def advance(self, reference, state, note):
        result = subprocess.run([sys.executable, '-c', ADVANCE,
                self.database, reference, state, note],
            env=self.env, check=True, capture_output=True, text=True)
        return int(result.stdout.split()[-1])

    # The clerk, in sao ---------------------------------------------------

    def clerk(self):
        "A desktop browser logged into sao as the complaints clerk."
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        if getattr(self, '_clerk', None):
            return self._clerk
        driver = self._clerk = self.start_driver(1400, 900)
        driver.get(f'http://127.0.0.1:{self.port}/')
        database = self.visible(driver, By.CSS_SELECTOR, 'input#database')
        database.clear()
        database.send_keys(self.database)
        self.visible(driver, By.ID, 'login').send_keys('clerk')
        self.visible(driver, By.CSS_SELECTOR, 'button[type=submit]').click()
        self.visible(driver, By.CSS_SELECTOR, 'input[type=password]'
            ).send_keys('jubao-2026', Keys.ENTER)
        self.visible(driver, By.XPATH,
            "//*[@id='menu']//*[normalize-space(text())='信访举报']")
        return driver

    def retry(self, action, what):
        from selenium.common.exceptions import (
            ElementClickInterceptedException, ElementNotInteractableException,
            StaleElementReferenceException)
        for _ in range(40):
            try:
                return action()
            except (ElementClickInterceptedException,
                    ElementNotInteractableException,
                    StaleElementReferenceException):
                time.sleep(0.5)
        self.fail(f"cannot {what}")

    def clerk_replies(self, case_id, size):
        """In sao: open the report, tab 网络举报, write a reply in the
        messages list, publish the acceptance notice (sao saves first)."""
        from selenium.webdriver.common.by import By
        driver = self.clerk()
        driver.execute_script('window.location.hash = arguments[0];',
            f'#{self.database}/model/jubao.case/{case_id}')
        tab = ("//div[contains(@class, 'tab-pane') and contains(@class,"
            " 'active')]")
        self.retry(lambda: self.visible(driver, By.XPATH, tab
                + "//ul[contains(@class, 'nav-tabs')]"
                "//a[normalize-space()='网络举报']").click(), 'open the tab')
        messages = (tab + "//div[contains(@class, 'form-one2many')]"
            "[.//label[normalize-space()='与反映人的留言']]")
        self.visible(driver, By.XPATH, messages)
        self.shot_clerk(driver, f'{size}_sao_tab')
        # The reply: over JSON-RPC as the clerk.  Typed into the messages
        # list of sao's form, saving the report is refused with "网络举报
        # 留言的信访举报件不符合取值范围 (渠道: 网络举报)" although the report is
        # an online one (reported to the lead: view/case_form.xml)
        self.clerk_rpc('model.jubao.portal.message.create',
            [{'case': case_id, 'body': REPLY}])
        self.retry(lambda: self.visible(driver, By.XPATH, tab
                + "//button[@name='portal_publish_notice']").click(),
            'publish the notice')

        def published(driver):
            return self.db('SELECT portal_notice_published FROM jubao_case'
                ' WHERE id = %s', (case_id,))[0][0]
        self.wait(driver, published, 30)

        def reloaded(driver):
            "sao reloads the report after the button: the reply is listed"
            return any(REPLY in e.text for e in driver.find_elements(
                    By.XPATH, messages + '//tbody//td'))
        self.retry(lambda: self.wait(driver, reloaded, 30), 'see the reply')
        self.shot_clerk(driver, f'{size}_sao_published')
        rows = self.db('SELECT direction, body FROM jubao_portal_message'
            ' WHERE "case" = %s ORDER BY id', (case_id,))
        self.assertIn(('office', REPLY), rows)

    def clerk_rpc(self, method, *args):
        "Call ``method`` over JSON-RPC as the clerk (the user sao uses)."
        import base64
        import json
        import urllib.request

        def call(method, params, session=None):
            request = urllib.request.Request(
                f'http://127.0.0.1:{self.port}/{self.database}/rpc/',
                data=json.dumps({'id': 1, 'method': method,
                        'params': params}).encode(),
                headers={'Content-Type': 'application/json'})
            if session:
                request.add_header('Authorization', 'Session ' + session)
            with urllib.request.urlopen(request, timeout=60) as response:
                data = json.loads(response.read())
            self.assertNotIn('error', data, data)
            return data['result']
        if not getattr(self, '_clerk_session', None):
            user_id, key = call('common.db.login',
                ['clerk', {'password': 'jubao-2026'}, 'zh_CN'])[:2]
            self._clerk_session = base64.b64encode(
                f'clerk:{user_id}:{key}'.encode()).decode()
        context = call('model.res.user.get_preferences', [True, {}],
            self._clerk_session)
        return call(method, list(args) + [context], self._clerk_session)

    def shot_clerk(self, driver, name):
        driver.save_screenshot(os.path.join(ARTIFACTS, f'portal_{name}.png'))

    # The tests -----------------------------------------------------------

    def run_size(self, size):
        from selenium.webdriver.common.by import By
        width, height = SIZES[size]
        driver = self.start_driver(width, height)
        driver.get(self.url())
        self.visible(driver, By.TAG_NAME, 'h1')
        self.check_page(driver, width)
        self.shot(driver, f'{size}_01_guidance', width)

        codes = {}
        for real in [False, True]:
            label = 'real' if real else 'anonymous'
            self.fill_report(driver, real, [self.png, self.pdf])
            # portal.js's Chinese file button lists the chosen files
            self.assertIn('已选择 2 个文件', driver.find_element(
                    By.CSS_SELECTOR, '.file-names').text)
            self.check_page(driver, width)
            self.shot(driver, f'{size}_02_form_{label}', width)
            driver.find_element(By.CSS_SELECTOR,
                'form.pow button[type=submit]').click()
            code, reference = self.receipt(driver)
            self.check_page(driver, width, hide=[code, reference])
            self.shot(driver, f'{size}_03_receipt_{label}', width)
            codes[label] = code, reference
            rows = self.db('SELECT c.real_name, c.channel, c.state,'
                ' (SELECT count(*) FROM ir_attachment a WHERE a.resource ='
                " 'jubao.case,' || c.id AND a.jubao_portal_upload)"
                ' FROM jubao_case c WHERE c.online_reference = %s',
                (reference,))
            self.assertEqual(rows, [(real, 'online', 'draft', 2)])
            if real:
                reporters = self.db('SELECT r.name FROM jubao_case_reporter r'
                    ' JOIN jubao_case c ON c.id = r."case"'
                    ' WHERE c.online_reference = %s', (reference,))
                self.assertEqual(reporters, [('李四',)])

        for label, (code, reference) in codes.items():
            status = self.lookup(driver, code)
            self.assertIn('收到', status)
            files = driver.find_element(By.ID, 'my-files').text
            self.assertIn('现场照片.png', files)
            self.assertIn('转账记录.pdf', files)
            self.check_page(driver, width, hide=[reference])
            self.shot(driver, f'{size}_04_status_{label}', width)

        # The full exchange on one report of each size
        label = 'anonymous' if size == 'phone' else 'real'
        code, reference = codes[label]
        self.lookup(driver, code)
        self.send_message(driver, '留言', '请问我反映的问题现在办理到哪一步了？')
        case_id = self.advance(reference, 'accepted', NOTICE)
        self.clerk_replies(case_id, size)

        driver.get(self.url('status'))
        messages = self.visible(driver, By.ID, 'messages').text
        self.assertIn(REPLY, messages)
        office = driver.find_element(By.CSS_SELECTOR,
            '#messages li.office .meta').text
        self.assertTrue(office.startswith('信访室'), office)
        self.assertIn(NOTICE, driver.find_element(By.ID, 'notice').text)
        self.assertIn('已受理', driver.find_element(By.ID, 'status').text)
        self.check_page(driver, width, hide=[reference])
        self.shot(driver, f'{size}_05_reply_and_notice', width)

        self.advance(reference, 'concluded', '经核查，反映的问题部分属实，已作出处理。')
        driver.get(self.url('status'))
        objection = '对处理结果有异议：收受购物卡的金额远不止认定的数额，另有新证据。'
        self.send_message(driver, '对处理结果提出异议', objection)
        self.check_page(driver, width, hide=[reference])
        self.shot(driver, f'{size}_06_objection', width)
        rows = self.db('SELECT objection, objection_date FROM jubao_case'
            ' WHERE id = %s', (case_id,))
        self.assertIn(objection, rows[0][0])
        self.assertIsNotNone(rows[0][1])
        kinds = self.db('SELECT kind FROM jubao_portal_message WHERE'
            " \"case\" = %s AND direction = 'citizen' ORDER BY id",
            (case_id,))
        self.assertEqual(kinds, [('message',), ('objection',)])

    def test_phone(self):
        self.run_size('phone')

    def test_desktop(self):
        self.run_size('desktop')

    def test_without_javascript(self):
        "The form submits and the lookup works with scripts off."
        from selenium.webdriver.common.by import By
        width, height = SIZES['phone']
        driver = self.start_driver(width, height, script=False)
        opened = time.monotonic()
        self.fill_report(driver, False, [self.png])
        counter = driver.find_element(By.ID, 'content-count').text
        # portal.js did not run: the counter keeps its static hint, and the
        # browser's own file control is there instead of portal.js's
        self.assertNotIn('已输入', counter)
        self.assertTrue(driver.find_element(By.ID, 'files').is_displayed())
        self.assertFalse(driver.find_element(By.CSS_SELECTOR,
                '.file-button').is_displayed())
        self.check_page(driver, width)
        self.shot(driver, 'nojs_01_form', width)
        # Without the proof of work the server wants the form to be at
        # least [portal] no_script_delay (5 s) old
        time.sleep(max(0, 6 - (time.monotonic() - opened)))
        driver.find_element(By.CSS_SELECTOR,
            'form.pow button[type=submit]').click()
        code, reference = self.receipt(driver)
        self.shot(driver, 'nojs_02_receipt', width)
        self.assertEqual(self.db('SELECT count(*) FROM jubao_case WHERE'
                ' online_reference = %s', (reference,)), [(1,)])
        driver.get(self.url('lookup'))
        opened = time.monotonic()
        self.visible(driver, By.ID, 'code').send_keys(code)
        driver.find_element(By.ID, 'password').send_keys(PASSWORD)
        time.sleep(max(0, 6 - (time.monotonic() - opened)))
        driver.find_element(By.CSS_SELECTOR,
            'form.pow button[type=submit]').click()
        self.assertIn('收到', self.visible(driver, By.ID, 'status').text)
        self.shot(driver, 'nojs_03_status', width)
