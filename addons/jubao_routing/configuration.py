"Routing's deadline settings and default offices."
from trytond.model import fields
from trytond.pool import Pool, PoolMeta


class Configuration(metaclass=PoolMeta):
    __name__ = 'jubao.configuration'
    acceptance_notice_days = fields.Integer(
        "Acceptance Notice Days", required=True,
        domain=[('acceptance_notice_days', '>=', 0)],
        help="Working days from receipt to notify a first-time real-name "
        "reporter of acceptance.")
    feedback_days = fields.Integer(
        "Feedback Days", required=True, domain=[('feedback_days', '>=', 0)],
        help="Working days from conclusion to feed the result back.")
    direct_days = fields.Integer(
        "Direct Referral Days", required=True,
        domain=[('direct_days', '>=', 0)],
        help="Working days from receipt to send a report up (径送).")
    forward_days = fields.Integer(
        "Registration Days", required=True,
        domain=[('forward_days', '>=', 0)],
        help="Working days for the receiving unit to register a forwarded "
        "or assigned report (转送/交办).")
    internal_days = fields.Integer(
        "Internal Hand-off Days", required=True,
        domain=[('internal_days', '>=', 0)],
        help="Working days for an internal office to log a report (移送).")
    assign_result_days = fields.Integer(
        "Assignment Result Days", required=True,
        domain=[('assign_result_days', '>', 0)],
        help="Working days for a unit to report the result of an assigned "
        "report (交办).")
    supervision_days = fields.Integer(
        "Supervision Days", required=True,
        domain=[('supervision_days', '>', 0)],
        help="Default working days of a supervision's deadline.")
    higher_office = fields.Many2One('jubao.office', "Higher Commission",
        domain=[('kind', '=', 'higher')],
        help="Destination of reports sent up (径送) when no rule names one.")
    external_office = fields.Many2One('jubao.office', "Default External Body",
        domain=[('kind', '=', 'external')])
    internal_office = fields.Many2One('jubao.office',
        "Default Handling Office", domain=[('kind', '=', 'commission_office')])
    case_management_office = fields.Many2One('jubao.office',
        "Case Management Office", domain=[('kind', '=', 'commission_office')],
        help="Informed of every internal hand-off (移送).")

    @classmethod
    def default_acceptance_notice_days(cls):
        return 15

    @classmethod
    def default_feedback_days(cls):
        return 15

    @classmethod
    def default_direct_days(cls):
        return 5

    @classmethod
    def default_forward_days(cls):
        return 5

    @classmethod
    def default_internal_days(cls):
        return 5

    @classmethod
    def default_assign_result_days(cls):
        return 60

    @classmethod
    def default_supervision_days(cls):
        return 15

    @classmethod
    def default_higher_office(cls):
        return Pool().get('jubao.office').id_from_xml_id('office_city')

    @classmethod
    def default_external_office(cls):
        return Pool().get('jubao.office').id_from_xml_id(
            'office_petition_bureau')

    @classmethod
    def default_internal_office(cls):
        return Pool().get('jubao.office').id_from_xml_id('office_discipline_1')

    @classmethod
    def default_case_management_office(cls):
        return Pool().get('jubao.office').id_from_xml_id(
            'office_case_management')
