# This file is part of jubao.  The 四进 events of the publicity year (into
# organs, enterprises, communities and villages) with the boards and
# materials shown; each event falls into the campaign phase of its date.
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields

from trytond.modules.jubao_intake.edge import check_links

from .common import user_single_office
from .exceptions import EventValidationError

EVENT_KINDS = [
    ('organ', "Into Organs"),
    ('enterprise', "Into Enterprises"),
    ('community', "Into Communities"),
    ('village', "Into Villages"),
    ('other', "Other Activity"),
    ]


class Event(ModelSQL, ModelView):
    __string__ = "Publicity Event"
    __name__ = 'jubao.campaign.event'
    campaign = fields.Many2One('jubao.campaign', "Campaign", required=True,
        ondelete='CASCADE')
    phase = fields.Many2One('jubao.campaign.phase', "Phase",
        readonly=True, ondelete='SET NULL')
    name = fields.Char("Name", required=True)
    kind = fields.Selection(EVENT_KINDS, "Kind", required=True)
    date = fields.Date("Date", required=True)
    organiser = fields.Many2One('jubao.office', "Organising Unit",
        required=True, ondelete='RESTRICT')
    place = fields.Char("Place", required=True)
    participants = fields.Integer("Participants",
        domain=['OR', ('participants', '=', None),
            ('participants', '>=', 0)])
    audience = fields.Char("Audience")
    brochures = fields.Integer("Brochures Handed Out",
        domain=['OR', ('brochures', '=', None), ('brochures', '>=', 0)])
    board_guide = fields.Boolean("Board: Guide to Reporting",
        help="《信访举报指南》")
    board_scope = fields.Boolean("Board: Acceptance Scope",
        help="《纪检监察机关受理检举控告范围和不予受理事项》")
    board_rights = fields.Boolean("Board: Rights and Duties",
        help="《检举控告人的权利和义务》")
    other_materials = fields.Char("Other Materials")
    media = fields.Char("Media Coverage")
    media_link = fields.Char("Media Link")
    description = fields.Text("Description")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.date, Index.Range())))

    @classmethod
    def default_organiser(cls):
        return user_single_office()

    @staticmethod
    def default_kind():
        return 'community'

    @classmethod
    def validate_fields(cls, events, field_names):
        super().validate_fields(events, field_names)
        check_links(events, ['media_link'], field_names)
        if field_names & {'date', 'campaign'}:
            for event in events:
                campaign = event.campaign
                if not (campaign.start_date <= event.date
                        <= campaign.end_date):
                    raise EventValidationError(gettext(
                            'jubao_publicity.msg_event_outside_campaign',
                            event=event.rec_name, date=event.date,
                            start=campaign.start_date,
                            end=campaign.end_date))

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names)
        # Every change places the event again: the phases may have been
        # created or moved since it was last written.
        phase = self.compute_phase()
        if phase != self.phase:
            values['phase'] = phase.id if phase else None
        return values

    def compute_phase(self):
        "The last phase of the campaign whose dates contain the event's."
        phase = None
        for candidate in self.campaign.phases:
            if candidate.start_date <= self.date <= candidate.end_date:
                phase = candidate
        return phase
