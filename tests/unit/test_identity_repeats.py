import unittest

from jubao.identity import (
    is_valid_id_number, is_valid_phone, mask_id_number, normalize_id_number)
from jubao.repeats import DEFAULT_THRESHOLD, repeat_score, text_similarity

VALID_ID = '11010519491231002X'


class IdentityTest(unittest.TestCase):

    def test_valid_id(self):
        self.assertTrue(is_valid_id_number(VALID_ID))
        self.assertTrue(is_valid_id_number('11010519491231002x'))

    def test_bad_checksum_and_date(self):
        self.assertFalse(is_valid_id_number('110105194912310021'))
        self.assertFalse(is_valid_id_number('110105194913310028'))
        self.assertFalse(is_valid_id_number('12345'))
        self.assertFalse(is_valid_id_number(''))

    def test_normalize_and_mask(self):
        self.assertEqual(normalize_id_number(' 11010519491231002x '), VALID_ID)
        self.assertEqual(mask_id_number(VALID_ID), '110105********002X')

    def test_phone(self):
        for good in ['13912345678', '029-33221100', '+86 13912345678',
                '33221100']:
            self.assertTrue(is_valid_phone(good), good)
        for bad in ['', 'abc', '1391234', '23912345678', '12388']:
            self.assertFalse(is_valid_phone(bad), bad)


class RepeatTest(unittest.TestCase):
    letter = ('反映某街道办事处主任张三利用职务便利，在老旧小区改造工程中'
        '收受施工单位负责人李四现金二十万元，并为其承揽工程提供帮助。')
    resent = ('张三在老旧小区改造工程中收受施工单位负责人李四现金二十万元，'
        '利用职务便利为其承揽工程提供帮助，请求查处。')
    other = '张三上班时间经常打牌，工作日饮酒，作风散漫，群众意见很大。'

    def test_same_text_is_one(self):
        self.assertAlmostEqual(text_similarity(self.letter, self.letter), 1.0)

    def test_resent_letter_is_repeat(self):
        score = repeat_score(['张三'], self.letter, ['张三 '], self.resent)
        self.assertGreaterEqual(score, DEFAULT_THRESHOLD)

    def test_other_matter_same_person_is_not(self):
        score = repeat_score(['张三'], self.letter, ['张三'], self.other)
        self.assertLess(score, DEFAULT_THRESHOLD)
        self.assertGreater(score, 0)

    def test_no_common_person(self):
        self.assertEqual(
            repeat_score(['王五'], self.letter, ['张三'], self.letter), 0)

    def test_empty_text(self):
        self.assertEqual(text_similarity('', self.letter), 0.0)
