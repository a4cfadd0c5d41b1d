"Recusal (回避): users who step aside from a report."
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from .exceptions import RecusalValidationError


def recused_domain(case_field, clause):
    """The domain on ``case_field`` (a report id) for a clause on the users
    recused from the report, with =, !=, in, not in.  Built on SQL so that
    record rules may use it without going through the rules of other
    models."""
    Recusal = Pool().get('jubao.case.recusal')
    _, operator, value = clause[:3]
    if operator not in {'=', '!=', 'in', 'not in'}:
        raise ValueError(f"unsupported operator {operator}")
    values = value if isinstance(value, (list, tuple)) else [value]
    values = [int(v) for v in values if v is not None]
    table = Recusal.__table__()
    query = table.select(table.case, where=table.user.in_(values or [-1]))
    return [(case_field, 'in' if operator in {'=', 'in'} else 'not in',
            query)]


class Recusal(ModelSQL, ModelView):
    __string__ = "Recusal"
    __name__ = 'jubao.case.recusal'
    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE')
    user = fields.Many2One('res.user', "User", required=True,
        ondelete='CASCADE')
    relation = fields.Selection([
            ('self', "Reported Person"),
            ('relative', "Close Relative"),
            ('interest', "Conflict of Interest"),
            ('reporter', "Related to the Reporter"),
            ('other', "Other"),
            ], "Relation", required=True, sort=False)
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Follow the access rights and record rules of the report
        cls.__access__.add('case')
        t = cls.__table__()
        cls._sql_constraints += [
            ('case_user_uniq', Unique(t, t.case, t.user),
                'jubao_routing.msg_recusal_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.user, Index.Equality())))

    @classmethod
    def default_relation(cls):
        return 'relative'

    @classmethod
    def ensure(cls, pairs, relation):
        "Create missing recusals for (case, user) pairs."
        if not pairs:
            return
        with without_check_access():
            existing = {(r.case.id, r.user.id) for r in cls.search([
                        ('case', 'in', [c.id for c, _ in pairs]),
                        ])}
            to_create, seen = [], set()
            for case, user in pairs:
                key = (case.id, user.id)
                if key in existing or key in seen:
                    continue
                seen.add(key)
                to_create.append({
                        'case': case.id, 'user': user.id,
                        'relation': relation})
            if to_create:
                cls.create(to_create)

    @classmethod
    def check_modification(cls, mode, recusals, values=None, external=False):
        super().check_modification(
            mode, recusals, values=values, external=external)
        # Nobody lifts their own recusal, whatever their rights
        # (``external``: the hook runs without access check)
        if mode in {'write', 'delete'} and external:
            if any(r.user.id == Transaction().user for r in recusals):
                raise AccessError(gettext('jubao_routing.msg_recusal_own'))

    @classmethod
    def on_modification(cls, mode, recusals, field_names=None):
        super().on_modification(mode, recusals, field_names=field_names)
        Pool().get('ir.rule')._domain_get_cache.clear()

    @classmethod
    def validate_fields(cls, recusals, field_names):
        super().validate_fields(recusals, field_names)
        Assignment = Pool().get('jubao.case.assignment')
        with without_check_access():
            for recusal in recusals:
                if recusal.case.handler == recusal.user or Assignment.search([
                            ('case', '=', recusal.case.id),
                            ('handler', '=', recusal.user.id),
                            ('state', 'in', ['draft', 'sent']),
                            ], limit=1):
                    raise RecusalValidationError(gettext(
                            'jubao_routing.msg_recusal_current_handler',
                            user=recusal.user.rec_name,
                            case=recusal.case.rec_name))
