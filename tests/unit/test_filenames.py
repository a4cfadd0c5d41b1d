import datetime as dt
import unittest

from jubao import filenames
from jubao.periods import PeriodError

D = dt.date


class PeriodLabelTest(unittest.TestCase):

    def test_year_and_part(self):
        self.assertEqual(filenames.period_label(year=2026, quarter=3),
            '2026年第三季度')
        self.assertEqual(filenames.period_label(year=2026, half=1),
            '2026年上半年')
        self.assertEqual(filenames.period_label(year=2026, month=5),
            '2026年5月')
        self.assertEqual(filenames.period_label(year=2026), '2026年度')

    def test_bounds(self):
        self.assertEqual(filenames.period_label(D(2026, 7, 1),
                D(2026, 9, 30)), '2026年第三季度')
        self.assertEqual(filenames.period_label(D(2026, 1, 1),
                D(2026, 8, 31)), '2026年1—8月')
        self.assertEqual(filenames.period_label(D(2026, 3, 2),
                D(2026, 5, 20)), '2026年3月2日至5月20日')
        self.assertEqual(filenames.period_label(D(2025, 12, 1),
                D(2026, 1, 15)), '2025年12月1日至2026年1月15日')

    def test_single_day(self):
        self.assertEqual(filenames.period_label(D(2026, 7, 3)),
            '2026年7月3日')

    def test_refused(self):
        for call in (
                lambda: filenames.period_label(year=2026, quarter=5),
                lambda: filenames.period_label(year=2026, quarter=1, month=2),
                lambda: filenames.period_label(D(2026, 1, 1), year=2026),
                lambda: filenames.period_label(D(2026, 3, 1), D(2026, 2, 1)),
                ):
            with self.assertRaises(PeriodError):
                call()

    def test_date_label(self):
        self.assertEqual(filenames.date_label(D(2026, 10, 1)), '2026年10月1日')
        self.assertEqual(filenames.date_label(
                dt.datetime(2026, 10, 1, 23, 59)), '2026年10月1日')


class FileNameTest(unittest.TestCase):

    def test_parts_joined(self):
        self.assertEqual(filenames.file_name('信访举报台账', '2026年第三季度',
                extension='xlsx'), '信访举报台账_2026年第三季度.xlsx')
        self.assertEqual(filenames.file_name('督办函', '督〔2026〕第3号'),
            '督办函_督〔2026〕第3号')

    def test_empty_parts_left_out(self):
        self.assertEqual(filenames.file_name('信访举报分析', None, '',
                '2026年度', extension='.xlsx'), '信访举报分析_2026年度.xlsx')

    def test_forbidden_characters_removed(self):
        self.assertEqual(filenames.file_name('台账', 'a/b:c*?"<>| d'),
            '台账_abcd')

    def test_cut_to_length(self):
        name = filenames.file_name('台账', '长' * 200, extension='xlsx')
        self.assertEqual(len(name), filenames.MAX_LENGTH + len('.xlsx'))
        self.assertTrue(name.startswith('台账_长'))

    def test_title_required(self):
        with self.assertRaises(ValueError):
            filenames.file_name(' / ', '2026年度')
