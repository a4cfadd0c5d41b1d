from trytond.model import Index, ModelSQL, ModelView, fields

from .postgresql import ensure_extensions

AUTHORITIES = [
    ('city', "City Level or Above"),
    ('district', "District Party Committee"),
    ('street', "Street or Department"),
    ('other', "Other"),
    ]
RANKS = [
    (None, ""),
    ('bureau', "Bureau Level"),
    ('county', "County Level"),
    ('township', "Township Level"),
    ('staff', "General Cadre"),
    ('village', "Village or Community Cadre"),
    ('other', "Other Personnel"),
    ]
SECTORS = [
    (None, ""),
    ('party_government', "Party and Government Organs"),
    ('education', "Education"),
    ('health', "Health"),
    ('construction', "Construction and Engineering"),
    ('land_resources', "Land and Resources"),
    ('finance', "Finance"),
    ('social_security', "Social Security and Civil Affairs"),
    ('agriculture', "Agriculture and Rural Affairs"),
    ('state_enterprise', "State-owned Enterprises"),
    ('law_enforcement', "Law Enforcement"),
    ('grassroots', "Grassroots Villages and Communities"),
    ('other', "Other"),
    ]


class CaseSubject(ModelSQL, ModelView):
    __string__ = "Reported Person"
    __name__ = 'jubao.case.subject'
    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    unit = fields.Char("Unit")
    position = fields.Char("Position")
    rank = fields.Selection(RANKS, "Rank", sort=False)
    authority = fields.Selection(AUTHORITIES, "Management Authority",
        required=True, sort=False)
    is_commission_head = fields.Boolean("Head of This Commission",
        help="Reports on the commission's own head go straight up.")
    is_party_member = fields.Boolean("Party Member")
    sector = fields.Selection(SECTORS, "Sector", sort=False)

    @classmethod
    def __register__(cls, module_name):
        ensure_extensions()
        super().__register__(module_name)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Follow the access rights and record rules of the report
        cls.__access__.add('case')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.name, Index.Equality())),
                # Substring search of reported persons (pg_trgm).
                Index(t, (t.name, Index.Similarity())),
                })
        cls._order = [('id', 'ASC')]

    @staticmethod
    def default_authority():
        return 'district'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('name'):
            values['name'] = values['name'].strip()
        return values
