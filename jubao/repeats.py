"""Scoring of possible repeat reports (重复件) on Chinese text.

Two reports are likely repeats when they name the same reported person and
say much the same thing.  Text similarity is the cosine of jieba word
counts (stop words and one-character tokens dropped), which is robust to
reordered sentences and small edits typical of a letter sent twice.
"""
import logging
import math
import re
from collections import Counter

import jieba

jieba.setLogLevel(logging.WARNING)

__all__ = ['tokens', 'text_similarity', 'similarity_from_tokens',
    'repeat_score', 'repeat_score_from_tokens', 'DEFAULT_THRESHOLD']

DEFAULT_THRESHOLD = 0.6

_STOP = frozenset("""
的 了 和 与 及 或 在 是 我 我们 他 她 其 该 这 那 有 被 对 把 为 将 并 也 都 就 而 但
反映 举报 问题 情况 要求 希望 进行 相关 有关 存在 一些 一个 没有 已经 同志 领导
""".split())
_NON_WORD = re.compile(r'[\W_]+', re.UNICODE)


def tokens(text):
    "Meaningful words of ``text`` (jieba, without stop words and punctuation)."
    words = jieba.lcut(_NON_WORD.sub(' ', text or ''))
    return [w for w in (w.strip() for w in words)
        if len(w) > 1 and w not in _STOP]


def text_similarity(text_a, text_b):
    "Cosine similarity in [0, 1] of the word counts of two texts."
    return similarity_from_tokens(tokens(text_a), tokens(text_b))


def similarity_from_tokens(tokens_a, tokens_b):
    """Cosine similarity in [0, 1] of the word counts of two token lists.

    Lets a caller tokenise each text once (and store the tokens) instead of
    once per comparison.
    """
    a, b = Counter(tokens_a), Counter(tokens_b)
    if not a or not b:
        return 0.0
    dot = sum(a[w] * b[w] for w in a.keys() & b.keys())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(
        sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _names(names):
    return {n.strip() for n in names if n and n.strip()}


def repeat_score(subjects_a, text_a, subjects_b, text_b):
    """Score in [0, 1] that report b repeats report a.

    No common reported person means no repeat (score 0): a repeat is the
    same matter about the same person.  With a common person the score is
    the text similarity: different matters about the same cadre share the
    name, unit and position words only and stay well below the threshold.
    """
    return repeat_score_from_tokens(
        subjects_a, tokens(text_a), subjects_b, tokens(text_b))


def repeat_score_from_tokens(subjects_a, tokens_a, subjects_b, tokens_b):
    "``repeat_score`` of texts already split by ``tokens``."
    if not _names(subjects_a) & _names(subjects_b):
        return 0.0
    return round(similarity_from_tokens(tokens_a, tokens_b), 2)
