import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.model.modelstorage import RequiredValidationError
from trytond.model.modelview import AccessButtonError
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from trytond.modules.jubao_intake.tests.tools import (
    as_user, check_deadlines, create_user, office)

from ..exceptions import (
    CampaignValidationError, EventValidationError, LeaderAccessError,
    PlanImportError, ReportError, ReportValidationError, TaskError,
    TaskValidationError, VisitItemError, VisitValidationError)

GOOD_CSV = (
    'section,number,title,content,units,deadline\n'
    '一、甲,1,任务一,内容一,信访室,20**年6月底\n'
    '一、甲,2,任务二,内容二,办公室、各街道纪工委,长期\n')
BAD_CSV = (
    'section,number,title,content,units,deadline\n'
    '一、甲,1,任务一,内容一,信访室,20**年6月底\n'
    '一、甲,2,任务二,内容二,信访室、宣传科,长期\n'
    '一、甲,3,任务三,内容三,第一至第六纪检监察室,尽快\n'
    '一、甲,4,任务四,内容四,不存在办,20**年底\n'
    ',5,任务五,内容五,信访室,20**年底\n')


class JubaoPublicityTestCase(ModuleTestCase):
    "Test jubao_publicity module"
    module = 'jubao_publicity'
    language = 'zh_CN'

    def _campaign(self, year=2026, **values):
        Campaign = Pool().get('jubao.campaign')
        values.setdefault('liaison_offices', [])
        campaign, = Campaign.create([dict({
                        'name': '%s宣传年' % year,
                        'year': year,
                        'start_date': dt.date(year, 3, 1),
                        'end_date': dt.date(year, 12, 31),
                        'office': office('office_complaints').id,
                        }, **values)])
        Campaign.create_phases([campaign])
        return campaign

    # Import ---------------------------------------------------------------

    @with_transaction()
    def test_import_implementation_plan(self):
        "Import the seed implementation plan: 19 tasks in 5 sections"
        pool = Pool()
        Plan = pool.get('jubao.plan')
        Office = pool.get('jubao.office')
        plan = Plan.import_seed('implementation', 2026)

        self.assertEqual(plan.year, 2026)
        self.assertEqual(len(plan.tasks), 19)
        self.assertEqual(len(plan.sections), 5)
        self.assertEqual(plan.sections[0].name, '一、进一步畅通信访举报渠道')
        tasks = {t.number: t for t in plan.tasks}
        self.assertEqual(sorted(tasks, key=int),
            [str(n) for n in range(1, 20)])
        streets = Office.search([('kind', '=', 'street')])
        stationed = Office.search([('kind', '=', 'stationed')])

        task = tasks['1']
        self.assertEqual(task.name, '加强规范化建设')
        self.assertTrue(task.content.startswith('严格按照中央纪委'))
        self.assertEqual(task.subsection, '(一)优化来访接待场所')
        self.assertEqual(task.deadline_type, 'year_end')
        self.assertEqual(task.deadline, dt.date(2026, 12, 31))
        self.assertEqual(task.deadline_text, '2026年底')
        self.assertEqual(task.due_date, dt.date(2026, 12, 31))
        self.assertEqual(set(task.offices), {
                office('office_general'), office('office_complaints')}
            | set(streets))
        self.assertIsNone(task.responsible_leader)
        self.assertIsNone(task.assisting_leader)
        self.assertEqual(task.state, 'not_started')

        task = tasks['2']
        self.assertEqual(task.deadline_type, 'long_term')
        self.assertIsNone(task.deadline)
        self.assertEqual(task.review_rhythm, 'quarterly')
        self.assertEqual(task.due_date, dt.date(2026, 4, 30))

        task = tasks['4']
        self.assertEqual(task.deadline_type, 'month_end')
        self.assertIsNone(task.deadline)
        self.assertEqual(task.deadline_text, '2026年*月底')
        self.assertEqual(set(task.offices), {office('office_publicity'),
                office('office_complaints')} | set(streets))

        self.assertEqual(tasks['7'].deadline_type, 'long_term')
        self.assertEqual(tasks['19'].name, '打造忠诚干净担当的信访举报干部队伍')
        discipline = {office('office_discipline_%s' % n)
            for n in range(1, 7)}
        self.assertEqual(set(tasks['14'].offices), {
                office('office_complaints'),
                office('office_case_management'),
                office('office_trial')} | discipline | set(streets)
            | set(stationed))
        counts = {}
        for task in plan.tasks:
            counts[task.deadline_type] = counts.get(task.deadline_type, 0) + 1
        self.assertEqual(counts,
            {'year_end': 4, 'month_end': 4, 'long_term': 11})

    @with_transaction()
    def test_import_publicity_plan_into_campaign(self):
        "Import the publicity year plan into the campaign's four phases"
        pool = Pool()
        Plan = pool.get('jubao.plan')
        campaign = self._campaign()
        plan = Plan.import_seed('publicity', 2026, campaign=campaign)

        self.assertEqual(len(plan.tasks), 8)
        self.assertEqual(len(plan.sections), 4)
        phases = {p.kind: p for p in campaign.phases}
        self.assertEqual(
            [(t.phase.kind, t.number) for t in plan.tasks],
            [('launch', '1'), ('launch', '2'), ('push', '1'), ('push', '2'),
                ('push', '3'), ('deepening', '1'), ('deepening', '2'),
                ('summary', '1')])
        for task in plan.tasks:
            self.assertTrue(task.phase.start_date <= task.deadline
                <= task.phase.end_date)
        self.assertEqual(phases['push'].start_date, dt.date(2026, 4, 1))
        self.assertEqual(phases['push'].end_date, dt.date(2026, 6, 30))
        self.assertEqual(len(phases['push'].tasks), 3)
        self.assertEqual(plan.tasks[2].name, '开展集中宣传')

    @with_transaction()
    def test_import_unknown_unit_creates_nothing(self):
        "A file with unknown units or bad deadlines creates nothing"
        pool = Pool()
        Plan = pool.get('jubao.plan')
        Task = pool.get('jubao.plan.task')
        with self.assertRaises(PlanImportError) as cm:
            Plan.import_file(BAD_CSV.encode('utf-8'), 'bad.csv', '坏方案',
                2026)
        message = cm.exception.message + cm.exception.description
        self.assertIn('宣传科', message)
        self.assertIn('不存在办', message)
        self.assertIn('尽快', message)
        self.assertIn('缺少所属部分', message)
        self.assertNotIn('第2行', message)
        self.assertEqual(
            [l.split('（')[0] for l in cm.exception.description.splitlines()],
            ['第3行', '第4行', '第5行', '第6行'])
        self.assertEqual(Plan.search([]), [])
        self.assertEqual(Task.search([]), [])

    @with_transaction()
    def test_import_error_in_chinese(self):
        "Users of the zh_CN interface read the import errors in Chinese"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Plan = pool.get('jubao.plan')
        Lang.load_translations(Lang.search([('code', '=', 'zh_CN')]))
        with Transaction().set_context(language='zh_CN'):
            with self.assertRaises(PlanImportError) as cm:
                Plan.import_file(BAD_CSV.encode('utf-8'), 'bad.csv',
                    '坏方案', 2026)
        self.assertEqual(cm.exception.message,
            '导入失败：有4行数据有误，未创建任何记录。')
        lines = cm.exception.description.splitlines()
        self.assertEqual(lines[0],
            '第3行（任务2）：无法识别的责任单位：宣传科')
        self.assertEqual(lines[1],
            '第4行（任务3）：无法识别完成时限“尽快”')
        self.assertEqual(Plan.search([]), [])

    @with_transaction()
    def test_import_bad_files(self):
        "Missing columns, empty files and bad years are refused"
        Plan = Pool().get('jubao.plan')
        for data in [b'section,number,title\n1,2,3\n',
                b'section,number,title,units,deadline\n',
                b'\xff\xfe\x00bad']:
            with self.subTest(data=data):
                with self.assertRaises(PlanImportError):
                    Plan.import_file(data, 'x.csv', '方案', 2026)
        with self.assertRaises(PlanImportError):
            Plan.import_file(GOOD_CSV.encode('utf-8'), 'x.csv', '方案', 20)
        self.assertEqual(Plan.search([]), [])
        plan = Plan.import_file(GOOD_CSV.encode('utf-8'), 'x.csv', '方案',
            2027)
        self.assertEqual([t.deadline for t in plan.tasks],
            [dt.date(2027, 6, 30), None])

    # Tasks and board ------------------------------------------------------

    @with_transaction()
    def test_board_state_moves(self):
        "Tasks move across the board columns and only the leader approves"
        pool = Pool()
        Plan = pool.get('jubao.plan')
        Task = pool.get('jubao.plan.task')
        Progress = pool.get('jubao.plan.task.progress')
        leader = create_user('leader', 'group_leader', 'office_general')
        other_leader = create_user('leader2', 'group_leader', 'office_general')
        plan = Plan.import_file(GOOD_CSV.encode('utf-8'), 'x.csv', '方案',
            2026)
        task, long_task = plan.tasks

        def column(state):
            return Task.search([('state', '=', state)])

        self.assertEqual(column('not_started'), [task, long_task])
        Task.start([task])
        self.assertEqual(column('in_progress'), [task])
        with self.assertRaises(TaskError):
            Task.request_approval([task])  # no progress yet
        Progress.create([{'task': task.id,
                    'office': office('office_complaints').id,
                    'description': '已完成场所改造', 'percent': 100}])
        Progress.create([{'task': long_task.id,
                    'office': office('office_general').id,
                    'description': '按季度推进'}])
        self.assertEqual(long_task.state, 'in_progress')
        self.assertEqual(task.percent, 100)
        Task.request_approval([task])
        self.assertEqual(column('awaiting_approval'), [task])

        with self.assertRaises(TaskError):
            Task.approve([task])  # no responsible leader yet
        Task.write([task], {'responsible_leader': leader.id,
                'assisting_leader': other_leader.id})
        with Transaction().set_user(other_leader.id):
            with self.assertRaises(LeaderAccessError):
                Task.approve([task])
        self.assertEqual(task.state, 'awaiting_approval')
        with Transaction().set_user(leader.id):
            self.assertEqual(Task.search([('my_task', '=', True)]), [task])
            Task.send_back([task])
            self.assertEqual(task.state, 'in_progress')
            Task.request_approval([task])
            Task.approve([task])
        self.assertEqual(column('done'), [task])
        self.assertEqual(task.approved_by, leader)
        with Transaction().set_user(other_leader.id):
            self.assertEqual(Task.search([('my_task', '=', True)]), [task])

        # Overdue column
        Task.write([long_task], {'deadline_type': 'date',
                'deadline': dt.date(2026, 1, 31), 'review_rhythm': None})
        overdue = Task.search([('due_status', '=', 'overdue')])
        self.assertEqual(overdue, [long_task])
        self.assertEqual(Plan(plan.id).overdue_count, 1)

        # Graph of tasks per unit and state
        Stat = pool.get('jubao.plan.task.unit_stat')
        stats = Stat.search([('office', '=', office('office_complaints'))])
        self.assertEqual([(s.task, s.done) for s in stats], [(task, 1)])

    @with_transaction()
    def test_board_filters(self):
        "The board columns and the task list filter by state, leader and unit"
        pool = Pool()
        Plan = pool.get('jubao.plan')
        Task = pool.get('jubao.plan.task')
        Action = pool.get('ir.action.act_window')
        ModelData = pool.get('ir.model.data')
        a = create_user('leader_a', 'group_leader', 'office_general')
        b = create_user('leader_b', 'group_leader', 'office_general')
        plan = Plan.import_file(GOOD_CSV.encode('utf-8'), 'x.csv', '方案',
            2026)
        t1, t2 = plan.tasks
        Task.write([t1], {'responsible_leader': a.id},
            [t2], {'responsible_leader': b.id, 'assisting_leader': a.id})
        Task.start([t1])

        def tasks(fs_id, **context):
            action = Action(ModelData.get_id('jubao_publicity', fs_id))
            decoder = PYSONDecoder(context)
            domain = [decoder.decode(action.domain or '[]'),
                decoder.decode(action.context_domain or '[]')]
            return Task.search(domain, order=[('id', 'ASC')])

        self.assertEqual(tasks('act_task_form'), [t1, t2])
        self.assertEqual(tasks('act_task_form', leader=a.id), [t1, t2])
        self.assertEqual(tasks('act_task_form', leader=b.id), [t2])
        self.assertEqual(tasks('act_task_form',
                office=office('office_street_1').id), [t2])
        self.assertEqual(tasks('act_task_form',
                office=office('office_complaints').id, leader=a.id), [t1])
        self.assertEqual(tasks('act_task_form', plan=plan.id + 1), [])
        # The columns and filters of the kanban board (board.py)
        from trytond.modules.jubao_publicity.board import TASK_BOARD

        def column(state, **values):
            return Task.search(TASK_BOARD.domain(state, values),
                order=[('id', 'ASC')])
        self.assertEqual(column('not_started'), [t2])
        self.assertEqual(column('in_progress'), [t1])
        self.assertEqual(column('in_progress', leader=b.id), [])
        self.assertEqual(column('not_started', leader=a.id), [t2])
        self.assertEqual(column('not_started',
                unit=office('office_complaints').id), [])
        self.assertEqual(column('not_started', year=2026), [t2])
        self.assertEqual(column('not_started', year=2025), [])
        self.assertEqual(column('awaiting_approval'), [])
        self.assertEqual(column('done'), [])
        # Both are past their 2026 deadline or quarterly review date
        self.assertEqual(Task.search([('due_status', '=', 'overdue')],
                order=[('id', 'ASC')]), [t1, t2])

    @with_transaction()
    def test_deadline_rules(self):
        "Deadlines must match their type and lie inside their phase"
        pool = Pool()
        Plan = pool.get('jubao.plan')
        Task = pool.get('jubao.plan.task')
        campaign = self._campaign()
        plan = Plan.import_seed('publicity', 2026, campaign=campaign)
        task = plan.tasks[0]  # launch phase, March
        with self.assertRaises(TaskValidationError) as cm:
            Task.write([task], {'deadline': dt.date(2026, 5, 31)})
        self.assertIn('2026-05-31', cm.exception.message)
        with self.assertRaises(TaskValidationError):
            Task.write([task], {'deadline': dt.date(2026, 3, 15)})
        with self.assertRaises(TaskValidationError):
            Task.write([task], {'deadline_type': 'year_end'})
        with self.assertRaises(RequiredValidationError):  # review rhythm
            Task.write([task], {'deadline_type': 'long_term',
                    'deadline': None})
        Task.write([task], {'deadline_type': 'date',
                'deadline': dt.date(2026, 3, 15)})
        self.assertEqual(task.due_date, dt.date(2026, 3, 15))

    def _tasks_due(self):
        "A task due in 3 days with a leader, one overdue for the office."
        pool = Pool()
        Plan = pool.get('jubao.plan')
        Task = pool.get('jubao.plan.task')
        Office = pool.get('jubao.office')
        today = pool.get('ir.date').today()
        leader = create_user('leader', 'group_leader', 'office_general')
        liaison = create_user('liaison', 'group_clerk', 'office_complaints')
        Office.write([office('office_complaints')], {'liaison': liaison.id})
        plan = Plan.import_file(GOOD_CSV.encode('utf-8'), 'x.csv', '方案',
            today.year)
        soon, late = plan.tasks
        Task.write([soon], {'deadline_type': 'date',
                'deadline': today + dt.timedelta(days=3),
                'responsible_leader': leader.id})
        Task.write([late], {'deadline_type': 'date', 'review_rhythm': None,
                'deadline': today - dt.timedelta(days=1),
                'offices': [('remove', [o.id for o in late.offices])]})
        Task.write([late], {'offices': [
                    ('add', [office('office_complaints').id])]})
        return soon, late

    @with_transaction()
    def test_task_reminders(self):
        "Due-soon and overdue tasks remind leaders and units once a day"
        Reminder = Pool().get('jubao.reminder')
        soon, late = self._tasks_due()

        created = Reminder.run_deadlines()
        self.assertEqual(sorted({(r.resource.number, r.kind)
                    for r in created}),
            [('1', 'due_soon'), ('2', 'overdue')])
        reminders = Reminder.search([])
        self.assertEqual(sorted((str(r.resource), r.kind, r.user.login)
                for r in reminders), sorted([
                    (str(soon), 'due_soon', 'leader'),
                    (str(soon), 'due_soon', 'liaison'),
                    (str(late), 'overdue', 'liaison'),
                    ]))
        self.assertIn('方案', reminders[0].message)
        Reminder.run_deadlines()
        self.assertEqual(len(Reminder.search([])), 3)

    @with_transaction()
    def test_task_due_soon_window_is_the_plans(self):
        "A task is due soon within its plan's reminder days, not before"
        pool = Pool()
        Plan = pool.get('jubao.plan')
        Task = pool.get('jubao.plan.task')
        soon, late = self._tasks_due()
        self.assertEqual((soon.due_status, late.due_status),
            ('due_soon', 'overdue'))
        Plan.write([soon.plan], {'reminder_days': 2})
        soon = Task(soon.id)
        self.assertIsNone(soon.due_status)
        self.assertEqual(soon.next_due, soon.due_date)
        self.assertNotIn(soon, Task.search([('due_status', '=', 'due_soon')]))

    @with_transaction()
    def test_deadlines_declared_once(self):
        "Tasks, monthly reports, rectifications: status read as searched"
        pool = Pool()
        Campaign = pool.get('jubao.campaign')
        Visit = pool.get('jubao.campaign.visit')
        today = pool.get('ir.date').today()
        self._tasks_due()
        street = office('office_street_1')
        campaign = self._campaign(year=today.year,
            start_date=dt.date(today.year, 1, 1),
            liaison_offices=[('add', [street.id])])
        Campaign.run_monthly_reports()
        Visit.create([{'campaign': campaign.id, 'date': today,
                    'office': street.id, 'subject': '宣传年工作调研',
                    'items': [('create', [{'description': '更新宣传栏',
                                    'owner': street.id,
                                    'deadline': today}])]}])
        self.assertEqual(check_deadlines(self), {None, 'due_soon', 'overdue'})

    @with_transaction()
    def test_done_task_leaves_no_deadline(self):
        "A task done has no deadline status and is no longer reminded"
        pool = Pool()
        Task = pool.get('jubao.plan.task')
        Reminder = pool.get('jubao.reminder')
        soon, late = self._tasks_due()
        Task.write([late], {'state': 'done'})
        late = Task(late.id)
        self.assertIsNone(late.due_status)
        self.assertIsNone(late.working_days_left)
        self.assertEqual({r.resource for r in Reminder.run_deadlines()},
            {soon})

    # Campaign ---------------------------------------------------------------

    @with_transaction()
    def test_monthly_report_job(self):
        "The job creates report slots, finds the missing ones, reminds once"
        pool = Pool()
        Campaign = pool.get('jubao.campaign')
        Report = pool.get('jubao.campaign.report')
        Reminder = pool.get('jubao.reminder')
        Office = pool.get('jubao.office')
        street1, street2 = office('office_street_1'), office('office_street_2')
        liaison1 = create_user('liaison1', 'group_unit', 'office_street_1')
        liaison2 = create_user('liaison2', 'group_unit', 'office_street_2')
        Office.write([street1], {'liaison': liaison1.id})
        Office.write([street2], {'liaison': liaison2.id})
        campaign = self._campaign(liaison_offices=[
                ('add', [street1.id, street2.id])])

        def missing(date):
            "The reports reminded by the deadline job run on ``date``."
            Campaign.run_monthly_reports(date=date)
            return sorted({(r.resource.office.code, r.resource.month)
                    for r in Reminder.run_deadlines(today=date)})

        # Before the reminder day of April only March is missing
        self.assertEqual(missing(dt.date(2026, 4, 10)), [
                (street1.code, dt.date(2026, 3, 1)),
                (street2.code, dt.date(2026, 3, 1))])
        self.assertEqual(len(Report.search([])), 4)
        self.assertEqual(len(Reminder.search([])), 2)

        march1, = Report.search([('office', '=', street1),
                ('month', '=', dt.date(2026, 3, 1))])
        Report.write([march1], {'work_progress': '开展四进活动2场',
                'articles': [('create', [{'title': '信访举报知识进社区',
                                'medium': '廉政网',
                                'date': dt.date(2026, 3, 20),
                                'link': 'https://example.org/1'}])]})
        Report.submit([march1])

        # Street 2's March report, still missing 16 days after its first
        # reminder, is past the daily period: reminded again (weekly).
        self.assertEqual(missing(dt.date(2026, 4, 26)), [
                (street1.code, dt.date(2026, 4, 1)),
                (street2.code, dt.date(2026, 3, 1)),
                (street2.code, dt.date(2026, 4, 1))])
        self.assertEqual(len(Report.search([])), 4)
        self.assertEqual(len(Reminder.search([])), 5)
        self.assertEqual(len(Reminder.search(
                    [('user', '=', liaison2.id)])), 3)
        # The same day again: nothing twice
        self.assertEqual(missing(dt.date(2026, 4, 26)), [])
        self.assertEqual(len(Reminder.search([])), 5)
        self.assertEqual(len(Report.search([])), 4)
        self.assertEqual(len(campaign.missing_reports),
            len(Report.search([('state', '=', 'draft')])))

    @with_transaction()
    def test_report_bad_input(self):
        "Reports for months not started, duplicates, empty submissions"
        pool = Pool()
        Report = pool.get('jubao.campaign.report')
        Date = pool.get('ir.date')
        today = Date.today()
        street = office('office_street_1')
        campaign = self._campaign(year=today.year,
            start_date=dt.date(today.year, 1, 1))
        next_month = (today.replace(day=28) + dt.timedelta(days=5)).replace(
            day=1)
        with self.assertRaises(ReportValidationError):
            Report.create([{'campaign': campaign.id, 'office': street.id,
                        'month': next_month}])
        report, = Report.create([{'campaign': campaign.id,
                    'office': street.id, 'month': today}])
        self.assertEqual(report.month, today.replace(day=1))
        with self.assertRaises(ReportError):
            Report.submit([report])
        with self.assertRaises(UserError):
            Report.create([{'campaign': campaign.id, 'office': street.id,
                        'month': today.replace(day=1)}])

    @with_transaction()
    def test_events_and_visits(self):
        "Events get their phase; visit items are tracked to closure"
        pool = Pool()
        Event = pool.get('jubao.campaign.event')
        Visit = pool.get('jubao.campaign.visit')
        Item = pool.get('jubao.campaign.visit.item')
        campaign = self._campaign()
        street = office('office_street_1')
        event, = Event.create([{'campaign': campaign.id, 'name': '进社区',
                    'kind': 'community', 'date': dt.date(2026, 5, 12),
                    'organiser': street.id, 'place': '人民路社区',
                    'participants': 80, 'brochures': 300,
                    'board_scope': True}])
        self.assertEqual(event.phase.kind, 'push')
        with self.assertRaises(EventValidationError):
            Event.create([{'campaign': campaign.id, 'name': '太早',
                        'kind': 'organ', 'date': dt.date(2026, 2, 1),
                        'organiser': street.id, 'place': '机关'}])
        visit, = Visit.create([{'campaign': campaign.id,
                    'date': dt.date(2026, 5, 20), 'office': street.id,
                    'subject': '宣传年工作调研',
                    'findings': '宣传栏未更新',
                    'items': [('create', [{'description': '更新宣传栏',
                                    'owner': street.id,
                                    'deadline': dt.date(2026, 6, 30)}])]}])
        self.assertEqual(visit.state, 'open')
        self.assertEqual(Visit.search([('state', '=', 'open')]), [visit])
        item, = visit.items
        with self.assertRaises(VisitItemError):
            Item.close([item])  # no result
        Item.write([item], {'result': '已更新'})
        Item.close([item])
        self.assertEqual(item.state, 'closed')
        self.assertEqual(item.closed_date, Pool().get('ir.date').today())
        self.assertEqual(Visit.search([('state', '=', 'closed')]), [visit])
        self.assertEqual(Visit.search([('state', '=', 'open')]), [])
        with self.assertRaises(VisitValidationError):
            Item.create([{'visit': visit.id, 'description': 'x',
                        'owner': street.id, 'deadline': dt.date(2026, 5, 1)}])

    @with_transaction()
    def test_campaign_kpis(self):
        "KPIs from report data compared with previous year and start"
        pool = Pool()
        Campaign = pool.get('jubao.campaign')
        Case = pool.get('jubao.case')
        campaign = self._campaign(awareness_rate=Decimal('62.5'),
            awareness_rate_previous=Decimal('40'),
            awareness_rate_start=Decimal('45'))

        def cases(date, total, out_of_scope, real_name, online,
                state='registered'):
            vlist = []
            for i in range(total):
                values = {
                    'channel': 'online' if i < online else 'letter',
                    'received_date': date,
                    'summary': '测试%s' % i,
                    'scope': ('out_of_scope' if i < out_of_scope
                        else 'in_scope'),
                    'real_name': i < real_name,
                    }
                if i < real_name:
                    values['reporters'] = [('create', [{
                                    'name': '举报人%s' % i,
                                    'phone': '13912345678'}])]
                vlist.append(values)
            records = Case.create(vlist)
            Case.write(records, {'state': state})
        cases(dt.date(2026, 4, 15), 10, 2, 4, 5)  # campaign so far
        cases(dt.date(2026, 5, 15), 3, 3, 0, 3, state='draft')  # ignored
        cases(dt.date(2025, 4, 15), 8, 4, 1, 2)  # same period last year
        cases(dt.date(2026, 1, 15), 4, 2, 1, 1)  # before the campaign
        cases(dt.date(2025, 8, 15), 5, 5, 5, 5)  # in no window

        Campaign.compute_kpis([campaign], date=dt.date(2026, 6, 30))
        self.assertEqual(campaign.kpi_date, dt.date(2026, 6, 30))
        kpis = {k.indicator: k for k in campaign.kpis}
        self.assertEqual(len(kpis), 5)

        def row(indicator):
            k = kpis[indicator]
            return (k.current, k.previous, k.start, k.change_previous,
                k.change_start, k.improved_previous, k.improved_start)
        self.assertEqual(row('out_of_scope'), (Decimal('20.0'),
                Decimal('50.0'), Decimal('50.0'), Decimal('-30.0'),
                Decimal('-30.0'), True, True))
        self.assertEqual((kpis['out_of_scope'].count,
                kpis['out_of_scope'].total), (2, 10))
        self.assertEqual(row('real_name'), (Decimal('40.0'),
                Decimal('12.5'), Decimal('25.0'), Decimal('27.5'),
                Decimal('15.0'), True, True))
        self.assertEqual(row('online'), (Decimal('50.0'),
                Decimal('25.0'), Decimal('25.0'), Decimal('25.0'),
                Decimal('25.0'), True, True))
        self.assertEqual(row('awareness'), (Decimal('62.5'),
                Decimal('40.0'), Decimal('45.0'), Decimal('22.5'),
                Decimal('17.5'), True, True))
        # No report was found to be a false accusation in any window
        self.assertEqual(row('false_accusation'),
            (0, 0, 0, 0, 0, False, False))
        # Recomputing replaces the rows
        Campaign.compute_kpis([campaign], date=dt.date(2026, 6, 30))
        self.assertEqual(len(Campaign(campaign.id).kpis), 5)

    @with_transaction()
    def test_campaign_kpi_false_accusations(self):
        "Reports concluded as 诬告陷害 are counted; shares have one decimal"
        pool = Pool()
        Campaign = pool.get('jubao.campaign')
        Case = pool.get('jubao.case')
        campaign = self._campaign()

        def cases(date, count, false_count, out_of_scope=0):
            records = Case.create([{
                        'channel': 'letter',
                        'received_date': date,
                        'summary': '测试%s' % i,
                        'scope': ('out_of_scope' if i < out_of_scope
                            else 'in_scope'),
                        } for i in range(count)])
            Case.write(records, {'state': 'registered'})
            # Marks only on accusations concluded as untrue
            untrue = {'kind': 'accusation', 'state': 'concluded',
                'truth': 'false'}
            Case.write(records[:false_count],
                dict(untrue, accusation='false_accusation'))
            Case.write(records[false_count:false_count + 1],
                dict(untrue, accusation='mistaken'))
        cases(dt.date(2026, 5, 1), 6, 1, out_of_scope=1)
        cases(dt.date(2025, 5, 1), 6, 3)
        cases(dt.date(2026, 2, 1), 4, 2)

        Campaign.compute_kpis([campaign], date=dt.date(2026, 6, 30))
        kpis = {k.indicator: k for k in campaign.kpis}
        kpi = kpis['false_accusation']
        self.assertEqual((kpi.count, kpi.total), (1, 6))
        self.assertEqual((kpi.current, kpi.previous, kpi.start),
            (1, 3, 2))
        self.assertEqual((kpi.change_previous, kpi.change_start), (-2, -1))
        self.assertTrue(kpi.improved_previous)
        self.assertTrue(kpi.improved_start)
        # 1 of 6 reports: rounded half up to one decimal as in the analysis
        self.assertEqual(kpis['out_of_scope'].current, Decimal('16.7'))
        self.assertEqual(kpis['out_of_scope'].change_previous,
            Decimal('16.7'))

    @with_transaction()
    def test_campaign_bad_input(self):
        "Campaign dates and phases stay inside the campaign year"
        pool = Pool()
        Campaign = pool.get('jubao.campaign')
        Phase = pool.get('jubao.campaign.phase')
        with self.assertRaises(CampaignValidationError):
            self._campaign(year=2025, end_date=dt.date(2026, 1, 31))
        campaign = self._campaign()
        self.assertEqual([p.kind for p in campaign.phases],
            ['launch', 'push', 'deepening', 'summary'])
        with self.assertRaises(CampaignValidationError):
            Phase.write([campaign.phases[0]],
                {'end_date': dt.date(2026, 4, 15)})  # overlaps the push
        with self.assertRaises(UserError):
            Campaign.create([{'name': '重复', 'year': 2026,
                        'start_date': dt.date(2026, 3, 1),
                        'end_date': dt.date(2026, 12, 31),
                        'office': office('office_complaints').id}])

    # Roles ----------------------------------------------------------------

    @with_transaction()
    def test_unit_edits_only_its_own(self):
        "A unit user edits only its own progress, reports and items"
        pool = Pool()
        Plan = pool.get('jubao.plan')
        Task = pool.get('jubao.plan.task')
        Progress = pool.get('jubao.plan.task.progress')
        Report = pool.get('jubao.campaign.report')
        Event = pool.get('jubao.campaign.event')
        Campaign = pool.get('jubao.campaign')
        street1, street2 = office('office_street_1'), office('office_street_2')
        unit1 = create_user('unit1', 'group_unit', 'office_street_1')
        create_user('unit2', 'group_unit', 'office_street_2')
        plan = Plan.import_seed('implementation', 2026)
        task = [t for t in plan.tasks if t.number == '3'][0]
        other, = Progress.create([{'task': task.id, 'office': street2.id,
                    'description': '街道二进展'}])
        campaign = self._campaign(liaison_offices=[
                ('add', [street1.id, street2.id])])
        Campaign.create_reports([campaign], date=dt.date(2026, 3, 31))
        own_report, = Report.search([('office', '=', street1)])
        other_report, = Report.search([('office', '=', street2)])

        with as_user(unit1):
            mine, = Progress.create([{'task': task.id, 'office': street1.id,
                        'description': '街道一进展', 'percent': 50}])
            Progress.write([mine], {'percent': 60})
            self.assertEqual(mine.user, unit1)
            # Posted by someone else: refused, on creation and after
            with self.assertRaises(AccessError):
                Progress.create([{'task': task.id, 'office': street1.id,
                            'description': '冒名填报', 'user': 0}])
            with self.assertRaises(AccessError):
                Progress.write([mine], {'user': other.user.id})
            with self.assertRaises(AccessError):
                Progress.write([other], {'description': '改别人的'})
            with self.assertRaises(AccessError):
                Progress.create([{'task': task.id, 'office': street2.id,
                            'description': '冒充街道二'}])
            with self.assertRaises(AccessError):
                Task.write([task], {'name': '改任务'})
            with self.assertRaises(AccessError):
                Plan.create([{'name': '新方案', 'year': 2026}])

            Report.write([own_report], {'work_progress': '本月发稿1篇'})
            Report.submit([own_report])
            with self.assertRaises(AccessError):
                Report.write([other_report], {'work_progress': '改别人的'})
            with self.assertRaises(AccessError):
                Report.submit([other_report])

            Event.create([{'campaign': campaign.id, 'name': '进社区',
                        'kind': 'community', 'date': dt.date(2026, 4, 2),
                        'organiser': street1.id, 'place': '社区'}])
            with self.assertRaises(AccessError):
                Event.create([{'campaign': campaign.id, 'name': '冒名',
                            'kind': 'community', 'date': dt.date(2026, 4, 2),
                            'organiser': street2.id, 'place': '社区'}])
            with self.assertRaises(AccessButtonError):
                Campaign.compute_kpis([campaign])
        self.assertEqual(Progress(mine).percent, 60)
        self.assertEqual(Report(own_report).state, 'submitted')
        self.assertEqual(Report(other_report).state, 'draft')

    @with_transaction()
    def test_leader_sees_and_approves_own_tasks(self):
        "A leader finds tasks through 'my tasks' and cannot edit progress"
        pool = Pool()
        Plan = pool.get('jubao.plan')
        Task = pool.get('jubao.plan.task')
        Progress = pool.get('jubao.plan.task.progress')
        leader = create_user('leader', 'group_leader', 'office_general')
        plan = Plan.import_file(GOOD_CSV.encode('utf-8'), 'x.csv', '方案',
            2026)
        task = plan.tasks[0]
        Task.write([task], {'responsible_leader': leader.id})
        progress, = Progress.create([{'task': task.id,
                    'office': office('office_complaints').id,
                    'description': '完成'}])
        Task.request_approval([task])
        with as_user(leader):
            self.assertEqual(Task.search([('my_task', '=', True)]), [task])
            with self.assertRaises(AccessError):
                Progress.write([progress], {'description': '领导改'})
            Task.approve([task])
        self.assertEqual(Task(task.id).state, 'done')

    # Demo -------------------------------------------------------------------

    @with_transaction()
    def test_demo(self):
        "The demo loads both plans and a campaign, and is idempotent"
        from trytond.modules.jubao_intake import demo as intake_demo

        from .. import demo
        pool = Pool()
        Plan = pool.get('jubao.plan')
        Task = pool.get('jubao.plan.task')
        Campaign = pool.get('jubao.campaign')
        Report = pool.get('jubao.campaign.report')
        today = pool.get('ir.date').today()
        Lang = pool.get('ir.lang')
        Lang.write(Lang.search([('code', '=', 'zh_CN')]),
            {'translatable': True})
        intake_demo.load_users()
        with Transaction().set_context(_check_access=False):
            demo.load_demo()
            demo.load_demo()
        plans = Plan.search([('year', '=', today.year)])
        self.assertEqual(sorted(len(p.tasks) for p in plans), [8, 19])
        self.assertEqual(Task.search([('responsible_leader', '=', None)]),
            [])
        self.assertEqual(Task.search([('deadline_type', '=', 'month_end'),
                    ('deadline', '=', None)]), [])
        campaign, = Campaign.search([])
        implementation, = [p for p in plans if len(p.tasks) == 19]
        self.assertEqual(implementation.done_count, 1)
        publicity, = [p for p in plans if len(p.tasks) == 8]
        self.assertEqual(publicity.done_count, len([t for t in
                    publicity.tasks if t.deadline < today]))
        self.assertEqual(len(campaign.phases), 4)
        self.assertEqual(len(campaign.members), 5)
        self.assertEqual(len(campaign.events), 8)
        self.assertEqual(len(campaign.visits), 2)
        self.assertEqual(len(campaign.kpis), 5)
        self.assertTrue(all(t.phase for t in publicity.tasks))
        if today >= campaign.start_date:
            self.assertTrue(Report.search([('state', '=', 'submitted')]))
            self.assertTrue(Report.search([('state', '=', 'draft')]))


del ModuleTestCase
