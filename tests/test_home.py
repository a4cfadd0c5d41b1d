"""The home page counts what waits for each user as their lists show it."""
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from . import confidentiality_tools as tools


class HomeTestCase(_DBTestCase):
    "Home queues: counts under the record rules, lists behind them"
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
        'jubao_portal']
    language = 'zh_CN'

    def build(self):
        pool = Pool()
        Case = pool.get('jubao.case')
        self.users = tools.create_users()
        self.cases = tools.create_cases(self.users)
        self.draft, = Case.create([{'channel': 'visit',
                    'received_date': tools.RECEIVED, 'summary': '待登记的来访'}])

    def queues(self):
        Queue = Pool().get('jubao.home.queue')
        return {q.name: q for q in Queue.search([('visible', '=', True)])}

    @with_transaction()
    def test_counts_follow_record_rules(self):
        "Each count is the count of the list it opens, for every role"
        pool = Pool()
        Queue = pool.get('jubao.home.queue')
        self.build()
        for role, user in self.users.items():
            set_user, set_context = tools.as_role(user.id)
            with set_user, set_context:
                for name, queue in self.queues().items():
                    with self.subTest(role=role, queue=name):
                        action = Queue.open_list([queue])
                        self.assertEqual(action['name'], name)
                        context = Transaction().context
                        domain = PYSONDecoder({'context': context,
                                '_user': user.id}).decode(
                            action['pyson_domain'])
                        Model = pool.get(action['res_model'])
                        self.assertEqual(queue.count,
                            Model.search_count(domain))

    @with_transaction()
    def test_each_role_its_own_work(self):
        "The clerk sees the draft to register; a street committee does not"
        self.build()
        clerk = tools.as_role(self.users['clerk'].id)
        with clerk[0], clerk[1]:
            queues = self.queues()
            self.assertEqual(queues['待登记的信访举报件'].count, 1)
            self.assertIn('待核对的网络举报', queues)
        street = tools.as_role(self.users['street'].id)
        with street[0], street[1]:
            queues = self.queues()
            self.assertEqual(queues['待登记的信访举报件'].count, 0)
        # Only the complaints office's menu has the online reports
        publicity = tools.as_role(self.users['publicity'].id)
        with publicity[0], publicity[1]:
            self.assertNotIn('待核对的网络举报', self.queues())

    @with_transaction()
    def test_global_search_finds_reports_under_the_rules(self):
        "The top search box finds a report by person, number and summary"
        pool = Pool()
        Model = pool.get('ir.model')
        self.build()
        assigned = self.cases['assigned']

        def found(text):
            return {(model, record_id) for _, model, _, record_id, _, _
                in Model.global_search(text, 50)}
        clerk = tools.as_role(self.users['clerk'].id)
        with clerk[0], clerk[1]:
            for text in ['刘强', assigned.number, assigned.summary[:6]]:
                with self.subTest(text=text):
                    self.assertIn(('jubao.case', assigned.id), found(text))
        # The report of the street committee is not the stationed agency's
        stationed = tools.as_role(self.users['stationed'].id)
        with stationed[0], stationed[1]:
            self.assertNotIn(('jubao.case', assigned.id), found('刘强'))

    @with_transaction()
    def test_new_users_start_at_home(self):
        "A new user's login opens the home page"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        user, = User.create([{'login': 'home_new', 'name': '新用户'}])
        home = pool.get('ir.action.act_window')(
            ModelData.get_id('jubao_intake', 'act_home'))
        self.assertEqual(list(user.actions), [home.action])
