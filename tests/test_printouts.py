"""Every printout and downloaded file, rendered on the demo data.

Each ``ir.action.report`` of the jubao modules (enumerated from the
database, so a printout added later is covered or fails here for want of
demo records) is executed as the administrator on demo records, the text
of what it returns is extracted (ODT: content.xml, DOCX: python-docx,
XLSX: openpyxl) and checked for what must never reach a user's paper:

- a raw record id (``编号：17``) instead of an official number;
- English words or untranslated placeholders (``%s``, ``%(``, ``${``,
  ``None``, ``False``, ``True``);
- a doubled word such as 督办督办;

and the file name it is downloaded under must be Chinese and carry what
the file covers: the period, the date or the document's number.
"""
import datetime as dt
import io
import os
import re
import unittest
import zipfile
from unittest import mock
from xml.etree import ElementTree

from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from jubao import filenames, periods

MODULES = ['jubao_reports', 'jubao_intake', 'jubao_routing',
    'jubao_publicity']
DEMO_CASES = 80
# ASCII words a Chinese printout may hold (file formats, brand names)
ALLOWED_WORDS = {'PDF', 'Excel', 'Word', 'WPS', 'KPI'}
ENGLISH = re.compile(r'[A-Za-z]{2,}')
RAW_ID = re.compile(r'(编号|ID|序号为)\s*[：:]\s*\d+(?![\d〔年月])')
PLACEHOLDERS = re.compile(r'%s|%\(|%d|\$\{|\bNone\b|\bFalse\b|\bTrue\b')
# Official documents write quarters in Chinese numerals (第三季度)
QUARTER_DIGITS = re.compile(r'第\d+季度')
# Two or more Chinese characters written twice in a row (督办督办)
DOUBLED = re.compile(r'([\u4e00-\u9fff]{2,})\1')
CJK = re.compile(r'[\u4e00-\u9fff]')
TEXT_NS = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0'


def odt_text(content):
    "The text of an ODT document, one string per paragraph or heading."
    with zipfile.ZipFile(io.BytesIO(content)) as odt:
        root = ElementTree.fromstring(odt.read('content.xml'))
    return [''.join(p.itertext()) for p in root.iter()
        if p.tag in {f'{{{TEXT_NS}}}p', f'{{{TEXT_NS}}}h'}]


def docx_text(content):
    import docx
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    props = document.core_properties
    texts.extend(filter(None, [props.title, props.subject]))
    return texts


def xlsx_text(content):
    import openpyxl
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    texts = []
    for sheet in workbook.worksheets:
        texts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            texts.extend(str(v) for v in row
                if v is not None and not isinstance(v, (int, float,
                        dt.date, dt.datetime)))
    return texts


EXTRACT = {'odt': odt_text, 'docx': docx_text, 'xlsx': xlsx_text}


def problems(texts):
    "The faults found in the extracted ``texts``, as readable strings."
    found = []
    for text in texts:
        for word in ENGLISH.findall(text):
            if word not in ALLOWED_WORDS:
                found.append(f'English word {word!r} in {text!r}')
        for pattern, label in [(RAW_ID, 'raw id'),
                (PLACEHOLDERS, 'placeholder'), (DOUBLED, 'doubled word'),
                (QUARTER_DIGITS, 'quarter in digits')]:
            match = pattern.search(text)
            if match:
                found.append(f'{label} {match.group(0)!r} in {text!r}')
    return found


def name_problems(name):
    "Faults of a download name (without its extension)."
    found = []
    if not CJK.search(name):
        found.append(f'file name {name!r} is not Chinese')
    for word in ENGLISH.findall(name):
        if word not in ALLOWED_WORDS:
            found.append(f'English word {word!r} in file name {name!r}')
    if re.search(r'[\\/:*?"<>|]', name):
        found.append(f'file name {name!r} holds a forbidden character')
    return found


def load_demo():
    "The demo of intake (fewer reports), routing and reports, as admin."
    from trytond.modules.jubao_intake import demo as intake
    from trytond.modules.jubao_reports import demo as reports
    from trytond.modules.jubao_routing import demo as routing
    intake.load_users()
    intake.load_cases(count=DEMO_CASES)
    routing.load_demo()
    reports.load_demo()


class PrintoutsTestCase(_DBTestCase):
    "Every printout reads as Chinese and is named by what it covers"
    module = MODULES[0]
    extras = MODULES[1:]
    language = 'zh_CN'
    maxDiff = None

    def setUp(self):
        super().setUp()
        # The ODT itself, not its PDF conversion: the text is checked
        patcher = mock.patch(
            'trytond.modules.jubao_routing.report.shutil.which',
            return_value=None)
        patcher.start()
        self.addCleanup(patcher.stop)

    def cases(self, test, count):
        Case = Pool().get('jubao.case')
        found = [c for c in Case.search([('number', '!=', None)],
                order=[('number', 'ASC')]) if test(c)]
        self.assertGreaterEqual(len(found), count,
            "the demo lacks reports for a printout")
        return found[:count]

    def jobs(self, report_name):
        """The (ids, data, expected parts of the file name) to print
        ``report_name`` with; None for an unknown printout."""
        pool = Pool()
        Supervision = pool.get('jubao.supervision')
        Analysis = pool.get('jubao.analysis')
        today = pool.get('ir.date').today()
        number = (today.month - 1) // 3
        year, quarter = ((today.year, number) if number
            else (today.year - 1, 4))
        q_from, q_to = periods.quarter(year, quarter)
        q_label = filenames.period_label(q_from, q_to)

        def per_case(test):
            one, two = self.cases(test, 2)[:1], self.cases(test, 2)
            return [([c.id for c in one], {}, [one[0].number]),
                ([c.id for c in two], {},
                    [two[0].number, f'等{len(two)}件'])]

        def per_analysis():
            return [([a.id], {}, [a.period_name]) for a in Analysis.search([])]

        if report_name == 'jubao.case.acceptance_notice':
            return per_case(lambda c: c.acceptance_notice_due
                and not c.handed_over)
        if report_name == 'jubao.case.feedback_notice':
            return per_case(lambda c: c.state == 'concluded')
        if report_name == 'jubao.supervision.letter':
            supervisions = Supervision.search([('state', '!=', 'draft')],
                order=[('id', 'ASC')])
            self.assertTrue(supervisions, "the demo has no supervision")
            return [([s.id], {}, [s.number]) for s in supervisions[:3]]
        if report_name == 'jubao.case.ledger':
            cases = self.cases(lambda c: True, 5)
            return [([c.id for c in cases], {},
                    [filenames.date_label(today)])]
        if report_name in {'jubao.analysis.xlsx', 'jubao.analysis.draft',
                'jubao.analysis.draft.docx'}:
            return per_analysis()
        if report_name == 'jubao.routing.quarterly_return':
            return [([], {'year': year, 'quarter': quarter, 'kind': kind},
                    [q_label]) for kind in ['concluded', 'repeats']]
        if report_name == 'jubao.analysis.ledger.xlsx':
            from trytond.modules.jubao_reports.ledger import TITLES
            return [([], {'kind': kind, 'date_from': q_from,
                        'date_to': q_to, 'office': None},
                    [TITLES[kind], q_label]) for kind in TITLES]
        return None

    @with_transaction()
    def test_printouts(self):
        "The demo's printouts and the supervision numbers (one demo load)"
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        admin, = User.search([('login', '=', 'admin')])
        with transaction.set_user(admin.id), transaction.set_context(
                _check_access=False, language='zh_CN'):
            load_demo()
        self.check_every_printout(admin)
        self.check_supervision_numbers(admin)

    def keep(self, name, oext, content):
        "Keep the file in tests/artifacts/printouts/ to be looked at."
        folder = os.environ.get('JUBAO_TEST_ARTIFACTS')
        if not folder:
            return
        folder = os.path.join(folder, 'printouts')
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f'{name}.{oext}'), 'wb') as file:
            file.write(bytes(content))

    def check_every_printout(self, admin):
        "Each jubao printout: Chinese text, no raw id, named by its period"
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        transaction = Transaction()
        actions = ActionReport.search([('module', 'like', 'jubao%')])
        self.assertGreaterEqual(len(actions), 9)
        rendered = set()
        with transaction.set_user(admin.id), transaction.set_context(
                language='zh_CN'):
            for action in actions:
                jobs = self.jobs(action.report_name)
                with self.subTest(report=action.report_name):
                    self.assertIsNotNone(jobs, "printout without demo "
                        "records in tests/test_printouts.py")
                    Report = pool.get(action.report_name, type='report')
                    for ids, data, parts in jobs:
                        data = dict(data, action_id=action.id,
                            model=action.model, ids=ids,
                            id=ids[0] if ids else None)
                        oext, content, _, name = Report.execute(ids, data)
                        self.keep(name, oext, content)
                        self.assertIn(oext, EXTRACT, name)
                        texts = EXTRACT[oext](bytes(content))
                        self.assertTrue(any(t.strip() for t in texts),
                            f"{action.report_name} printed nothing")
                        self.assertEqual(problems(texts), [],
                            action.report_name)
                        self.assertEqual(name_problems(name), [],
                            action.report_name)
                        for part in parts:
                            self.assertIn(part, name, action.report_name)
                        rendered.add(action.report_name)
        self.assertGreaterEqual(rendered, {
                'jubao.case.acceptance_notice', 'jubao.case.feedback_notice',
                'jubao.supervision.letter', 'jubao.case.ledger',
                'jubao.analysis.xlsx', 'jubao.analysis.draft',
                'jubao.analysis.draft.docx',
                'jubao.routing.quarterly_return',
                'jubao.analysis.ledger.xlsx'})

    def check_supervision_numbers(self, admin):
        "督〔YYYY〕第N号: given on opening, gapless per year, on the letter"
        pool = Pool()
        Supervision = pool.get('jubao.supervision')
        Case = pool.get('jubao.case')
        transaction = Transaction()
        opened = Supervision.search([('state', '!=', 'draft')])
        self.assertTrue(opened)
        by_year = {}
        for supervision in opened:
            match = re.fullmatch(r'督〔(\d{4})〕第(\d+)号',
                supervision.number or '')
            self.assertTrue(match, supervision.number)
            self.assertEqual(int(match.group(1)), supervision.date.year)
            by_year.setdefault(supervision.date.year, []).append(
                int(match.group(2)))
        for year, numbers in by_year.items():
            self.assertEqual(sorted(numbers),
                list(range(1, len(numbers) + 1)), year)

        # A new one: draft without number, the next number on opening
        case, = Case.search([('state', '=', 'handling')], limit=1)
        year = pool.get('ir.date').today().year
        before = len(by_year.get(year, []))
        with transaction.set_user(admin.id), transaction.set_context(
                language='zh_CN'):
            supervision, = Supervision.create([{
                        'case': case.id, 'level': 'leader',
                        'methods': ['letter'], 'reason': '群众反映强烈',
                        'responsible_office': case.handling_office.id,
                        }])
            self.assertIsNone(supervision.number)
            Report = pool.get('jubao.supervision.letter', type='report')
            with self.assertRaises(Exception) as refused:
                Report.execute([supervision.id], {
                        'model': 'jubao.supervision'})
            self.assertIn('尚未发起', str(refused.exception))
            Supervision.open([supervision])
            self.assertEqual(supervision.number,
                f'督〔{year}〕第{before + 1}号')
            # People quote the number: it names and finds the supervision
            self.assertTrue(supervision.rec_name.startswith(
                    supervision.number + ' '), supervision.rec_name)
            self.assertEqual(Supervision.search(
                    [('rec_name', 'ilike', supervision.number)]),
                [supervision])
            # A copy starts afresh, without the number
            copy, = Supervision.copy([supervision])
            self.assertIsNone(copy.number)
            oext, content, _, name = Report.execute([supervision.id], {
                    'model': 'jubao.supervision'})
        text = '\n'.join(odt_text(bytes(content)))
        self.assertIn(supervision.number, text)
        self.assertIn('列为委领导督办事项', text)
        self.assertNotIn(f'督办编号：{supervision.id}', text)
        self.assertEqual(name, f'督办函_{supervision.number}')


class PrintoutChecksTestCase(unittest.TestCase):
    "The checks catch the faults the printouts had"

    def test_faults_found(self):
        for text in ['督办编号：17', '列为委领导督办督办事项',
                'Supervision Letter', '编号：%s', '核查结论：None',
                '2026年第3季度信访举报件办结情况报告',
                '${case.number}']:
            with self.subTest(text=text):
                self.assertTrue(problems([text]))
        self.assertTrue(name_problems('Supervision Letter-信访〔2026〕第3号'))
        self.assertTrue(name_problems('Ledger'))

    def test_clean_text_passes(self):
        self.assertEqual(problems(['督〔2026〕第3号',
                    '编号为信访〔2026〕第12号的信访举报件（反映某某问题），'
                    '经研究，列为委领导督办事项。', '依规依纪依法办理',
                    '分析报告初稿（Word）', '2026年7月1日']), [])
        self.assertEqual(name_problems('督办函_督〔2026〕第3号'), [])
