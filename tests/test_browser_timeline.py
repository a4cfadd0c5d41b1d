"""Browser check of the timeline: sao draws the chat panel of a report.

A clerk opens a registered report, opens its timeline (动态) from the
toolbar and sees the registration entry and a remark; the screenshot is
``tests/artifacts/timeline_case.png``.  Runs with the browser test's
server and helpers (tests/test_browser.py), on its own database.
"""
import os

from . import test_browser as browser

CREATE_CASE = """
import sys
from trytond.pool import Pool
from trytond.transaction import Transaction
Pool.start()
pool = Pool(sys.argv[1]); pool.init()
with Transaction().start(sys.argv[1], 0, context={'language': 'zh_CN'}) as t:
    from trytond.modules.jubao_intake import demo
    from trytond.modules.jubao_intake.tests.tools import create_case
    demo.load_users()
    clerk, = pool.get('res.user').search([('login', '=', 'clerk')])
    Case = pool.get('jubao.case')
    case = create_case(summary='反映区住建局副局长违规收受礼金问题')
    with t.set_user(clerk.id):
        Case.register([case])
        pool.get('ir.chat.channel').post(str(case), '已电话核实来信时间')
    print(Case(case.id).number)
    t.commit()
"""


class TimelineBrowserTestCase(browser.BrowserTestCase):

    @classmethod
    def setUpClass(cls):
        # the parent's set-up with its own database and a registered report
        create_clerk = browser.CREATE_CLERK
        environ = dict(os.environ)
        os.environ['DB_NAME'] = environ['DB_NAME'] + '_tl'
        try:
            browser.CREATE_CLERK = CREATE_CASE
            super().setUpClass()
        finally:
            browser.CREATE_CLERK = create_clerk
            os.environ.clear()
            os.environ.update(environ)

    def test_case_timeline_panel(self):
        "The report's form opens its timeline with the entries"
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        self.login('clerk', 'jubao-2026')
        self.open_menu('信访举报', '信访举报件')
        # the list opens on the drafts: the report waits for screening
        self.click(By.XPATH, "//li[@role='presentation']/a"
            "[contains(normalize-space(), '待筛查')]")
        try:
            row = self.visible(By.XPATH,
                "//tbody//td[contains(., '反映区住建局副局长违规收受礼金')]"
                " | //tbody//td[contains(., '信访〔')]", timeout=40)
        finally:
            self.shot('timeline_case_list')
        ActionChains(self.driver).double_click(row).perform()
        self.visible(By.CSS_SELECTOR, 'input[name=summary]', timeout=30)
        self.driver.get_log('browser')
        self.click(By.ID, 'chat')

        def entries(driver):
            texts = driver.execute_script(
                "return Array.from(document.querySelectorAll("
                "'.chat .chat-content')).filter(e => e.offsetParent)"
                ".map(e => e.textContent);")
            return texts if any('登记本件' in t for t in texts) else False
        texts = WebDriverWait(self.driver, 30).until(entries)
        self.shot('timeline_case')
        self.assertTrue(any('登记本件，编号信访〔' in t for t in texts),
            texts)
        self.assertIn('已电话核实来信时间', texts)
        errors = [entry['message'] for entry in self.driver.get_log('browser')
            if entry['level'] == 'SEVERE' and entry['source'] != 'network']
        self.assertEqual(errors, [])


# Only this module's test, not the inherited ones
for _name in dir(browser.BrowserTestCase):
    if _name.startswith('test_') and (
            _name not in TimelineBrowserTestCase.__dict__):
        setattr(TimelineBrowserTestCase, _name, None)
del _name
