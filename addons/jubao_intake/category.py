from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields, tree


class ProblemCategory(DeactivableMixin, tree(separator=' / '), ModelSQL,
        ModelView):
    "Problem Category"
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
    "Not Accepted Reason"
    __name__ = 'jubao.not_accepted.reason'
    name = fields.Char("Reason", required=True)
    article = fields.Char("Legal Basis")
    sequence = fields.Integer("Sequence")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC NULLS LAST'), ('id', 'ASC')]
