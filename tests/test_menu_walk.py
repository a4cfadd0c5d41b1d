"""Every menu entry, opened in sao as every demo role (issue "work surfaces").

One trytond server with the full demo (scripts/load_demo.py) and one
headless Chromium.  Each demo user of addons/jubao_intake/demo.py logs in
once; the menu entries the user reaches are listed over JSON-RPC as that
user (``ir.ui.menu`` search, then the entry's action as sao gets it from
``ir.action.keyword.get_keyword('tree_open', ...)``) and opened the way a
double click in the menu tree opens them (``Sao.Action.exec_keyword``).
Once sao has no request in flight, the page must have:

1. no JavaScript error (the browser's SEVERE log, window.onerror and
   unhandled rejections);
2. no error, warning or access-error dialog;
3. for a list, rows when the user can count records in the action's domain
   (and the first tab's domain, the one sao shows) over RPC;
4. no English word in the rendered text (``innerText`` of the page: header,
   menu, tabs, dialogs), apart from ``ALLOWED`` and words already on the
   page after login (reported once, as the entry "(home)").

Wizards are checked in their dialog (or tab) and closed; reports and URL
actions are not opened (tests/test_printouts.py and tests/test_kanban.py
cover them) but listed in tests/artifacts/walk/report.txt with every
entry's outcome.  Screenshots: tests/artifacts/walk/, one per entry (the
first role that opens it), one per role's home page and one per failure;
JUBAO_WALK_ALL_SHOTS=1 keeps one per (role, entry).
"""
import base64
import json
import os
import re
import shutil
import time
import unittest

from .servers import demo_server, stop_trytond
from .test_browser import (
    ARTIFACTS, CHROMEDRIVER, CHROMIUM, PG_URI, SAO_ROOT,
    BrowserTestCase)
from .test_kanban import Client

WALK = os.path.join(ARTIFACTS, 'walk')
ALL_SHOTS = bool(os.environ.get('JUBAO_WALK_ALL_SHOTS'))
# Latin words allowed in the Chinese UI: file formats named as such in
# Chinese software, and the demo users' logins (shown as user names in
# some lists, they are identifiers, not text).
FORMATS = {'Excel', 'PDF', 'CSV', 'JSON', 'docx', 'xlsx', 'xls', 'odt',
    'ods', 'zip', 'png', 'jpg'}
WORD = re.compile(r'(?<![A-Za-z0-9_.@/-])[A-Za-z]{3,}(?![A-Za-z0-9_@/-])')
# e-mail addresses, URLs and file names are data, not words
DATA = re.compile(r'\S+@\S+|\w+://\S+|[\w.-]+\.[A-Za-z]{2,4}\b')

# Injected before sao's own scripts: JavaScript errors and the rejections
# nobody handles.
HOOK = """
window.__walk_errors = [];
window.addEventListener('error', function(e) {
    window.__walk_errors.push('error: ' + e.message + ' at ' +
        (e.filename || '') + ':' + (e.lineno || ''));
});
window.addEventListener('unhandledrejection', function(e) {
    var r = e.reason;
    window.__walk_errors.push('unhandled rejection: ' +
        (r && (r.stack || r.message) || JSON.stringify(r)));
});
"""
# Calls back true once sao has been idle for 150 ms (no request in
# flight, its "Processing" hidden), false after arguments[0] ms.
IDLE = """
var timeout = arguments[0], done = arguments[arguments.length - 1];
var start = Date.now(), quiet = null;
(function poll() {
    var idle = window.jQuery !== undefined && jQuery.active === 0 &&
        !jQuery('#processing').is(':visible');
    var now = Date.now();
    if (!idle) {
        quiet = null;
    } else if (quiet === null) {
        quiet = now;
    }
    if (quiet !== null && now - quiet >= 150) {
        done(true);
    } else if (now - start > timeout) {
        done(false);
    } else {
        setTimeout(poll, 50);
    }
})();
"""
OPEN = """
window.__walk_errors = [];
Sao.Action.exec_keyword('tree_open',
    {'model': 'ir.ui.menu', 'id': arguments[0]}, null, false);
"""
# What the page shows once drawn: the current tab and its list, the
# dialogs on top and the rendered text.
STATE = """
var tab = Sao.Tab.tabs.get_current();
var state = {tabs: Sao.Tab.tabs.length, text: document.body.innerText,
    errors: window.__walk_errors, dialogs: [], wizard: false};
jQuery('.modal:visible').each(function() {
    var kind = ['error-dialog', 'warning-dialog', 'user-warning-dialog',
        'message-dialog', 'wizard-dialog'].find(
            c => this.classList.contains(c)) || this.className;
    state.dialogs.push([kind, this.innerText]);
    if (kind == 'wizard-dialog') {
        state.wizard = true;
    }
});
if (tab) {
    state.tab_class = tab.class_;
    state.name = tab.name;
    if (tab.class_ == 'tab-wizard') {
        state.wizard = true;
    }
    var screen = tab.screen;
    if (screen && screen.current_view) {
        state.model = screen.model_name;
        state.view_type = screen.current_view.view_type;
        state.records = screen.group ? screen.group.length : null;
        // the rows the list has drawn
        state.rows = screen.current_view.rows ?
            screen.current_view.rows.length : null;
    }
}
return state;
"""
# Close the tabs and wizards left open without asking (nothing is saved)
CLOSE = """
jQuery('.wizard-dialog:visible, .modal:visible').each(function() {
    jQuery(this).modal('hide');
});
jQuery('.modal').remove();
jQuery('.modal-backdrop').remove();
jQuery('body').removeClass('modal-open');
for (const tab of Array.from(Sao.Tab.tabs)) {
    if (tab.screen) {
        tab.screen.group.forEach(r => r.cancel && r.cancel());
    }
    tab.close();
}
"""


def roles():
    """The demo users, in the demo's order, as (login, password); a user
    with the groups and offices of an earlier one (leader2) sees the same
    and is left out."""
    from trytond.modules.jubao_intake.demo import DEMO_PASSWORD, USERS
    seen, users = set(), []
    for login, _, groups, offices in USERS:
        key = (frozenset(groups), frozenset(offices))
        if key not in seen:
            seen.add(key)
            users.append((login, DEMO_PASSWORD))
    return users


def logins():
    "Every demo user's login."
    from trytond.modules.jubao_intake.demo import USERS
    return {u[0] for u in USERS}


def english(text, allowed):
    "The English words of the rendered ``text``, ``allowed`` apart."
    text = DATA.sub(' ', text)
    return sorted({w for w in WORD.findall(text)
            if w not in allowed and w.lower() not in allowed})


def english_problem(text, words):
    "The problem of ``words`` found in ``text``, each with its line."
    lines = [line.strip() for line in text.splitlines()]
    found = []
    for word in words:
        line = next((l for l in lines if re.search(
                        rf'\b{word}\b', l)), '')
        found.append(f'{word} ("{" ".join(line.split())[:80]}")')
    return 'English: ' + ', '.join(found)


def menu_entries(client):
    """[(menu id, path, action value)] of the entries the user reaches:
    depth first in the menu's order, the entries with an action."""
    menus = {m['id']: m for m in client.model('ir.ui.menu', 'search_read',
            [], 0, None, None, ['name', 'action', 'childs', 'parent'])}
    entries = []

    def walk(menu_id, path):
        menu = menus[menu_id]
        path = path + (menu['name'],)
        if menu['action']:
            actions = client.model('ir.action.keyword', 'get_keyword',
                'tree_open', ['ir.ui.menu', menu_id])
            entries.append((menu_id, path, actions[0] if actions else None))
        for child in menu['childs']:
            if child in menus:
                walk(child, path)
    # the order of the roots, as sao's menu sorts them
    for menu_id in client.model('ir.ui.menu', 'search',
            [['parent', '=', None]], 0, None, None):
        if menu_id in menus:
            walk(menu_id, ())
    return entries


def expected_count(client, menu_id, action):
    """The records the user counts in the list the action opens: its
    domain and its first tab's, decoded as sao decodes them."""
    from trytond.protocols.jsonrpc import JSONEncoder
    from trytond.pyson import PYSONDecoder
    ctx = dict(client.context, active_model='ir.ui.menu',
        active_id=menu_id, active_ids=[])
    # the user's id, as in the session token
    ctx['_user'] = int(base64.b64decode(client.headers['Authorization']
            .split()[1]).decode().split(':')[1])
    context = PYSONDecoder(ctx).decode(action.get('pyson_context') or '{}')
    ctx.update(context)
    ctx['context'] = dict(ctx)
    decoder = PYSONDecoder(ctx)
    domain = decoder.decode(action.get('pyson_domain') or '[]')
    if action.get('domains'):
        domain = [domain, decoder.decode(action['domains'][0][1])]
    # dates of the domain as trytond's JSON-RPC sends them
    params = json.loads(json.dumps(
            [domain, 0, None, dict(client.context, **context)],
            cls=JSONEncoder))
    return client.call(f"model.{action['res_model']}.search_count", params)


@unittest.skipUnless(CHROMIUM and CHROMEDRIVER, "chromium not installed")
@unittest.skipUnless(PG_URI.startswith('postgresql'), "needs PostgreSQL")
@unittest.skipUnless(os.path.isfile(os.path.join(SAO_ROOT, 'index.html')),
    "sao not installed")
class MenuWalkTestCase(unittest.TestCase):
    "Every menu entry opens cleanly in Chinese for every demo role"

    @classmethod
    def setUpClass(cls):
        cls.database, cls.env, cls.server, cls.port = demo_server(
            'walk', SAO_ROOT, ARTIFACTS)
        cls.start_browser()

    @classmethod
    def start_browser(cls):
        cls.driver = BrowserTestCase._start_browser()
        cls.driver.execute_cdp_cmd(
            'Page.addScriptToEvaluateOnNewDocument', {'source': HOOK})
        cls.driver.set_script_timeout(60)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        stop_trytond(cls.server)

    # the sao helpers of tests/test_browser.py
    visible = BrowserTestCase.visible
    login = BrowserTestCase.login

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(WALK, f'{name}.png'))

    def logout(self):
        "A fresh browser session: the next login asks for the password."
        driver = self.driver
        # (the session cookie has the path /<database>, which
        # delete_all_cookies misses)
        driver.execute_cdp_cmd('Network.clearBrowserCookies', {})
        driver.get(f'http://127.0.0.1:{self.port}/')
        driver.execute_script('localStorage.clear(); sessionStorage.clear();')

    def wait_idle(self, timeout=60):
        "Until sao has had no request in flight for a moment."
        return self.driver.execute_async_script(IDLE, timeout * 1000)

    def browser_errors(self):
        return [e['message'] for e in self.driver.get_log('browser')
            if e['level'] == 'SEVERE' and e['source'] != 'network']

    def test_walk(self):
        "Every role opens every menu entry it reaches"
        shutil.rmtree(WALK, ignore_errors=True)
        os.makedirs(WALK)
        failures, lines, shot = [], [], set()
        started = time.monotonic()
        for login, password in roles():
            self.logout()
            # (forget the page left behind: sao's sync request of its
            # unload handler is refused by Chromium)
            self.driver.get_log('browser')
            self.login(login, password)
            self.visible('css selector', '#menu tbody tr', 60)
            self.wait_idle()
            client = Client(self.port, self.database, login, password)
            allowed = FORMATS | logins()
            home = self.driver.execute_script(STATE)
            baseline = set(english(home['text'], allowed))
            self.shot(f'{login}_00_home')
            problems = [f'JavaScript: {m}' for m in
                self.browser_errors() + home['errors']]
            if baseline:
                problems.append(english_problem(home['text'],
                        sorted(baseline)))
            if problems:
                failures.append(f'{login} (home): ' + '; '.join(problems))
            entries = menu_entries(client)
            for number, (menu_id, path, action) in enumerate(entries, 1):
                where = ' / '.join(path)
                mark = time.monotonic()
                problems, note = self.check_entry(
                    client, menu_id, action, allowed | baseline)
                seconds = time.monotonic() - mark
                note += f' {seconds:.1f}s' + (' SLOW' if seconds > 5 else '')
                key = action['id'] if action else menu_id
                name = f'{login}_{number:02d}_{menu_id}'
                if not note.startswith('skipped') and (
                        problems or ALL_SHOTS or key not in shot):
                    self.shot(name)
                    shot.add(key)
                    note += f' [{name}.png]'
                lines.append(f'{login}\t{where}\t{note}'
                    + ''.join(f'\n\tFAIL {p}' for p in problems))
                for problem in problems:
                    failures.append(f'{login} {where}: {problem}')
                self.driver.execute_script(CLOSE)
        with open(os.path.join(WALK, 'report.txt'), 'w') as report:
            report.write('\n'.join(lines) + '\n')
            report.write(f'\n{time.monotonic() - started:.0f}s, '
                f'{len(failures)} failures\n')
        if failures:
            self.fail(f"{len(failures)} problems (tests/artifacts/walk/"
                "report.txt):\n" + '\n'.join(failures))

    def settle(self, ready, timeout=10):
        """The page's state once ``ready(state)``: sao draws a little after
        its last answer (rows, a wizard's dialog fading in)."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.driver.execute_script(STATE)
            if ready(state) or time.monotonic() > deadline:
                return state
            time.sleep(0.1)

    def check_entry(self, client, menu_id, action, allowed):
        """Open the entry and return (problems, what was seen)."""
        if action is None:
            # sao's double click does nothing (or alerts "未定义任何操作")
            return ['shown in the menu, but its action is not one the user '
                'may run'], 'no action'
        kind = action['type']
        if kind in {'ir.action.report', 'ir.action.url'}:
            return [], f"skipped ({kind}, not opened)"
        problems, count = [], None
        if kind == 'ir.action.act_window' and action.get('res_model'):
            try:
                count = expected_count(client, menu_id, action)
            except RuntimeError as error:
                problems.append(f'counting over RPC fails: {error}')
        self.driver.execute_script(OPEN, menu_id)
        if not self.wait_idle():
            problems.append('still loading after 60 s')

        def ready(state):
            if any(d != 'wizard-dialog' for d, _ in state['dialogs']):
                return True
            if kind == 'ir.action.wizard':
                return state['wizard']
            return state['tabs'] and state.get('view_type') and (
                state['view_type'] != 'tree' or state['rows'] or not count)
        state = self.settle(ready)
        problems += [f'JavaScript: {m}' for m in
            self.browser_errors() + state['errors']]
        for dialog, text in state['dialogs']:
            if dialog != 'wizard-dialog':
                problems.append(f'{dialog}: ' + ' '.join(text.split()))
        words = english(state['text'], allowed)
        if words:
            problems.append(english_problem(state['text'], words))
        note = f"{kind} {action.get('res_model') or action.get('wiz_name')}"
        if kind == 'ir.action.wizard':
            if not state['wizard']:
                problems.append('the wizard did not open')
            else:
                time.sleep(0.3)  # the dialog fades in: a clear screenshot
        elif kind == 'ir.action.act_window':
            note += f" {state.get('view_type')}"
            if not state.get('tabs'):
                problems.append('no tab opened')
            elif state.get('view_type') == 'tree':
                note += f" rows={state['rows']} count={count}"
                if count and not state['rows']:
                    problems.append(f'an empty list where the user counts '
                        f'{count} records')
        return problems, note
