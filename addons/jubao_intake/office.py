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
    __string__ = "Office"
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

    @classmethod
    def id_from_xml_id(cls, xml_id):
        """Id of the office shipped as ``jubao_intake.<xml_id>``, or None
        when it was deleted (defaults must not fail then)."""
        ModelData = Pool().get('ir.model.data')
        try:
            return ModelData.get_id('jubao_intake', xml_id)
        except KeyError:
            return None

    @classmethod
    def from_xml_id(cls, xml_id):
        "The office shipped as ``jubao_intake.<xml_id>``, or None."
        office_id = cls.id_from_xml_id(xml_id)
        return cls(office_id) if office_id is not None else None


class OfficeUser(ModelSQL):
    __string__ = "Office - User"
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


# The role policy, in one place: which groups see the whole district, and
# which manage the units' work (plan tasks, publicity documents) district-wide.
DISTRICT_GROUPS = {'group_leader', 'group_analyst', 'group_complaints_head',
    'group_admin'}
UNIT_MANAGER_GROUPS = {'group_clerk', 'group_complaints_head', 'group_leader',
    'group_admin'}


def _unchecked():
    transaction = Transaction()
    return transaction.user == 0 or not transaction.check_access


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

    @classmethod
    def _jubao_in_groups(cls, names):
        ModelData = Pool().get('ir.model.data')
        wanted = {ModelData.get_id('jubao_intake', n) for n in names}
        return bool(set(cls.get_groups()) & wanted)

    @classmethod
    def jubao_sees_district(cls):
        "Whether the current user works on the whole district's figures."
        return _unchecked() or cls._jubao_in_groups(DISTRICT_GROUPS)

    @classmethod
    def jubao_manages_units(cls):
        "Whether the current user manages every unit's tasks and documents."
        return (Transaction().user == 0
            or cls._jubao_in_groups(UNIT_MANAGER_GROUPS))

    @classmethod
    def jubao_reads_reporters(cls):
        """Whether the current user's role entitles them to reporter identity.

        The only source of the role check (recusal is checked per report by
        ``jubao.reporter.access.grant``); evaluated with access rules
        enforced, whatever the caller's context.
        """
        transaction = Transaction()
        if transaction.user == 0:
            return True
        ModelAccess = Pool().get('ir.model.access')
        with transaction.set_context(_check_access=True):
            access = ModelAccess.get_access(['jubao.case.reporter'])
        return bool(access['jubao.case.reporter']['read'])


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

