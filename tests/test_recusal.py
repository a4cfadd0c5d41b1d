"""Recusal (回避) on every route, and the one gate to reporter identity.

A leader who steps aside from a report sees nothing of it: not the report,
its reporters, reported persons, hand-offs, supervisions, ledger rows,
printouts, statistics rows, drill-downs or reminders; another leader still
does.  Every output carrying reporter identity goes through one gate that
writes the access log (反映人信息查阅记录) naming the route, and leaders reach
that log from their menu.
"""
import datetime as dt
import unittest
from unittest import mock

from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.report import Report
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from . import confidentiality_tools as tools

YEAR = {'date_from': dt.date(2026, 1, 1), 'date_to': dt.date(2026, 12, 31)}
# Scan the rendered ODT, not a PDF (conversion adds no data)
KEEP_RENDERING = mock.patch.object(Report, 'convert', classmethod(
        lambda cls, report, data, **kwargs: (
            report.template_extension, data)))


def execute(report_name, ids, data=None):
    "Run the report ``report_name`` as the current user; its content."
    pool = Pool()
    ActionReport = pool.get('ir.action.report')
    action, = ActionReport.search([('report_name', '=', report_name)])
    Printout = pool.get(report_name, type='report')
    with KEEP_RENDERING:
        _, content, _, _ = Printout.execute(ids, dict(data or {},
                action_id=action.id, model=action.model))
    return content


def district_ledger(kind='register'):
    return execute('jubao.analysis.ledger.xlsx', [],
        dict(YEAR, kind=kind, office=None))


class RecusalMixin:
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
        'jubao_portal']
    language = 'zh_CN'

    def assert_refused_if(self, refused, calls):
        "Each call raises AccessError when ``refused``, and works otherwise."
        for call in calls:
            if refused:
                with self.assertRaises(AccessError):
                    call()
            else:
                call()

    def build(self):
        "The confidentiality fixture; the leader steps aside from one report."
        pool = Pool()
        User = pool.get('res.user')
        Recusal = pool.get('jubao.case.recusal')
        tools.set_key_person_threshold(2)
        self.users = tools.create_users()
        self.users['leader2'], = User.create([{
                    'login': 'conf_leader2', 'name': 'conf_leader2',
                    'groups': [('add', [tools.ref('group_leader')])],
                    'jubao_offices': [
                        ('add', [tools.ref('office_general')])],
                    }])
        self.cases = tools.create_cases(self.users)
        self.recusal, = Recusal.create([{
                    'case': self.cases['handled'].id,
                    'user': self.users['leader'].id,
                    'relation': 'relative', 'note': '与被反映人系亲属'}])
        self.analyses = tools.create_analyses()
        self.handled = self.cases['handled']
        self.reporter, = self.handled.reporters
        self.name = tools.REPORTERS['handled']['name']

    def as_role(self, role):
        return tools.as_role(self.users[role].id)


class RecusalTestCase(RecusalMixin, _DBTestCase):
    "A recused user sees nothing of the report, on any route"

    @with_transaction()
    def test_report_and_children_hidden(self):
        "The report, reporters, persons, hand-offs, supervisions: hidden"
        pool = Pool()
        Case = pool.get('jubao.case')
        Reporter = pool.get('jubao.case.reporter')
        self.build()
        handled, reporter = self.handled, self.reporter
        children = ['jubao.case.subject', 'jubao.case.assignment',
            'jubao.supervision', 'jubao.clarification', 'jubao.case.recusal']
        for role, recused in [('leader', True), ('leader2', False)]:
            with self.subTest(role=role):
                set_user, set_context = self.as_role(role)
                with set_user, set_context:
                    self.assertEqual(
                        handled in Case.search([]), not recused)
                    reporters = Reporter.search([])
                    self.assertEqual(reporter in reporters, not recused)
                    self.assertEqual(bool(Reporter.search([
                                    ('name', '=', self.name)])), not recused)
                    for name in children:
                        Model = pool.get(name)
                        self.assertEqual(bool(Model.search([
                                        ('case', '=', handled.id)])),
                            not recused, msg=name)
                    calls = [
                        lambda: Case.read([handled.id], ['summary']),
                        lambda: Reporter.read([reporter.id], ['name']),
                        lambda: Reporter.export_data(
                            Reporter.browse([reporter.id]), ['name']),
                        ]
                    self.assert_refused_if(recused, calls)

    @with_transaction()
    def test_own_recusal_kept(self):
        "The recused user can neither lift nor change their recusal"
        Recusal = Pool().get('jubao.case.recusal')
        self.build()
        set_user, set_context = self.as_role('leader')
        with set_user, set_context:
            with self.assertRaises(AccessError):
                Recusal.delete([Recusal(self.recusal.id)])
            with self.assertRaises(AccessError):
                Recusal.write([Recusal(self.recusal.id)], {'note': '撤销'})
        self.assertTrue(Recusal.search([('id', '=', self.recusal.id)]))

    @with_transaction()
    def test_children_not_modified(self):
        "Nothing hanging off the report can be created, written or deleted"
        pool = Pool()
        Supervision = pool.get('jubao.supervision')
        self.build()
        handled = self.handled
        supervision, = handled.supervisions
        note, = pool.get('jubao.supervision.note').create([{
                    'supervision': supervision.id, 'note': '督办进展'}])
        records = [supervision, note, handled.clarifications[0],
            self.recusal, handled.subjects[0], handled.assignments[0]]
        set_user, set_context = self.as_role('leader')
        with set_user, set_context:
            # Each record is deleted once: Tryton skips records a refused
            # delete of the same transaction already counted as deleted.
            for record in records:
                Model = pool.get(record.__name__)
                calls = {
                    'write': lambda: Model.write([Model(record.id)], {}),
                    'delete': lambda: Model.delete([Model(record.id)]),
                    }
                for mode, call in calls.items():
                    with self.subTest(model=Model.__name__, mode=mode):
                        with self.assertRaises(AccessError):
                            call()
            creations = [
                (Supervision, {'case': handled.id, 'level': 'leader',
                        'reason': '再次督办', 'methods': ['letter'],
                        'responsible_office': tools.ref(
                            'office_discipline_1')}),
                (pool.get('jubao.case.recusal'), {'case': handled.id,
                        'user': self.users['leader2'].id,
                        'relation': 'other'}),
                ]
            for Model, values in creations:
                with self.subTest(model=Model.__name__, mode='create'):
                    with self.assertRaises(AccessError):
                        Model.create([values])
        for record in records:
            Model = pool.get(record.__name__)
            self.assertTrue(Model.search([('id', '=', record.id)]))

    @with_transaction()
    def test_ledgers_and_printouts(self):
        "No ledger row, notice or statistics row of the report"
        Statistic = Pool().get('jubao.report.case')
        self.build()
        handled, other = self.handled, self.cases['untouched']
        other_name = tools.REPORTERS['untouched']['name']
        for role, recused in [('leader', True), ('leader2', False)]:
            with self.subTest(role=role):
                set_user, set_context = self.as_role(role)
                with set_user, set_context:
                    content = district_ledger()
                    found = tools.found_secrets(content,
                        [handled.number, self.name, other.number, other_name])
                    self.assertEqual(found, sorted(
                            [other.number, other_name] + (
                                [] if recused else [handled.number,
                                    self.name])))
                    rows = Statistic.search([])
                    self.assertEqual(
                        handled.id in [r.case.id for r in rows], not recused)
                    for report in ['jubao.case.ledger',
                            'jubao.case.acceptance_notice',
                            'jubao.case.feedback_notice']:
                        if recused:
                            with self.assertRaises(AccessError):
                                execute(report, [handled.id])
                        else:
                            self.assertIn(self.name, tools.found_secrets(
                                    execute(report, [handled.id]),
                                    [self.name]))

    @with_transaction()
    def test_drill_downs(self):
        "The analysis drill-downs list other reports only"
        pool = Pool()
        Analysis = pool.get('jubao.analysis')
        Line = pool.get('jubao.analysis.line')
        Case = pool.get('jubao.case')
        self.build()
        analysis = self.analyses[0]
        # 张伟 is named in the report and in the untouched one
        line, = Line.search([('analysis', '=', analysis.id),
                ('section', '=', 'key_person'), ('label', 'like', '张伟%')])
        for role, recused in [('leader', True), ('leader2', False)]:
            with self.subTest(role=role):
                set_user, set_context = self.as_role(role)
                with set_user, set_context:
                    for action in [
                            Analysis.open_cases([Analysis(analysis.id)]),
                            Line.open_cases([Line(line.id)])]:
                        domain = PYSONDecoder().decode(
                            action['pyson_domain'])
                        found = Case.search(domain)
                        self.assertIn(self.cases['untouched'], found)
                        self.assertEqual(
                            self.handled in found, not recused)

    @with_transaction()
    def test_no_reminder(self):
        "Reminders about the report or its hand-offs skip the recused user"
        pool = Pool()
        Reminder = pool.get('jubao.reminder')
        Notification = pool.get('res.notification')
        self.build()
        leader, leader2 = self.users['leader'], self.users['leader2']
        assignment, = self.handled.assignments
        for record in [self.handled, assignment]:
            with self.subTest(record=record.__name__):
                sent = Reminder.send([leader, leader2], record, 'overdue',
                    '%s已超期' % self.handled.number)
                self.assertEqual([r.user for r in sent], [leader2])
        self.assertFalse(Notification.search([('user', '=', leader.id)]))
        # Other reports are still reminded to the leader
        sent = Reminder.send([leader], self.cases['untouched'], 'overdue',
            '超期')
        self.assertEqual([r.user for r in sent], [leader])


class AccessLogTestCase(RecusalMixin, _DBTestCase):
    "Every output of reporter identity is logged with its route"

    def log(self, user, case):
        "Routes logged for ``user`` and ``case`` (the log commits apart)."
        Access = Pool().get('jubao.reporter.access')
        with Transaction().new_transaction(), \
                Transaction().set_context(_check_access=False):
            return [a.route for a in Access.search([
                        ('user_id', '=', user.id),
                        ('case_id', '=', case.id)], order=[('id', 'ASC')])]

    @with_transaction()
    def test_routes_logged(self):
        "Form, export, ledgers and notices each write a log row"
        Reporter = Pool().get('jubao.case.reporter')
        Case = Pool().get('jubao.case')
        self.build()
        handled = self.handled
        # (route, role, output); the district ledger is the head's
        outputs = [
            ('form', 'clerk',
                lambda: Reporter.read([self.reporter.id], ['name'])),
            ('export', 'clerk', lambda: Reporter.export_data(
                    Reporter.browse([self.reporter.id]), ['name', 'phone'])),
            ('export', 'clerk', lambda: Case.export_data(
                    Case.browse([handled.id]), ['reporters/name'])),
            ('ledger', 'head', district_ledger),
            ('ledger', 'clerk',
                lambda: execute('jubao.case.ledger', [handled.id])),
            ('notice', 'clerk', lambda: execute(
                    'jubao.case.acceptance_notice', [handled.id])),
            ]
        for route, role, call in outputs:
            with self.subTest(route=route, role=role):
                user = self.users[role]
                before = len(self.log(user, handled))
                set_user, set_context = self.as_role(role)
                with set_user, set_context:
                    self.assertIn(self.name,
                        tools.found_secrets(call(), [self.name]))
                new = self.log(user, handled)[before:]
                self.assertTrue(new)
                self.assertEqual(set(new), {route})
        # A role without entitlement gets a ledger without identity, and
        # nothing is logged for it
        analyst = self.users['analyst']
        set_user, set_context = self.as_role('analyst')
        with set_user, set_context:
            content = district_ledger()
        self.assertFalse(tools.found_secrets(content, tools.secrets()))
        self.assertEqual(self.log(analyst, self.cases['untouched']), [])

    @with_transaction()
    def test_log_rows_of_recused_report_hidden(self):
        "The recused leader reads no log row about the report; others do"
        Access = Pool().get('jubao.reporter.access')
        self.build()
        handled, untouched = self.handled, self.cases['untouched']
        # Rows as the clerk's reads write them (in this transaction, not
        # committed apart as ReporterAccess.record does)
        hidden, shown = Access.create([{'user_id': self.users['clerk'].id,
                    'case_id': c.id, 'reporter_count': 1,
                    'fields_read': 'name', 'route': 'form',
                    'read_at': dt.datetime.now()}
                for c in [handled, untouched]])
        hidden, shown = hidden.id, shown.id
        for role, recused in [('leader', True), ('leader2', False)]:
            with self.subTest(role=role):
                set_user, set_context = self.as_role(role)
                with set_user, set_context:
                    found = Access.search([])
                    self.assertIn(shown, [a.id for a in found])
                    self.assertEqual(hidden in [a.id for a in found],
                        not recused)
                    self.assertEqual(Access.search_count(
                            [('case_id', '=', handled.id)]), int(not recused))
                    self.assertEqual(Access.search_count(
                            [('case', '=', handled.id)]), int(not recused))
                    Access.read([shown], ['case_id', 'case_readers'])
                    calls = [
                        lambda: Access.read([hidden], ['route']),
                        lambda: Access.export_data(
                            Access.browse([hidden]), ['route']),
                        ]
                    self.assert_refused_if(recused, calls)

    @with_transaction()
    def test_leader_menu(self):
        "Leaders and administrators reach the access log from their menu"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        Access = pool.get('jubao.reporter.access')
        self.build()
        menu_id = tools.ref('menu_reporter_access')
        for role, visible in [('leader', True), ('admin', True),
                ('clerk', False), ('analyst', False)]:
            with self.subTest(role=role):
                set_user, set_context = self.as_role(role)
                with set_user, set_context:
                    self.assertEqual(
                        bool(Menu.search([('id', '=', menu_id)])), visible)
                    if visible:
                        Access.search([('route', '=', 'ledger')])
                        fields = Access.fields_get(['route'])['route']
                        self.assertIn(('ledger', '台账'),
                            fields['selection'])


if __name__ == '__main__':
    unittest.main()
