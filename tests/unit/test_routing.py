"""Routing decision (分流)."""
import unittest

from jubao.routing import (
    DEFAULT_RULES, Decision, Facts, Rule, decide, dominant_subject,
    kind_allowed, supervises_unit, unit_names)


class DecideTest(unittest.TestCase):

    def assertDecision(self, facts, method, kind):
        decision = decide(facts)
        self.assertIsInstance(decision, Decision)
        self.assertEqual((decision.method, decision.destination_kind),
            (method, kind))

    def test_commission_head_goes_straight_up(self):
        # Even for an in-scope district matter.
        self.assertDecision(Facts('district', 'in_scope', True),
            'direct', 'higher')
        self.assertEqual(decide(Facts('district', 'in_scope', True)).rule,
            'head')

    def test_higher_managed_cadre_sent_up(self):
        self.assertDecision(Facts('city', 'in_scope'), 'direct', 'higher')

    def test_out_of_scope_forwarded_to_competent_body(self):
        self.assertDecision(Facts('district', 'out_of_scope'),
            'forward', 'external')
        self.assertDecision(Facts('city', 'out_of_scope'),
            'forward', 'external')

    def test_lower_level_assigned_to_street(self):
        self.assertDecision(Facts('street', 'in_scope', False, 'street'),
            'assign', 'street')

    def test_lower_level_without_unit_still_goes_to_a_street(self):
        decision = decide(Facts('street', 'in_scope'))
        self.assertEqual((decision.method, decision.destination_kind,
                decision.rule), ('assign', 'street', 'lower'))

    def test_stationed_assigned(self):
        self.assertDecision(Facts('other', 'in_scope', False, 'stationed'),
            'assign', 'stationed')
        # A section chief, managed by the department the agency oversees
        self.assertDecision(Facts('street', 'in_scope', False, 'stationed'),
            'assign', 'stationed')

    def test_district_cadre_never_assigned_to_own_unit(self):
        # A street Party secretary or a department head: 移送, not 交办.
        for kind in ['street', 'stationed', None]:
            with self.subTest(kind=kind):
                self.assertDecision(
                    Facts('district', 'in_scope', False, kind),
                    'internal', 'commission_office')

    def test_district_cadre_internal(self):
        self.assertDecision(Facts('district', 'in_scope'),
            'internal', 'commission_office')
        self.assertDecision(Facts('district', 'mixed'),
            'internal', 'commission_office')
        self.assertDecision(Facts(), 'internal', 'commission_office')

    def test_mixed_routes_the_in_scope_part(self):
        self.assertDecision(Facts('street', 'mixed', False, 'street'),
            'assign', 'street')
        self.assertDecision(Facts('city', 'mixed'), 'direct', 'higher')

    def test_custom_rules_first_match_and_destination(self):
        rules = [
            Rule('assign', 'street', authority='street', destination=42,
                key='mine'),
            Rule('internal', 'commission_office'),
            ]
        decision = decide(Facts('street', 'in_scope'), rules)
        self.assertEqual(decision, Decision('assign', 'street', 42, 'mine'))
        self.assertEqual(decide(Facts('city'), rules).method, 'internal')

    def test_no_rule_matches(self):
        rules = [Rule('direct', 'higher', authority='city')]
        self.assertIsNone(decide(Facts('district'), rules))
        self.assertIsNone(decide(Facts('district'), []))

    def test_commission_head_false_criterion(self):
        rules = [Rule('internal', 'commission_office', commission_head=False)]
        self.assertIsNone(decide(Facts('district', None, True), rules))
        self.assertIsNotNone(decide(Facts('district', None, False), rules))

    def test_rule_refuses_wrong_kind(self):
        with self.assertRaises(ValueError):
            Rule('direct', 'street')
        with self.assertRaises(ValueError):
            Rule('assign', 'external')
        with self.assertRaises(ValueError):
            Rule('bogus', 'higher')

    def test_default_rules_valid(self):
        for rule in DEFAULT_RULES:
            self.assertTrue(kind_allowed(rule.method, rule.destination_kind))


class KindTest(unittest.TestCase):

    def test_kinds(self):
        self.assertTrue(kind_allowed('direct', 'higher'))
        self.assertFalse(kind_allowed('direct', 'commission_office'))
        self.assertTrue(kind_allowed('internal', 'commission_office'))
        self.assertFalse(kind_allowed('internal', 'street'))
        self.assertTrue(kind_allowed('forward', 'external'))
        self.assertTrue(kind_allowed('forward', 'street'))
        self.assertFalse(kind_allowed('forward', 'higher'))
        self.assertTrue(kind_allowed('assign', 'stationed'))
        self.assertFalse(kind_allowed('assign', 'external'))
        self.assertTrue(kind_allowed('return', 'commission_office'))
        self.assertFalse(kind_allowed('unknown', 'street'))
        self.assertFalse(kind_allowed('assign', None))


class SupervisedUnitTest(unittest.TestCase):

    def test_unit_names(self):
        self.assertEqual(unit_names(' 区教育局\n\n区第二中学 \n'),
            ['区教育局', '区第二中学'])
        self.assertEqual(unit_names(None), [])

    def test_department_covers_its_sections(self):
        units = '区教育局\n区第二中学'
        self.assertTrue(supervises_unit(units, '区教育局'))
        self.assertTrue(supervises_unit(units, '区教育局基础教育科'))
        self.assertTrue(supervises_unit(units, ' 区第二中学'))
        self.assertFalse(supervises_unit(units, '区卫生健康局'))
        self.assertFalse(supervises_unit(units, ''))
        self.assertFalse(supervises_unit('', '区教育局'))


class DominantSubjectTest(unittest.TestCase):

    def test_head_wins(self):
        subjects = [
            {'name': 'a', 'authority': 'city', 'is_commission_head': False},
            {'name': 'b', 'authority': 'district',
                'is_commission_head': True},
            ]
        self.assertEqual(dominant_subject(subjects)['name'], 'b')

    def test_highest_authority(self):
        subjects = [
            {'name': 'a', 'authority': 'street'},
            {'name': 'b', 'authority': 'city'},
            {'name': 'c', 'authority': 'district'},
            ]
        self.assertEqual(dominant_subject(subjects)['name'], 'b')

    def test_objects_and_empty(self):
        class S:
            def __init__(self, authority):
                self.authority = authority
                self.is_commission_head = False
        s1, s2 = S('other'), S('district')
        self.assertIs(dominant_subject([s1, s2]), s2)
        self.assertIsNone(dominant_subject([]))


if __name__ == '__main__':
    unittest.main()
