import unittest
from decimal import Decimal

from jubao import kpi


class KpiTest(unittest.TestCase):

    def test_share(self):
        self.assertEqual(kpi.share(1, 3), Decimal('0.3333'))
        self.assertEqual(kpi.share(2, 3), Decimal('0.6667'))
        self.assertEqual(kpi.share(1, 8, places=2), Decimal('0.13'))
        self.assertEqual(kpi.share(0, 5), Decimal('0.0000'))

    def test_share_empty(self):
        self.assertIsNone(kpi.share(0, 0))
        self.assertIsNone(kpi.share(None, 4))

    def test_share_negative(self):
        with self.assertRaises(ValueError):
            kpi.share(-1, 4)
        with self.assertRaises(ValueError):
            kpi.percent(1, -4)

    def test_percent(self):
        self.assertEqual(kpi.percent(1, 3), Decimal('33.33'))
        self.assertEqual(kpi.percent(12, 40), Decimal('30.00'))
        self.assertEqual(kpi.percent(1, 200, places=1), Decimal('0.5'))
        self.assertIsNone(kpi.percent(3, 0))

    def test_change(self):
        self.assertEqual(kpi.change(Decimal('30.00'), Decimal('25.50')),
            Decimal('4.50'))
        self.assertEqual(kpi.change(3, 5), Decimal('-2.00'))
        self.assertIsNone(kpi.change(None, 5))

    def test_relative_change(self):
        self.assertEqual(kpi.relative_change(12, 10), Decimal('0.2000'))
        self.assertEqual(kpi.relative_change(5, 10), Decimal('-0.5000'))
        self.assertIsNone(kpi.relative_change(5, 0))
        self.assertEqual(kpi.relative_change(2.5, 2), Decimal('0.2500'))

    def test_improved(self):
        self.assertTrue(kpi.improved(40, 30, 'up'))
        self.assertFalse(kpi.improved(40, 30, 'down'))
        self.assertFalse(kpi.improved(30, 30, 'up'))
        self.assertIsNone(kpi.improved(None, 30, 'up'))
        with self.assertRaises(ValueError):
            kpi.improved(1, 2, 'sideways')

    def test_compare(self):
        self.assertEqual(kpi.compare(Decimal('20.00'), Decimal('25.00'),
                'down'), {
                'delta': Decimal('-5.00'),
                'relative': Decimal('-0.2000'),
                'improved': True,
                })
        self.assertEqual(kpi.compare(None, 3), {
                'delta': None, 'relative': None, 'improved': None})


if __name__ == '__main__':
    unittest.main()
