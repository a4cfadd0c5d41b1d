"""No formula in any spreadsheet cell that the code did not put there.

A report whose summary, subject and reporter are formulas and links
(``=HYPERLINK("http://x","y")``...) goes through every spreadsheet the
platform produces: the intake ledger, the reports' ledgers and the analysis
workbook (unzipped: the text must be a string cell, never an <f> element or
a hyperlink), and Tryton's export (export_data, which sao, the Tryton client
and the /data/ route write to CSV: formula-looking text gets a leading '),
in the server and over JSON-RPC as the web client calls them.
"""
import base64
import csv
import datetime as dt
import io
import json
import unittest
import urllib.parse
import urllib.request

from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .test_failed_requests import PostgreSQLBackend, ServerMixin, _date
from .unit.test_xlsx import xlsx_cells

SUMMARY = '=HYPERLINK("http://x","y")'
SUBJECT = '=HYPERLINK("http://x.example/","张")'
UNIT = '+cmd|" /C calc"!A0'
REPORTER = '@SUM(1+1)*cmd|" /C calc"!A0'
KEYWORDS = '-2+3'
LINK = 'http://x.example/p'


def _ref(xml_id):
    return Pool().get('ir.model.data').get_id('jubao_intake', xml_id)


class SpreadsheetFormulaTestCase(_DBTestCase):
    "User text is text in every xlsx and export"
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
        'jubao_portal']
    language = 'zh_CN'

    def setUp(self):
        super().setUp()
        # A whole quarter in the past, whatever the month of the run
        self.year = dt.date.today().year - 1
        self.received = dt.date(self.year, 2, 10)

    def create_cases(self):
        "Three accepted reports on the same subject, so a key person."
        Case = Pool().get('jubao.case')
        Configuration = Pool().get('jubao.configuration')
        Configuration.write([Configuration(1)], {'key_person_threshold': 2})
        with Transaction().set_context(_check_access=False):
            return Case.create([{
                        'number': f'公式-{i}',
                        'received_date': self.received,
                        'channel': 'letter', 'kind': 'accusation',
                        'scope': 'in_scope', 'state': 'accepted',
                        'summary': SUMMARY, 'keywords': KEYWORDS,
                        'real_name': True,
                        'handling_office': _ref('office_discipline_1'),
                        'subjects': [('create', [{'name': SUBJECT,
                                        'unit': UNIT, 'position': LINK,
                                        'authority': 'district'}])],
                        'reporters': [('create', [{'name': REPORTER,
                                        'phone': '13800138000'}])],
                        } for i in range(3)])

    def assertNoFormula(self, content, expected):
        "``expected`` texts are string cells; no formula, no hyperlink."
        cells, links = xlsx_cells(content)
        self.assertEqual([c for c in cells if c['formula'] is not None], [])
        self.assertEqual(sum(links.values()), 0)
        texts = {c['text']: c['type'] for c in cells}
        for text in expected:
            with self.subTest(text=text):
                self.assertIn(text, texts)
                self.assertIn(texts[text], {'s', 'inlineStr'})

    @staticmethod
    def execute(report_name, ids, data=None):
        Report = Pool().get(report_name, type='report')
        ext, content, _, _ = Report.execute(ids, data or {})
        return ext, bytes(content)

    @with_transaction()
    def test_intake_ledger(self):
        "The report ledger (jubao.case.ledger) stores the summary as text"
        cases = self.create_cases()
        ext, content = self.execute('jubao.case.ledger', [c.id for c in cases])
        self.assertEqual(ext, 'xlsx')
        self.assertNoFormula(content, [SUMMARY, SUBJECT, KEYWORDS, UNIT,
                LINK])

    @with_transaction()
    def test_reports_ledgers(self):
        "The ledgers of jubao_reports store user text as text"
        self.create_cases()
        for kind in ['register', 'real_name', 'key_person']:
            with self.subTest(kind=kind):
                ext, content = self.execute('jubao.analysis.ledger.xlsx', [], {
                        'kind': kind, 'office': None,
                        'date_from': dt.date(self.year, 1, 1),
                        'date_to': dt.date(self.year, 3, 31)})
                self.assertEqual(ext, 'xlsx')
                self.assertNoFormula(content, [SUBJECT])

    @with_transaction()
    def test_analysis_workbook(self):
        "The analysis workbook lists subject and unit as text"
        Analysis = Pool().get('jubao.analysis')
        self.create_cases()
        analysis, = Analysis.create([{'name': '公式测试',
                    'period_type': 'quarter', 'year': self.year,
                    'period_number': 1,
                    'date_from': dt.date(self.year, 1, 1),
                    'date_to': dt.date(self.year, 3, 31)}])
        ext, content = self.execute('jubao.analysis.xlsx', [analysis.id])
        self.assertEqual(ext, 'xlsx')
        self.assertNoFormula(content, [SUBJECT, UNIT, LINK])

    @with_transaction()
    def test_export_data(self):
        "export_data (CSV of sao and /data/) prefixes formula-looking text"
        pool = Pool()
        Case = pool.get('jubao.case')
        User = pool.get('res.user')
        case, *_ = self.create_cases()
        rows = Case.export_data([case], ['number', 'summary', 'keywords',
                'subjects/name', 'subjects/unit', 'received_date'],
            header=True)
        self.assertEqual(rows[1][:5], [case.number, "'" + SUMMARY,
                "'" + KEYWORDS, "'" + SUBJECT, "'" + UNIT])
        self.assertEqual(rows[1][5], self.received)
        rows = Case.export_data_domain([('id', '=', case.id)], ['summary'])
        self.assertEqual(rows, [["'" + SUMMARY]])
        # Every model, not only jubao ones
        user, = User.create([{'login': 'formula', 'name': SUMMARY}])
        self.assertEqual(User.export_data([user], ['name']),
            [["'" + SUMMARY]])


@unittest.skipUnless(PostgreSQLBackend.database_uri.startswith('postgresql'),
    "needs PostgreSQL")
class RPCSpreadsheetTestCase(
        PostgreSQLBackend, ServerMixin, unittest.TestCase):
    "Over JSON-RPC as sao calls them, on a running server"

    def test_clerk_export_and_ledger(self):
        "The clerk's CSV exports and ledger of a formula summary"
        case_id, = self.rpc('fr_clerk', 'model.jubao.case.create', [{
                    'channel': 'visit', 'summary': SUMMARY,
                    'keywords': KEYWORDS,
                    'received_date': _date(self.today),
                    }])
        self.assertEqual(self.rpc('fr_clerk', 'model.jubao.case.export_data',
                [case_id], ['summary', 'keywords'], False),
            [["'" + SUMMARY, "'" + KEYWORDS]])
        # Tryton's CSV route (/<database>/data/<model>)
        query = urllib.parse.urlencode({'d': json.dumps([case_id]),
                'f': ['summary', 'keywords'], 'h': 0}, doseq=True)
        request = urllib.request.Request(
            f'{self.base}/{self.database}/data/jubao.case?{query}',
            headers={'Cookie': self.sessions['fr_clerk'][0]})
        with urllib.request.urlopen(request, timeout=60) as response:
            rows = list(csv.reader(io.StringIO(
                        response.read().decode('utf-8'))))
        self.assertEqual(rows, [["'" + SUMMARY, "'" + KEYWORDS]])
        ext, content, *_ = self.rpc('fr_clerk',
            'report.jubao.case.ledger.execute', [case_id], {})
        self.assertEqual(ext, 'xlsx')
        cells, links = xlsx_cells(base64.b64decode(content['base64']))
        self.assertEqual([c for c in cells if c['formula'] is not None], [])
        self.assertEqual(sum(links.values()), 0)
        self.assertIn(SUMMARY, {c['text'] for c in cells})

