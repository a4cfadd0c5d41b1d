"""Working-day arithmetic against the State Council's 2025 and 2026
holiday schedules (国务院办公厅关于部分节假日安排的通知)."""
import datetime as dt
import unittest

import chinese_calendar

from jubao.workdays import (
    add_working_days, is_provisional, is_working_day, library_knows,
    parse_schedule, working_days_between)

D = dt.date

# Official schedules: days off on weekdays and make-up working days.
OFFICIAL = {
    # National Day + Mid-Autumn 2025: Oct 1-8 off, Sep 28 (Sun) and
    # Oct 11 (Sat) worked.
    2025: {
        'off': [D(2025, 10, d) for d in range(1, 9)],
        'makeup': [D(2025, 9, 28), D(2025, 10, 11)],
        },
    # Spring Festival 2026: Feb 15-23 off, Feb 14 (Sat) and Feb 28 (Sat)
    # worked; National Day 2026: Oct 1-7 off, Sep 20 (Sun) and Oct 10
    # (Sat) worked.
    2026: {
        'off': [D(2026, 2, d) for d in range(15, 24)]
        + [D(2026, 10, d) for d in range(1, 8)],
        'makeup': [D(2026, 2, 14), D(2026, 2, 28), D(2026, 9, 20),
            D(2026, 10, 10)],
        },
    }


class OfficialScheduleTest(unittest.TestCase):

    def test_library_agrees_with_official_schedule(self):
        for year, schedule in OFFICIAL.items():
            for day in schedule['off']:
                with self.subTest(day=day):
                    self.assertFalse(chinese_calendar.is_workday(day))
                    self.assertFalse(is_working_day(day))
            for day in schedule['makeup']:
                with self.subTest(day=day):
                    self.assertIn(day.weekday(), (5, 6))
                    self.assertTrue(chinese_calendar.is_workday(day))
                    self.assertTrue(is_working_day(day))

    def test_ordinary_days(self):
        self.assertTrue(is_working_day(D(2026, 11, 20)))     # Friday
        self.assertFalse(is_working_day(D(2026, 11, 21)))    # Saturday
        self.assertFalse(is_working_day(D(2026, 11, 22)))    # Sunday
        self.assertTrue(is_working_day(dt.datetime(2026, 11, 23, 9)))


class AddWorkingDaysTest(unittest.TestCase):

    def test_plain_week(self):
        # Friday + 1 working day is Monday.
        self.assertEqual(add_working_days(D(2026, 11, 20), 1), D(2026, 11, 23))
        self.assertEqual(add_working_days(D(2026, 11, 16), 5), D(2026, 11, 23))

    def test_zero_days(self):
        self.assertEqual(add_working_days(D(2026, 11, 20), 0), D(2026, 11, 20))
        self.assertEqual(add_working_days(D(2026, 11, 21), 0), D(2026, 11, 23))
        # Oct 1 2025 is a holiday: the first working day is Oct 9.
        self.assertEqual(add_working_days(D(2025, 10, 1), 0), D(2025, 10, 9))

    def test_negative_refused(self):
        with self.assertRaises(ValueError):
            add_working_days(D(2026, 1, 5), -1)

    def test_national_day_2025(self):
        # Received Fri Sep 26 2025: Sep 28 (Sun, make-up), 29, 30 count,
        # Oct 1-8 off, then Oct 9, 10, 11 (Sat, make-up), 13 ...
        start = D(2025, 9, 26)
        self.assertEqual(add_working_days(start, 1), D(2025, 9, 28))
        self.assertEqual(add_working_days(start, 3), D(2025, 9, 30))
        self.assertEqual(add_working_days(start, 4), D(2025, 10, 9))
        self.assertEqual(add_working_days(start, 5), D(2025, 10, 10))
        self.assertEqual(add_working_days(start, 6), D(2025, 10, 11))
        self.assertEqual(add_working_days(start, 7), D(2025, 10, 13))
        # 15 working days (acceptance notice) from Sep 26 2025.
        self.assertEqual(add_working_days(start, 15), D(2025, 10, 23))

    def test_spring_festival_2026(self):
        # Received Fri Feb 13 2026: Feb 14 (Sat, make-up) counts, Feb 15-23
        # off, Feb 28 (Sat, make-up) counts.
        start = D(2026, 2, 13)
        self.assertEqual(add_working_days(start, 1), D(2026, 2, 14))
        self.assertEqual(add_working_days(start, 2), D(2026, 2, 24))
        self.assertEqual(add_working_days(start, 5), D(2026, 2, 27))
        self.assertEqual(add_working_days(start, 6), D(2026, 2, 28))
        self.assertEqual(add_working_days(start, 7), D(2026, 3, 2))
        self.assertEqual(add_working_days(start, 15), D(2026, 3, 12))

    def test_national_day_2026(self):
        # Received Fri Sep 18 2026: Sep 20 (Sun, make-up) counts; Sep 25
        # (Mid-Autumn) off; Oct 1-7 off; Oct 10 (Sat, make-up) counts.
        start = D(2026, 9, 18)
        self.assertEqual(add_working_days(start, 1), D(2026, 9, 20))
        self.assertEqual(add_working_days(start, 5), D(2026, 9, 24))
        self.assertEqual(add_working_days(start, 6), D(2026, 9, 28))
        start = D(2026, 9, 30)
        self.assertEqual(add_working_days(start, 1), D(2026, 10, 8))
        self.assertEqual(add_working_days(start, 3), D(2026, 10, 10))
        self.assertEqual(add_working_days(start, 4), D(2026, 10, 12))
        self.assertEqual(add_working_days(start, 5), D(2026, 10, 13))

    def test_overrides_win(self):
        overrides = {D(2026, 11, 23): False, D(2026, 11, 21): True}
        self.assertFalse(is_working_day(D(2026, 11, 23), overrides))
        self.assertTrue(is_working_day(D(2026, 11, 21), overrides))
        self.assertEqual(
            add_working_days(D(2026, 11, 20), 1, overrides), D(2026, 11, 21))
        self.assertEqual(
            add_working_days(D(2026, 11, 20), 2, overrides), D(2026, 11, 24))

    def test_unknown_year_skips_computed_holidays(self):
        # Far outside chinese_calendar's range: Monday to Friday without
        # the statutory holidays that ``holidays`` computes.
        self.assertEqual(add_working_days(D(2099, 1, 2), 1), D(2099, 1, 5))
        self.assertTrue(is_working_day(D(2099, 1, 5)))
        self.assertFalse(is_working_day(D(2099, 1, 3)))
        self.assertFalse(is_working_day(D(2099, 1, 1)))      # Thursday


class WorkingDaysBetweenTest(unittest.TestCase):

    def test_across_holidays(self):
        self.assertEqual(
            working_days_between(D(2025, 9, 26), D(2025, 10, 13)), 7)
        self.assertEqual(
            working_days_between(D(2026, 2, 13), D(2026, 3, 2)), 7)
        self.assertEqual(
            working_days_between(D(2026, 3, 2), D(2026, 2, 13)), -7)
        self.assertEqual(
            working_days_between(D(2026, 2, 13), D(2026, 2, 13)), 0)

    def test_inverse_of_add(self):
        for start in (D(2025, 9, 26), D(2026, 2, 13), D(2026, 9, 18)):
            for n in (0, 1, 5, 15):
                end = add_working_days(start, n)
                if n:
                    self.assertEqual(working_days_between(start, end), n)

    def test_overrides(self):
        overrides = {D(2026, 11, 23): False}
        self.assertEqual(working_days_between(
                D(2026, 11, 20), D(2026, 11, 24), overrides), 1)


class YearEndTest(unittest.TestCase):
    "2026 is in chinese_calendar, 2027 is not (December 2026)."

    def test_library_range(self):
        self.assertTrue(library_knows(2026))
        self.assertFalse(library_knows(2027))
        self.assertTrue(is_provisional(D(2027, 1, 4)))
        self.assertFalse(is_provisional(D(2026, 12, 31)))
        self.assertFalse(is_provisional(D(2027, 1, 4), official={2027}))

    def test_new_year_2027_is_not_a_working_day(self):
        self.assertFalse(is_working_day(D(2027, 1, 1)))      # Friday
        self.assertEqual(add_working_days(D(2026, 12, 31), 1), D(2027, 1, 4))
        # 15 working days from Dec 14: Dec 15-31 give 13, then Jan 4, 5.
        self.assertEqual(add_working_days(D(2026, 12, 14), 15), D(2027, 1, 5))
        self.assertEqual(
            working_days_between(D(2026, 12, 31), D(2027, 1, 4)), 1)

    def test_2025_revision_lengths(self):
        # Spring Festival: New Year's Eve + 3 days (Feb 5-8 2027), the
        # weekend ones compensated on Feb 9-10; Labour Day: May 1-2,
        # compensated on May 3-4 (both fall on a weekend in 2027).
        for day in (D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9),
                D(2027, 2, 10), D(2027, 5, 3), D(2027, 5, 4),
                D(2027, 10, 1), D(2027, 10, 5)):
            with self.subTest(day=day):
                self.assertFalse(is_working_day(day))
        for day in (D(2027, 2, 4), D(2027, 2, 11), D(2027, 5, 5)):
            with self.subTest(day=day):
                self.assertTrue(is_working_day(day))

    def test_administrator_entries_win(self):
        overrides = {D(2027, 1, 4): False, D(2027, 1, 9): True}
        self.assertEqual(
            add_working_days(D(2026, 12, 31), 1, overrides), D(2027, 1, 5))
        self.assertTrue(is_working_day(D(2027, 1, 9), overrides))
        self.assertEqual(
            add_working_days(D(2026, 12, 14), 15, overrides), D(2027, 1, 6))

    def test_official_year_drops_the_estimate(self):
        # Once the notice is loaded only the table's days are off.
        self.assertTrue(is_working_day(D(2027, 1, 1), official={2027}))
        overrides = {D(2027, 1, 1): False}
        self.assertFalse(is_working_day(D(2027, 2, 9), official=()))
        self.assertTrue(
            is_working_day(D(2027, 2, 9), overrides, official={2027}))
        self.assertEqual(add_working_days(
                D(2026, 12, 31), 1, overrides, {2027}), D(2027, 1, 4))


class ParseScheduleTest(unittest.TestCase):

    def test_days_ranges_and_words(self):
        days, bad = parse_schedule(
            '2027-01-01 休 元旦\n\n'
            '2027-02-05至2027-02-11 放假 春节\n'
            '2027-02-14 班\n  2027-02-20 上班  \n', 2027)
        self.assertEqual(bad, [])
        self.assertEqual(days[D(2027, 1, 1)], (False, '元旦'))
        self.assertEqual(
            [d for d, (w, _) in sorted(days.items()) if not w],
            [D(2027, 1, 1)] + [D(2027, 2, d) for d in range(5, 12)])
        self.assertEqual(days[D(2027, 2, 14)], (True, ''))
        self.assertEqual(days[D(2027, 2, 20)], (True, ''))

    def test_bad_lines_give_nothing(self):
        days, bad = parse_schedule(
            '2027-01-01 休\n2027-13-01 休\n2026-12-31 休\n'
            '2027-02-11至2027-02-05 休\n2027-03-01 加班\n元旦放假', 2027)
        self.assertEqual(days, {})
        self.assertEqual(bad, ['2027-13-01 休', '2026-12-31 休',
                '2027-02-11至2027-02-05 休', '2027-03-01 加班', '元旦放假'])


if __name__ == '__main__':
    unittest.main()


class CountdownLabelTest(unittest.TestCase):

    def test_labels(self):
        from jubao.workdays import countdown_label
        self.assertEqual(countdown_label(3), '剩3个工作日')
        self.assertEqual(countdown_label(0), '今日到期')
        self.assertEqual(countdown_label(-2), '超期2个工作日')
        self.assertEqual(countdown_label(None), '')
