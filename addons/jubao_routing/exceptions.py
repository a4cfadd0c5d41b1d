from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class RuleValidationError(ValidationError):
    pass


class AssignmentValidationError(ValidationError):
    pass


class AssignmentError(UserError):
    pass


class CaseValidationError(ValidationError):
    pass


class HandlingError(UserError):
    pass


class RecusalValidationError(ValidationError):
    pass


class SupervisionValidationError(ValidationError):
    pass


class SupervisionError(UserError):
    pass


class ClarificationValidationError(ValidationError):
    pass


class ClarificationError(UserError):
    pass


class NoticeError(UserError):
    pass
