"Ledgers: of a period (export wizard) and of the reports chosen in the list."
import io

import openpyxl

from trytond.modules.jubao_intake.tests.tools import (
    as_user, create_case, create_user, ref)
from trytond.modules.jubao_reports.tests.tools import D, create_fixture
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

Q3 = (D(2026, 7, 1), D(2026, 9, 30))
REPORTER = '李秘密'
# The ledger's layout: title, subtitle, a blank row, the headings, rows
HEADINGS = 4


def execute(report_name, ids, data=None):
    "(extension, worksheet) of the ledger ``report_name``."
    Report = Pool().get(report_name, type='report')
    ext, content, _, _ = Report.execute(ids, data or {})
    return ext, openpyxl.load_workbook(io.BytesIO(bytes(content))).active


def headings(sheet):
    return [c.value for c in sheet[HEADINGS]]


class LedgerTestCase(_DBTestCase):
    "Test the ledgers of jubao_reports"
    module = 'jubao_reports'
    language = 'zh_CN'

    @with_transaction()
    def test_ledgers_and_reporter_identity(self):
        "Ledgers stream rows; reporters only for users who may read them"
        create_fixture()
        analyst = create_user('analyst', 'group_analyst',
            'office_case_management')
        leader = create_user('leader', 'group_leader', 'office_general')
        data = {'kind': 'real_name', 'date_from': Q3[0], 'date_to': Q3[1],
            'office': None}
        with as_user(analyst):
            _, sheet = execute('jubao.analysis.ledger.xlsx', [], dict(data))
        self.assertEqual(sheet.title, '实名举报台账')
        self.assertEqual(sheet['A2'].value,
            '全区  2026年第三季度（2026年7月1日至2026年9月30日）')
        self.assertNotIn('反映人', headings(sheet))
        self.assertNotIn('联系电话', headings(sheet))
        values = {str(c.value) for row in sheet.iter_rows() for c in row}
        self.assertFalse(any('举报人c' in v or '13800138000' in v
                for v in values))
        numbers = [r[1].value for r in sheet.iter_rows(min_row=HEADINGS + 1)]
        self.assertEqual(numbers, ['测试-c1', '测试-c4', '测试-c9', '测试-c6'])
        with as_user(leader):
            _, sheet = execute('jubao.analysis.ledger.xlsx', [], dict(data))
        self.assertIn('反映人', headings(sheet))
        column = headings(sheet).index('反映人')
        self.assertEqual(sheet.cell(HEADINGS + 1, column + 1).value,
            '举报人c1')
        # Other ledgers
        for kind, expected in [('register', 8), ('repeat', 1),
                ('out_of_scope', 2), ('key_person', 4)]:
            with as_user(leader):
                _, sheet = execute('jubao.analysis.ledger.xlsx', [],
                    dict(data, kind=kind))
            self.assertEqual(sheet.max_row - HEADINGS, expected, kind)

    @with_transaction()
    def test_handling_ledgers(self):
        "Hand-off, feedback and backlog ledgers"
        create_fixture(with_handling=True)
        data = {'date_from': Q3[0], 'date_to': Q3[1], 'office': None}
        expected = {'handoff': 3, 'feedback': 3, 'backlog': 6}
        for kind, count in expected.items():
            _, sheet = execute('jubao.analysis.ledger.xlsx', [],
                dict(data, kind=kind))
            self.assertEqual(sheet.max_row - HEADINGS, count, kind)
        _, sheet = execute('jubao.analysis.ledger.xlsx', [],
            dict(data, kind='handoff'))
        column = headings(sheet).index('是否按期')
        on_time = [r[column].value
            for r in sheet.iter_rows(min_row=HEADINGS + 1)]
        self.assertEqual(sorted(map(str, on_time)), ['None', '是', '是'])

    @with_transaction()
    def test_case_ledger_xlsx(self):
        "The ledger of chosen reports has Chinese headings, a row a report"
        Case = Pool().get('jubao.case')
        case = create_case(real_name=True, keywords='礼金', reporters=[
                ('create', [{'name': '李四', 'phone': '13912345678'}])])
        Case.register([case])
        ext, sheet = execute('jubao.case.ledger', [case.id])
        self.assertEqual(ext, 'xlsx')
        self.assertIn('编号', headings(sheet))
        self.assertIn('被反映人', headings(sheet))
        self.assertIn('关键词', headings(sheet))
        self.assertIn('联系电话', headings(sheet))  # admin may read reporters
        column = headings(sheet).index('编号')
        self.assertEqual(sheet.cell(HEADINGS + 1, column + 1).value,
            case.number)
        self.assertEqual(sheet.max_row, HEADINGS + 1)

    @with_transaction()
    def test_case_ledger_has_no_reporter_for_others(self):
        "The ledger of chosen reports shows reporters to entitled users only"
        Case = Pool().get('jubao.case')
        mine = create_case(real_name=True, reporters=[('create', [{
                            'name': REPORTER, 'phone': '13912345678',
                            'id_number': '11010519491231002X'}])])
        Case.register([mine])
        Case.write([mine], {'handling_office': ref('office_discipline_1')})
        users = {
            'clerk': create_user('a_clerk', 'group_clerk',
                'office_complaints'),
            'discipline': create_user('a_jjs1', 'group_discipline',
                'office_discipline_1'),
            'analyst': create_user('a_analyst', 'group_analyst',
                'office_case_management'),
            }
        for role, entitled in [('clerk', True), ('discipline', False),
                ('analyst', False)]:
            with self.subTest(role=role):
                with as_user(users[role]):
                    _, sheet = execute('jubao.case.ledger', [mine.id])
                values = [c.value for row in sheet.iter_rows() for c in row]
                self.assertEqual(REPORTER in values, entitled)
                self.assertEqual('13912345678' in values, entitled)
