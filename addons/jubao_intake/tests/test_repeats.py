"""The repeat check scores stored tokens of a bounded set of earlier
reports: the most recent ones on the same person."""
import datetime as dt
from unittest import mock

from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from jubao.repeats import tokens

from .. import repeat
from .tools import create_case

LETTER = '张伟在老旧小区改造工程中收受施工单位负责人礼金五万元。'


class RepeatsTestCase(_DBTestCase):
    "Test the bounded repeat check"
    module = 'jubao_intake'
    language = 'zh_CN'

    def register(self, *cases):
        Pool().get('jubao.case').register(list(cases))

    def proposed(self, case):
        Candidate = Pool().get('jubao.case.repeat')
        return [c.candidate for c in Candidate.search(
                [('case', '=', case.id)], order=[('candidate', 'ASC')])]

    @with_transaction()
    def test_tokens_stored_and_refreshed(self):
        "Registration stores the tokens; an edit of the text refreshes them"
        Case = Pool().get('jubao.case')
        case = create_case(content=LETTER)
        self.assertIsNone(case.repeat_tokens)
        self.register(case)
        self.assertEqual(case.repeat_tokens,
            ' '.join(tokens(repeat.repeat_text(case))))
        self.assertIn('礼金', case.repeat_tokens.split())
        Case.write([case], {
                'summary': '反映张伟挪用扶贫资金问题',
                'content': '张伟挪用扶贫资金二十万元。',
                })
        words = Case(case.id).repeat_tokens.split()
        self.assertIn('扶贫', words)
        self.assertNotIn('礼金', words)

    @with_transaction()
    def test_tokens_not_copied(self):
        Case = Pool().get('jubao.case')
        case = create_case()
        self.register(case)
        copy, = Case.copy([case])
        self.assertIsNone(copy.repeat_tokens)

    @with_transaction()
    def test_only_most_recent_candidates_scored(self):
        "With a limit of two, the two most recent earlier reports are scored"
        earlier = [create_case(content=LETTER,
                received_date=dt.date(2026, 3, day)) for day in [2, 3, 4]]
        self.register(*earlier)
        case = create_case(content=LETTER + '至今无人处理。',
            received_date=dt.date(2026, 4, 1))
        scorer = mock.Mock(wraps=repeat.similarity_from_tokens)
        with mock.patch.object(repeat, 'CANDIDATE_LIMIT', 2), \
                mock.patch.object(repeat, 'similarity_from_tokens', scorer):
            self.register(case)
        self.assertEqual(scorer.call_count, 2)
        self.assertEqual(self.proposed(case), earlier[1:])

    @with_transaction()
    def test_best_candidates_proposed(self):
        "With a limit of two, the two best scores are proposed, not all"
        Candidate = Pool().get('jubao.case.repeat')
        same = create_case(content=LETTER, received_date=dt.date(2026, 3, 2))
        close = [create_case(content=LETTER + extra,
                received_date=dt.date(2026, 3, day))
            for day, extra in [(3, '另有其他问题，请一并调查核实。'),
                (4, '此事群众议论较多。')]]
        self.register(same, *close)
        case = create_case(content=LETTER, received_date=dt.date(2026, 4, 1))
        with mock.patch.object(repeat, 'PROPOSAL_LIMIT', 2):
            self.register(case)
        proposals = Candidate.search([('case', '=', case.id)])
        self.assertEqual(len(proposals), 2)
        self.assertEqual(proposals[0].candidate, same)
        self.assertEqual(proposals[1].candidate, close[1])
        self.assertGreater(proposals[0].score, proposals[1].score)

    @with_transaction()
    def test_later_and_draft_reports_not_candidates(self):
        original = create_case(content=LETTER)
        later = create_case(content=LETTER, received_date=dt.date(2026, 5, 4))
        draft = create_case(content=LETTER)
        self.register(original, later)
        case = create_case(content=LETTER, received_date=dt.date(2026, 4, 1))
        self.register(case)
        self.assertEqual(self.proposed(case), [original])
        self.assertEqual(draft.state, 'draft')

    @with_transaction()
    def test_old_reports_get_tokens_when_compared(self):
        "A report registered before tokens were stored still counts"
        Case = Pool().get('jubao.case')
        original = create_case(content=LETTER)
        self.register(original)
        table = Case.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.repeat_tokens], [None],
                where=table.id == original.id))
        Transaction().cache.clear()
        case = create_case(content=LETTER, received_date=dt.date(2026, 4, 1))
        self.register(case)
        self.assertEqual(self.proposed(case), [original])
        self.assertIn('礼金', Case(original.id).repeat_tokens.split())
