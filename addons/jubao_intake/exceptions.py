from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class CaseValidationError(ValidationError):
    "A report's data contradicts itself or the calendar."


class RegistrationError(UserError):
    "A draft report cannot be registered (or checked) as it is."


class ScreeningError(UserError):
    "A registered report lacks what accepting or not accepting it needs."


class RemovalError(UserError):
    "A removal request or approval breaks the removal rules."


class RepeatError(UserError):
    "Confirming a repeat would link reports in a cycle or twice."


class ReporterValidationError(ValidationError):
    "A reporter's ID number or phone number is malformed."


class AttachmentError(ValidationError):
    "An attachment of a jubao record has a forbidden type or size."


class LinkError(ValidationError):
    "A link field holds something other than a web address."


class CalendarImportError(UserError):
    "A pasted holiday schedule has lines that cannot be read."


class TimelineError(UserError):
    "A remark on a record's timeline is empty or shows reporter identity."
