"""The routing proposal of a report and the wizards that route a report
and request its return."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
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


class Case(metaclass=PoolMeta):
    __name__ = 'jubao.case'

    def routing_facts(self):
        Office = Pool().get('jubao.office')
        subject = rules.dominant_subject(self.subjects)
        if Office.overseeing_agency(subject):
            target_kind = 'stationed'
        elif self.street:
            target_kind = 'street'
        else:
            target_kind = None
        return rules.Facts(
            authority=subject.authority if subject else None,
            scope=self.scope,
            is_commission_head=bool(
                subject and subject.is_commission_head),
            target_kind=target_kind)

    def propose_routing(self):
        "Return (method, office, rule) proposed for the report."
        return self.routing_proposal()[:3]

    def routing_proposal(self):
        """Return (method, office, rule, note): the proposal and, when it
        names no destination, the note saying why.

        A repeat goes to the office that handles the original report; once
        the in-scope part of a mixed report is routed, its out-of-scope
        part is proposed for forwarding to the competent body.
        """
        Rule = Pool().get('jubao.routing.rule')
        original = self.repeat_of
        if (original and original.handling_office
                and original.handling_office.kind == 'commission_office'
                and original.state in {'handling', 'concluded'}):
            return 'internal', original.handling_office, None, None
        if self.scope == 'mixed' and self.in_scope_part_routed() and (
                not self.out_of_scope_part_routed()):
            office = self.competent_external_body()
            return 'forward', office, None, self.no_destination_note(
                'external', office)
        decision, rule = Rule.decide(self.routing_facts())
        if not decision:
            return None, None, None, gettext('jubao_routing.msg_route_no_rule')
        office = decision.destination or self.routing_destination(
            decision.destination_kind)
        return decision.method, office, rule, self.no_destination_note(
            decision.destination_kind, office)

    def routing_destination(self, kind):
        "The office of ``kind`` this report goes to when no rule names one."
        pool = Pool()
        Config = pool.get('jubao.configuration')
        Office = pool.get('jubao.office')
        config = Config(1)
        if kind == 'higher':
            return config.higher_office
        elif kind == 'external':
            return self.competent_external_body()
        elif kind == 'commission_office':
            return config.internal_office
        elif kind == 'street':
            return self.street
        elif kind == 'stationed':
            return Office.overseeing_agency(
                rules.dominant_subject(self.subjects))

    def competent_external_body(self):
        "The competent body outside the system, else the default one."
        if self.competent_body and self.competent_body.kind == 'external':
            return self.competent_body
        return Pool().get('jubao.configuration')(1).external_office

    def no_destination_note(self, kind, office):
        "Why no office of ``kind`` can be proposed (None when one is)."
        if office:
            return None
        subject = rules.dominant_subject(self.subjects)
        return gettext('jubao_routing.msg_route_no_%s' % kind,
            unit=(subject.unit if subject and subject.unit else '—'))

    def in_scope_part_routed(self):
        "Whether the in-scope part is handed off or being handed off."
        return self.state in {'handling', 'transferred', 'concluded'} or any(
            a.state in {'draft', 'sent'} and a.method != 'return'
            and not a.out_of_scope_part for a in self.assignments)

    def out_of_scope_part_routed(self):
        "Whether the out-of-scope part of a mixed report is forwarded."
        return any(a.out_of_scope_part and a.state != 'cancelled'
            for a in self.assignments)


class RouteStart(ModelView):
    __string__ = "Route Report"
    __name__ = 'jubao.case.route.start'
    case = fields.Many2One('jubao.case', "Report", readonly=True)
    proposed_method = fields.Selection([(None, "")] + ROUTING_METHODS,
        "Proposed Method", readonly=True)
    proposed_office = fields.Many2One('jubao.office', "Proposed Destination",
        readonly=True)
    rule = fields.Many2One('jubao.routing.rule', "Rule", readonly=True)
    proposal_note = fields.Text("Why No Destination", readonly=True,
        states={'invisible': ~Bool(Eval('proposal_note'))})
    method = fields.Selection(ROUTING_METHODS, "Method", required=True,
        sort=False)
    to_office = fields.Many2One('jubao.office', "To", required=True,
        domain=_destination_domain())
    out_of_scope_office = fields.Many2One('jubao.office',
        "Competent Body", readonly=True,
        states={'invisible': ~Eval('out_of_scope_office')},
        help="Where the out-of-scope part of a mixed report is forwarded.")
    override_reason = fields.Text("Reason for Override",
        states={
            'required': If(
                (Eval('method') == 'forward')
                & Bool(Eval('out_of_scope_office')),
                Eval('to_office', -1) != Eval('out_of_scope_office', -1),
                (Eval('method') != Eval('proposed_method'))
                | (Eval('to_office', -1) != Eval('proposed_office', -1))),
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
        method, office, rule, note = case.routing_proposal()
        mixed_office = (case.competent_external_body()
            if case.scope == 'mixed' else None)
        return {
            'case': case.id,
            'proposed_method': method,
            'proposed_office': office.id if office else None,
            'rule': rule.id if rule else None,
            'proposal_note': note,
            'out_of_scope_office': mixed_office.id if mixed_office else None,
            'method': method,
            'to_office': office.id if office else None,
            'recused_users': [u.id for u in case.recused_users],
            }

    def transition_create_(self):
        Assignment = Pool().get('jubao.case.assignment')
        start = self.start
        proposal = (start.proposed_method, start.proposed_office, start.rule)
        if start.method == 'forward' and start.out_of_scope_office:
            # The out-of-scope part of a mixed report goes to the competent
            # body, whichever part is routed first.
            proposal = ('forward', start.out_of_scope_office, None)
        proposed_method, proposed_office, rule = proposal
        Assignment.create_for(self.record, start.method, start.to_office,
            proposed_method=proposed_method,
            proposed_office=proposed_office,
            rule=rule,
            override_reason=start.override_reason,
            handler=start.handler)
        return 'end'

    def end(self):
        "The list it ran from shows the report's new state"
        return 'reload'


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

    def end(self):
        "The list it ran from shows the report's new state"
        return 'reload'
