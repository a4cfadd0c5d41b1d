"""Cross-module confidentiality: reporters' identity and offices' reports.

A reporter's identity (jubao.case.reporter: name, ID number, phone, address,
unit) is seen only by the complaints office, its head, leaders and
administrators.  Discipline offices, street committees, stationed agencies
and analysts never get it: not by reading, searching, exporting, record
names, printouts, wizards, reminders or copies in other models.  Street
committees and stationed agencies see only the reports their office handles,
in every model hanging off a report.

The checks walk the pool: every stored model whose name starts with
``jubao.`` (and the generic models a module could copy identity into) is
covered, so models added later are checked without editing this file.
"""
import unittest
from unittest import mock

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.report import Report
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from . import confidentiality_tools as tools

# Generic models into which a module could copy identity
EXTRA_MODELS = {'res.notification', 'ir.attachment', 'ir.note', 'res.user',
    'ir.email'}
# Reports without a model: the data each is printed with.
REPORT_DATA = {
    'jubao.routing.quarterly_return': [
        {'year': 2026, 'quarter': 1, 'kind': kind}
        for kind in ['concluded', 'repeats']],
    'jubao.analysis.ledger.xlsx': [
        {'kind': kind, 'date_from': tools.dt.date(2026, 1, 1),
            'date_to': tools.dt.date(2026, 12, 31), 'office': None}
        for kind in ['register', 'real_name', 'repeat', 'out_of_scope',
            'key_person', 'handoff', 'feedback', 'backlog']],
    }
REFUSED = (AccessError, UserError)
NOWHERE = {'ilike': '%无此字符串%', '=': '无此字符串'}


class ConfidentialityTestCase(_DBTestCase):
    "Reporter identity and office boundaries across all jubao modules"
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
        'jubao_portal']
    language = 'zh_CN'
    maxDiff = None

    def build(self):
        "Users per role, the three reports, analyses and reminders."
        tools.set_key_person_threshold(2)
        self.users = tools.create_users()
        self.cases = tools.create_cases(self.users)
        self.analyses = tools.create_analyses()
        self.crons = tools.run_jubao_crons()
        self.case_keys = {c.id: k for k, c in self.cases.items()}

    def models(self):
        return tools.storage_models(extra=EXTRA_MODELS)

    # Positive control ----------------------------------------------------

    @with_transaction()
    def test_entitled_roles_read_identity(self):
        "The complaints office, leaders and administrators read reporters"
        pool = Pool()
        Reporter = pool.get('jubao.case.reporter')
        Attachment = pool.get('ir.attachment')
        self.build()
        name = tools.REPORTERS['handled']['name']
        for role in tools.ENTITLED:
            with self.subTest(role=role):
                set_user, set_context = tools.as_role(self.users[role].id)
                with set_user, set_context:
                    reporters = Reporter.search([])
                    values = Reporter.read([r.id for r in reporters],
                        tools.IDENTITY_FIELDS)
                    # and the scan of an ID card attached to a reporter
                    self.assertEqual(len(Attachment.search([
                                    ('name', 'like', name + '%')])), 1)
                self.assertEqual(
                    tools.found_secrets(values, tools.secrets()),
                    sorted(tools.secrets()))

    # Reading, searching, exporting ---------------------------------------

    def leaks_of_model(self, name, secrets, search_strings=None):
        """Leaks of ``secrets`` through model ``name`` for the current
        user: read, record names, export and search, field by field.
        Searching text fields for ``search_strings`` (the reporters' names,
        phones and ID numbers by default) must find nothing more than a
        string found nowhere."""
        Model = Pool().get(name)
        leaks = []
        try:
            records = Model.search([])
        except REFUSED:
            return leaks
        ids = [r.id for r in records]

        def check(how, call):
            try:
                value = call()
            except REFUSED:
                return
            found = tools.found_secrets(value, secrets)
            if found:
                leaks.append((name, how, found))

        if search_strings is None:
            search_strings = sorted(
                tools.secrets(fields=['name', 'phone', 'id_number']))
        for fname, field in sorted(Model._fields.items()):
            target = tools.relational_target(field)
            check('read %s' % fname, lambda: Model.read(ids, [fname]))
            check('export %s' % fname,
                lambda: Model.export_data(records, [fname]))
            if target:
                check('read %s.rec_name' % fname,
                    lambda: Model.read(ids, [fname + '.rec_name']))
                check('export %s/rec_name' % fname,
                    lambda: Model.export_data(records, [fname + '/rec_name']))
            if not field.searchable(Model):
                continue
            clauses = []
            if tools.is_text(field):
                clauses += [(fname, 'ilike', '%' + s + '%')
                    for s in search_strings]
            elif target == 'jubao.case.reporter':
                clauses += [('%s.%s' % (fname, f), '=', r[f])
                    for r in tools.REPORTERS.values()
                    for f in tools.IDENTITY_FIELDS]
            for clause in clauses:
                try:
                    found = Model.search([clause])
                    # What a search for a string found nowhere gives (e.g.
                    # every record where the field has no searcher)
                    control = Model.search([clause[:2] + (
                                NOWHERE[clause[1]],)])
                except REFUSED:
                    continue
                if found != control:
                    leaks.append((name, 'search %s' % (clause,),
                            [r.id for r in found]))
        return leaks

    @with_transaction()
    def test_other_roles_never_get_identity(self):
        "No other role reads, searches or exports a reporter's identity"
        self.build()
        secrets = tools.secrets()
        models = self.models()
        self.assertIn('jubao.case.reporter', models)
        for role in tools.NOT_ENTITLED:
            with self.subTest(role=role):
                leaks = []
                set_user, set_context = tools.as_role(self.users[role].id)
                with set_user, set_context:
                    for name in models:
                        leaks += self.leaks_of_model(name, secrets)
                self.assertEqual(leaks, [])

    @with_transaction()
    def test_reporter_model_refused(self):
        "The reporter model itself is refused to the other roles"
        Reporter = Pool().get('jubao.case.reporter')
        self.build()
        for role in tools.NOT_ENTITLED:
            with self.subTest(role=role):
                set_user, set_context = tools.as_role(self.users[role].id)
                with set_user, set_context:
                    with self.assertRaises(AccessError):
                        Reporter.search([])
                    reporters = [r for c in self.cases.values()
                        for r in c.reporters]
                    with self.assertRaises(AccessError):
                        Reporter.read([r.id for r in reporters], ['name'])
                    with self.assertRaises(AccessError):
                        Reporter.export_data(reporters, ['name'])

    @with_transaction()
    def test_offices_never_read_other_reports(self):
        "Nothing read by an office shows the reports of other offices"
        self.build()
        models = self.models()
        for role, visible in tools.VISIBLE.items():
            shown = set(tools.case_strings(
                    [self.cases[k] for k in visible]))
            hidden = sorted(set(tools.case_strings([c
                            for k, c in self.cases.items()
                            if k not in visible])) - shown)
            self.assertTrue(hidden)
            with self.subTest(role=role):
                leaks = []
                set_user, set_context = tools.as_role(self.users[role].id)
                with set_user, set_context:
                    for name in models:
                        leaks += self.leaks_of_model(name, hidden, hidden)
                self.assertEqual(leaks, [])
                # Control: a leader finds these strings in the reports and
                # in the district analysis (张伟, reported twice, is a key
                # person there)
                controls = ['jubao.case']
                if 'handled' not in visible:
                    controls.append('jubao.analysis.line')
                set_user, set_context = tools.as_role(self.users['leader'].id)
                with set_user, set_context:
                    for name in controls:
                        self.assertTrue(
                            self.leaks_of_model(name, hidden, hidden),
                            msg=name)

    # Printouts -----------------------------------------------------------

    def report_runs(self):
        """(report class, action, ids, data) for every jubao report, on
        every record of its model (one at a time) or with its data."""
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        runs = []
        for action in ActionReport.search([
                    ['OR', ('model', 'like', 'jubao.%'),
                        ('report_name', 'like', 'jubao.%')],
                    ]):
            Printout = pool.get(action.report_name, type='report')
            if action.model:
                Model = pool.get(action.model)
                for record in Model.search([]):
                    runs.append((Printout, action, [record.id],
                            {'action_id': action.id,
                                'model': action.model}))
            else:
                self.assertIn(action.report_name, REPORT_DATA,
                    msg="Add the print data of report %s to REPORT_DATA"
                    % action.report_name)
                for data in REPORT_DATA[action.report_name]:
                    runs.append((Printout, action, [],
                            dict(data, action_id=action.id)))
        return runs

    @with_transaction()
    def test_printouts_carry_no_identity(self):
        "No printout of any jubao report carries identity to other roles"
        self.build()
        runs = self.report_runs()
        printed, executed = {}, set()
        # Scan the rendered document before any conversion to PDF (whose
        # compressed streams hide the text): conversion adds no data.
        keep_rendering = mock.patch.object(Report, 'convert', classmethod(
                lambda cls, report, data, **kwargs: (
                    report.template_extension, data)))
        for role in tools.ENTITLED + tools.NOT_ENTITLED:
            leaks = []
            set_user, set_context = tools.as_role(self.users[role].id)
            with set_user, set_context:
                for Printout, action, ids, data in runs:
                    try:
                        with keep_rendering:
                            _, content, _, _ = Printout.execute(ids, data)
                    except REFUSED:
                        continue
                    executed.add(action.report_name)
                    found = tools.found_secrets(content, tools.secrets())
                    printed.setdefault((role, action.report_name),
                        set()).update(found)
                    if found:
                        leaks.append((action.report_name, ids,
                                data.get('kind'), found))
            if role in tools.NOT_ENTITLED:
                with self.subTest(role=role):
                    self.assertEqual(leaks, [])
        # Every report printed for someone and the scan finds identity
        # where it is allowed (controls)
        self.assertEqual(executed, {a.report_name for _, a, _, _ in runs})
        name = tools.REPORTERS['handled']['name']
        self.assertIn(name,
            printed.get(('clerk', 'jubao.case.acceptance_notice'), set()))
        self.assertIn(name, printed.get(('clerk', 'jubao.case.ledger'), set()))

    # Wizards -------------------------------------------------------------

    def wizard_runs(self):
        "(wizard name, context) for every jubao wizard and record."
        pool = Pool()
        ActionWizard = pool.get('ir.action.wizard')
        runs = []
        for action in ActionWizard.search([('wiz_name', 'like', 'jubao.%')]):
            contexts = [{}]
            if action.model:
                Model = pool.get(action.model)
                contexts = [{'active_model': action.model,
                        'active_id': r.id, 'active_ids': [r.id],
                        'action_id': action.id}
                    for r in Model.search([])]
            else:
                contexts[0]['action_id'] = action.id
            runs += [(action.wiz_name, c) for c in contexts]
        return runs

    @with_transaction()
    def test_wizards_show_no_identity(self):
        "Wizards opened by other roles show no identity"
        pool = Pool()
        self.build()
        runs = self.wizard_runs()
        ran = set()
        for role in tools.NOT_ENTITLED:
            leaks = []
            set_user, set_context = tools.as_role(self.users[role].id)
            with set_user, set_context:
                for wiz_name, context in runs:
                    Wizard = pool.get(wiz_name, type='wizard')
                    with Transaction().set_context(**context):
                        try:
                            session_id, start, _ = Wizard.create()
                            result = Wizard.execute(session_id, {}, start)
                        except REFUSED:
                            continue
                    ran.add(wiz_name)
                    found = tools.found_secrets(result, tools.secrets())
                    if found:
                        leaks.append((wiz_name, context.get('active_id'),
                                found))
            with self.subTest(role=role):
                self.assertEqual(leaks, [])
        # The other roles open at least the analysis wizards (control)
        self.assertIn('jubao.analysis.ledger', ran)

    # Reminders -----------------------------------------------------------

    @with_transaction()
    def test_reminders_carry_no_identity(self):
        "Reminders and notifications received by other roles are anonymous"
        pool = Pool()
        Notification = pool.get('res.notification')
        Reminder = pool.get('jubao.reminder')
        self.build()
        self.assertTrue(self.crons)
        recipients = {n.user.id for n in Notification.search([])}
        self.assertTrue(recipients & {self.users[r].id
                for r in tools.NOT_ENTITLED},
            msg="the fixture sends no reminder to the other roles")
        for role in tools.NOT_ENTITLED:
            user = self.users[role]
            with self.subTest(role=role):
                notifications = Notification.search([
                        ('user', '=', user.id)])
                values = Notification.read([n.id for n in notifications],
                    ['label', 'description', 'rec_name'])
                reminders = Reminder.search([('user', '=', user.id)]) if (
                    'user' in Reminder._fields) else []
                values += Reminder.read([r.id for r in reminders],
                    [f for f in Reminder._fields if f not in {
                            'create_uid', 'write_uid'}])
                self.assertEqual(
                    tools.found_secrets(values, tools.secrets()), [])

    # Office boundaries ---------------------------------------------------

    def case_refs(self, name, record_id, models, depth=0):
        """Keys of the reports record ``record_id`` of ``name`` hangs off
        (directly or through a parent record); read as administrator."""
        Model = Pool().get(name)
        refs = set()
        record = Model(record_id)
        for fname in tools.case_fields(Model):
            case = getattr(record, fname)
            if case:
                refs.add(self.case_keys.get(case.id, case.id))
        if depth < 3:
            for fname, target in tools.parent_fields(Model, models):
                parent = getattr(record, fname)
                if parent:
                    refs |= self.case_refs(target, parent.id, models,
                        depth + 1)
        return refs

    def models_off_reports(self):
        "Stored jubao models hanging off a report, directly or not."
        pool = Pool()
        names = set()
        candidates = tools.storage_models()
        changed = True
        while changed:
            changed = False
            for name in candidates:
                if name in names or name == 'jubao.case':
                    continue
                Model = pool.get(name)
                if (tools.case_fields(Model)
                        or tools.parent_fields(Model, names)):
                    names.add(name)
                    changed = True
        return sorted(names)

    @with_transaction()
    def test_offices_see_only_their_reports(self):
        "Discipline, street and stationed users see only their reports"
        pool = Pool()
        Case = pool.get('jubao.case')
        self.build()
        models = self.models_off_reports()
        for expected in ['jubao.case.subject', 'jubao.case.assignment',
                'jubao.supervision', 'jubao.clarification',
                'jubao.case.repeat']:
            self.assertIn(expected, models)
        with Transaction().set_context(_check_access=False):
            all_ids = {name: [r.id for r in pool.get(name).search([])]
                for name in models}
            refs = {name: {i: self.case_refs(name, i, set(models))
                    for i in ids} for name, ids in all_ids.items()}
        for role, visible in tools.VISIBLE.items():
            with self.subTest(role=role):
                problems = []
                set_user, set_context = tools.as_role(self.users[role].id)
                with set_user, set_context:
                    found = {self.case_keys[c.id] for c in Case.search([])}
                    self.assertEqual(found, visible)
                    for name in models:
                        Model = pool.get(name)
                        try:
                            records = Model.search([])
                        except AccessError:
                            records = []
                        for record in records:
                            if not refs[name][record.id] <= visible:
                                problems.append((name, 'search', record.id,
                                        sorted(refs[name][record.id])))
                        hidden = [i for i, r in refs[name].items()
                            if not r <= visible]
                        for record_id in hidden:
                            try:
                                Model.read([record_id], ['id'])
                            except AccessError:
                                continue
                            problems.append((name, 'read', record_id,
                                    sorted(refs[name][record_id])))
                self.assertEqual(problems, [])


if __name__ == '__main__':
    unittest.main()
