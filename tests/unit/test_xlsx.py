"""Spreadsheet safety: no user text becomes a formula or a link."""
import io
import os
import re
import unittest
import zipfile
from xml.etree import ElementTree

from jubao.xlsx import csv_text, safe_workbook

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))
NS = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
HOSTILE = ['=HYPERLINK("http://x","y")', '+1+1', '-1+1', '@SUM(A1)',
    '\t=1+1', '\r=1+1', '{=A1}', 'http://x.example/', 'mailto:a@x.example',
    '0123', '＝1+1']


def _unescape(text):
    "OOXML escapes control characters as _xHHHH_."
    return re.sub(r'_x([0-9A-F]{4})_', lambda m: chr(int(m.group(1), 16)),
        text)


def xlsx_cells(content):
    """Every cell of an xlsx as dicts: sheet, ref, type (t=), text, formula
    (text of an <f> element or None); plus 'hyperlinks' per sheet."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        shared = []
        if 'xl/sharedStrings.xml' in names:
            root = ElementTree.fromstring(archive.read('xl/sharedStrings.xml'))
            shared = [_unescape(''.join(t.text or ''
                        for t in si.iter(f'{{{NS["m"]}}}t')))
                for si in root.findall('m:si', NS)]
        cells, links = [], {}
        for name in sorted(n for n in names
                if re.match(r'xl/worksheets/sheet\d+\.xml$', n)):
            root = ElementTree.fromstring(archive.read(name))
            links[name] = len(root.findall('.//m:hyperlink', NS))
            for c in root.iter(f'{{{NS["m"]}}}c'):
                kind = c.get('t')
                f, v = c.find('m:f', NS), c.find('m:v', NS)
                if kind == 's':
                    text = shared[int(v.text)]
                elif kind == 'inlineStr':
                    text = _unescape(''.join(t.text or '' for t in c.iter(
                            f'{{{NS["m"]}}}t')))
                else:
                    text = v.text if v is not None else None
                cells.append({'sheet': name, 'ref': c.get('r'), 'type': kind,
                        'text': text,
                        'formula': f.text if f is not None else None})
        return cells, links


class SafeWorkbookTestCase(unittest.TestCase):

    def workbook(self, options=None):
        output = io.BytesIO()
        workbook = safe_workbook(output, options)
        sheet = workbook.add_worksheet()
        for row, value in enumerate(HOSTILE):
            sheet.write(row, 0, value)
        sheet.merge_range(len(HOSTILE), 0, len(HOSTILE), 2, HOSTILE[0])
        sheet.write_formula(len(HOSTILE) + 1, 0, '=1+1')
        workbook.close()
        return xlsx_cells(output.getvalue())

    def assertText(self, cells, links):
        texts = {c['text']: c for c in cells if c['formula'] is None}
        for value in HOSTILE:
            self.assertIn(value, texts)
            self.assertIn(texts[value]['type'], {'s', 'inlineStr', 'str'})
        self.assertEqual(sum(links.values()), 0)

    def test_text_stays_text(self):
        "Formula-, link- and number-looking text is stored as string cells"
        cells, links = self.workbook()
        self.assertText(cells, links)
        # a formula the code means is still written
        self.assertEqual([c['formula'] for c in cells if c['formula']],
            ['1+1'])

    def test_constant_memory(self):
        "Streamed workbooks (inline strings) are as safe"
        cells, links = self.workbook({'constant_memory': True})
        self.assertText(cells, links)

    def test_options_cannot_undo(self):
        "A caller's options cannot turn formulas or links back on"
        cells, links = self.workbook({'strings_to_formulas': True,
                'strings_to_urls': True, 'in_memory': True})
        self.assertText(cells, links)

    def test_every_producer_uses_factory(self):
        "Only jubao.xlsx imports xlsxwriter: every xlsx uses safe_workbook"
        offenders = []
        # Not benchmarks/: its anchor is plain xlsxwriter, by definition;
        # it writes no file a user receives.
        for top in ['addons', 'jubao', 'scripts']:
            for folder, dirs, files in os.walk(os.path.join(ROOT, top)):
                dirs[:] = [d for d in dirs
                    if d not in {'tests', '__pycache__'}]
                for name in files:
                    path = os.path.join(folder, name)
                    if not name.endswith('.py') or path.endswith(
                            os.path.join('jubao', 'xlsx.py')):
                        continue
                    with open(path, encoding='utf-8') as fp:
                        if re.search(r'^\s*(import|from) xlsxwriter\b',
                                fp.read(), re.M):
                            offenders.append(os.path.relpath(path, ROOT))
        self.assertEqual(offenders, [])


class CSVTextTestCase(unittest.TestCase):

    def test_formula_starts_prefixed(self):
        "Text a spreadsheet would run gets a leading apostrophe"
        for value in ['=1+1', '+1', '-1', '@A1', '\t=1', '\r=1', '＝1']:
            self.assertEqual(csv_text(value), "'" + value)

    def test_other_values_unchanged(self):
        "Plain text, numbers, dates and empty values are left alone"
        for value in ['王静', 'a=b', '', None, -1, 2.5, True,
                "'=already"]:
            self.assertEqual(csv_text(value), value)
