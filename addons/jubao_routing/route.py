"Wizards that route a report and request its return."
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.wizard import Button, StateTransition, StateView, Wizard

from jubao import routing as rules

from .rule import ROUTING_METHODS


def _destination_domain():
    "Office kinds the chosen method may go to; a forward when none is."
    domain = ('kind', 'in', sorted(rules.allowed_kinds('forward')))
    for method in ['assign', 'internal', 'direct']:
        domain = If(Eval('method') == method,
            ('kind', 'in', sorted(rules.allowed_kinds(method))), domain)
    return [domain]


class RouteStart(ModelView):
    __string__ = "Route Report"
    __name__ = 'jubao.case.route.start'
    case = fields.Many2One('jubao.case', "Report", readonly=True)
    proposed_method = fields.Selection([(None, "")] + ROUTING_METHODS,
        "Proposed Method", readonly=True)
    proposed_office = fields.Many2One('jubao.office', "Proposed Destination",
        readonly=True)
    rule = fields.Many2One('jubao.routing.rule', "Rule", readonly=True)
    method = fields.Selection(ROUTING_METHODS, "Method", required=True,
        sort=False)
    to_office = fields.Many2One('jubao.office', "To", required=True,
        domain=_destination_domain())
    override_reason = fields.Text("Reason for Override",
        states={
            'required': (Eval('method') != Eval('proposed_method'))
            | (Eval('to_office', -1) != Eval('proposed_office', -1)),
            })
    handler = fields.Many2One('res.user', "Handler",
        domain=[('id', 'not in', Eval('recused_users', []))])
    recused_users = fields.Many2Many('res.user', None, None,
        "Recused Users", readonly=True)


class Route(Wizard):
    __name__ = 'jubao.case.route'
    start = StateView('jubao.case.route.start',
        'jubao_routing.case_route_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create Hand-off", 'create_', 'tryton-ok', default=True),
            ])
    create_ = StateTransition()

    def default_start(self, fields):
        case = self.record
        method, office, rule = case.propose_routing()
        return {
            'case': case.id,
            'proposed_method': method,
            'proposed_office': office.id if office else None,
            'rule': rule.id if rule else None,
            'method': method,
            'to_office': office.id if office else None,
            'recused_users': [u.id for u in case.recused_users],
            }

    def transition_create_(self):
        Assignment = Pool().get('jubao.case.assignment')
        Assignment.create_for(self.record, self.start.method,
            self.start.to_office,
            proposed_method=self.start.proposed_method,
            proposed_office=self.start.proposed_office,
            rule=self.start.rule,
            override_reason=self.start.override_reason,
            handler=self.start.handler)
        return 'end'


class RequestReturnStart(ModelView):
    __string__ = "Request Return"
    __name__ = 'jubao.case.request_return.start'
    case = fields.Many2One('jubao.case', "Report", readonly=True)
    to_office = fields.Many2One('jubao.office', "Return to", required=True,
        domain=[('kind', '=', 'commission_office')])
    reason = fields.Text("Reason", required=True)


class RequestReturn(Wizard):
    __name__ = 'jubao.case.request_return'
    start = StateView('jubao.case.request_return.start',
        'jubao_routing.case_request_return_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Request", 'request', 'tryton-ok', default=True),
            ])
    request = StateTransition()

    def default_start(self, fields):
        Config = Pool().get('jubao.configuration')
        office = Config(1).complaints_office
        return {
            'case': self.record.id,
            'to_office': office.id if office else None,
            }

    def transition_request(self):
        Assignment = Pool().get('jubao.case.assignment')
        Assignment.create_return(self.record, self.start.to_office,
            self.start.reason)
        return 'end'
