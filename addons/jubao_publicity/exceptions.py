# This file is part of jubao.  The errors of the publicity module.
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError


class PlanImportError(UserError):
    "A plan file cannot be imported; nothing was created."


class TaskValidationError(ValidationError):
    "A task's deadline contradicts its type or its phase."


class TaskError(UserError):
    "A task lacks what its next step needs (progress, a leader)."


class LeaderAccessError(AccessError):
    "Only the responsible leader approves, sends back or reopens a task."


class ProgressValidationError(ValidationError):
    "A progress update is dated in the future or posted for another unit."


class UnitAccessError(AccessError):
    "The user acts on the document of a unit they do not work for."


class CampaignValidationError(ValidationError):
    "A campaign or one of its phases leaves the campaign year."


class EventValidationError(ValidationError):
    "An event lies outside its campaign."


class ReportValidationError(ValidationError):
    "A monthly report's month or article date is not acceptable."


class ReportError(UserError):
    "A monthly report is submitted without the progress of the work."


class VisitValidationError(ValidationError):
    "A visit or its rectification item has dates outside the rules."


class VisitItemError(UserError):
    "A rectification item is closed without a result."
