# This file is part of jubao.  Helpers shared by the documents of the
# module: today's date and who may act for a unit.
from trytond.i18n import gettext
from trytond.pool import Pool

from .exceptions import UnitAccessError


def today():
    return Pool().get('ir.date').today()


def first_of_month(date):
    return date.replace(day=1)


def check_unit_access(offices, record_name):
    """Raise UnitAccessError unless the user works for one of ``offices``
    or manages every unit's work (complaints office, leaders, admin)."""
    User = Pool().get('res.user')
    if User.jubao_manages_units():
        return
    mine = set(User.get_jubao_office_ids())
    if not mine & {o.id for o in offices}:
        raise UnitAccessError(gettext('jubao_publicity.msg_not_your_unit',
                record=record_name))


def user_single_office():
    "The id of the user's office when the user works for exactly one."
    User = Pool().get('res.user')
    offices = User.get_jubao_office_ids()
    return offices[0] if len(offices) == 1 else None
