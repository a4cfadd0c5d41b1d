"""Repeat reports: candidates proposed on registration and their review."""
from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from jubao.repeats import similarity_from_tokens, tokens

from .exceptions import RepeatError
from .workflow import WorkflowFieldsMixin


# The earlier reports scored per registration: the most recent ones on the
# same person, whatever the size of the corpus (README.md, Repeats).
CANDIDATE_LIMIT = 200
# The candidates proposed per registration: the best scores, so that a
# common name with many similar reports gives a list to review, not hundreds.
PROPOSAL_LIMIT = 10
REPEAT_TEXT_FIELDS = frozenset(['summary', 'keywords', 'content'])


def _custom_plan():
    """Execute options that plan the query for its own parameters.

    The best plan depends on how common the name is (walk the reports by
    date for a common name, the name's few reports for a rare one); a
    statement psycopg prepares (from its fifth run) soon gets PostgreSQL's
    generic plan, seconds long for some names at a million reports.
    """
    return {'prepare': False} if backend.name == 'postgresql' else {}


def repeat_text(case):
    "The text of a report compared for repeats."
    return '\n'.join(filter(None, [case.summary, case.keywords, case.content]))


def case_tokens(case):
    "The stored form of the words of ``case`` compared for repeats."
    return ' '.join(tokens(repeat_text(case)))


class RepeatCandidate(WorkflowFieldsMixin, Workflow, ModelSQL, ModelView):
    __string__ = "Possible Repeat"
    __name__ = 'jubao.case.repeat'
    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE', readonly=True)
    candidate = fields.Many2One('jubao.case', "Earlier Report",
        required=True, ondelete='CASCADE', readonly=True)
    candidate_summary = fields.Function(fields.Char("Earlier Summary"),
        'get_candidate_field')
    candidate_date = fields.Function(fields.Date("Earlier Received"),
        'get_candidate_field')
    score = fields.Float("Score", digits=(1, 2), readonly=True)
    state = fields.Selection([
            ('proposed', "Proposed"),
            ('confirmed', "Confirmed"),
            ('dismissed', "Dismissed"),
            ], "State", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('case')
        cls._order = [('score', 'DESC'), ('id', 'ASC')]
        cls._workflow_fields |= {'state', 'case', 'candidate', 'score'}
        cls._transitions |= {
            ('proposed', 'confirmed'),
            ('proposed', 'dismissed'),
            ('dismissed', 'confirmed'),
            ('confirmed', 'dismissed'),
            }
        cls._buttons.update({
                'confirm': {
                    'invisible': Eval('state') == 'confirmed',
                    'depends': ['state'],
                    },
                'dismiss': {
                    'invisible': Eval('state') == 'dismissed',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'proposed'

    @classmethod
    def propose(cls, cases, tokens=None):
        """Propose earlier reports about the same person with similar
        content; ``tokens``: {report id: stored tokens} already computed."""
        threshold = Pool().get('jubao.configuration')(1).repeat_threshold
        to_create = []
        with without_check_access():
            for case in cases:
                names = {s.name.strip() for s in case.subjects
                    if s.name and s.name.strip()}
                if not names:
                    continue
                own = (tokens or {}).get(case.id)
                if own is None:
                    own = (case.repeat_tokens
                        if case.repeat_tokens is not None
                        else case_tokens(case))
                own = own.split()
                scored = []
                # Most recent first: on equal scores the more recent wins
                for candidate, words in cls.candidates(case, names):
                    # The query matched a common person: the score is the
                    # text similarity (jubao.repeats.repeat_score).
                    score = round(similarity_from_tokens(own, words), 2)
                    if score >= threshold:
                        scored.append((score, candidate))
                scored.sort(key=lambda pair: -pair[0])
                to_create.extend({
                        'case': case.id,
                        'candidate': candidate,
                        'score': score,
                        } for score, candidate in scored[:PROPOSAL_LIMIT])
            cls.create(to_create)

    @classmethod
    def candidates(cls, case, names):
        """The earlier reports on one of ``names`` with their tokens.

        Registered (not draft) reports received up to ``case``'s date, the
        most recent ``CANDIDATE_LIMIT`` first: one query on the subject
        name index, then the stored tokens, no re-tokenising.
        """
        pool = Pool()
        Case = pool.get('jubao.case')
        table = Case.__table__()
        subject = pool.get('jubao.case.subject').__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id, table.repeat_tokens,
                where=(table.id != case.id)
                & (table.state != 'draft')
                & (table.received_date <= case.received_date)
                & table.id.in_(subject.select(subject.case,
                        where=subject.name.in_(sorted(names)))),
                order_by=[table.received_date.desc, table.id.desc],
                limit=CANDIDATE_LIMIT), **_custom_plan())
        rows = cursor.fetchall()
        # Reports registered before the tokens were stored get them now.
        filled = cls.store_tokens(Case.browse(
                [i for i, words in rows if words is None]))
        return [(i, (filled[i] if words is None else words).split())
            for i, words in rows]

    @classmethod
    def store_tokens(cls, cases):
        """Store the tokens of ``cases``; return them by report id.

        Plain SQL: the tokens follow the text whatever the report's state
        (a concluded report is otherwise read-only) and are no user edit.
        """
        Case = Pool().get('jubao.case')
        table = Case.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        stored = {}
        for case in cases:
            stored[case.id] = words = case_tokens(case)
            cursor.execute(*table.update([table.repeat_tokens], [words],
                    where=table.id == case.id))
        if stored:
            for cache in transaction.cache.values():
                cache.pop(Case.__name__, None)
        return stored

    # The access follows the report (``case``); the earlier report may be
    # handled by another office, so users see only the candidates whose
    # earlier report they may read as well (``__access__`` with two fields
    # to the same model would only follow one of them).

    @classmethod
    def search(cls, domain, *args, **kwargs):
        transaction = Transaction()
        if transaction.user and transaction.check_access:
            Case = Pool().get('jubao.case')
            domain = [domain,
                ('candidate', 'in', Case.search([], query=True))]
        return super().search(domain, *args, **kwargs)

    @classmethod
    def _check_candidates(cls, ids):
        "Raise AccessError unless the user may read the earlier reports."
        transaction = Transaction()
        ids = [i for i in ids if i is not None and int(i) >= 0]
        if ids and transaction.user and transaction.check_access:
            with without_check_access():
                candidates = {c.candidate.id for c in cls.browse(ids)}
            Pool().get('jubao.case').read(list(candidates), ['id'])

    @classmethod
    def read(cls, ids, fields_names):
        cls._check_candidates(ids)
        return super().read(ids, fields_names)

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        cls._check_candidates([r.id for r in records])
        return super().export_data(records, fields_names, header=header)

    def get_candidate_field(self, name):
        with without_check_access():
            candidate = self.__class__(self.id).candidate
            if name == 'candidate_summary':
                return candidate.summary
            return candidate.received_date

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, candidates):
        Case = Pool().get('jubao.case')
        for candidate in candidates:
            case = candidate.case
            original = candidate.candidate.repeat_of or candidate.candidate
            if original == case:
                raise RepeatError(gettext('jubao_intake.msg_repeat_cycle'))
            if case.repeat_of and case.repeat_of != original:
                raise RepeatError(gettext(
                        'jubao_intake.msg_repeat_already_linked',
                        case=case.rec_name, original=case.repeat_of.rec_name))
            Case.write([case], {'repeat_of': original.id})
        others = cls.search([
                ('case', 'in', [c.case.id for c in candidates]),
                ('state', '=', 'proposed'),
                ('id', 'not in', [c.id for c in candidates]),
                ])
        cls.write(others, {'state': 'dismissed'})

    @classmethod
    @ModelView.button
    @Workflow.transition('dismissed')
    def dismiss(cls, candidates):
        Case = Pool().get('jubao.case')
        for candidate in candidates:
            case = candidate.case
            original = candidate.candidate.repeat_of or candidate.candidate
            if candidate.state == 'confirmed' and case.repeat_of == original:
                Case.write([case], {'repeat_of': None})
