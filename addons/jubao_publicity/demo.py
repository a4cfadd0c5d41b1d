"""Demo data: both seed plans for the current year, with leaders, progress
and approvals, and the publicity-year campaign with its working group,
phases, 四进 events, monthly liaison reports, visits and KPIs.

Everything except the seed plans' text is invented.  ``load_demo()`` is
idempotent: each part is created only when missing.  It relies on the users
of jubao_intake's demo (logins leader, leader2, xfhead, clerk, zxb,
stationed1, street1, street2) and creates nothing for missing users.
"""
import datetime as dt
import random
from decimal import Decimal

from jubao.periods import month_end

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction

from trytond.modules.jubao_intake.deadline import office_users

# Month of the tasks whose seed deadline is "20**年*月底"
MONTHS = {'4': 6, '5': 6, '6': 9, '9': 3}
WORKING_GROUP = [
    ('leader', '王鹏', 'leader'),
    ('deputy', '王玲蔚', 'zxb'),
    ('deputy', '庞光辉', 'leader2'),
    ('member', '苏静', 'xfhead'),
    ('member', '张婷', 'stationed1'),
    ]
GOALS = ('使群众对信访举报受理范围知晓率明显提升，业务范围外信访举报量逐步减少，'
    '信访举报渠道进一步畅通；使实名举报率和网络举报率逐步提高，恶意举报和诬告陷害'
    '问题明显减少，信访举报秩序进一步规范。')
EVENTS = [
    # month, day, kind, name, organiser, place, participants, brochures
    (3, 28, 'organ', '宣传年活动启动暨《规则》宣讲会', 'office_complaints',
        '区纪委监委三楼会议室', 120, 200),
    (4, 16, 'community', '信访举报知识进社区', 'office_street_1',
        '新兴社区党群服务中心', 85, 300),
    (4, 25, 'enterprise', '信访举报知识进企业', 'office_stationed_1',
        '区城投公司', 60, 150),
    (5, 14, 'village', '信访举报知识进农村', 'office_street_3',
        '东风村文化广场', 140, 400),
    (5, 27, 'organ', '信访举报知识进机关', 'office_stationed_2',
        '区教育局', 70, 120),
    (6, 18, 'community', '“要举报”到“会举报”主题宣传日', 'office_street_2',
        '西兰路街道便民服务广场', 200, 500),
    (8, 20, 'other', '典型诬告陷害案例警示教育会', 'office_complaints',
        '区委党校报告厅', 150, 100),
    (9, 24, 'enterprise', '民营企业座谈与举报须知宣讲', 'office_street_4',
        '古渡工业园', 45, 90),
    ]
ARTICLE_MEDIA = ['秦都廉政网', '微信公众号', '区融媒体中心', '市纪委监委网站']


def _office(xml_id):
    return Pool().get('jubao.office').id_from_xml_id(xml_id)


def _poster(office):
    """Who posts a unit's progress: its liaison (联络员), else one of its
    users, not the administrator that loads the demo."""
    office = Pool().get('jubao.office')(office)
    if office.liaison:
        return office.liaison.id
    return min(office_users(office), default=None)


def _users():
    User = Pool().get('res.user')
    return {u.login: u for u in User.search([('login', 'in', [
                    'leader', 'leader2', 'xfhead', 'clerk', 'zxb',
                    'stationed1', 'street1', 'street2'])])}


def _clip(date, today):
    return min(date, today)


def load_plans(year, users, today):
    pool = Pool()
    Plan = pool.get('jubao.plan')
    Task = pool.get('jubao.plan.task')
    Progress = pool.get('jubao.plan.task.progress')
    Campaign = pool.get('jubao.campaign')
    plans = Plan.search([('year', '=', year)])
    names = {p.name for p in plans}
    campaign = Campaign.search([('year', '=', year)])
    created = []
    for seed in ['implementation', 'publicity']:
        name = gettext('jubao_publicity.msg_seed_name_%s' % seed, year=year)
        if name in names:
            continue
        plan = Plan.import_seed(seed, year, name=name,
            campaign=campaign[0] if seed == 'publicity' and campaign
            else None)
        created.append((seed, plan))
    leader, leader2 = users.get('leader'), users.get('leader2')
    for seed, plan in created:
        to_write = []
        for task in plan.tasks:
            values = {}
            if leader:
                values['responsible_leader'] = leader.id
            if leader2:
                values['assisting_leader'] = leader2.id
            if task.deadline_type == 'month_end' and not task.deadline:
                month = MONTHS.get(task.number, 12)
                values['deadline'] = month_end(year, month)
            if values:
                to_write.extend(([task], values))
        if to_write:
            Task.write(*to_write)
        if seed == 'publicity':
            _complete_past_phases(plan, leader, today)
            continue
        tasks = {t.number: t for t in plan.tasks}
        progress = [
            ('1', 'office_general', dt.date(year, 3, 20), 40,
                '已与区后勤服务中心对接，二楼候访区划定，接访区增设举报电话。'),
            ('1', 'office_complaints', dt.date(year, 6, 30), 80,
                '监控系统调整完毕，接访区、约谈区标识已更新。'),
            ('3', 'office_street_1', dt.date(year, 4, 10), None,
                '落实接访“三个一”，本季度接待来访群众23人次。'),
            ('9', 'office_general', dt.date(year, 2, 28), 100,
                '平台建设工作领导小组已成立并印发通知。'),
            ('12', 'office_complaints', dt.date(year, 5, 31), None,
                '对同级党委管理干部初信逐件研判，剔除无实质内容件3件，均履行审批程序。'),
            ('18', 'office_complaints', dt.date(year, 7, 10), None,
                '完成上半年信访举报形势分析报告，报委领导审阅。'),
            ]
        Progress.create([{
                    'task': tasks[number].id,
                    'office': _office(office),
                    'date': _clip(date, today),
                    'percent': percent,
                    'description': text,
                    'user': _poster(_office(office)),
                    } for number, office, date, percent, text in progress
                if tasks[number].state != 'done'])
        # Recent progress on most long-term tasks (a few stay overdue)
        rng = random.Random(year)
        recent = []
        for task in plan.tasks:
            if task.deadline_type != 'long_term' or task.number in {
                    '7', '17'}:
                continue
            office = task.offices[0]
            recent.append({
                    'task': task.id,
                    'office': office.id,
                    'date': today - dt.timedelta(days=rng.randint(3, 60)),
                    'description': '%s按要求持续推进，本期已完成阶段性工作。' % (
                        office.name),
                    'user': _poster(office.id),
                    })
        Progress.create(recent)
        Task.request_approval([tasks['9'], tasks['12']])
        if leader:
            with Transaction().set_user(leader.id):
                Task.approve([tasks['9']])


def _complete_past_phases(plan, leader, today):
    "Report and approve the publicity tasks whose phase is over."
    pool = Pool()
    Task = pool.get('jubao.plan.task')
    Progress = pool.get('jubao.plan.task.progress')
    past = [t for t in plan.tasks if t.deadline and t.deadline < today]
    Progress.create([{
                'task': task.id,
                'office': task.offices[0].id,
                'date': task.deadline,
                'percent': 100,
                'description': '%s阶段任务已按方案完成。' % task.name,
                'user': _poster(task.offices[0].id),
                } for task in past])
    Task.request_approval(past)
    if leader:
        with Transaction().set_user(leader.id):
            Task.approve(past)


def load_campaign(year, users, today):
    pool = Pool()
    Campaign = pool.get('jubao.campaign')
    if Campaign.search([('year', '=', year)]):
        return Campaign.search([('year', '=', year)])[0], False
    campaign, = Campaign.create([{
                'name': '%s年纪检监察信访举报工作宣传年活动' % year,
                'year': year,
                'start_date': dt.date(year, 3, 1),
                'end_date': dt.date(year, 12, 31),
                'goals': GOALS,
                'office': _office('office_complaints'),
                'report_day': 25,
                'awareness_rate_previous': Decimal('41.50'),
                'awareness_rate_start': Decimal('43.20'),
                'awareness_rate': Decimal('61.80'),
                'members': [('create', [{
                                'sequence': i,
                                'role': role,
                                'name': name,
                                'user': users[login].id
                                if login in users else None,
                                } for i, (role, name, login) in enumerate(
                                WORKING_GROUP, 1)])],
                }])
    Campaign.create_phases([campaign])
    return campaign, True


def load_campaign_activity(campaign, users, today):
    pool = Pool()
    Campaign = pool.get('jubao.campaign')
    Event = pool.get('jubao.campaign.event')
    Report = pool.get('jubao.campaign.report')
    Visit = pool.get('jubao.campaign.visit')
    Item = pool.get('jubao.campaign.visit.item')
    year = campaign.year
    rng = random.Random(year)
    Event.create([{
                'campaign': campaign.id,
                'name': name,
                'kind': kind,
                'date': dt.date(year, month, day),
                'organiser': _office(organiser),
                'place': place,
                'participants': participants,
                'brochures': brochures,
                'board_guide': True,
                'board_scope': True,
                'board_rights': kind != 'other',
                'media': rng.choice(ARTICLE_MEDIA),
                } for month, day, kind, name, organiser, place, participants,
            brochures in EVENTS])

    reports = Campaign.create_reports([campaign], date=today)
    missing = {_office('office_street_3'), _office('office_stationed_2')}
    current = today.replace(day=1)
    to_submit = []
    for report in reports:
        late = report.month >= current or (
            report.office.id in missing
            and report.month >= (current - dt.timedelta(days=1)).replace(
                day=1))
        if late:
            continue
        articles = []
        for i in range(rng.randint(0, 3)):
            date = report.month + dt.timedelta(days=rng.randint(0, 26))
            articles.append({
                    'title': '%s开展信访举报宣传年活动（%s）' % (
                        report.office.name, i + 1),
                    'medium': rng.choice(ARTICLE_MEDIA),
                    'date': _clip(date, today),
                    'link': 'https://example.org/jubao/%s-%s-%s' % (
                        report.office.code, report.month.month, i + 1),
                    })
        Report.write([report], {
                'work_progress': '本月开展宣传活动%s场，发放宣传资料%s份。' % (
                    rng.randint(1, 4), rng.randint(50, 400)),
                'articles': [('create', articles)],
                })
        to_submit.append(report)
    Report.submit(to_submit)

    visits = [
        (dt.date(year, 5, 20), 'office_street_1', '宣传年工作部署落实情况调研',
            '宣传栏内容未及时更新；实名举报优先办理的宣传不够。',
            [('更新社区宣传栏，张贴三块宣传牌', 'office_street_1',
                dt.date(year, 6, 15), '已于6月10日完成更新。')]),
        (dt.date(year, 6, 12), 'office_stationed_1', '派驻机构实名举报处理情况调研',
            '两件实名举报反馈超过15个工作日；诬告陷害问题梳理台账不完整。',
            [('补齐实名举报反馈记录，建立反馈提醒', 'office_stationed_1',
                dt.date(year, 7, 31), None),
                ('完善诬告陷害问题梳理台账', 'office_stationed_1',
                    dt.date(year, 12, 15), None)]),
        ]
    for date, office, subject, findings, items in visits:
        visit, = Visit.create([{
                    'campaign': campaign.id,
                    'date': date,
                    'office': _office(office),
                    'subject': subject,
                    'findings': findings,
                    'visitors': [('add', [users[l].id
                                for l in ['xfhead', 'clerk'] if l in users])],
                    'items': [('create', [{
                                    'description': description,
                                    'owner': _office(owner),
                                    'owner_user': (users['stationed1'].id
                                        if owner == 'office_stationed_1'
                                        and 'stationed1' in users
                                        else users['street1'].id
                                        if 'street1' in users else None),
                                    'deadline': deadline,
                                    'result': result,
                                    } for description, owner, deadline,
                                result in items])],
                    }])
        Item.close([i for i in visit.items if i.result and date <= today])
    Campaign.compute_kpis([campaign], date=today)


def load_demo():
    pool = Pool()
    today = pool.get('ir.date').today()
    year = today.year
    users = _users()
    campaign, created = load_campaign(year, users, today)
    load_plans(year, users, today)
    if created:
        load_campaign_activity(campaign, users, today)
