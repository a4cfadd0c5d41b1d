"Module and route tests of jubao_portal (werkzeug client against trytond)."
import io
import logging
import re
import secrets

from trytond.pool import Pool
from trytond.tests.test_tryton import (
    ModuleTestCase, RouteTestCase, with_transaction)
from trytond.transaction import Transaction

from jubao import portal

from trytond.modules.jubao_intake.tests.tools import VALID_ID, create_user

ADDRESS = '203.0.113.77'
AGENT = 'MarkerAgent/9.9 (portal-test)'
JPEG = b'\xff\xd8\xff\xe0\x00\x10JFIF\x00' + b'\x00' * 100
PDF = b'%PDF-1.4\n%test\n'
EXE = b'MZ\x90\x00\x03\x00\x00\x00\x04\x00' + b'\x00' * 100
CONTENT = ('张某某在老旧小区改造工程招标中，多次收受施工单位负责人所送购物卡，'
    '并违规指定中标单位，相关转账记录和聊天截图见附件。')


class JubaoPortalTestCase(ModuleTestCase):
    "Test jubao_portal module"
    module = 'jubao_portal'
    language = 'zh_CN'

    @with_transaction()
    def test_default_guidance_texts(self):
        "The three publicity texts are there by default"
        config = Pool().get('jubao.configuration')(1)
        self.assertIn('不予受理', config.portal_scope_text)
        self.assertIn('权利', config.portal_rights_text)
        self.assertIn('诬告陷害', config.portal_warning_text)


class PortalRouteTestCase(RouteTestCase):
    "The public pages"
    module = 'jubao_portal'
    language = 'zh_CN'

    def setUp(self):
        super().setUp()
        from trytond.modules.jubao_portal import routes
        self.routes = routes
        self._difficulty = routes.DIFFICULTY
        routes.DIFFICULTY = 6
        for limiter in routes.LIMITS.values():
            limiter.reset()
        self.addCleanup(setattr, routes, 'DIFFICULTY', self._difficulty)

    def client(self):
        client = super().client()
        client.environ_base = {'REMOTE_ADDR': ADDRESS,
            'HTTP_USER_AGENT': AGENT}
        return client

    def url(self, path):
        return '/%s/portal/%s' % (self.db_name, path)

    def tokens(self, client, path):
        response = client.get(self.url(path))
        self.assertEqual(response.status_code, 200, response.text)
        html = response.text
        found = {}
        for name in ['csrf', 'form_key', 'pow_challenge']:
            match = re.search(r'name="%s" value="([^"]*)"' % name, html)
            if match:
                found[name] = match.group(1)
        if 'pow_challenge' in found:
            found['pow_counter'] = portal.solve(found['pow_challenge'],
                self.routes.DIFFICULTY)
        return found

    def report_data(self, client, real=False, files=None, **values):
        data = self.tokens(client, 'report')
        data.update({
                'confirm': 'yes', 'kind': 'accusation', 'target': '',
                'real_name': 'yes' if real else 'no',
                'subject_name': '张某某', 'subject_unit': '区住建局',
                'subject_position': '科长', 'subject_rank': 'township',
                'problem_place': '某小区', 'content': CONTENT,
                'password': 'geheim-2026', 'password2': 'geheim-2026',
                })
        if real:
            data.update({'name': '李四', 'id_number': VALID_ID,
                    'phone': '13800138000', 'address': '区政府路1号'})
        data.update(values)
        data['files'] = [(io.BytesIO(content), name)
            for name, content in (files or [])]
        return data

    def submit(self, client, data):
        return client.post(self.url('report'), data=data,
            content_type='multipart/form-data')

    def code_of(self, response):
        self.assertEqual(response.status_code, 200, response.text)
        return re.search(r'id="query-code">([0-9A-Z-]+)<',
            response.text).group(1)

    def lookup(self, client, code, password='geheim-2026'):
        data = self.tokens(client, 'lookup')
        data.update({'code': code, 'password': password})
        return client.post(self.url('lookup'), data=data)

    def in_db(self, func):
        with Transaction().start(self.db_name, 0) as transaction:
            try:
                return func(Pool())
            finally:
                transaction.rollback()

    def case_of(self, code):
        def read(pool):
            Submission = pool.get('jubao.portal.submission')
            submission = Submission.by_code(code)
            case = submission.case
            return {
                'id': case.id, 'channel': case.channel,
                'state': case.state, 'real_name': case.real_name,
                'reporters': [(r.name, r.id_number) for r in case.reporters],
                'subjects': [s.name for s in case.subjects],
                'attachments': sorted((a.name, a.jubao_identity)
                    for a in pool.get('ir.attachment').search([
                            ('resource', '=', str(case))])),
                'reference': case.online_reference,
                }
        return self.in_db(read)

    # Submitting ------------------------------------------------------------

    def test_anonymous_submit_with_files(self):
        "An anonymous report with files: a draft online report, a code"
        client = self.client()
        response = self.submit(client, self.report_data(client,
                files=[('证据.jpg', JPEG), ('转账.pdf', PDF)]))
        code = self.code_of(response)
        self.assertRegex(code, r'^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$')
        self.assertIn('只显示这一次', response.text)
        for header in ['Content-Security-Policy', 'Referrer-Policy',
                'X-Content-Type-Options']:
            self.assertIn(header, response.headers)
        self.assertIn("frame-ancestors 'none'",
            response.headers['Content-Security-Policy'])
        self.assertNotIn('unsafe-inline',
            response.headers['Content-Security-Policy'])
        self.assertNotIn('<script>', response.text)
        case = self.case_of(code)
        self.assertEqual(case['channel'], 'online')
        self.assertEqual(case['state'], 'draft')
        self.assertFalse(case['real_name'])
        self.assertEqual(case['reporters'], [])
        self.assertEqual(case['subjects'], ['张某某'])
        self.assertEqual([n for n, _ in case['attachments']],
            ['证据.jpg', '转账.pdf'])
        self.assertNotIn(code, case['reference'])

    def test_new_submission_rings_the_office(self):
        "The complaints office's bell rings for a new online report"
        def clerk(pool):
            create_user(
                'portal_bell_clerk', 'group_clerk', 'office_complaints')
            Transaction().commit()
        self.in_db(clerk)
        client = self.client()
        code = self.code_of(self.submit(client, self.report_data(client)))

        def bell(pool):
            case = pool.get('jubao.portal.submission').by_code(code).case
            reminders = pool.get('jubao.reminder').search([
                    ('resource', '=', str(case)),
                    ('kind', '=', 'portal_new'),
                    ('user.login', '=', 'portal_bell_clerk')])
            notes = pool.get('res.notification').search([
                    ('user.login', '=', 'portal_bell_clerk')])
            return ([r.message for r in reminders], case.online_reference,
                [n.description for n in notes])
        messages, reference, notes = self.in_db(bell)
        self.assertEqual(messages, ['新的网络举报%s待核对完善。' % reference])
        self.assertIn(messages[0], notes)

    def test_real_name_submit(self):
        "A real-name report keeps the reporter and marks files as identity"
        client = self.client()
        code = self.code_of(self.submit(client, self.report_data(client,
                    real=True, files=[('身份证.jpg', JPEG)])))
        case = self.case_of(code)
        self.assertTrue(case['real_name'])
        self.assertEqual(case['reporters'], [('李四', VALID_ID)])
        self.assertEqual(case['attachments'], [('身份证.jpg', True)])

    def test_bad_input_keeps_values_and_stores_nothing(self):
        "A wrong ID number: Chinese error next to the field, nothing stored"
        client = self.client()
        count = self.in_db(lambda p: p.get('jubao.case').search_count([]))
        response = self.submit(client, self.report_data(client, real=True,
                id_number='110105194912310021', content='太短'))
        self.assertEqual(response.status_code, 400)
        self.assertIn('身份证号码不正确', response.text)
        self.assertIn('至少 30 字', response.text)
        self.assertIn('value="李四"', response.text)
        self.assertNotIn('geheim-2026', response.text)
        self.assertEqual(
            self.in_db(lambda p: p.get('jubao.case').search_count([])),
            count)

    def test_resubmitted_form_is_one_report(self):
        "The same form posted twice gives one report and the same receipt"
        client = self.client()
        data = self.report_data(client, files=[('a.jpg', JPEG)])
        first = self.code_of(self.submit(client, dict(data,
                    files=[(io.BytesIO(JPEG), 'a.jpg')])))
        count = self.in_db(lambda p: p.get('jubao.case').search_count([]))
        again = self.submit(client, dict(data,
                files=[(io.BytesIO(JPEG), 'a.jpg')]))
        self.assertIn('已经提交过', again.text)
        self.assertEqual(self.code_of(again), first)
        self.assertEqual(
            self.in_db(lambda p: p.get('jubao.case').search_count([])),
            count)

    def test_csrf_missing_or_wrong(self):
        "A missing or foreign CSRF token is refused"
        client = self.client()
        count = self.in_db(lambda p: p.get('jubao.case').search_count([]))
        data = self.report_data(client)
        for csrf in [None, portal.make_token(b'other', 'csrf')]:
            posted = dict(data, files=[])
            if csrf is None:
                del posted['csrf']
            else:
                posted['csrf'] = csrf
            response = self.submit(client, posted)
            self.assertEqual(response.status_code, 400)
            self.assertIn('页面已过期或来源无效', response.text)
        self.assertEqual(
            self.in_db(lambda p: p.get('jubao.case').search_count([])),
            count)

    def test_disguised_and_oversized_uploads(self):
        "An executable named .jpg and an oversized file are refused"
        from trytond.modules.jubao_portal import form
        client = self.client()
        response = self.submit(client, self.report_data(client,
                files=[('photo.jpg', EXE)]))
        self.assertEqual(response.status_code, 400)
        self.assertIn('类型不被接受', response.text)
        big = JPEG + b'\x00' * form.MAX_FILE
        response = self.submit(client, self.report_data(client,
                files=[('big.jpg', big)]))
        self.assertEqual(response.status_code, 400)
        self.assertIn('超过 10 MB', response.text)

    def test_no_proof_of_work_too_fast(self):
        "Without a solution a form posted at once is refused"
        client = self.client()
        data = self.report_data(client, pow_counter='')
        response = self.submit(client, data)
        self.assertEqual(response.status_code, 400)
        self.assertIn('安全校验未通过', response.text)

    def test_no_client_address_stored_or_logged(self):
        "Neither the client address nor its user agent reach DB or log"
        client = self.client()
        with self.assertLogs('trytond', level='DEBUG') as logs:
            code = self.code_of(self.submit(client, self.report_data(
                        client, real=True, files=[('a.pdf', PDF)])))
            self.lookup(client, code)
        text = '\n'.join(logs.output)
        self.assertNotIn(ADDRESS, text)
        self.assertNotIn('MarkerAgent', text)
        self.assertEqual(self.in_db(self._text_columns_with_marker), [])

    def _text_columns_with_marker(self, pool):
        cursor = Transaction().connection.cursor()
        cursor.execute("SELECT table_name, column_name FROM "
            "information_schema.columns WHERE table_schema = 'public' "
            "AND data_type IN ('character varying', 'text')")
        found = []
        for table, column in cursor.fetchall():
            cursor.execute('SELECT 1 FROM "%s" WHERE "%s" LIKE %%s '
                'OR "%s" LIKE %%s LIMIT 1' % (table, column, column),
                ('%' + ADDRESS + '%', '%MarkerAgent%'))
            if cursor.fetchone():
                found.append((table, column))
        return found

    # Looking up ------------------------------------------------------------

    def test_lookup_shows_status(self):
        "Code and password open the status page in plain Chinese"
        client = self.client()
        code = self.code_of(self.submit(client, self.report_data(client,
                    files=[('证据.jpg', JPEG)])))
        response = self.lookup(client, code.lower().replace('-', ''))
        self.assertEqual(response.status_code, 303)
        page = client.get(self.url('status'))
        self.assertEqual(page.status_code, 200)
        self.assertIn('收到', page.text)
        self.assertIn('证据.jpg', page.text)
        file_id = re.search(r'/file/(\d+)"', page.text).group(1)
        download = client.get(self.url('file/' + file_id))
        self.assertEqual(download.data, JPEG)
        # Another client without the code sees nothing
        other = self.client()
        self.assertEqual(other.get(self.url('status')).status_code, 303)
        self.assertEqual(
            other.get(self.url('file/' + file_id)).status_code, 404)

    def test_wrong_passwords_lock(self):
        "Five wrong passwords lock the code, even for the right one"
        client = self.client()
        code = self.code_of(self.submit(client, self.report_data(client)))
        for _ in range(5):
            response = self.lookup(client, code, 'wrong-password')
            self.assertEqual(response.status_code, 400)
            self.assertIn('查询码或查询密码不正确', response.text)
        def attempts(pool):
            submission = pool.get('jubao.portal.submission').by_code(code)
            return submission.failed_attempts, submission.locked_until
        state = self.in_db(attempts)
        response = self.lookup(client, code)
        self.assertEqual(response.status_code, 400, state)

    def test_lookup_rate_limit(self):
        "Many lookups from one client hit the limit"
        client = self.client()
        texts = [self.lookup(client, portal.new_query_code()).text
            for _ in range(12)]
        self.assertIn('查询过于频繁', texts[-1])
        self.assertNotIn('查询过于频繁', texts[0])

    def test_roster_on_public_page(self):
        "Upcoming published reception days appear on the public page"
        def plan(pool):
            Roster = pool.get('jubao.reception.roster')
            User = pool.get('res.user')
            today = pool.get('ir.date').today()
            leader, = User.create([{'login': 'roster_leader',
                        'name': '王书记'}])
            Roster.create([
                    {'date': today, 'place': '区纪委监委来访接待室',
                        'kind': 'leader', 'leader': leader.id},
                    {'date': today, 'place': '不公开的接待点',
                        'kind': 'rotation', 'published': False},
                    ])
            Transaction().commit()
        self.in_db(plan)
        page = self.client().get(self.url(''))
        self.assertIn('委领导接访日', page.text)
        self.assertIn('区纪委监委来访接待室', page.text)
        self.assertIn('王书记', page.text)
        self.assertNotIn('不公开的接待点', page.text)

    # Messages and objections ---------------------------------------------

    def test_reply_and_objection(self):
        "A clerk's reply reaches the page; an objection is recorded"
        client = self.client()
        code = self.code_of(self.submit(client, self.report_data(client)))
        self.assertEqual(self.lookup(client, code).status_code, 303)
        data = self.tokens(client, 'status')
        response = client.post(self.url('message'), data={
                'csrf': data['csrf'], 'kind': 'message',
                'body': '请问办理进度如何？'})
        self.assertEqual(response.status_code, 303, response.text)

        def reply_and_conclude(pool):
            Submission = pool.get('jubao.portal.submission')
            Message = pool.get('jubao.portal.message')
            Case = pool.get('jubao.case')
            case = Submission.by_code(code).case
            create_user('portal_clerk', 'group_clerk', 'office_complaints')
            unread = Case.search([('portal_unread', '>', 0),
                    ('id', '=', case.id)])
            Message.create([{'case': case.id, 'body': '已收到，正在办理。'}])
            Case.write([case], {'state': 'concluded'})
            Transaction().commit()
            return len(unread)
        self.assertEqual(self.in_db(reply_and_conclude), 1)
        page = client.get(self.url('status'))
        self.assertIn('已收到，正在办理。', page.text)
        self.assertIn('信访室', page.text)
        self.assertIn('已办结', page.text)
        data = self.tokens(client, 'status')
        response = client.post(self.url('message'), data={
                'csrf': data['csrf'], 'kind': 'objection',
                'body': '处理结果与事实不符，另有新证据。'})
        self.assertEqual(response.status_code, 303, response.text)

        def objection(pool):
            case = pool.get('jubao.portal.submission').by_code(code).case
            reminders = pool.get('jubao.reminder').search([
                    ('resource', '=', str(case)),
                    ('kind', '=', 'portal_objection'),
                    ('user.login', '=', 'portal_clerk')])
            return (case.objection, bool(case.objection_date),
                [r.message for r in reminders])
        text, dated, reminders = self.in_db(objection)
        self.assertIn('新证据', text)
        self.assertTrue(dated)
        self.assertTrue(any('异议' in m for m in reminders), reminders)


del ModuleTestCase, RouteTestCase
