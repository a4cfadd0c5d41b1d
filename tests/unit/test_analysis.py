import datetime as dt
import unittest
from decimal import Decimal

from jubao import analysis
from jubao.filenames import date_range_label


class ShareChangeTest(unittest.TestCase):

    def test_formatting(self):
        self.assertEqual(analysis.format_percent(Decimal('12.5')), '12.5%')
        self.assertEqual(analysis.format_percent(None), '—')
        self.assertEqual(analysis.format_change(Decimal('20.0')), '+20.0%')
        self.assertEqual(analysis.format_change(Decimal('-3.0')), '-3.0%')
        self.assertEqual(analysis.format_change(None), '—')

    def test_change_phrase(self):
        self.assertEqual(analysis.change_phrase(10, 8, '同比'), '同比增长25.0%')
        self.assertEqual(analysis.change_phrase(9, 10, '环比'), '环比下降10.0%')
        self.assertEqual(analysis.change_phrase(4, 4, '同比'), '同比持平')
        self.assertEqual(analysis.change_phrase(4, 0, '同比'), '同比无可比数据')
        self.assertEqual(analysis.change_phrase(0, 0, '环比'), '环比均为零')

    def test_chinese_numerals(self):
        self.assertEqual(analysis.cn_count(123), '一百二十三')
        self.assertEqual(analysis.cn_count(10), '十')
        self.assertEqual(analysis.cn_ordinal(4), '四')

    def test_top_is_stable(self):
        rows = [{'k': 'a', 'count': 2}, {'k': 'b', 'count': 5},
            {'k': 'c', 'count': 2}, {'k': 'd', 'count': 1}]
        self.assertEqual([r['k'] for r in analysis.top(rows, 3)],
            ['b', 'a', 'c'])



class DateRangeLabelTest(unittest.TestCase):
    "The bounds of a period as ledger and workbook titles show them"

    def test_full_dates(self):
        self.assertEqual(date_range_label(dt.date(2026, 7, 1),
                dt.date(2026, 9, 30)), '2026年7月1日至2026年9月30日')
        self.assertEqual(date_range_label(dt.date(2025, 12, 20),
                dt.date(2026, 1, 5)), '2025年12月20日至2026年1月5日')

    def test_one_day(self):
        self.assertEqual(date_range_label(dt.date(2026, 7, 3),
                dt.date(2026, 7, 3)), '2026年7月3日')

    def test_datetimes_count_by_date(self):
        self.assertEqual(date_range_label(dt.datetime(2026, 1, 1, 8, 30),
                dt.date(2026, 3, 31)), '2026年1月1日至2026年3月31日')


if __name__ == '__main__':
    unittest.main()
