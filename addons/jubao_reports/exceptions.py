from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class AnalysisPeriodError(ValidationError):
    "The period of an analysis or a ledger is not a valid period."


class OfficeAccessError(AccessError):
    "The user may not analyse the office (or the whole district)."


class LedgerError(UserError):
    "A ledger was asked for that does not exist."
