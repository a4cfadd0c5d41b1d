"""Demo data: users for every role and ~300 fictional reports over two years.

Everything here is invented.  ``load_demo()`` is idempotent: users are
created when missing, reports only when the database has none.
"""
import datetime as dt
import random

from stdnum.cn import ric

from trytond.pool import Pool
from trytond.transaction import Transaction

DEMO_PASSWORD = 'jubao-2026'

# login, name, groups, offices
USERS = [
    ('clerk', '王静', ['group_clerk'], ['office_complaints']),
    ('xfhead', '苏静', ['group_complaints_head'], ['office_complaints']),
    ('leader', '王鹏', ['group_leader'], ['office_general']),
    ('leader2', '庞光辉', ['group_leader'], ['office_general']),
    ('jjs1', '李明', ['group_discipline'], ['office_discipline_1']),
    ('jjs2', '赵强', ['group_discipline'], ['office_discipline_2']),
    ('street1', '刘洋', ['group_unit'], ['office_street_1']),
    ('street2', '陈晨', ['group_unit'], ['office_street_2']),
    ('stationed1', '张婷', ['group_unit'], ['office_stationed_1']),
    ('analyst', '周敏', ['group_analyst'], ['office_case_management']),
    ('zxb', '王玲蔚', ['group_publicity', 'group_unit'], ['office_publicity']),
    ]

SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕'
GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌'
# unit, office of the street it lies in, sector, and the positions found
# there: (position, rank, management authority).  Leaders of district
# bodies are district-managed section-level cadres (区管干部); a deputy
# district head is managed by the city; staff, village and community
# cadres by their street or department.
STREET_POSITIONS = [
    ('主任', 'township', 'district'), ('副主任', 'township', 'district'), ('社区事务办科员', 'staff', 'street'),
    ('城建办工作人员', 'staff', 'street')]
BUREAU_POSITIONS = [
    ('局长', 'township', 'district'), ('副局长', 'township', 'district'),
    ('股长', 'staff', 'street'), ('科员', 'staff', 'street')]
UNITS = [
    ('人民路街道办事处', 'office_street_1', 'party_government', STREET_POSITIONS),
    ('西兰路街道办事处', 'office_street_2', 'party_government', STREET_POSITIONS),
    ('渭阳街道办事处', 'office_street_3', 'party_government', STREET_POSITIONS),
    ('古渡街道办事处', 'office_street_4', 'party_government', STREET_POSITIONS),
    ('区教育局', None, 'education', BUREAU_POSITIONS),
    ('区第二中学', None, 'education', [
            ('校长', 'township', 'district'), ('副校长', 'staff', 'street'),
            ('总务处主任', 'staff', 'street')]),
    ('区卫生健康局', None, 'health', BUREAU_POSITIONS),
    ('区人民医院', None, 'health', [
            ('院长', 'township', 'district'), ('副院长', 'township', 'district'),
            ('药剂科主任', 'staff', 'street')]),
    ('区住房和城乡建设局', None, 'construction', BUREAU_POSITIONS),
    ('区自然资源局', None, 'land_resources', BUREAU_POSITIONS + [
            ('自然资源所所长', 'staff', 'street')]),
    ('区城投公司', None, 'state_enterprise', [
            ('董事长', 'township', 'district'), ('总经理', 'township', 'district'),
            ('工程部经理', 'other', 'street')]),
    ('区民政局', None, 'social_security', BUREAU_POSITIONS),
    ('区农业农村局', None, 'agriculture', BUREAU_POSITIONS),
    ('区市场监管局', None, 'law_enforcement', BUREAU_POSITIONS + [
            ('市场监管所所长', 'staff', 'street')]),
    ('东风村', 'office_street_3', 'grassroots', [
            ('党支部书记', 'village', 'street'),
            ('村委会主任', 'village', 'street'), ('报账员', 'village', 'street')]),
    ('新兴社区', 'office_street_1', 'grassroots', [
            ('党委书记', 'village', 'street'),
            ('居委会主任', 'village', 'street')]),
    ('区政府', None, 'party_government', [('副区长', 'county', 'city')]),
    ]
TEMPLATES = [
    ('integrity', 1, '收受礼金',
        '{unit}{position}{name}在逢年过节期间收受管理服务对象礼金礼品，'
        '累计金额约{amount}万元，群众反映强烈。'),
    ('integrity', 2, '违规经商',
        '{unit}{position}{name}的亲属在其分管领域承揽项目，{name}利用职务影响'
        '为其提供便利，涉嫌违规经商办企业，涉及金额{amount}万元。'),
    ('integrity', 3, '公款吃喝',
        '{unit}{position}{name}多次以接待为名组织公款吃喝，'
        '并在单位食堂违规宴请，费用约{amount}万元从其他科目列支。'),
    ('mass', 1, '侵害群众利益',
        '{unit}{position}{name}在发放低保和困难补助过程中优亲厚友，'
        '将不符合条件的亲属纳入低保，涉及资金{amount}万元。'),
    ('mass', 3, '吃拿卡要',
        '{unit}{position}{name}在办理审批事项时吃拿卡要，'
        '群众多次办事被刁难，要求查处。'),
    ('work', 1, '形式主义',
        '{unit}{position}{name}工作中搞形式主义、官僚主义，'
        '对群众反映的问题长期推诿不办，造成不良影响。'),
    ('work', 2, '失职失责',
        '{unit}{position}{name}在老旧小区改造工程监管中失职失责，'
        '工程质量问题突出，造成损失约{amount}万元。'),
    ('organisational', 1, '违规用人',
        '{unit}{position}{name}在干部选拔中违规操作，'
        '提拔使用与其关系密切的人员。'),
    ('conduct', 1, '生活奢靡',
        '{unit}{position}{name}生活奢靡，经常出入高档娱乐场所，'
        '消费与其收入明显不符。'),
    ('duty_crime', 2, '受贿',
        '{unit}{position}{name}利用职务便利在工程招投标中为他人谋取利益，'
        '收受施工单位负责人现金{amount}万元。'),
    ('duty_illegal', 1, '滥用职权',
        '{unit}{position}{name}滥用职权，违规为不符合条件的企业办理手续，'
        '造成国有资产损失约{amount}万元。'),
    ('other', 1, '涉法涉诉',
        '反映人对法院关于其与{unit}劳动争议案件的判决不服，'
        '要求纪委监委改判并追究{name}的责任。'),
    ]
CHANNEL_WEIGHTS = [('letter', 30), ('online', 30), ('phone', 15),
    ('visit', 13), ('referral', 7), ('public_opinion', 5)]


def _ref(xml_id, module='jubao_intake'):
    return Pool().get('ir.model.data').get_id(module, xml_id)


def _person_name(rng):
    return rng.choice(SURNAMES) + ''.join(
        rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _id_number(rng, birth):
    body = '610402' + birth.strftime('%Y%m%d') + '%03d' % rng.randint(1, 999)
    return body + ric.calc_check_digit(body + '0')


def load_users():
    pool = Pool()
    User = pool.get('res.user')
    Group = pool.get('res.group')
    existing = {u.login for u in User.search([])}
    to_create = []
    for login, name, groups, offices in USERS:
        if login in existing:
            continue
        to_create.append({
                'login': login,
                'name': name,
                'password': DEMO_PASSWORD,
                'language': _lang_id(),
                'groups': [('add', [Group(_ref(g)).id for g in groups])],
                'jubao_offices': [('add', [_ref(o) for o in offices])],
                })
    User.create(to_create)
    # trytond names its admin "Administrator": whatever it records shows
    # that name on Chinese screens (its own record: root may change it)
    with Transaction().set_user(0):
        User.write(User.search([('login', '=', 'admin'),
                    ('name', '=', 'Administrator')]), {'name': '系统管理员'})
    Office = pool.get('jubao.office')
    users = {u.login: u for u in User.search([('login', 'in',
                    [u[0] for u in USERS])])}
    leaders = {
        'office_complaints': ('xfhead', 'clerk'),
        'office_discipline_1': ('jjs1', 'jjs1'),
        'office_discipline_2': ('jjs2', 'jjs2'),
        'office_street_1': ('street1', 'street1'),
        'office_street_2': ('street2', 'street2'),
        'office_stationed_1': ('stationed1', 'stationed1'),
        'office_case_management': ('analyst', 'analyst'),
        'office_general': ('leader', 'leader'),
        'office_publicity': ('zxb', 'zxb'),
        }
    for xml_id, (leader, liaison) in leaders.items():
        Office.write([Office(_ref(xml_id))], {
                'leader': users[leader].id,
                'liaison': users[liaison].id,
                })


def _lang_id():
    Lang = Pool().get('ir.lang')
    langs = Lang.search([('code', '=', 'zh_CN')], limit=1)
    return langs[0].id if langs else None


def _case_values(rng, received, subject, template, repeat_text=None):
    unit, street, sector = subject['unit_info']
    authority = subject['authority']
    category, sub, keyword, text = template
    content = repeat_text or text.format(unit=unit,
        position=subject['position'], name=subject['name'],
        amount=rng.choice([2, 3.5, 5, 8, 12, 20, 36]))
    channel = rng.choices([c for c, _ in CHANNEL_WEIGHTS],
        [w for _, w in CHANNEL_WEIGHTS])[0]
    real_name = rng.random() < 0.38
    values = {
        'channel': channel,
        'received_date': received,
        'kind': rng.choices(['accusation', 'appeal', 'suggestion'],
            [85, 8, 7])[0],
        'summary': '反映%s%s%s%s问题' % (unit, subject['position'],
            subject['name'], keyword),
        'content': content,
        'keywords': keyword,
        'problem_period': '%d年以来' % (received.year - rng.choice([0, 1, 2])),
        'real_name': real_name,
        'subjects': [('create', [{
                        'name': subject['name'],
                        'unit': unit,
                        'position': subject['position'],
                        'rank': subject['rank'],
                        'authority': authority,
                        'sector': sector,
                        'is_party_member': True,
                        }])],
        'categories': [('add', [_ref('category_%s_%d' % (category, sub))])],
        }
    if street:
        values['street'] = _ref(street)
    if real_name or channel in {'visit', 'phone'} and rng.random() < 0.5:
        birth = dt.date(rng.randint(1984, 2000), rng.randint(1, 12),
            rng.randint(1, 28))
        reporter = {
            'name': _person_name(rng),
            'phone': '13%d%08d' % (rng.randint(0, 9), rng.randint(0, 99999999)),
            'address': '陕西省咸阳市某区%s号' % rng.randint(1, 300),
            }
        if channel == 'visit' or rng.random() < 0.5:
            reporter['id_number'] = _id_number(rng, birth)
        values['reporters'] = [('create', [reporter])]
        values['real_name'] = True
    _channel_details(rng, values, received)
    return values


def _channel_details(rng, values, received):
    channel = values['channel']
    if channel == 'letter':
        values['postmark_date'] = received - dt.timedelta(
            days=rng.randint(1, 4))
        values['page_count'] = rng.randint(1, 12)
    elif channel == 'visit':
        values['visitor_count'] = rng.choice([1, 1, 1, 2, 3, 6])
        values['reception_area'] = rng.choice(['reception', 'interview'])
    elif channel == 'phone':
        values['call_time'] = dt.datetime.combine(
            received, dt.time(rng.randint(8, 17), rng.randint(0, 59)))
        values['call_duration'] = dt.timedelta(minutes=rng.randint(3, 25))
    elif channel == 'online':
        values['online_reference'] = 'WSJB%s%04d' % (
            received.strftime('%Y%m%d'), rng.randint(1, 9999))
        values['online_checked'] = True
    elif channel == 'referral':
        values['referral_source'] = _ref(rng.choice(
                ['office_city', 'office_city', 'office_province']))
        values['referral_document'] = '咸纪信转〔%d〕%d号' % (
            received.year, rng.randint(1, 300))
    elif channel == 'public_opinion':
        values['opinion_source'] = rng.choice(['本地论坛', '微博', '短视频平台'])
        values['opinion_link'] = 'https://example.com/post/%d' % rng.randint(
            1000, 99999)


def load_cases(count=300, seed=2026):
    pool = Pool()
    Case = pool.get('jubao.case')
    Candidate = pool.get('jubao.case.repeat')
    Date = pool.get('ir.date')
    if Case.search([], limit=1):
        return
    rng = random.Random(seed)
    today = Date.today()
    start = dt.date(today.year - 1, 1, 2)
    span = (today - start).days
    subjects = []
    for _ in range(120):
        # Few reports concern city-managed deputy district heads.
        unit, street, sector, positions = rng.choices(
            UNITS, [1 if u[0] == '区政府' else 4 for u in UNITS])[0]
        position, rank, authority = rng.choice(positions)
        subjects.append({
                'name': _person_name(rng),
                'position': position,
                'rank': rank,
                'authority': authority,
                'unit_info': (unit, street, sector),
                })
    dates = sorted(start + dt.timedelta(days=rng.randint(0, span))
        for _ in range(count))
    history = []
    for received in dates:
        if history and rng.random() < 0.12:
            # The same matter again, maybe by another channel: a repeat.
            earlier = rng.choice(history)
            subject, template, text = earlier
            values = _case_values(rng, received, subject, template,
                repeat_text=text + rng.choice(['请尽快查处。', '至今无人处理。', '']))
        else:
            subject = rng.choice(subjects)
            template = rng.choice(TEMPLATES)
            values = _case_values(rng, received, subject, template)
            history.append((subject, template, values['content']))
        if template[0] == 'other':
            values['scope'] = 'out_of_scope'
            values['competent_body'] = _ref('office_court')
            values['out_of_scope_explanation'] = (
                '已告知反映人依法通过诉讼途径解决。')
        else:
            values['scope'] = rng.choices(
                ['in_scope', 'mixed', 'out_of_scope'], [85, 8, 7])[0]
            if values['scope'] != 'in_scope':
                values['competent_body'] = _ref('office_petition_bureau')
                values['out_of_scope_explanation'] = '已告知反映人向区信访局反映。'
        case, = Case.create([values])
        if (today - received).days < 3 and rng.random() < 0.5:
            continue  # a few fresh reports stay in draft
        Case.register([case])
        for candidate in Candidate.search([
                    ('case', '=', case.id), ('state', '=', 'proposed')],
                order=[('score', 'DESC')], limit=1):
            Candidate.confirm([candidate])
        _screen(rng, case)


def _screen(rng, case):
    Case = Pool().get('jubao.case')
    roll = rng.random()
    if case.scope == 'out_of_scope':
        Case.write([case], {'not_accepted_reason': _ref('reason_other_body')})
        Case.not_accept([case])
    elif roll < 0.04 and case.subjects[0].authority == 'district':
        Case.write([case], {
                'removal_reason': 'no_substance',
                'removal_note': '仅列举违纪行为名称，无具体事实。',
                })
        clerk, = Pool().get('res.user').search([('login', '=', 'clerk')])
        with Transaction().set_user(clerk.id):
            Case.request_removal([case])
        if rng.random() < 0.6:
            Case.approve_removal([case])
    elif roll < 0.08:
        return  # awaiting screening
    else:
        Case.accept([case])


def load_demo():
    load_users()
    load_cases()
