import datetime as dt
import os
import unittest

from jubao import periods, plans

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))
# The seed plans shipped with jubao_publicity: each document as published
# (.txt) and the rows extracted from it for the import (.csv).
DATA = os.path.join(ROOT, 'addons', 'jubao_publicity', 'data')
SEEDS = ['plan_000_implementation', 'plan_001_publicity_year']


class DeadlineTest(unittest.TestCase):

    def test_long_term(self):
        self.assertEqual(plans.parse_deadline('长期', 2026),
            ('long_term', None))
        self.assertEqual(plans.parse_deadline('完成时限长期', 2026),
            ('long_term', None))

    def test_year_end(self):
        self.assertEqual(plans.parse_deadline('20**年底', 2026),
            ('year_end', dt.date(2026, 12, 31)))
        self.assertEqual(plans.parse_deadline('2025年底', 2026),
            ('year_end', dt.date(2025, 12, 31)))
        self.assertEqual(plans.parse_deadline('年底', 2027),
            ('year_end', dt.date(2027, 12, 31)))

    def test_month_end(self):
        self.assertEqual(plans.parse_deadline('20**年6月底', 2026),
            ('month_end', dt.date(2026, 6, 30)))
        self.assertEqual(plans.parse_deadline('20**年2月底', 2028),
            ('month_end', dt.date(2028, 2, 29)))
        self.assertEqual(plans.parse_deadline('十月底', 2026),
            ('month_end', dt.date(2026, 10, 31)))
        self.assertEqual(plans.parse_deadline('20**年*月底', 2026),
            ('month_end', None))
        self.assertEqual(plans.parse_deadline('20＊＊年＊月底', 2026),
            ('month_end', None))

    def test_date(self):
        self.assertEqual(plans.parse_deadline('2026年3月15日', 2026),
            ('date', dt.date(2026, 3, 15)))
        self.assertEqual(plans.parse_deadline('5月1日', 2026),
            ('date', dt.date(2026, 5, 1)))
        self.assertEqual(plans.parse_deadline('2026-09-30', 2000),
            ('date', dt.date(2026, 9, 30)))

    def test_bad(self):
        for text in ['', '尽快', '20**年13月底', '2026年2月30日', None]:
            with self.subTest(text=text):
                with self.assertRaises(plans.DeadlineError):
                    plans.parse_deadline(text, 2026)

    def test_fill_year(self):
        self.assertEqual(plans.fill_year('20**年底前完成', 2026),
            '2026年底前完成')
        self.assertEqual(plans.fill_year('**个工作日', 2026), '**个工作日')


class UnitsTest(unittest.TestCase):

    def test_names_and_kinds(self):
        self.assertEqual(plans.parse_units('办公室、信访室、各街道纪工委'), [
                ('name', '办公室'), ('name', '信访室'), ('kind', 'street')])

    def test_stationed(self):
        for text in ['区纪委监委派驻(出)机构', '区纪委监委派驻（出）机构',
                '派驻(出)机构', '各派驻机构']:
            with self.subTest(text=text):
                self.assertEqual(plans.parse_units(text),
                    [('kind', 'stationed')])

    def test_discipline_range(self):
        self.assertEqual(plans.parse_units('第一至第六纪检监察室、审理室'),
            [('discipline', n) for n in range(1, 7)] + [('name', '审理室')])
        self.assertEqual(plans.parse_units('第三纪检监察室'),
            [('discipline', 3)])
        self.assertEqual(plans.discipline_name(6), '第六纪检监察室')

    def test_duplicates_dropped(self):
        self.assertEqual(plans.parse_units('信访室、信访室，各街道纪工委'),
            [('name', '信访室'), ('kind', 'street')])

    def test_bad(self):
        for text in ['', '、', '第六至第一纪检监察室', None]:
            with self.subTest(text=text):
                with self.assertRaises(plans.UnitError):
                    plans.parse_units(text)


class RowsTest(unittest.TestCase):

    def test_missing_column(self):
        with self.assertRaises(plans.RowError):
            plans.read_rows('section,number,title\n一,1,x\n')

    def test_blank_lines_skipped(self):
        rows = plans.read_rows(
            'section,number,title,units,deadline\n'
            '一,1,甲,信访室,长期\n,,,,\n一,2,乙,办公室,20**年底\n')
        self.assertEqual([line for line, _ in rows], [2, 4])
        self.assertEqual(rows[1][1]['title'], '乙')
        self.assertEqual(rows[1][1]['content'], '')

    def test_xlsx(self):
        import io

        import openpyxl
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(['section', 'number', 'title', 'units', 'deadline'])
        sheet.append(['一', 1, '甲', '信访室', '长期'])
        data = io.BytesIO()
        book.save(data)
        rows = plans.read_rows(data.getvalue(), 'plan.xlsx')
        self.assertEqual(rows, [(2, {
                        'section': '一', 'subsection': '', 'number': '1',
                        'title': '甲', 'content': '', 'units': '信访室',
                        'deadline': '长期', 'phase': ''})])

    def _rows(self, name):
        with open(os.path.join(DATA, name), 'rb') as fp:
            return [r for _, r in plans.read_rows(fp.read(), name)]

    def test_seed_implementation_plan(self):
        rows = self._rows('plan_000_implementation.csv')
        self.assertEqual(len(rows), 19)
        self.assertEqual([r['number'] for r in rows],
            [str(n) for n in range(1, 20)])
        self.assertEqual(len({r['section'] for r in rows}), 5)
        types = [plans.parse_deadline(r['deadline'], 2026)[0] for r in rows]
        self.assertEqual(types.count('long_term'), 11)
        self.assertEqual(types.count('year_end'), 4)
        self.assertEqual(types.count('month_end'), 4)
        for r in rows:
            plans.parse_units(r['units'])

    def test_seed_publicity_year(self):
        rows = self._rows('plan_001_publicity_year.csv')
        self.assertEqual(len(rows), 8)
        self.assertEqual([r['phase'] for r in rows], ['launch'] * 2
            + ['push'] * 3 + ['deepening'] * 2 + ['summary'])
        self.assertEqual(
            [plans.parse_deadline(r['deadline'], 2026)[1] for r in rows],
            [dt.date(2026, 3, 31)] * 2 + [dt.date(2026, 6, 30)] * 3
            + [dt.date(2026, 10, 31)] * 2 + [dt.date(2026, 12, 31)])

    def test_faithful_to_seed_text(self):
        "Every title and content is a verbatim extract of the seed."
        for seed in SEEDS:
            with open(os.path.join(DATA, seed + '.txt'),
                    encoding='utf-8') as fp:
                text = fp.read()
            for row in self._rows(seed + '.csv'):
                with self.subTest(seed=seed, number=row['number']):
                    self.assertIn(row['title'], text)
                    self.assertIn(row['content'], text)
                    self.assertIn(row['section'].replace('(', '').replace(
                            ')', '')[:6], text.replace('(', '').replace(
                            ')', '').replace('（', '').replace('）', ''))


class ReviewTest(unittest.TestCase):

    def test_next_review(self):
        self.assertEqual(plans.next_review('monthly', dt.date(2026, 1, 15)),
            dt.date(2026, 2, 28))
        self.assertEqual(plans.next_review('quarterly', dt.date(2026, 1, 1),
                dt.date(2026, 11, 30)), dt.date(2027, 2, 28))
        self.assertEqual(periods.add_months(dt.date(2026, 1, 31), 1),
            dt.date(2026, 2, 28))


if __name__ == '__main__':
    unittest.main()
