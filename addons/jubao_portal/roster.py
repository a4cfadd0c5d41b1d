"The reception roster: who receives visitors when and where (接访安排)."
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access

ROSTER_KINDS = [
    ('leader', "Commission Leader Reception Day"),
    ('rotation', "Staff Rotation"),
    ]
PUBLIC_KINDS = {'leader': '委领导接访日', 'rotation': '轮流接访'}


class ReceptionRoster(ModelSQL, ModelView):
    __string__ = "Reception Roster Entry"
    __name__ = 'jubao.reception.roster'
    date = fields.Date("Date", required=True)
    start_time = fields.Time("From")
    end_time = fields.Time("To")
    place = fields.Char("Place", required=True)
    kind = fields.Selection(ROSTER_KINDS, "Kind", required=True)
    leader = fields.Many2One('res.user', "Receiving Leader",
        ondelete='RESTRICT',
        states={'required': Eval('kind') == 'leader'})
    staff = fields.Many2One('res.user', "Receiving Staff",
        ondelete='RESTRICT')
    published = fields.Boolean("Published on the Reporting Page")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.date, Index.Range())))
        cls._order = [('date', 'ASC'), ('start_time', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_kind():
        return 'rotation'

    @staticmethod
    def default_published():
        return True

    def get_rec_name(self, name):
        return '%s %s' % (self.date or '', self.place or '')

    @classmethod
    def public_entries(cls, limit=20):
        """Upcoming published entries as plain rows for the public page:
        the leader is named on leader reception days only."""
        today = Pool().get('ir.date').today()
        with without_check_access():
            entries = cls.search([
                    ('date', '>=', today),
                    ('published', '=', True),
                    ], limit=limit)
        rows = []
        for entry in entries:
            times = '–'.join(t.strftime('%H:%M')
                for t in [entry.start_time, entry.end_time] if t)
            who = (entry.leader.name if entry.kind == 'leader'
                and entry.leader else '信访室工作人员')
            rows.append((entry.date.isoformat(), times, entry.place,
                    PUBLIC_KINDS[entry.kind], who))
        return rows


class Case(metaclass=PoolMeta):
    __name__ = 'jubao.case'
    reception_roster = fields.Many2One('jubao.reception.roster',
        "Reception Roster Entry", ondelete='RESTRICT',
        states={'invisible': Eval('channel') != 'visit'},
        help="The reception (roster entry) the visit was received under.")
