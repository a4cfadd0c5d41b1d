"""Repeat reports: candidates proposed on registration and their review."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from jubao.repeats import repeat_score

from .exceptions import RepeatError
from .workflow import WorkflowFieldsMixin


def repeat_text(case):
    "The text of a report compared for repeats."
    return '\n'.join(filter(None, [case.summary, case.keywords, case.content]))


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
    def propose(cls, cases):
        "Propose earlier reports about the same person with similar content."
        pool = Pool()
        Case = pool.get('jubao.case')
        threshold = pool.get('jubao.configuration')(1).repeat_threshold
        to_create = []
        with without_check_access():
            for case in cases:
                names = {s.name.strip() for s in case.subjects if s.name}
                if not names:
                    continue
                earlier = Case.search([
                        ('id', '!=', case.id),
                        ('state', '!=', 'draft'),
                        ('subjects.name', 'in', list(names)),
                        ('received_date', '<=', case.received_date),
                        ], order=[('received_date', 'ASC'), ('id', 'ASC')])
                text = repeat_text(case)
                for other in earlier:
                    score = repeat_score(
                        names, text,
                        [s.name for s in other.subjects],
                        repeat_text(other))
                    if score >= threshold:
                        to_create.append({
                                'case': case.id,
                                'candidate': other.id,
                                'score': score,
                                })
            cls.create(to_create)

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
