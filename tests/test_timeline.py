"""The timeline (动态) of reports, hand-offs, supervisions, clarifications
and plan tasks: Tryton's chat (jubao_intake/timeline.py).

Each workflow step posts its entry in order; users write remarks and
follow records; the chat's every route (ir.chat.channel RPC methods, read,
search, count, export of channels, messages and followers, the bus) follows
the record's access: another office and a recused user get nothing; no
automatic entry carries reporter identity and remarks may not either.
"""
from unittest import mock

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from . import confidentiality_tools as tools


def entries(record):
    "The contents of the timeline of ``record``, oldest first, as root."
    Channel = Pool().get('ir.chat.channel')
    with Transaction().set_user(0):
        return [m['content'] for m in Channel.get(str(record))]


class TimelineTestCase(_DBTestCase):
    "Timeline of the records, its remarks, followers and confidentiality"
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
        'jubao_portal']
    language = 'zh_CN'

    def build(self):
        self.users = tools.create_users()
        self.cases = tools.create_cases(self.users)
        self.handled = self.cases['handled']
        self.resource = str(self.handled)

    def as_role(self, role):
        "Act as ``role`` with access checks (read, search, export)."
        return tools.as_role(self.users[role].id)

    def as_rpc(self, role):
        '''Act as ``role`` calling the chat methods of ir.chat.channel: their
        RPC runs them without access checks (check_access=False).'''
        return Transaction().set_user(self.users[role].id)

    def follow(self, channel):
        """Discipline and the leader follow ``channel``; the leader then
        loses access to the report (recusal)."""
        pool = Pool()
        Follower = pool.get('ir.chat.follower')
        Follower.add_user(channel, self.users['discipline'])
        Follower.add_user(channel, self.users['leader'])
        pool.get('jubao.case.recusal').create([{'case': self.handled.id,
                    'user': self.users['leader'].id, 'relation': 'other'}])

    def assert_in_order(self, texts, expected):
        "Each of ``expected`` is part of an entry, in this order."
        position = 0
        for part in expected:
            for index in range(position, len(texts)):
                if part in texts[index]:
                    position = index + 1
                    break
            else:
                self.fail('%r not found in order in %r' % (part, texts))

    @with_transaction()
    def test_workflow_entries_in_order(self):
        "Registering, routing, accepting, concluding post their entries"
        self.build()
        handled = self.handled
        texts = entries(handled)
        self.assert_in_order(texts, [
                '登记本件，编号%s' % handled.number,
                '本件已受理，待分流',
                '批准移送至第一纪检监察室，待接收',
                '本件进入办理，承办部门第一纪检监察室',
                '启动督办',
                '将处置方式定为：',
                '认定反映问题：',
                '办结本件（处置方式：',
                ])
        # The report's own entry tells the receipt: no second entry
        self.assertFalse([t for t in texts if '已接收' in t])
        Assignment = Pool().get('jubao.case.assignment')
        assignment, = Assignment.search([('case', '=', handled.id)])
        self.assert_in_order(entries(assignment), [
                '批准并发出移送：', '第一纪检监察室已接收移送'])
        supervision, = Pool().get('jubao.supervision').search(
            [('case', '=', handled.id)])
        self.assert_in_order(entries(supervision), ['启动督办（'])
        # Nothing posted for a step that did not happen
        self.assertFalse([t for t in texts if '反馈' in t])

    @with_transaction()
    def test_notice_feedback_return_clarification(self):
        "Notice, feedback, return, reopening and clarification entries"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        Clarification = pool.get('jubao.clarification')
        Date = pool.get('ir.date')
        self.build()
        handled = self.handled
        today = Date.today()
        Case.write([handled], {'acceptance_notice_date': today,
                'acceptance_notice_method': 'phone',
                'feedback_date': today, 'feedback_method': 'phone'})
        clarification, = Clarification.search(
            [('case', '=', handled.id)])
        Clarification.write([clarification], {'record': '已谈话澄清',
                'date': today})
        with Transaction().set_user(self.users['leader'].id):
            Clarification.approve([clarification])
        Clarification.do([clarification])
        Case.write([handled], {'new_evidence': '新的书证'})
        Case.reopen([handled])
        self.assert_in_order(entries(handled), [
                '办结本件',
                '登记已向反映人告知受理情况（%s）' % today,
                '登记已向反映人反馈办理结果',
                '批准澄清正名',
                '登记澄清正名已完成',
                '因新证据重新办理本件（第1次）',
                ])
        self.assert_in_order(entries(clarification),
            ['批准澄清正名', '登记澄清正名已完成'])

        # A return: requested by the handling office, approved by a leader
        assignment = Assignment.create_return(Case(handled.id),
            pool.get('jubao.office')(tools.ref('office_complaints')),
            '不属于本室管辖')
        with Transaction().set_user(self.users['leader'].id):
            Assignment.send([assignment])
        self.assert_in_order(entries(handled), [
                '申请将本件退回信访室，理由：不属于本室管辖',
                'conf_leader批准将本件退回信访室，待重新分流',
                ])
        self.assertEqual(Case(handled.id).state, 'accepted')
        # the return says it: no second "accepted" entry
        texts = entries(handled)
        self.assertEqual(len([t for t in texts if '本件已受理，待分流' in t]), 1)

    @with_transaction()
    def test_task_entries(self):
        "A plan task posts started, submitted, sent back and approved"
        from trytond.modules.jubao_publicity.tests.test_module import (
            GOOD_CSV)
        pool = Pool()
        Plan = pool.get('jubao.plan')
        Task = pool.get('jubao.plan.task')
        Progress = pool.get('jubao.plan.task.progress')
        self.users = tools.create_users()
        leader = self.users['leader']
        plan = Plan.import_file(GOOD_CSV.encode('utf-8'), 'x.csv', '方案',
            2026)
        task = plan.tasks[0]
        Task.write([task], {'responsible_leader': leader.id})
        Task.start([task])
        Progress.create([{'task': task.id,
                    'office': tools.ref('office_complaints'),
                    'description': '已完成场所改造', 'percent': 100}])
        Task.request_approval([task])
        with Transaction().set_user(leader.id):
            Task.send_back([task])
        Task.request_approval([task])
        with Transaction().set_user(leader.id):
            Task.approve([task])
        self.assert_in_order(entries(task), [
                '开始推进本任务', '提交本任务，待分管领导审核',
                'conf_leader退回本任务，继续推进', '提交本任务',
                'conf_leader审核通过，本任务已完成'])

    @with_transaction()
    def test_remark_and_follow(self):
        "The handling office writes remarks and follows the report"
        pool = Pool()
        Channel = pool.get('ir.chat.channel')
        Message = pool.get('ir.chat.message')
        self.build()
        with self.as_rpc('discipline'):
            # sao posts with the 'public' audience unless ticked
            message = Channel.post(self.resource, '请于本周内完成初核', 'public')
            Channel.subscribe(self.resource)
            followers = Channel.get_followers(self.resource)
            posts = Channel.get(self.resource)
        self.assertEqual(Message(message.id).audience, 'internal')
        self.assertIn('请于本周内完成初核', [p['content'] for p in posts])
        remark, = [p for p in posts if p['content'] == '请于本周内完成初核']
        self.assertEqual(remark['author'], 'conf_discipline')
        self.assertEqual([f['key'] for f in followers], ['conf_discipline'])

        # No email followers; nobody who cannot read the report follows it
        with self.as_rpc('discipline'):
            with self.assertRaises(AccessError):
                Channel.subscribe_email(self.resource, 'a@example.com')
            with self.assertRaises(AccessError):
                Channel.subscribe(self.resource, 'conf_street')
            found = Channel.search_followers(self.resource, 'conf_')
        keys = {f['key'] for f in found}
        self.assertNotIn('conf_street', keys)
        self.assertNotIn('conf_analyst', keys)  # recused
        self.assertIn('conf_leader', keys)

    @with_transaction()
    def test_remark_identity_refused(self):
        "A remark naming a reporter or any ID or mobile number is refused"
        Channel = Pool().get('ir.chat.channel')
        Message = Pool().get('ir.chat.message')
        self.build()
        reporter = tools.REPORTERS['handled']
        count = Message.search_count([])
        for role in ['clerk', 'discipline']:
            with self.as_rpc(role):
                for text in [
                        '反映人%s要求回电' % reporter['name'],
                        '电话 139-1234-5678',
                        '身份证%s' % reporter['id_number'],
                        '住%s' % reporter['address'],
                        '另一人手机13600136000',
                        '证件号440305199007011230',
                        '   ',
                        ]:
                    with self.subTest(role=role, text=text):
                        with self.assertRaises(UserError):
                            Channel.post(self.resource, text, 'internal')
        self.assertEqual(Message.search_count([]), count)

    @with_transaction()
    def test_client_context_forges_nothing(self):
        """A client's context can neither post a remark in another user's
        name or as the system nor make a workflow step leave no entry"""
        pool = Pool()
        Channel = pool.get('ir.chat.channel')
        Case = pool.get('jubao.case')
        self.build()
        leader = self.users['leader'].id
        for author in [leader, 0]:
            with self.subTest(author=author), self.as_rpc('discipline'), \
                    Transaction().set_context(user=author):
                Channel.post(self.resource, '请核实后报告%s' % author,
                    'internal')
                with self.assertRaises(UserError):
                    Channel.post(self.resource, '电话 139-1234-5678',
                        'internal')
                posts = Channel.get(self.resource)
            remark, = [p for p in posts
                if p['content'] == '请核实后报告%s' % author]
            self.assertEqual(remark['author'], 'conf_discipline')
        # What the dispatcher keeps of a client's context (Tryton drops the
        # private keys): the timeline of a step is written all the same
        draft, = Case.create([{'channel': 'letter', 'summary': '待登记来信',
                    'received_date': pool.get('ir.date').today(),
                    'subjects': [('create', [{'name': '孙某'}])]}])
        args, _, context, _ = Case.__rpc__['register'].convert(Case,
            [draft.id], {'_jubao_timeline_skip': True, 'jubao_timeline_skip': True})
        self.assertNotIn('_jubao_timeline_skip', context)
        with self.as_rpc('clerk'), Transaction().set_context(context):
            Case.register(*args)
        number = Case(draft.id).number
        self.assertTrue(any(number in e for e in entries(draft)))
        # The key itself is honoured in the server's own calls (bulk loads)
        skipped, = Case.create([{'channel': 'letter', 'summary': '批量导入',
                    'received_date': pool.get('ir.date').today(),
                    'subjects': [('create', [{'name': '钱某'}])]}])
        with Transaction().set_context(_jubao_timeline_skip=True):
            Case.register([skipped])
        self.assertEqual(entries(skipped), [])

    @with_transaction()
    def test_other_office_and_recused_refused(self):
        "Another office and a recused user read nothing of the timeline"
        pool = Pool()
        Channel = pool.get('ir.chat.channel')
        Message = pool.get('ir.chat.message')
        Follower = pool.get('ir.chat.follower')
        self.build()
        resource = self.resource
        with Transaction().set_user(0):
            Channel.post(resource, '内部备注：注意保密')
        channel, = Channel.search([('resource', '=', resource)])
        message_ids = [m.id for m in Message.search(
                [('channel', '=', channel.id)])]
        with Transaction().set_user(self.users['discipline'].id):
            Channel.subscribe(resource)
        follower_ids = [f.id for f in Follower.search(
                [('channel', '=', channel.id)])]
        for role in ['street', 'analyst', 'stationed', 'publicity']:
            with self.subTest(role=role), self.as_rpc(role):
                for call in [
                        lambda: Channel.get(resource),
                        lambda: Channel.get(resource, None, 0),
                        lambda: Channel.post(resource, '我来看看'),
                        lambda: Channel.subscribe(resource),
                        lambda: Channel.unsubscribe(resource),
                        lambda: Channel.get_followers(resource),
                        lambda: Channel.search_followers(resource, 'conf'),
                        ]:
                    with self.assertRaises(AccessError):
                        call()
            set_user, set_context = self.as_role(role)
            with self.subTest(role=role), set_user, set_context:
                for call in [
                        lambda: Channel.read([channel.id], ['resource']),
                        lambda: Message.read(message_ids, ['content']),
                        lambda: Follower.read(follower_ids, ['user']),
                        lambda: Message.export_data(
                            Message.browse(message_ids), ['content']),
                        lambda: Channel.export_data(
                            Channel.browse([channel.id]),
                            ['resource', 'followers/user']),
                        ]:
                    with self.assertRaises(AccessError):
                        call()
                for Model, domain in [
                        (Channel, []), (Message, []), (Follower, []),
                        (Message, [('content', 'ilike', '%保密%')]),
                        (Message, [('channel.resource', '=', resource)]),
                        ]:
                    try:
                        found = Model.search(domain)
                        count = Model.search_count(domain)
                    except AccessError:
                        continue
                    self.assertFalse(found)
                    self.assertEqual(count, 0)
        # Malformed resources get the same answer
        with self.as_rpc('discipline'):
            for bad in ['jubao.case,-1', 'jubao.case,abc', 'res.user,1',
                    'jubao.case.reporter,1', 'nothing', 'jubao.case']:
                with self.subTest(resource=bad):
                    with self.assertRaises(AccessError):
                        Channel.get(bad)
            # the handling office reads it
            self.assertTrue(Channel.get(resource))

    @with_transaction()
    def test_admin_recused_direct_routes(self):
        "An administrator recused from a report: channel models hide it"
        pool = Pool()
        Channel = pool.get('ir.chat.channel')
        Message = pool.get('ir.chat.message')
        Recusal = pool.get('jubao.case.recusal')
        User = pool.get('res.user')
        self.build()
        admin, = User.search([('login', '=', 'admin')])
        Recusal.create([{'case': self.handled.id, 'user': admin.id,
                    'relation': 'other'}])
        channel, = Channel.search([('resource', '=', self.resource)])
        messages = Message.search([('channel', '=', channel.id)])
        other, = Channel.search(
            [('resource', '=', str(self.cases['assigned']))])
        with Transaction().set_user(admin.id), \
                Transaction().set_context(_check_access=True):
            if not pool.get('ir.model.access').check(
                    'ir.chat.message', 'read', raise_exception=False):
                self.skipTest("the administrator has no access to messages")
            self.assertNotIn(channel, Channel.search([]))
            self.assertIn(other, Channel.search([]))
            self.assertFalse(set(Message.search([])) & set(messages))
            with self.assertRaises(AccessError):
                Message.read([m.id for m in messages], ['content'])
            with self.assertRaises(AccessError):
                Message.export_data(messages, ['content'])
            with self.assertRaises(AccessError):
                Channel.get(self.resource)
            with self.assertRaises(AccessError):
                Message.create([{'channel': channel.id, 'user': admin.id,
                            'content': '越权', 'audience': 'internal'}])

    @with_transaction()
    def test_bus_and_notifications(self):
        "The bus carries no content; notifications reach readers only"
        pool = Pool()
        Channel = pool.get('ir.chat.channel')
        Notification = pool.get('res.notification')
        self.build()
        self.follow(Channel._get_channel(self.resource))
        published = []
        with mock.patch('trytond.ir.chat.Bus.publish',
                side_effect=lambda c, m: published.append((c, m))), \
                mock.patch('trytond.modules.jubao_intake.timeline.Bus.publish',
                    side_effect=lambda c, m: published.append((c, m))):
            with self.as_rpc('clerk'):
                Channel.post(self.resource, '已电话联系承办人')
        chat = [(c, p) for c, p in published if c.startswith('chat:')]
        self.assertEqual([c for c, _ in chat], ['chat:' + self.resource])
        # the record's bus channel is open to any user: no content on it
        for _, payload in chat:
            self.assertNotIn('已电话联系承办人', str(payload))
        for role, expected in [('discipline', True), ('leader', False)]:
            found = Notification.search([
                    ('user', '=', self.users[role].id),
                    ('description', '=', '已电话联系承办人')])
            self.assertEqual(bool(found), expected, msg=role)

    @with_transaction()
    def test_automatic_entry_rows(self):
        """An automatic entry (written by SQL) is the message root's post
        stores, on the record's one channel; followers who may read are
        notified, the bus carries its id only"""
        pool = Pool()
        Case = pool.get('jubao.case')
        Channel = pool.get('ir.chat.channel')
        Message = pool.get('ir.chat.message')
        Notification = pool.get('res.notification')
        self.build()
        channel, = Channel.search([('resource', '=', self.resource)])
        self.follow(channel)
        published = []
        with mock.patch('trytond.modules.jubao_intake.timeline.Bus.publish',
                side_effect=lambda c, m: published.append((c, m))):
            Case.write([self.handled], {
                    'acceptance_notice_date': pool.get('ir.date').today(),
                    'acceptance_notice_method': 'phone'})
        entry, = Message.search([('channel', '=', channel.id)],
            order=[('id', 'DESC')], limit=1)
        self.assertIn('登记已向反映人告知受理情况', entry.content)
        with Transaction().set_user(0):
            posted = Channel.post(self.resource, entry.content)
        self.assertEqual(Channel.search([('resource', '=', self.resource)]),
            [channel])
        for message in [entry, posted]:
            self.assertEqual((message.channel, message.user.id,
                    message.audience, message.create_uid.id,
                    message.author), (channel, 0, 'internal', 0,
                    posted.author))
        self.assertEqual([p for p in published if p[0].startswith('chat:')],
            [('chat:' + self.resource,
                    {'type': 'message', 'message': {'id': entry.id}})])
        for role, expected in [('discipline', 2), ('leader', 0)]:
            self.assertEqual(Notification.search_count([
                        ('user', '=', self.users[role].id),
                        ('description', 'like', '%登记已向反映人告知受理情况%'),
                        ]), expected, msg=role)
        # A record's first entry makes its channel
        draft, = Case.create([{'channel': 'letter', 'summary': '新的来信',
                    'received_date': pool.get('ir.date').today(),
                    'subjects': [('create', [{'name': '某某'}])]}])
        self.assertEqual(entries(draft), [])
        Case.register([draft])
        self.assertEqual(len(entries(draft)), 1)
        self.assertEqual(len(Channel.search(
                    [('resource', '=', str(draft))])), 1)

    @with_transaction()
    def test_no_identity_in_entries(self):
        "No automatic entry of a full workflow shows reporter identity"
        pool = Pool()
        Case = pool.get('jubao.case')
        Message = pool.get('ir.chat.message')
        self.build()
        handled = self.handled
        today = pool.get('ir.date').today()
        Case.write([handled], {'acceptance_notice_date': today,
                'acceptance_notice_method': 'phone',
                'feedback_date': today, 'feedback_method': 'phone'})
        contents = [m.content for m in Message.search([])]
        self.assertGreater(len(contents), 10)
        self.assertEqual(tools.found_secrets(contents, tools.secrets()), [])


del _DBTestCase
