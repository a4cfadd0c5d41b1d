from trytond.model.exceptions import ValidationError


class PortalMessageError(ValidationError):
    pass
