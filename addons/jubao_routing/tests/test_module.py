"Module tests of jubao_routing."
import dataclasses
import datetime as dt
import os
import shutil

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from jubao.routing import DEFAULT_RULES

from trytond.modules.jubao_intake.tests.tools import (
    check_deadlines, create_user)

from .tools import make_case, office, rolled_back, route

D = dt.date


def on_unit(case, unit, position=None):
    "``case`` with its reported person working in ``unit``."
    Subject = Pool().get('jubao.case.subject')
    Subject.write(list(case.subjects), {'unit': unit, 'position': position})
    return case.__class__(case.id)


class JubaoRoutingTestCase(ModuleTestCase):
    "Test jubao_routing module"
    module = 'jubao_routing'
    language = 'zh_CN'

    def rule_id(self, key):
        "Id of the shipped routing rule ``routing_rule_<key>``."
        return Pool().get('ir.model.data').get_id(
            'jubao_routing', 'routing_rule_' + key)

    # Working days ---------------------------------------------------

    @with_transaction()
    def test_add_working_days_national_day_2025(self):
        "Deadlines skip National Day 2025 and count the make-up days"
        Config = Pool().get('jubao.configuration')
        config = Config(1)
        self.assertEqual(config.add_working_days(D(2025, 9, 26), 1),
            D(2025, 9, 28))
        self.assertEqual(config.add_working_days(D(2025, 9, 26), 5),
            D(2025, 10, 10))
        self.assertEqual(config.add_working_days(D(2025, 9, 26), 6),
            D(2025, 10, 11))
        self.assertEqual(Config.add_days(D(2025, 9, 26), 15),
            D(2025, 10, 23))

    # Deadlines on reports ---------------------------------------------

    @with_transaction()
    def test_acceptance_notice_due_national_day(self):
        "A first-time real-name report received before National Day 2025"
        case = make_case(received=D(2025, 9, 26), real_name=True)
        self.assertEqual(case.acceptance_notice_due, D(2025, 10, 23))

    @with_transaction()
    def test_acceptance_notice_due_spring_festival(self):
        "A real-name report received before Spring Festival 2026"
        case = make_case(received=D(2026, 2, 13), real_name=True)
        self.assertEqual(case.acceptance_notice_due, D(2026, 3, 12))

    @with_transaction()
    def test_anonymous_and_repeat_get_no_acceptance_notice(self):
        "Anonymous and repeat reports get no acceptance notice"
        Case = Pool().get('jubao.case')
        anonymous = make_case(received=D(2026, 2, 13))
        self.assertIsNone(anonymous.acceptance_notice_due)
        original = make_case(received=D(2026, 2, 10), real_name=True)
        repeat = make_case(received=D(2026, 2, 13), real_name=True)
        self.assertTrue(repeat.acceptance_notice_due)
        Case.write([repeat], {'repeat_of': original.id})
        self.assertIsNone(Case(repeat.id).acceptance_notice_due)

    @with_transaction()
    def test_feedback_due_national_day_2026(self):
        "Feedback due 15 working days after a conclusion before National Day"
        Case = Pool().get('jubao.case')
        case = make_case(received=D(2026, 9, 1), real_name=True)
        Pool().get('jubao.case.assignment').accept([route(case)])
        case = Case(case.id)
        case.disposition = 'verify'
        case.truth = 'partly'
        case.concluded_date = D(2026, 9, 30)
        case.save()
        Case.conclude([case])
        case = Case(case.id)
        self.assertEqual(case.state, 'concluded')
        # Oct 1-7 off, Oct 10 (Sat) worked: 15th working day is Oct 27.
        self.assertEqual(case.feedback_due, D(2026, 10, 27))

    # Routing paths ----------------------------------------------------

    @with_transaction()
    def test_route_commission_head_direct(self):
        "A report on the commission's own head goes straight up (径送)"
        case = make_case(received=D(2026, 9, 18), head=True)
        method, to_office, rule = case.propose_routing()
        self.assertEqual(method, 'direct')
        self.assertEqual(to_office, office('office_city'))
        assignment = route(case)
        self.assertEqual(assignment.state, 'sent')
        # Sent up within 5 working days of receipt: Sep 20 (Sun) counts.
        self.assertEqual(assignment.due_date, D(2026, 9, 24))
        assignment.__class__.accept([assignment])
        case = case.__class__(case.id)
        self.assertEqual(case.state, 'transferred')
        self.assertEqual(case.handling_office, office('office_city'))

    @with_transaction()
    def test_route_higher_cadre_direct(self):
        "A cadre managed by the city is sent up"
        case = make_case(authority='city')
        method, to_office, _ = case.propose_routing()
        self.assertEqual((method, to_office),
            ('direct', office('office_city')))

    @with_transaction()
    def test_route_internal(self):
        "An in-scope district matter goes to a discipline office (移送)"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        case = make_case()
        assignment = route(case)
        self.assertEqual(assignment.method, 'internal')
        self.assertEqual(assignment.to_office, office('office_discipline_1'))
        self.assertEqual(assignment.from_office, office('office_complaints'))
        self.assertEqual(assignment.informed_office,
            office('office_case_management'))
        self.assertTrue(assignment.approved_by)
        Assignment.accept([assignment])
        case = Case(case.id)
        self.assertEqual(case.state, 'handling')
        self.assertEqual(case.handling_office, office('office_discipline_1'))

    @with_transaction()
    def test_route_street_cadre_assigned_to_street(self):
        "A cadre the street is responsible for is assigned to it (交办)"
        case = make_case(authority='street', street=office('office_street_2'))
        assignment = route(case)
        self.assertEqual(assignment.method, 'assign')
        self.assertEqual(assignment.to_office, office('office_street_2'))

    @with_transaction()
    def test_route_district_street_secretary_internal(self):
        "A street Party secretary, district-managed, is not assigned to the "
        "street he leads: 移送 to a discipline office, 案管室 informed"
        pool = Pool()
        Rule = pool.get('jubao.routing.rule')
        case = on_unit(make_case(street=office('office_street_1')),
            '人民路街道党工委', '书记')
        method, to_office, rule = case.propose_routing()
        self.assertEqual((method, to_office),
            ('internal', office('office_discipline_1')))
        self.assertEqual(rule, Rule(self.rule_id('district')))
        assignment = route(case)
        self.assertEqual(assignment.informed_office,
            office('office_case_management'))

    @with_transaction()
    def test_route_department_head_vs_section_chief(self):
        "The head of a department overseen by a stationed agency is "
        "handled by the commission; a section chief is assigned to the agency"
        stationed = office('office_stationed_1')
        stationed.supervised_units = '区教育局\n区第二中学'
        stationed.save()
        head = on_unit(make_case(), '区教育局', '局长')
        self.assertEqual(head.propose_routing()[:2],
            ('internal', office('office_discipline_1')))
        # The agency oversees the unit, wherever the matter happened.
        chief = on_unit(make_case(authority='street',
                street=office('office_street_3')), '区教育局基础教育科', '科长')
        self.assertEqual(chief.propose_routing()[:2], ('assign', stationed))
        teacher = on_unit(make_case(authority='other'), '区第二中学')
        self.assertEqual(teacher.propose_routing()[:2], ('assign', stationed))

    @with_transaction()
    def test_route_without_destination_says_why(self):
        "A proposal that cannot name a destination says why, in the wizard"
        pool = Pool()
        Route = pool.get('jubao.case.route', type='wizard')
        case = on_unit(make_case(authority='street'), '某物业公司')
        method, to_office, _, note = case.routing_proposal()
        self.assertEqual((method, to_office), ('assign', None))
        self.assertIn('未填写所涉街道', note)
        self.assertIn('某物业公司', note)
        session_id, _, _ = Route.create()
        with Transaction().set_context(active_model='jubao.case',
                active_id=case.id, active_ids=[case.id]):
            start = Route(session_id).default_start(None)
        self.assertEqual(start['proposal_note'], note)
        self.assertIsNone(start['to_office'])
        # A proposal that names one has nothing to explain.
        self.assertIsNone(make_case().routing_proposal()[3])

    @with_transaction()
    def test_route_assign_street_with_result(self):
        "A street cadre: assigned with a result report (交办)"
        pool = Pool()
        Assignment = pool.get('jubao.case.assignment')
        case = make_case(authority='street', street=office('office_street_1'))
        assignment = route(case)
        self.assertEqual(assignment.method, 'assign')
        Assignment.accept([assignment])
        assignment = Assignment(assignment.id)
        self.assertTrue(assignment.result_due)
        with self.assertRaises(UserError) as cm:
            Assignment.report_result([assignment])
        self.assertIn('办理结果报告', str(cm.exception))
        assignment.result_report = '已核实，给予批评教育。'
        assignment.save()
        Assignment.report_result([assignment])
        self.assertTrue(Assignment(assignment.id).result_date)

    @with_transaction()
    def test_route_assign_stationed(self):
        "A department cadre goes to the agency stationed in the sector"
        stationed = office('office_stationed_1')
        stationed.supervised_sectors = ['education']
        stationed.save()
        case = make_case(authority='other', sector='education')
        method, to_office, _ = case.propose_routing()
        self.assertEqual((method, to_office), ('assign', stationed))

    @with_transaction()
    def test_mixed_in_scope_part_first(self):
        "A mixed report: 移送 of the in-scope part, then 转送 of the rest"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        case = make_case(scope='mixed')
        internal = route(case)
        self.assertEqual(internal.method, 'internal')
        # While the 移送 waits to be accepted, the rest is proposed.
        case = Case(case.id)
        self.assertEqual(case.propose_routing()[:2],
            ('forward', office('office_court')))
        forward = route(case)
        self.assertTrue(forward.out_of_scope_part)
        Assignment.accept([internal])
        Assignment.accept([forward])
        case = Case(case.id)
        self.assertEqual(case.state, 'handling')
        self.assertEqual(case.handling_office, office('office_discipline_1'))
        self.assertEqual({(a.method, a.state) for a in case.assignments},
            {('internal', 'accepted'), ('forward', 'accepted')})
        # The complaints office forwards, even once the report is handled.
        again = Assignment.create_for(case, 'forward',
            office('office_procuratorate'))
        self.assertEqual(again.from_office, office('office_complaints'))

    @with_transaction()
    def test_mixed_out_of_scope_part_first(self):
        "A mixed report: 转送 of the out-of-scope part, then 移送"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        case = make_case(scope='mixed')
        # Forwarding the rest first follows the rules: no reason needed.
        forward = Assignment.create_for(case, 'forward',
            office('office_court'), proposed_method='forward',
            proposed_office=office('office_court'))
        Assignment.send([forward])
        Assignment.accept([forward])
        case = Case(case.id)
        # Still with the complaints office, to be routed: not transferred.
        self.assertEqual(case.state, 'accepted')
        self.assertEqual(case.handling_office, office('office_complaints'))
        internal = route(case)
        self.assertEqual(internal.method, 'internal')
        Assignment.accept([internal])
        case = Case(case.id)
        self.assertEqual(case.state, 'handling')
        self.assertEqual(case.handling_office, office('office_discipline_1'))
        self.assertEqual(len(case.assignments), 2)

    @with_transaction()
    def test_mixed_wizard_forward_needs_no_reason(self):
        "The Route wizard records the forward of a mixed report's rest as "
        "following the rules"
        pool = Pool()
        Route = pool.get('jubao.case.route', type='wizard')
        Assignment = pool.get('jubao.case.assignment')
        case = make_case(scope='mixed')
        session_id, _, _ = Route.create()
        with Transaction().set_context(active_model='jubao.case',
                active_id=case.id, active_ids=[case.id]):
            route_ = Route(session_id)
            start = route_.default_start(None)
            self.assertEqual(start['method'], 'internal')
            self.assertEqual(start['out_of_scope_office'],
                office('office_court').id)
            route_.start.case = case
            route_.start.proposed_method = start['proposed_method']
            route_.start.proposed_office = start['proposed_office']
            route_.start.rule = start['rule']
            route_.start.out_of_scope_office = office('office_court')
            route_.start.method = 'forward'
            route_.start.to_office = office('office_court')
            route_.start.override_reason = None
            route_.start.handler = None
            route_.transition_create_()
        forward, = Assignment.search([('case', '=', case.id)])
        Assignment.send([forward])
        self.assertEqual(Assignment(forward.id).state, 'sent')

    @with_transaction()
    def test_route_out_of_scope_forward_external(self):
        "A report not accepted as out of scope is forwarded (转送)"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        Reason = pool.get('jubao.not_accepted.reason')
        case = make_case(scope='out_of_scope', accept=False)
        case.not_accepted_reason, = Reason.search([], limit=1)
        case.out_of_scope_explanation = '属于诉讼事项，已告知向法院反映。'
        case.save()
        Case.not_accept([case])
        method, to_office, _ = Case(case.id).propose_routing()
        self.assertEqual(method, 'forward')
        self.assertEqual(to_office.kind, 'external')
        assignment = route(Case(case.id), to_office=office('office_court'),
            override_reason='属法院管辖')
        Assignment.accept([assignment])
        self.assertEqual(Case(case.id).state, 'transferred')

    @with_transaction()
    def test_repeat_goes_to_original_office(self):
        "A repeat is routed to the office handling the original"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        original = make_case()
        Assignment.accept([route(original, 'internal',
                    office('office_discipline_3'), override_reason='专项')])
        repeat = make_case()
        Case.write([repeat], {'repeat_of': original.id})
        method, to_office, _ = Case(repeat.id).propose_routing()
        self.assertEqual((method, to_office),
            ('internal', office('office_discipline_3')))

    @with_transaction()
    def test_rule_table_decides(self):
        "The rule table configures the decision"
        pool = Pool()
        Rule = pool.get('jubao.routing.rule')
        Rule.create([{
                    'name': '街道事项一律交办',
                    'sequence': 1,
                    'authority': 'street',
                    'method': 'assign',
                    'destination_kind': 'street',
                    'destination': office('office_street_4').id,
                    }])
        case = make_case(authority='street')
        method, to_office, rule = case.propose_routing()
        self.assertEqual((method, to_office),
            ('assign', office('office_street_4')))
        self.assertEqual(rule.name, '街道事项一律交办')

    @with_transaction()
    def test_shipped_rules_are_the_defaults(self):
        "The rules shipped in rule.xml are jubao.routing.DEFAULT_RULES"
        pool = Pool()
        Rule = pool.get('jubao.routing.rule')
        ModelData = pool.get('ir.model.data')
        keys = {d.db_id: d.fs_id.removeprefix('routing_rule_')
            for d in ModelData.search([
                    ('module', '=', 'jubao_routing'),
                    ('model', '=', Rule.__name__),
                    ])}
        # In the order decide() reads them
        records = Rule.search([('id', 'in', list(keys))])
        shipped = [dataclasses.replace(r.to_rule(), key=keys[r.id])
            for r in records]
        self.assertEqual(shipped, list(DEFAULT_RULES))

    @with_transaction()
    def test_rule_wrong_kind(self):
        "A rule cannot send a 径送 to a street"
        Rule = Pool().get('jubao.routing.rule')
        with self.assertRaises(UserError) as cm:
            Rule.create([{'name': 'x', 'method': 'direct',
                        'destination_kind': 'street'}])
        self.assertIn('径送不能送往', str(cm.exception))

    # Bad input ---------------------------------------------------------

    @with_transaction()
    def test_wrong_office_kind(self):
        "Routing to an office of the wrong kind is refused"
        pool = Pool()
        Assignment = pool.get('jubao.case.assignment')
        case = make_case()
        with rolled_back(), self.assertRaises(UserError) as cm:
            Assignment.create_for(case, 'internal', office('office_street_1'))
        self.assertIn('请选择正确类型的单位', str(cm.exception))
        with rolled_back(), self.assertRaises(UserError):
            Assignment.create_for(case, 'direct', office('office_court'))
        with rolled_back(), self.assertRaises(UserError):
            Assignment.create_for(case, 'assign', office('office_court'))
        self.assertEqual(Assignment.search([('case', '=', case.id)]), [])

    @with_transaction()
    def test_override_needs_reason(self):
        "Overriding the proposal needs a reason"
        Assignment = Pool().get('jubao.case.assignment')
        case = make_case()
        proposed_method, proposed_office, rule = case.propose_routing()
        assignment = Assignment.create_for(case, 'internal',
            office('office_discipline_2'), proposed_method=proposed_method,
            proposed_office=proposed_office, rule=rule)
        with self.assertRaises(UserError) as cm:
            Assignment.send([assignment])
        self.assertIn('请说明理由', str(cm.exception))
        self.assertEqual(Assignment(assignment.id).state, 'draft')

    @with_transaction()
    def test_route_not_accepted_refused(self):
        "A registered report that is not accepted yet cannot be routed"
        Assignment = Pool().get('jubao.case.assignment')
        case = make_case(accept=False)
        with self.assertRaises(UserError) as cm:
            Assignment.create_for(case, 'internal',
                office('office_discipline_1'))
        self.assertIn('须为已受理状态才能分流', str(cm.exception))

    @with_transaction()
    def test_conclude_without_disposition(self):
        "Concluding without a disposition is refused"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        case = make_case()
        Assignment.accept([route(case)])
        with self.assertRaises(UserError) as cm:
            Case.conclude([Case(case.id)])
        self.assertIn('须选择处置方式', str(cm.exception))
        case = Case(case.id)
        self.assertEqual(case.state, 'handling')
        self.assertIsNone(case.concluded_date)

    @with_transaction()
    def test_feedback_before_conclusion(self):
        "A feedback date before the conclusion is refused"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        case = make_case(received=D(2026, 3, 2), real_name=True)
        Assignment.accept([route(case)])
        Case.write([case], {'disposition': 'verify', 'truth': 'false',
                'concluded_date': D(2026, 6, 1)})
        Case.conclude([case])
        with rolled_back(), self.assertRaises(UserError) as cm:
            Case.write([case], {'feedback_date': D(2026, 5, 30),
                    'feedback_method': 'phone'})
        self.assertIn('早于办结日期', str(cm.exception))
        self.assertIsNone(Case(case.id).feedback_date)
        Case.write([case], {'feedback_date': D(2026, 6, 5),
                'feedback_method': 'phone'})

    @with_transaction()
    def test_edit_concluded_refused_and_reopen(self):
        "A concluded report cannot be edited; new evidence reopens it"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        case = make_case()
        Assignment.accept([route(case)])
        Case.write([case], {'disposition': 'close', 'truth': 'false',
                'outcome': '不属实，予以了结'})
        Case.conclude([case])
        with rolled_back(), self.assertRaises(UserError) as cm:
            Case.write([case], {'outcome': '改写'})
        self.assertIn('已办结，不能修改', str(cm.exception))
        self.assertEqual(Case(case.id).outcome, '不属实，予以了结')
        with self.assertRaises(UserError):
            Case.write([case], {'truth': 'true'})
        with self.assertRaises(UserError) as cm:
            Case.reopen([case])
        self.assertIn('新的证据', str(cm.exception))
        Case.write([case], {'new_evidence': '举报人补充了转账记录'})
        Case.reopen([Case(case.id)])
        case = Case(case.id)
        self.assertEqual(case.state, 'handling')
        self.assertEqual(case.reopen_count, 1)
        self.assertIsNone(case.concluded_date)
        case.outcome = '重新核查中'
        case.save()
        Case.conclude([case])
        self.assertEqual(Case(case.id).state, 'concluded')

    @with_transaction()
    def test_return_own_approval_refused(self):
        "A return is approved by the commission's responsible leader: not "
        "by its requester, nor by the complaints office's head"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        handler = create_user('d1', 'group_discipline', 'office_discipline_1')
        head = create_user('head', 'group_complaints_head',
            'office_complaints')
        leader = create_user('leader', 'group_leader', 'office_general')
        case = make_case()
        Assignment.accept([route(case)])
        transaction = Transaction()
        with transaction.set_user(handler.id):
            with self.assertRaises(UserError) as cm:
                Assignment.create_return(Case(case.id),
                    office('office_complaints'), None)
            ret = Assignment.create_return(Case(case.id),
                office('office_complaints'), '无实质内容，建议退回')
            with self.assertRaises(UserError) as cm:
                Assignment.send([ret])
            self.assertIn('不能审批本人提出的退回申请', str(cm.exception))
        # 经本机关分管领导批准: not the complaints office's head
        with transaction.set_user(head.id):
            with self.assertRaises(UserError) as cm:
                Assignment.send([Assignment(ret.id)])
            self.assertIn('须经本机关分管领导批准', str(cm.exception))
        self.assertEqual(Assignment(ret.id).state, 'draft')
        with transaction.set_user(leader.id):
            Assignment.send([Assignment(ret.id)])
        ret = Assignment(ret.id)
        self.assertEqual(ret.state, 'accepted')
        self.assertEqual(ret.approved_by, leader)
        case = Case(case.id)
        self.assertEqual(case.state, 'accepted')
        self.assertEqual(case.handling_office, office('office_complaints'))

    @with_transaction()
    def test_removal_own_approval_refused(self):
        "Approving one's own removal request is refused"
        Case = Pool().get('jubao.case')
        clerk = create_user('clerk', 'group_clerk', 'office_complaints')
        case = make_case(accept=False)
        Case.write([case], {'removal_reason': 'no_substance',
                'removal_note': '仅列举违纪行为名称，无具体事实。'})
        with Transaction().set_user(clerk.id):
            Case.request_removal([case])
            with self.assertRaises(UserError) as cm:
                Case.approve_removal([case])
        self.assertTrue(str(cm.exception))
        self.assertEqual(Case(case.id).state, 'removal_requested')

    @with_transaction()
    def test_clarification_rules(self):
        "Clarification only for untrue reports, approved by another person"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        Clarification = pool.get('jubao.clarification')
        leader = create_user('leader', 'group_leader', 'office_general')
        case = make_case()
        Assignment.accept([route(case)])
        subject, = Case(case.id).subjects
        with self.assertRaises(UserError) as cm:
            Clarification.create([{'case': case.id, 'subject': subject.id,
                        'method': 'letter'}])
        self.assertIn('不能澄清正名', str(cm.exception))
        Case.write([case], {'disposition': 'close', 'truth': 'false'})
        Case.conclude([case])
        Case.write([case], {'accusation': 'false_accusation'})
        clarification, = Clarification.create([{'case': case.id,
                    'subject': subject.id, 'method': 'talk',
                    'typical': True}])
        with self.assertRaises(UserError) as cm:
            Clarification.approve([clarification])
        self.assertIn('不能审批本人', str(cm.exception))
        with Transaction().set_user(leader.id):
            Clarification.approve([clarification])
        with self.assertRaises(UserError):
            Clarification.do([clarification])
        clarification.date = pool.get('ir.date').today()
        clarification.record = '与本人及所在单位党组书记谈话，说明问题不属实。'
        clarification.save()
        Clarification.do([clarification])
        self.assertEqual(Clarification(clarification.id).state, 'done')
        self.assertTrue(Case(case.id).typical)

    @with_transaction()
    def test_supervision_rules_and_letter(self):
        "A supervision needs methods and a result; its letter prints"
        pool = Pool()
        Supervision = pool.get('jubao.supervision')
        Assignment = pool.get('jubao.case.assignment')
        Letter = pool.get('jubao.supervision.letter', type='report')
        case = make_case()
        Assignment.accept([route(case)])
        supervision, = Supervision.create([{
                    'case': case.id, 'level': 'leader',
                    'reason': '群众反映强烈',
                    'responsible_office': office('office_discipline_1').id,
                    }])
        self.assertTrue(supervision.deadline > supervision.date)
        with self.assertRaises(UserError) as cm:
            Supervision.open([supervision])
        self.assertIn('至少选择一种督办方式', str(cm.exception))
        supervision.methods = ['letter', 'phone']
        supervision.save()
        Supervision.open([supervision])
        oext, content, _, name = Letter.execute([supervision.id], {})
        self.assertIn(oext, {'odt', 'pdf'})
        self.assertTrue(content)
        with self.assertRaises(UserError):
            Supervision.close([supervision])
        supervision.result = '已按期办结'
        supervision.save()
        Supervision.close([supervision])
        self.assertEqual(Supervision(supervision.id).state, 'closed')
        with self.assertRaises(UserError):
            Supervision.create([{
                        'case': case.id, 'reason': 'x',
                        'date': D(2026, 5, 1), 'deadline': D(2026, 4, 1),
                        'responsible_office':
                        office('office_discipline_1').id}])

    @with_transaction()
    def test_notices_print(self):
        "Acceptance and feedback notices print as ODT (PDF with LibreOffice)"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        Acceptance = pool.get('jubao.case.acceptance_notice', type='report')
        Feedback = pool.get('jubao.case.feedback_notice', type='report')
        # PDF where LibreOffice is installed (bin/jubao setup installs it)
        expected = 'pdf' if shutil.which('soffice') else 'odt'
        magic = b'%PDF' if expected == 'pdf' else b'PK'
        case = make_case(received=D(2026, 3, 2), real_name=True)
        oext, content, _, _ = Acceptance.execute([case.id], {})
        self.assertEqual(oext, expected)
        self.assertTrue(bytes(content).startswith(magic))
        artifacts = os.environ.get('JUBAO_TEST_ARTIFACTS')
        if artifacts:
            os.makedirs(artifacts, exist_ok=True)
            with open(os.path.join(artifacts,
                        'acceptance_notice.' + oext), 'wb') as fp:
                fp.write(content)
        with self.assertRaises(UserError):
            Feedback.execute([case.id], {})
        Assignment.accept([route(case)])
        Case.write([case], {'disposition': 'verify', 'truth': 'true',
                'concluded_date': D(2026, 3, 20), 'outcome': '给予党内警告'})
        Case.conclude([case])
        oext, content, _, _ = Feedback.execute([case.id], {})
        self.assertEqual(oext, expected)
        anonymous = make_case()
        with self.assertRaises(UserError):
            Acceptance.execute([anonymous.id], {})

    @with_transaction()
    def test_year_clearance(self):
        "The year-end view lists this year's open reports"
        pool = Pool()
        Case = pool.get('jubao.case')
        Action = pool.get('ir.action.act_window')
        Assignment = pool.get('jubao.case.assignment')
        ModelData = pool.get('ir.model.data')
        today = pool.get('ir.date').today()
        start = D(today.year, 1, 1)
        open_case = make_case(received=start)
        done = make_case(received=start)
        Assignment.accept([route(done)])
        Case.write([done], {'disposition': 'close', 'truth': 'false'})
        Case.conclude([done])
        last_year = make_case(received=D(today.year - 1, 12, 30))
        action = Action(ModelData.get_id(
                'jubao_routing', 'act_case_year_open'))
        found = Case.search(PYSONDecoder({}).decode(action.pyson_domain))
        self.assertIn(open_case, found)
        self.assertNotIn(done, found)
        self.assertNotIn(last_year, found)

    # Recusal -----------------------------------------------------------

    @with_transaction()
    def test_recusal(self):
        "A related user cannot handle nor read the report"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        Recusal = pool.get('jubao.case.recusal')
        Subject = pool.get('jubao.case.subject')
        relative = create_user('relative', 'group_discipline',
            'office_discipline_1')
        colleague = create_user('colleague', 'group_discipline',
            'office_discipline_1')
        reported = create_user('reported', 'group_discipline',
            'office_discipline_1')
        case = make_case()
        other = make_case(summary='另一件')
        Recusal.create([{'case': case.id, 'user': relative.id,
                    'relation': 'relative'}])
        subject, = case.subjects
        Subject.write([subject], {'user': reported.id})
        self.assertEqual(
            {u.id for u in Case(case.id).recused_users},
            {relative.id, reported.id})
        with rolled_back(), self.assertRaises(UserError) as cm:
            route(case, handler=relative)
        self.assertIn('回避', str(cm.exception))
        assignment = route(Case(case.id), handler=colleague)
        Assignment.accept([assignment])
        Assignment.accept([route(other)])
        with rolled_back(), self.assertRaises(UserError):
            Case.write([case], {'handler': reported.id})
        self.assertEqual(Case(case.id).handler, colleague)
        with rolled_back(), self.assertRaises(UserError) as cm:
            Recusal.create([{'case': case.id, 'user': colleague.id}])
        self.assertIn('请先更换承办人', str(cm.exception))
        for user, visible in [(relative, [other]), (reported, [other]),
                (colleague, [case, other])]:
            with Transaction().set_user(user.id), \
                    Transaction().set_context(_check_access=True):
                self.assertEqual(
                    sorted(Case.search([])), sorted(
                        [Case(c.id) for c in visible]), user.login)
                if user != colleague:
                    with self.assertRaises(AccessError):
                        Case.read([case.id], ['summary'])
                    self.assertEqual(Subject.search([
                                ('case', '=', case.id)]), [])

    # Roles -------------------------------------------------------------

    @with_transaction()
    def test_routing_wizards_reload_the_list(self):
        "A list the routing wizards ran from shows the new state (sao)"
        pool = Pool()
        for name in ['jubao.case.route', 'jubao.case.request_return']:
            Wizard = pool.get(name, type='wizard')
            self.assertEqual(Wizard.end(None), 'reload', name)

    @with_transaction()
    def test_street_sees_only_handed_cases(self):
        "A street committee sees only the reports handed to it"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        street1, street2 = office('office_street_1'), office('office_street_2')
        unit1 = create_user('street1', 'group_unit', 'office_street_1')
        unit2 = create_user('street2', 'group_unit', 'office_street_2')
        mine = make_case(authority='street', street=street1)
        theirs = make_case(authority='street', street=street2)
        internal = make_case()
        assignment = route(mine)
        their_assignment = route(theirs)
        Assignment.accept([route(internal)])
        with Transaction().set_user(unit1.id), \
                Transaction().set_context(_check_access=True):
            # Sent but not accepted yet: visible to accept it.
            self.assertEqual(Case.search([]), [Case(mine.id)])
            with self.assertRaises(AccessError):
                Case.read([theirs.id], ['summary'])
            self.assertEqual(
                Assignment.search([('case', '=', theirs.id)]), [])
            with self.assertRaises(AccessError):
                Assignment.accept([Assignment(their_assignment.id)])
            Assignment.accept([Assignment(assignment.id)])
            self.assertEqual(Case.search([]), [Case(mine.id)])
            self.assertEqual(Case(mine.id).state, 'handling')
            self.assertEqual(len(Assignment.search([])), 1)
            # The hand-off list shows the summary of readable reports only
            self.assertEqual(Assignment.read([assignment.id],
                    ['case_summary'])[0]['case_summary'], mine.summary)
            self.assertEqual(Assignment.get_case_summary(
                    [Assignment(their_assignment.id)], 'case_summary'),
                {their_assignment.id: None})
        with Transaction().set_user(unit2.id), \
                Transaction().set_context(_check_access=True):
            self.assertEqual(Case.search([]), [Case(theirs.id)])
            with self.assertRaises(UserError) as cm:
                Assignment.accept([Assignment(assignment.id)])
        self.assertTrue(cm.exception)

    # Reminders ---------------------------------------------------------

    @with_transaction()
    def test_reminders(self):
        "Due soon, overdue, escalation to the leader, idempotence"
        pool = Pool()
        Reminder = pool.get('jubao.reminder')
        Supervision = pool.get('jubao.supervision')
        Assignment = pool.get('jubao.case.assignment')
        Config = pool.get('jubao.configuration')
        Office = pool.get('jubao.office')
        today = pool.get('ir.date').today()
        config = Config(1)
        d1 = office('office_discipline_1')
        complaints = office('office_complaints')
        handler = create_user('handler', 'group_discipline',
            'office_discipline_1')
        leader = create_user('leader1', 'group_leader', 'office_general')
        clerk = create_user('clerk', 'group_clerk', 'office_complaints')
        chief = create_user('chief', 'group_complaints_head',
            'office_complaints')
        Office.write([d1], {'leader': leader.id})
        Office.write([complaints], {'leader': chief.id})

        # Overdue acceptance notice: received two months ago.
        late = make_case(received=today - dt.timedelta(days=60),
            real_name=True)
        # Not yet due: received today.
        fresh = make_case(received=today, real_name=True)
        # Supervision due soon (within the window) on a handled report.
        handled = make_case()
        Assignment.accept([route(handled, handler=handler)])
        soon, = Supervision.create([{
                    'case': handled.id, 'reason': '重点事项',
                    'methods': ['phone'],
                    'deadline': config.add_working_days(today, 1),
                    'responsible_office': d1.id}])
        Supervision.open([soon])

        created = Reminder.run_deadlines()
        by_kind = {}
        for reminder in created:
            by_kind.setdefault(
                (str(reminder.resource), reminder.kind), set()).add(
                reminder.user)
        self.assertEqual(by_kind[(str(late), 'overdue')], {clerk, chief})
        self.assertEqual(by_kind[(str(late), 'escalation')], {chief})
        self.assertEqual(by_kind[(str(soon), 'due_soon')], {handler})
        self.assertNotIn((str(soon), 'escalation'), by_kind)
        self.assertFalse([k for k in by_kind if k[0] == str(fresh)])
        self.assertIn('已超期', [r for r in created
                if r.kind == 'overdue'][0].message)

        # Idempotent: a second run the same day sends nothing.
        count = Reminder.search_count([])
        self.assertEqual(Reminder.run_deadlines(), [])
        self.assertEqual(Reminder.search_count([]), count)

        # Done items are no longer reminded.
        late.acceptance_notice_date = today
        late.acceptance_notice_method = 'phone'
        late.save()
        Reminder.delete(Reminder.search([]))
        created = Reminder.run_deadlines()
        self.assertFalse([r for r in created
                if str(r.resource) == str(late)])

    @with_transaction()
    def test_reminders_overdue_handoff(self):
        "An unaccepted hand-off past its deadline escalates"
        pool = Pool()
        Assignment = pool.get('jubao.case.assignment')
        Reminder = pool.get('jubao.reminder')
        Office = pool.get('jubao.office')
        street = office('office_street_3')
        liaison = create_user('liaison', 'group_unit', 'office_street_3')
        boss = create_user('boss', 'group_unit', 'office_street_3')
        Office.write([street], {'leader': boss.id, 'liaison': liaison.id})
        case = make_case(authority='street', street=street)
        assignment = route(case)
        Assignment.write([assignment], {
                'due_date': assignment.date - dt.timedelta(days=10)})
        created = Reminder.run_deadlines()
        kinds = {(r.kind, r.user) for r in created
            if str(r.resource) == str(assignment)}
        self.assertIn(('overdue', liaison), kinds)
        self.assertIn(('escalation', boss), kinds)

    def _overdue_items(self):
        """A concluded real-name report awaiting feedback, a supervision and
        the result of an assignment (交办), each past its deadline."""
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        Supervision = pool.get('jubao.supervision')
        today = pool.get('ir.date').today()
        case = make_case(received=today - dt.timedelta(days=90),
            real_name=True)
        Assignment.accept([route(case)])
        Case.write([case], {
                'acceptance_notice_date': today - dt.timedelta(days=85),
                'acceptance_notice_method': 'phone',
                'disposition': 'verify', 'truth': 'false',
                'concluded_date': today - dt.timedelta(days=60)})
        Case.conclude([case])
        handled = make_case()
        Assignment.accept([route(handled)])
        supervision, = Supervision.create([{
                    'case': handled.id, 'reason': '重点事项',
                    'methods': ['phone'],
                    'date': today - dt.timedelta(days=20),
                    'deadline': today - dt.timedelta(days=10),
                    'responsible_office': office('office_discipline_1').id,
                    }])
        Supervision.open([supervision])
        assigned = route(make_case(authority='street',
                street=office('office_street_1')))
        Assignment.accept([assigned])
        Assignment.write([assigned],
            {'result_due': today - dt.timedelta(days=1)})
        return Case(case.id), supervision, Assignment(assigned.id)

    @with_transaction()
    def test_deadlines_declared_once(self):
        "Reports, hand-offs, supervisions: each status reads as it searches"
        pool = Pool()
        Supervision = pool.get('jubao.supervision')
        config = pool.get('jubao.configuration')(1)
        today = pool.get('ir.date').today()
        self._overdue_items()
        make_case(received=today, real_name=True)  # notice far off
        soon, = Supervision.create([{
                    'case': make_case().id, 'reason': '重点事项',
                    'methods': ['phone'],
                    'deadline': config.add_working_days(today, 1),
                    'responsible_office': office('office_discipline_1').id,
                    }])
        Supervision.open([soon])
        self.assertEqual(soon.due_status, 'due_soon')
        self.assertEqual(check_deadlines(self), {None, 'due_soon', 'overdue'})

    @with_transaction()
    def test_finished_items_leave_no_deadline(self):
        "Feedback given, supervision closed, result reported: no status"
        pool = Pool()
        Case = pool.get('jubao.case')
        Assignment = pool.get('jubao.case.assignment')
        Supervision = pool.get('jubao.supervision')
        Reminder = pool.get('jubao.reminder')
        today = pool.get('ir.date').today()
        create_user('d1', 'group_discipline', 'office_discipline_1')
        create_user('c1', 'group_clerk', 'office_complaints')
        create_user('s1', 'group_unit', 'office_street_1')
        items = case, supervision, assigned = self._overdue_items()
        self.assertEqual([i.due_status for i in items], ['overdue'] * 3)
        reminded = {str(r.resource) for r in Reminder.run_deadlines()}
        self.assertEqual(reminded, {str(i) for i in items})

        Case.write([case], {'feedback_date': today,
                'feedback_method': 'phone'})
        Supervision.write([supervision], {'result': '已办结'})
        Supervision.close([supervision])
        Assignment.write([assigned], {'result_report': '已查实并处理'})
        Assignment.report_result([assigned])
        items = [Case(case.id), Supervision(supervision.id),
            Assignment(assigned.id)]
        self.assertEqual([i.due_status for i in items], [None] * 3)
        self.assertEqual([i.next_due for i in items], [None] * 3)
        Reminder.delete(Reminder.search([]))
        self.assertEqual(Reminder.run_deadlines(), [])


del ModuleTestCase
