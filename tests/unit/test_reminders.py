"""The re-send schedule of the daily deadline reminders."""
import datetime as dt
import unittest

from jubao.reminders import Schedule, daily_from, should_send

D = dt.date
# Monday 2026-11-30; the week before runs Monday 23 to Friday 27.
MONDAY = D(2026, 11, 30)


class DailyFromTest(unittest.TestCase):

    def test_counts_working_days_back(self):
        "Due on Friday, Monday is 1 working day overdue"
        self.assertEqual(daily_from(MONDAY, 1), D(2026, 11, 27))
        self.assertEqual(daily_from(MONDAY, 0), MONDAY)
        self.assertEqual(daily_from(MONDAY, 5), D(2026, 11, 23))

    def test_weekend_today(self):
        "On a Sunday, the last working day counts first"
        self.assertEqual(daily_from(D(2026, 11, 29), 1), D(2026, 11, 26))

    def test_overrides_win(self):
        "A working day of the administrator's table is counted"
        saturday = D(2026, 11, 28)
        self.assertEqual(daily_from(MONDAY, 1, {saturday: True}), saturday)


class ShouldSendTest(unittest.TestCase):
    schedule = Schedule(due_soon='once', overdue_daily_days=2,
        overdue_interval=3, escalation_interval=7)

    def send(self, kind, today, due, last, schedule=None):
        schedule = schedule or self.schedule
        return should_send(kind, today, due, last, schedule,
            daily_from(today, schedule.overdue_daily_days))

    def test_first_always_sent(self):
        for kind in ['due_soon', 'overdue', 'escalation']:
            with self.subTest(kind=kind):
                self.assertTrue(self.send(kind, MONDAY, MONDAY, None))

    def test_never_twice_a_day(self):
        for kind in ['due_soon', 'overdue', 'escalation']:
            with self.subTest(kind=kind):
                self.assertFalse(self.send(
                        kind, MONDAY, D(2026, 11, 2), MONDAY))

    def test_due_soon_once_or_daily(self):
        due = D(2026, 12, 3)
        tuesday = D(2026, 12, 1)
        self.assertFalse(self.send('due_soon', tuesday, due, MONDAY))
        daily = Schedule(due_soon='daily')
        self.assertTrue(self.send('due_soon', tuesday, due, MONDAY, daily))

    def test_overdue_daily_then_interval(self):
        "Daily for the first 2 working days overdue, then every 3 days"
        due = D(2026, 11, 26)  # Thursday
        # Friday and Monday: 1 and 2 working days overdue.
        self.assertTrue(self.send('overdue', D(2026, 11, 27), due,
                D(2026, 11, 26)))
        self.assertTrue(self.send('overdue', MONDAY, due, D(2026, 11, 27)))
        tuesday = D(2026, 12, 1)
        self.assertFalse(self.send('overdue', tuesday, due, MONDAY))
        self.assertFalse(self.send('overdue', D(2026, 12, 2), due, MONDAY))
        self.assertTrue(self.send('overdue', D(2026, 12, 3), due, MONDAY))

    def test_escalation_interval(self):
        due = D(2026, 11, 20)
        first = D(2026, 11, 23)
        self.assertFalse(self.send('escalation', MONDAY - dt.timedelta(1),
                due, first))
        self.assertTrue(self.send('escalation', MONDAY, due, first))

    def test_bad_schedule(self):
        for values in [{'due_soon': 'weekly'}, {'overdue_interval': 0},
                {'escalation_interval': 0}, {'overdue_daily_days': -1}]:
            with self.subTest(**values):
                with self.assertRaises(ValueError):
                    Schedule(**values)


if __name__ == '__main__':
    unittest.main()
