import unittest
from decimal import Decimal

from jubao import indicators


class IndicatorsTestCase(unittest.TestCase):
    "The one arithmetic of shares and changes (campaign KPIs and analysis)"

    def test_percent_one_place(self):
        self.assertEqual(indicators.percent(1, 3), Decimal('33.3'))
        self.assertEqual(indicators.percent(2, 3), Decimal('66.7'))
        self.assertEqual(indicators.percent(1, 8), Decimal('12.5'))
        self.assertEqual(indicators.percent(0, 5), Decimal('0.0'))
        self.assertEqual(indicators.percent(1, 200), Decimal('0.5'))

    def test_percent_rounds_half_up(self):
        # 1/16 = 6.25 %: half-up gives 6.3 where banker's rounding gives 6.2
        self.assertEqual(indicators.percent(1, 16), Decimal('6.3'))

    def test_percent_without_base(self):
        self.assertIsNone(indicators.percent(0, 0))
        self.assertIsNone(indicators.percent(None, 4))
        self.assertIsNone(indicators.percent(3, None))

    def test_negative_counts_refused(self):
        with self.assertRaises(ValueError):
            indicators.percent(-1, 4)
        with self.assertRaises(ValueError):
            indicators.percent(1, -4)

    def test_point_change(self):
        self.assertEqual(indicators.point_change(
                Decimal('30.0'), Decimal('25.5')), Decimal('4.5'))
        self.assertEqual(indicators.point_change(3, 5), Decimal('-2.0'))
        self.assertIsNone(indicators.point_change(None, 5))

    def test_relative_change(self):
        self.assertEqual(indicators.relative_change(12, 10), Decimal('20.0'))
        self.assertEqual(indicators.relative_change(5, 8), Decimal('-37.5'))
        self.assertEqual(indicators.relative_change(3, 3), Decimal('0.0'))
        self.assertEqual(indicators.relative_change(2.5, 2), Decimal('25.0'))
        self.assertIsNone(indicators.relative_change(3, 0))
        self.assertIsNone(indicators.relative_change(None, 3))

    def test_improved(self):
        self.assertTrue(indicators.improved(40, 30, 'up'))
        self.assertFalse(indicators.improved(40, 30, 'down'))
        self.assertFalse(indicators.improved(30, 30, 'up'))
        self.assertIsNone(indicators.improved(None, 30, 'up'))
        with self.assertRaises(ValueError):
            indicators.improved(1, 2, 'sideways')

    def test_share_domains(self):
        self.assertEqual(set(indicators.CASE_SHARES),
            {'real_name', 'online', 'out_of_scope'})
        self.assertEqual(indicators.share_domain('online'),
            [('channel', 'in', ('online',))])
        # a copy: callers extend it with their own clauses
        indicators.share_domain('online').append(('x', '=', 1))
        self.assertEqual(len(indicators.CASE_SHARES['online']), 1)
