"""Demo data of jubao_routing, run after jubao_intake's demo.

Routes most accepted reports by the routing rules, lets the receiving
offices accept them, concludes a share with dispositions and truth,
records notices and feedback (leaving some overdue), opens supervisions,
clears falsely accused cadres and records a few recusals and returns.
Everything is invented.  ``load_demo()`` is idempotent: it does nothing
once hand-offs exist.
"""
import datetime as dt
import random

from trytond.pool import Pool
from trytond.transaction import Transaction

# Each stationed agency: the units it oversees (派驻机构 → 监督单位) and
# their sectors.
AGENCIES = {
    'office_stationed_1': (['区教育局', '区第一中学', '区第二中学',
            '区实验小学', '区教师进修学校'], ['education']),
    'office_stationed_2': (['区卫生健康局', '区人民医院', '区中医医院',
            '区疾病预防控制中心'], ['health']),
    'office_stationed_3': (['区住房和城乡建设局', '区自然资源局',
            '区城市管理局'], ['construction', 'land_resources']),
    }
LEADERS = {
    'office_complaints': 'xfhead',
    'office_discipline_1': 'leader',
    'office_discipline_2': 'leader2',
    'office_street_1': 'street1',
    'office_street_2': 'street2',
    'office_stationed_1': 'stationed1',
    }
DISCIPLINE = ['office_discipline_%d' % i for i in range(1, 7)]
OUTCOMES = {
    'true': ['经核实，问题属实，给予党内警告处分。',
        '经核实，问题属实，已责令退缴违规所得并给予诫勉谈话。'],
    'partly': ['部分问题属实，对其进行批评教育并责令作出书面检查。',
        '部分问题属实，给予提醒谈话。'],
    'false': ['经核实，反映问题不属实，予以了结。'],
    'unverifiable': ['现有证据无法查证，暂存待查。'],
    }


def _users():
    User = Pool().get('res.user')
    return {u.login: u for u in User.search([])}


def _setup_offices(users):
    Office = Pool().get('jubao.office')
    for xml_id, (units, sectors) in AGENCIES.items():
        office = Office.from_xml_id(xml_id)
        if not office.supervised_units:
            office.supervised_units = '\n'.join(units)
        if not office.supervised_sectors:
            office.supervised_sectors = sectors
        office.save()
    for xml_id, login in LEADERS.items():
        office = Office.from_xml_id(xml_id)
        if not office.leader and login in users:
            office.leader = users[login]
            office.save()


def _setup_calendar():
    Day = Pool().get('jubao.calendar.day')
    if not Day.search([], limit=1):
        # New Year's Day is a statutory holiday every year.
        Day.create([
                {'date': dt.date(2027, 1, 1), 'working': False,
                    'name': '元旦'},
                ])


def _clip(date, low, high):
    return max(low, min(date, high))


def _handler(office, rng):
    members = list(office.users)
    return rng.choice(members) if members else None


def _route(rng, case, users, today):
    """Hand the report off as proposed (sometimes overridden) and let the
    receiver accept it, with dates set back to when it happened."""
    pool = Pool()
    Assignment = pool.get('jubao.case.assignment')
    Office = pool.get('jubao.office')
    Config = pool.get('jubao.configuration')
    config = Config(1)
    proposed_method, proposed_office, rule = case.propose_routing()
    method, office = proposed_method, proposed_office
    override_reason = None
    if method is None or office is None:
        method = 'internal'
        office = Office.from_xml_id(rng.choice(DISCIPLINE))
        override_reason = '规则未能确定承办单位，按分管领域移送。'
    elif method == 'internal' and rng.random() < 0.6:
        # Spread the internal hand-offs over the six offices.
        other = Office.from_xml_id(rng.choice(DISCIPLINE))
        if other != office:
            office = other
            override_reason = '按照联系分工移送相应纪检监察室。'
    handler = None
    if office.kind not in {'external', 'higher'} and rng.random() < 0.8:
        handler = _handler(office, rng)
        if handler and handler in case.recused_users:
            handler = None
    assignment = Assignment.create_for(case, method, office,
        proposed_method=proposed_method, proposed_office=proposed_office,
        rule=rule, override_reason=override_reason, handler=handler)
    with Transaction().set_user(users['xfhead'].id):
        Assignment.send([assignment])
    sent = _clip(case.received_date + dt.timedelta(days=rng.randint(1, 6)),
        case.received_date, today)
    values = {
        'date': sent,
        'due_date': assignment.compute_due_date(sent),
        }
    Assignment.write([assignment], values)
    age = (today - sent).days
    if age < 4 and rng.random() < 0.6:
        return assignment  # still waiting to be accepted
    if rng.random() < 0.03:
        return assignment  # forgotten: overdue hand-off
    Assignment.accept([assignment])
    accepted = _clip(sent + dt.timedelta(days=rng.randint(0, 4)), sent, today)
    values = {'accepted_date': accepted}
    if assignment.method == 'assign':
        values['result_due'] = config.add_working_days(
            accepted, config.assign_result_days)
    Assignment.write([assignment], values)
    return Assignment(assignment.id)


def _forward_out_of_scope_part(case, users):
    "Forward the out-of-scope part of a mixed report (转送) as proposed."
    Assignment = Pool().get('jubao.case.assignment')
    method, office, rule = case.propose_routing()
    if method != 'forward' or not office:
        return
    assignment = Assignment.create_for(case, method, office,
        proposed_method=method, proposed_office=office, rule=rule)
    with Transaction().set_user(users['xfhead'].id):
        Assignment.send([assignment])
    Assignment.accept([assignment])


def _conclude(rng, case, today, assignment):
    pool = Pool()
    Case = pool.get('jubao.case')
    Assignment = pool.get('jubao.case.assignment')
    truth = rng.choices(['true', 'partly', 'false', 'unverifiable'],
        [30, 25, 35, 10])[0]
    if truth == 'true':
        disposition = rng.choice(['verify', 'talk', 'investigate'])
    elif truth == 'unverifiable':
        disposition = 'shelve'
    else:
        disposition = rng.choice(['verify', 'talk', 'close'])
    start = assignment.accepted_date or case.received_date
    concluded = _clip(start + dt.timedelta(days=rng.randint(15, 110)),
        case.received_date, today)
    Case.write([case], {
            'disposition': disposition,
            'truth': truth,
            'outcome': rng.choice(OUTCOMES[truth]),
            'concluded_date': concluded,
            })
    Case.conclude([case])
    case = Case(case.id)
    values = {}
    reported = concluded + dt.timedelta(days=rng.randint(1, 20))
    if reported <= today:
        values['reported_back_date'] = reported
    if case.real_name and case.feedback_due:
        feedback = concluded + dt.timedelta(days=rng.randint(2, 25))
        # Some feedback is late or still missing.
        if feedback <= today and rng.random() < 0.85:
            values['feedback_date'] = feedback
            values['feedback_method'] = rng.choice(
                ['letter', 'phone', 'in_person'])
            values['feedback_note'] = '已向反映人反馈处理结果，对方表示认可。'
            if rng.random() < 0.08:
                values['objection'] = '认为处理过轻，要求重新调查。'
                values['objection_date'] = feedback
                answered = feedback + dt.timedelta(days=rng.randint(3, 15))
                if answered <= today:
                    values['objection_answer'] = (
                        '经复核，原处理结论事实清楚、依据充分，已向其说明。')
                    values['objection_answer_date'] = answered
    if values:
        Case.write([case], values)
    if assignment.method == 'assign' and assignment.state == 'accepted':
        result = _clip(concluded, assignment.accepted_date or concluded,
            today)
        Assignment.write([assignment], {
                'result_date': result,
                'result_report': case.outcome,
                })
    return Case(case.id)


def _notice(rng, case, today):
    Case = Pool().get('jubao.case')
    if not case.acceptance_notice_due:
        return
    given = case.received_date + dt.timedelta(days=rng.randint(3, 25))
    if given <= today and rng.random() < 0.9:
        Case.write([case], {
                'acceptance_notice_date': given,
                'acceptance_notice_method': rng.choice(
                    ['letter', 'phone', 'sms']),
                })


def _supervise(rng, cases, users, today):
    pool = Pool()
    Supervision = pool.get('jubao.supervision')
    Note = pool.get('jubao.supervision.note')
    Config = pool.get('jubao.configuration')
    config = Config(1)
    for case in cases:
        date = _clip(case.received_date + dt.timedelta(
                days=rng.randint(10, 40)), case.received_date, today)
        deadline = config.add_working_days(date, rng.choice([10, 15, 20]))
        supervision, = Supervision.create([{
                    'case': case.id,
                    'level': rng.choice(['leader', 'complaints', 'higher']),
                    'methods': rng.sample(['online', 'phone', 'letter',
                            'meeting', 'hearing', 'files', 'inspection'],
                        rng.randint(1, 3)),
                    'reason': rng.choice(['群众反映强烈，社会关注度高。',
                            '线索具体，涉及重点领域关键岗位。',
                            '同一问题多次重复举报。']),
                    'requirement': '请于期限内查清问题，书面报告办理结果。',
                    'date': date,
                    'deadline': deadline,
                    'responsible_office': case.handling_office.id,
                    }])
        with Transaction().set_user(users['xfhead'].id):
            Supervision.open([supervision])
        Note.create([{
                    'supervision': supervision.id,
                    'date': _clip(date + dt.timedelta(days=3), date, today),
                    'method': 'phone',
                    'note': '电话了解办理进展，承办部门已开展初步核实。',
                    }])
        if deadline < today and rng.random() < 0.5:
            Supervision.write([supervision], {
                    'result': '已按督办要求办结并书面报告。'})
            Supervision.close([supervision])


def _clarify(rng, cases, users, today):
    pool = Pool()
    Case = pool.get('jubao.case')
    Clarification = pool.get('jubao.clarification')
    for case in cases:
        accusation = rng.choice(['false_accusation', 'mistaken', None])
        if accusation:
            Case.write([case], {'accusation': accusation})
        with Transaction().set_user(users['xfhead'].id):
            clarification, = Clarification.create([{
                        'case': case.id,
                        'subject': case.subjects[0].id,
                        'method': rng.choice(
                            ['letter', 'talk', 'briefing', 'notice']),
                        'notice_scope': '所在单位中层以上干部',
                        'reason': '经核实，所反映问题不属实。',
                        'typical': accusation == 'false_accusation',
                        }])
        with Transaction().set_user(users['leader'].id):
            Clarification.approve([clarification])
        date = _clip(case.concluded_date + dt.timedelta(
                days=rng.randint(5, 30)), case.concluded_date, today)
        Clarification.write([clarification], {
                'date': date,
                'record': '向本人及所在单位党组织主要负责人说明核查结论，'
                '为其澄清正名，消除不良影响。',
                })
        Clarification.do([clarification])


def _returns(cases, users):
    pool = Pool()
    Assignment = pool.get('jubao.case.assignment')
    Office = pool.get('jubao.office')
    for case in cases:
        members = list(case.handling_office.users)
        if not members:
            continue
        with Transaction().set_user(members[0].id):
            request = Assignment.create_return(case,
                Office.from_xml_id('office_complaints'),
                '经初步了解，该件不属于本室联系范围，申请退回重新分流。')
        # A return is approved by the commission's responsible leader.
        with Transaction().set_user(users['leader'].id):
            Assignment.send([request])


def _recusals(rng, cases, users):
    Recusal = Pool().get('jubao.case.recusal')
    for case in cases:
        candidates = [u for u in (users.get('jjs1'), users.get('jjs2'),
                users.get('street1')) if u and u != case.handler]
        if candidates:
            Recusal.create([{
                        'case': case.id,
                        'user': rng.choice(candidates).id,
                        'relation': rng.choice(['relative', 'interest']),
                        'note': '本人申报与被反映人存在亲属或利害关系。',
                        }])


def load_demo():
    pool = Pool()
    Case = pool.get('jubao.case')
    Assignment = pool.get('jubao.case.assignment')
    if Assignment.search([], limit=1):
        return
    rng = random.Random(3)
    today = pool.get('ir.date').today()
    users = _users()
    if 'xfhead' not in users or 'leader' not in users:
        return
    _setup_offices(users)
    _setup_calendar()

    cases = Case.search([('state', '=', 'accepted')],
        order=[('received_date', 'ASC'), ('id', 'ASC')])
    _recusals(rng, [c for c in cases if rng.random() < 0.02], users)
    handled = []
    for case in cases:
        case = Case(case.id)
        _notice(rng, case, today)
        if (today - case.received_date).days < 2 and rng.random() < 0.5:
            continue  # routed tomorrow
        if rng.random() < 0.05:
            continue  # waiting for the routing meeting
        assignment = _route(rng, case, users, today)
        case = Case(case.id)
        if case.state != 'handling':
            continue
        age = (today - case.received_date).days
        if age > 45 and rng.random() < 0.75:
            case = _conclude(rng, case, today, assignment)
        handled.append(case)

    # Out-of-scope letters not accepted are forwarded to the competent body.
    for case in Case.search([
                ('state', '=', 'not_accepted'),
                ('scope', '=', 'out_of_scope'),
                ('competent_body.kind', '=', 'external'),
                ], order=[('received_date', 'ASC')]):
        if rng.random() < 0.5:
            assignment = Assignment.create_for(case, 'forward',
                case.competent_body, proposed_method='forward',
                proposed_office=case.competent_body)
            with Transaction().set_user(users['xfhead'].id):
                Assignment.send([assignment])
            Assignment.accept([assignment])

    for case in handled:
        if case.scope == 'mixed':
            _forward_out_of_scope_part(Case(case.id), users)

    open_cases = [c for c in handled if c.state == 'handling']
    concluded = [c for c in handled if c.state == 'concluded']
    _supervise(rng, rng.sample(open_cases, min(16, len(open_cases))),
        users, today)
    untrue = [c for c in concluded if c.concluded_untrue]
    _clarify(rng, rng.sample(untrue, min(8, len(untrue))), users, today)
    internal = [c for c in open_cases
        if c.handling_office.kind == 'commission_office'
        and Case(c.id).state == 'handling']
    _returns(rng.sample(internal, min(2, len(internal))), users)
