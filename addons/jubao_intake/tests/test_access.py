"Confidentiality: for each role, what it can and cannot read."
from trytond.model.exceptions import AccessError
from trytond.model.modelview import AccessButtonError
from trytond.pool import Pool
# _DBTestCase activates the module without re-running the generic checks
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import as_user, create_case, create_user, ref

REPORTER = '李秘密'


class RolesMixin:
    "Three handled reports and one user per role."
    module = 'jubao_intake'
    language = 'zh_CN'

    def setup_cases(self):
        Case = Pool().get('jubao.case')
        mine = create_case(real_name=True, reporters=[('create', [{
                            'name': REPORTER, 'phone': '13912345678',
                            'id_number': '11010519491231002X'}])])
        other = create_case(summary='反映渭阳街道问题')
        street = create_case(summary='反映人民路街道问题')
        Case.register([mine, other, street])
        Case.write([mine], {'handling_office': ref('office_discipline_1')})
        Case.write([other], {'handling_office': ref('office_discipline_2')})
        Case.write([street], {'handling_office': ref('office_street_1')})
        return mine, other, street

    def users(self):
        return {
            'clerk': create_user('a_clerk', 'group_clerk', 'office_complaints'),
            'head': create_user('a_head', 'group_complaints_head',
                'office_complaints'),
            'leader': create_user('a_leader', 'group_leader', 'office_general'),
            'discipline': create_user('a_jjs1', 'group_discipline',
                'office_discipline_1'),
            'street': create_user('a_street', 'group_unit', 'office_street_1'),
            'stationed': create_user('a_pz', 'group_unit',
                'office_stationed_1'),
            'analyst': create_user('a_analyst', 'group_analyst',
                'office_case_management'),
            }


class JubaoIntakeAccessTestCase(RolesMixin, _DBTestCase):
    "Test who may read reports and reporters"

    def assert_reads_reporter(self, user, case):
        pool = Pool()
        Case = pool.get('jubao.case')
        Reporter = pool.get('jubao.case.reporter')
        with as_user(user):
            data, = Case.read([case.id], ['reporters.name'])
            self.assertEqual(data['reporters.'][0]['name'], REPORTER)
            self.assertEqual(len(Reporter.search([('name', '=', REPORTER)])), 1)

    def assert_reporter_hidden(self, user, case):
        pool = Pool()
        Case = pool.get('jubao.case')
        Reporter = pool.get('jubao.case.reporter')
        with as_user(user):
            with self.assertRaises(AccessError):
                Case.read([case.id], ['reporters'])
            with self.assertRaises(AccessError):
                Reporter.search([])
            with self.assertRaises(AccessError):
                Reporter.read([r.id for r in case.reporters], ['name'])
            with self.assertRaises(AccessError):
                Case.search([('reporters.name', '=', REPORTER)])
            with self.assertRaises(AccessError):
                Case.export_data([Case(case.id)], ['reporters/name'])
            # Nothing identifying leaks through the names and views
            name, = Case.read([case.id], ['rec_name'])
            self.assertNotIn(REPORTER, name['rec_name'])
            view = Case.fields_view_get(view_type='form')
            self.assertNotIn('reporters', view['fields'])

    @with_transaction()
    def test_complaints_office_and_leaders_read_reporters(self):
        mine, _, _ = self.setup_cases()
        users = self.users()
        for role in ['clerk', 'head', 'leader']:
            with self.subTest(role=role):
                self.assert_reads_reporter(users[role], mine)

    @with_transaction()
    def test_other_roles_never_read_reporters(self):
        mine, _, _ = self.setup_cases()
        users = self.users()
        for role in ['discipline', 'analyst']:
            with self.subTest(role=role):
                self.assert_reporter_hidden(users[role], mine)

    @with_transaction()
    def test_offices_see_only_their_reports(self):
        "Discipline offices and street units see only what they handle"
        Case = Pool().get('jubao.case')
        mine, other, street = self.setup_cases()
        users = self.users()
        expected = {
            'clerk': {mine, other, street},
            'leader': {mine, other, street},
            'analyst': {mine, other, street},
            'discipline': {mine},
            'street': {street},
            'stationed': set(),
            }
        for role, cases in expected.items():
            with self.subTest(role=role):
                with as_user(users[role]):
                    found = set(Case.search([]))
                    self.assertEqual(found, cases)
                    if role in {'street', 'stationed'}:
                        with self.assertRaises(AccessError):
                            Case.read([other.id], ['summary'])

    @with_transaction()
    def test_details_follow_the_report(self):
        "Reported persons, categories and repeats follow the report's rules"
        pool = Pool()
        Subject = pool.get('jubao.case.subject')
        Candidate = pool.get('jubao.case.repeat')
        CaseCategory = pool.get('jubao.case-jubao.problem.category')
        mine, other, street = self.setup_cases()
        Pool().get('jubao.case').write([other], {'categories': [
                    ('add', [ref('category_integrity_1')])]})
        users = self.users()
        with as_user(users['street']):
            self.assertEqual({s.case for s in Subject.search([])}, {street})
            self.assertEqual(CaseCategory.search([]), [])
            self.assertEqual(Candidate.search([('case', '!=', street.id)]), [])
            with self.assertRaises(AccessError):
                Subject.read([s.id for s in other.subjects], ['name'])
        with as_user(users['stationed']):
            self.assertEqual(Subject.search([]), [])

    @with_transaction()
    def test_publicity_department_files_public_opinion(self):
        "组宣部 files public-opinion items but never sees reporters"
        pool = Pool()
        Case = pool.get('jubao.case')
        Reporter = pool.get('jubao.case.reporter')
        mine, _, _ = self.setup_cases()
        staff = create_user('a_zxb', 'group_publicity', 'office_publicity')
        with as_user(staff):
            item, = Case.create([{
                        'channel': 'public_opinion',
                        'opinion_source': '本地论坛',
                        'summary': '网帖反映某干部违规吃喝',
                        }])
            self.assertEqual(Case.search([]), [item])
            with self.assertRaises(AccessError):
                Case.read([mine.id], ['summary'])
            with self.assertRaises(AccessError):
                Reporter.search([])
            with self.assertRaises(AccessButtonError):
                Case.register([item])

    @with_transaction()
    def test_only_leaders_approve_removal(self):
        "The removal approval button belongs to leaders"
        Case = Pool().get('jubao.case')
        mine, _, _ = self.setup_cases()
        users = self.users()
        Case.write([mine], {
                'removal_reason': 'false_name', 'removal_note': '冒名'})
        with as_user(users['clerk']):
            Case.request_removal([Case(mine.id)])
            with self.assertRaises(AccessButtonError):
                Case.approve_removal([Case(mine.id)])
        with as_user(users['leader']):
            Case.approve_removal([Case(mine.id)])
        self.assertEqual(Case(mine.id).state, 'removed')


class ReporterAccessLogTestCase(RolesMixin, _DBTestCase):
    "Test the log of reads of reporter identity (commits: own database)"

    @with_transaction()
    def test_reading_is_logged(self):
        "Every read of a reporter's identity leaves a row in the access log"
        pool = Pool()
        Case = pool.get('jubao.case')
        Access = pool.get('jubao.reporter.access')
        mine, _, _ = self.setup_cases()
        users = self.users()
        # The log is written in its own transaction: it needs committed data
        Transaction().commit()
        with as_user(users['clerk']):
            Case.read([mine.id], ['summary', 'real_name'])
            Case.read([mine.id], ['reporters.name', 'reporters.phone'])
        with Transaction().new_transaction():
            log, = Access.search([])
            self.assertEqual(log.user, users['clerk'])
            self.assertEqual((log.case, log.reporter_count), (mine, 1))
            self.assertEqual(log.fields_read, 'name,phone')
        with as_user(users['discipline']):
            with self.assertRaises(AccessError):
                Access.search([])
