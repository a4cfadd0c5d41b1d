from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

OFFICE_KINDS = [
    ('commission_office', "Commission Office"),
    ('street', "Street Discipline Committee"),
    ('stationed', "Stationed Agency"),
    ('external', "External Body"),
    ('higher', "Higher Commission"),
    ]


class Office(DeactivableMixin, ModelSQL, ModelView):
    "Office"
    __name__ = 'jubao.office'
    name = fields.Char("Name", required=True, translate=False)
    code = fields.Char("Code", required=True)
    kind = fields.Selection(OFFICE_KINDS, "Kind", required=True, sort=False)
    parent = fields.Many2One('jubao.office', "Parent", ondelete='RESTRICT')
    leader = fields.Many2One('res.user', "Leader",
        help="Receives escalations of overdue items.")
    liaison = fields.Many2One('res.user', "Liaison",
        help="The unit's one contact person for reporting duties.")
    users = fields.Many2Many(
        'jubao.office-res.user', 'office', 'user', "Users")
    phone = fields.Char("Phone")
    address = fields.Char("Address")
    sequence = fields.Integer("Sequence")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC NULLS LAST'), ('id', 'ASC')]
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_uniq', Unique(t, t.code),
                'jubao_intake.msg_office_code_unique'),
            ]

    @classmethod
    def default_kind(cls):
        return 'commission_office'


class OfficeUser(ModelSQL):
    "Office - User"
    __name__ = 'jubao.office-res.user'
    office = fields.Many2One(
        'jubao.office', "Office", required=True, ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        # Record rules of jubao models depend on the offices of the user
        Pool().get('ir.rule')._domain_get_cache.clear()


class User(metaclass=PoolMeta):
    __name__ = 'res.user'
    jubao_offices = fields.Many2Many(
        'jubao.office-res.user', 'user', 'office', "Offices",
        help="The commission offices or units the user works for.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._context_fields.insert(0, 'jubao_offices')

    @classmethod
    def get_jubao_office_ids(cls, user_id=None):
        "Ids of the offices of the user (the current one by default)."
        pool = Pool()
        OfficeUser = pool.get('jubao.office-res.user')
        if user_id is None:
            user_id = Transaction().user
        links = OfficeUser.search([('user', '=', user_id)])
        return sorted({l.office.id for l in links})


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        if model_name.startswith('jubao.'):
            User = Pool().get('res.user')
            context['offices'] = User.get_jubao_office_ids()
            context['user_id'] = Transaction().user
        return context

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        if any(m.startswith('jubao.') for m in model_names):
            key = (*key, Transaction().user)
        return key

