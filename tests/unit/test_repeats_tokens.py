"""Similarity from token lists tokenised once, as the repeat check stores
them, agrees with the text-based scores."""
import unittest

from jubao.repeats import (
    repeat_score, repeat_score_from_tokens, similarity_from_tokens,
    text_similarity, tokens)


class TokenSimilarityTest(unittest.TestCase):
    letter = ('反映某街道办事处主任张三利用职务便利，在老旧小区改造工程中'
        '收受施工单位负责人李四现金二十万元，并为其承揽工程提供帮助。')
    resent = ('张三在老旧小区改造工程中收受施工单位负责人李四现金二十万元，'
        '利用职务便利为其承揽工程提供帮助，请求查处。')

    def test_same_as_text_similarity(self):
        self.assertAlmostEqual(
            similarity_from_tokens(tokens(self.letter), tokens(self.resent)),
            text_similarity(self.letter, self.resent))

    def test_stored_form_round_trips(self):
        "Space-joined tokens split back to the same list"
        words = tokens(self.letter + ' Hello world，再次反映')
        self.assertEqual(' '.join(words).split(), words)

    def test_counts_matter(self):
        self.assertAlmostEqual(
            similarity_from_tokens(['礼金', '礼金', '工程'], ['礼金', '工程']),
            3 / (5 ** 0.5 * 2 ** 0.5))

    def test_empty(self):
        self.assertEqual(similarity_from_tokens([], ['礼金']), 0.0)
        self.assertEqual(similarity_from_tokens(['礼金'], []), 0.0)

    def test_score_from_tokens(self):
        self.assertEqual(
            repeat_score_from_tokens(['张三'], tokens(self.letter),
                [' 张三'], tokens(self.resent)),
            repeat_score(['张三'], self.letter, [' 张三'], self.resent))
        self.assertEqual(repeat_score_from_tokens(
                ['王五'], ['礼金'], ['张三'], ['礼金']), 0.0)
