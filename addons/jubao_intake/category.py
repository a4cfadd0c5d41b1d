from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, fields, tree)


class ProblemCategory(DeactivableMixin, tree(separator=' / '), ModelSQL,
        ModelView):
    __string__ = "Problem Category"
    __name__ = 'jubao.problem.category'
    name = fields.Char("Name", required=True)
    code = fields.Char("Code")
    parent = fields.Many2One(
        'jubao.problem.category', "Parent", ondelete='RESTRICT')
    childs = fields.One2Many('jubao.problem.category', 'parent', "Children")
    sequence = fields.Integer("Sequence")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC NULLS LAST'), ('id', 'ASC')]


class NotAcceptedReason(DeactivableMixin, ModelSQL, ModelView):
    __string__ = "Not Accepted Reason"
    __name__ = 'jubao.not_accepted.reason'
    name = fields.Char("Reason", required=True)
    article = fields.Char("Legal Basis")
    sequence = fields.Integer("Sequence")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC NULLS LAST'), ('id', 'ASC')]


class CaseCategory(ModelSQL):
    __string__ = "Report - Problem Category"
    __name__ = 'jubao.case-jubao.problem.category'
    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE')
    category = fields.Many2One('jubao.problem.category', "Category",
        required=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('case')
        t = cls.__table__()
        # Both directions: the ledger reads a report's categories, the
        # analysis counts the reports of a category.
        cls._sql_indexes.update({
                Index(t, (t.case, Index.Equality()),
                    (t.category, Index.Equality())),
                Index(t, (t.category, Index.Equality()),
                    (t.case, Index.Equality())),
                })
