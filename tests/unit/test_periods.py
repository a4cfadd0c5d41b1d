import datetime as dt
import unittest

from jubao import periods
from jubao.periods import PeriodError

D = dt.date


class PeriodBoundsTest(unittest.TestCase):

    def test_quarter_bounds(self):
        self.assertEqual(periods.quarter(2026, 1), (D(2026, 1, 1), D(2026, 3, 31)))
        self.assertEqual(periods.quarter(2026, 3), (D(2026, 7, 1), D(2026, 9, 30)))
        self.assertEqual(periods.quarter(2024, 4), (D(2024, 10, 1), D(2024, 12, 31)))

    def test_half_year_and_month(self):
        self.assertEqual(periods.half_year(2026, 2), (D(2026, 7, 1), D(2026, 12, 31)))
        self.assertEqual(periods.month(2024, 2), (D(2024, 2, 1), D(2024, 2, 29)))
        self.assertEqual(periods.year(2025), (D(2025, 1, 1), D(2025, 12, 31)))

    def test_bad_numbers(self):
        for call in (lambda: periods.quarter(2026, 5),
                lambda: periods.half_year(2026, 0),
                lambda: periods.month(2026, 13)):
            with self.assertRaises(PeriodError):
                call()

    def test_validate(self):
        with self.assertRaises(PeriodError) as ctx:
            periods.validate(D(2026, 3, 1), D(2026, 2, 1))
        self.assertEqual(ctx.exception.code, 'order')
        with self.assertRaises(PeriodError) as ctx:
            periods.validate(None, D(2026, 2, 1))
        self.assertEqual(ctx.exception.code, 'missing')
        periods.validate(D(2026, 3, 1), D(2026, 3, 1))


class OfficialNameTest(unittest.TestCase):

    def test_names(self):
        cases = [
            (periods.quarter(2026, 3), '2026年第三季度'),
            (periods.quarter(2026, 1), '2026年第一季度'),
            (periods.half_year(2026, 1), '2026年上半年'),
            (periods.half_year(2026, 2), '2026年下半年'),
            (periods.year(2025), '2025年度'),
            (periods.month(2026, 5), '2026年5月'),
            ((D(2026, 1, 1), D(2026, 9, 30)), '2026年前三季度'),
            ((D(2026, 1, 1), D(2026, 6, 30)), '2026年上半年'),
            ((D(2026, 1, 1), D(2026, 8, 31)), '2026年1—8月'),
            ((D(2026, 2, 1), D(2026, 4, 30)), '2026年2—4月'),
            ((D(2026, 3, 5), D(2026, 3, 20)), '2026年3月5日至3月20日'),
            ((D(2025, 12, 5), D(2026, 1, 20)), '2025年12月5日至2026年1月20日'),
            ((D(2026, 3, 5), D(2026, 3, 5)), '2026年3月5日'),
            ]
        for (date_from, date_to), name in cases:
            self.assertEqual(periods.official_name(date_from, date_to), name)

    def test_kind(self):
        self.assertEqual(periods.kind(*periods.quarter(2026, 2)), 'quarter')
        self.assertEqual(periods.kind(D(2026, 2, 1), D(2026, 4, 30)), 'months')
        self.assertEqual(periods.kind(D(2026, 2, 2), D(2026, 4, 30)), 'custom')
        self.assertEqual(periods.kind(D(2025, 12, 1), D(2026, 1, 31)), 'custom')


class ComparisonPeriodTest(unittest.TestCase):

    def test_previous_quarter_crosses_year(self):
        self.assertEqual(periods.previous_period(*periods.quarter(2026, 1)),
            periods.quarter(2025, 4))
        self.assertEqual(periods.previous_period(*periods.quarter(2026, 3)),
            periods.quarter(2026, 2))

    def test_previous_month_and_year(self):
        self.assertEqual(periods.previous_period(*periods.month(2024, 3)),
            periods.month(2024, 2))
        self.assertEqual(periods.previous_period(*periods.year(2026)),
            periods.year(2025))
        self.assertEqual(periods.previous_period(*periods.half_year(2026, 1)),
            periods.half_year(2025, 2))

    def test_previous_custom_same_length(self):
        self.assertEqual(
            periods.previous_period(D(2026, 3, 11), D(2026, 3, 20)),
            (D(2026, 3, 1), D(2026, 3, 10)))

    def test_same_period_last_year_leap(self):
        self.assertEqual(
            periods.same_period_last_year(*periods.month(2024, 2)),
            periods.month(2023, 2))
        self.assertEqual(
            periods.same_period_last_year(*periods.month(2025, 2)),
            periods.month(2024, 2))
        self.assertEqual(
            periods.same_period_last_year(*periods.quarter(2026, 3)),
            periods.quarter(2025, 3))

    def test_months(self):
        self.assertEqual(periods.months(D(2025, 11, 15), D(2026, 2, 1)),
            [(2025, 11), (2025, 12), (2026, 1), (2026, 2)])


class ParseTest(unittest.TestCase):

    def test_parse(self):
        self.assertEqual(periods.parse('2026Q3'), periods.quarter(2026, 3))
        self.assertEqual(periods.parse('2026h2'), periods.half_year(2026, 2))
        self.assertEqual(periods.parse('2025'), periods.year(2025))
        self.assertEqual(periods.parse('2026-05'), periods.month(2026, 5))
        for bad in ('2026Q5', '26Q1', 'last year', '', '2026-13'):
            with self.assertRaises(PeriodError):
                periods.parse(bad)


if __name__ == '__main__':
    unittest.main()


class DateHelpersTest(unittest.TestCase):
    "The one set of date helpers (plans, campaigns, analysis, returns)"

    def test_month_end(self):
        self.assertEqual(periods.month_end(2028, 2), dt.date(2028, 2, 29))
        self.assertEqual(periods.month_end(2026, 12), dt.date(2026, 12, 31))

    def test_add_months_clips(self):
        self.assertEqual(periods.add_months(dt.date(2026, 1, 31), 1),
            dt.date(2026, 2, 28))
        self.assertEqual(periods.add_months(dt.date(2026, 12, 15), 1),
            dt.date(2027, 1, 15))
        self.assertEqual(periods.add_months(dt.date(2027, 3, 31), -3),
            dt.date(2026, 12, 31))

    def test_year_before(self):
        self.assertEqual(periods.year_before(dt.date(2028, 2, 29)),
            dt.date(2027, 2, 28))
        self.assertEqual(periods.year_before(dt.date(2029, 2, 28), end=True),
            dt.date(2028, 2, 29))
        self.assertEqual(periods.year_before(dt.date(2029, 2, 28)),
            dt.date(2028, 2, 28))

    def test_quarter_bounds(self):
        self.assertEqual(periods.quarter(2026, 4),
            (dt.date(2026, 10, 1), dt.date(2026, 12, 31)))
        self.assertEqual(periods.quarter(2027, 1),
            (dt.date(2027, 1, 1), dt.date(2027, 3, 31)))
