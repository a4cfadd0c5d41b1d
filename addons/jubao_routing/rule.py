"Routing rules: the table the routing proposal is decided from."
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from jubao import routing as rules

from trytond.modules.jubao_intake.office import OFFICE_KINDS

from .exceptions import RuleValidationError

METHODS = [
    ('direct', "Direct Referral Up"),
    ('internal', "Internal Hand-off"),
    ('forward', "Forward"),
    ('assign', "Assignment"),
    ('return', "Return"),
    ]
ROUTING_METHODS = [m for m in METHODS if m[0] != 'return']
AUTHORITIES = [
    (None, "Any"),
    ('city', "City Level or Above"),
    ('district', "District Party Committee"),
    ('street', "Street or Department"),
    ('other', "Other"),
    ]
SCOPES = [
    (None, "Any"),
    ('in_scope', "In Scope"),
    ('out_of_scope', "Out of Scope"),
    ('mixed', "Mixed"),
    ]
HEAD = [
    (None, "Any"),
    ('yes', "Yes"),
    ('no', "No"),
    ]


class RoutingRule(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    __string__ = "Routing Rule"
    __name__ = 'jubao.routing.rule'
    name = fields.Char("Name", required=True)
    authority = fields.Selection(AUTHORITIES, "Management Authority",
        sort=False)
    scope = fields.Selection(SCOPES, "Scope", sort=False)
    commission_head = fields.Selection(HEAD, "Commission Head", sort=False)
    target_kind = fields.Selection([(None, "Any")] + OFFICE_KINDS,
        "Unit Concerned", sort=False,
        help="Kind of the unit the matter concerns (a street when the "
        "report names one).")
    method = fields.Selection(ROUTING_METHODS, "Method", required=True,
        sort=False)
    destination_kind = fields.Selection(OFFICE_KINDS, "Destination Kind",
        required=True, sort=False)
    destination = fields.Many2One('jubao.office', "Destination",
        ondelete='RESTRICT',
        domain=[('kind', '=', Eval('destination_kind', -1))],
        help="Leave empty to use the settings or the report's street.")
    method_string = method.translated('method')
    destination_kind_string = destination_kind.translated('destination_kind')

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        for record in records:
            if not rules.kind_allowed(record.method, record.destination_kind):
                raise RuleValidationError(gettext(
                        'jubao_routing.msg_rule_wrong_kind',
                        rule=record.rec_name,
                        method=record.method_string,
                        kind=record.destination_kind_string))

    def to_rule(self):
        return rules.Rule(
            method=self.method,
            destination_kind=self.destination_kind,
            authority=self.authority,
            scope=self.scope,
            commission_head={'yes': True, 'no': False}.get(
                self.commission_head),
            target_kind=self.target_kind,
            destination=self.destination,
            key=self.id)

    @classmethod
    def decide(cls, facts):
        "Return (decision, rule record) for ``facts`` or (None, None)."
        with without_check_access():
            records = cls.search([])
        decision = rules.decide(facts, [r.to_rule() for r in records])
        if decision is None:
            return None, None
        return decision, cls(decision.rule)
