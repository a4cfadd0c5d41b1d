"""Regression tests of the generic guards of jubao_intake/security.py and of
the notes and attachments rules of jubao_intake/ir.py.

- copy checks the source (model access, record rules, field access) for
  every model, nested One2Many copies included;
- a domain, order or count walking a relation matches only the target
  records the user may read (the oracle of ``like 'prefix%'``);
- notes and attachments on a reporter or on a report the user may not read
  are neither read, copied, moved nor listed, and listing without a filter
  works for every role;
- attachments marked as containing reporter identity follow reporter
  entitlement, and opening one is written to the access log.
"""
import contextlib
import unittest

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from . import confidentiality_tools as tools

REFUSED = (AccessError, UserError)
# Summaries of reports the street committee may not read
SECRET_B = 'B秘密前案摘要：某局长违规收受购物卡'
SECRET_A = 'A秘密前案摘要：某科长违规经商办企业'
SECRET_C = 'C秘密重复件摘要：某主任插手工程'
SECRET_NAME = '隐名被反映人甲'


class FixtureMixin:
    module = 'jubao_reports'
    extras = ['jubao_intake', 'jubao_routing', 'jubao_publicity',
        'jubao_portal']
    language = 'zh_CN'

    def build(self):
        self.users = tools.create_users()
        self.users['zxb'], = Pool().get('res.user').create([{
                    'login': 'conf_zxb', 'name': 'conf_zxb',
                    'groups': [('add', [tools.ref('group_publicity')])],
                    'jubao_offices': [
                        ('add', [tools.ref('office_publicity')])],
                    }])
        self.cases = tools.create_cases(self.users)

    @contextlib.contextmanager
    def as_role(self, role):
        set_user, set_context = tools.as_role(self.users[role].id)
        with set_user, set_context:
            yield

    def log_count(self, case):
        "Rows of the identity access log on ``case`` (committed apart)."
        Access = Pool().get('jubao.reporter.access')
        with Transaction().new_transaction(), \
                Transaction().set_context(_check_access=False):
            return Access.search_count([('case_id', '=', case.id)])

    def reporter_files(self):
        "The note and the attachment the fixture files on a reporter."
        pool = Pool()
        reporter, = self.cases['handled'].reporters
        note, = pool.get('ir.note').search(
            [('resource', '=', str(reporter))])
        attachment, = pool.get('ir.attachment').search(
            [('resource', '=', str(reporter))])
        return note, attachment

    def other_cases(self, office, *summaries, subject=SECRET_NAME):
        "Reports handled by ``office``, one per summary (as root)."
        Case = Pool().get('jubao.case')
        cases = Case.create([{
                    'channel': 'visit', 'received_date': tools.RECEIVED,
                    'summary': summary,
                    'subjects': [('create', [{'name': subject,
                                    'authority': 'district'}])],
                    } for summary in summaries])
        Case.write(cases, {'handling_office': tools.ref(office)})
        return cases


class SecurityCopyNotesTestCase(FixtureMixin, _DBTestCase):
    "Copies, relation-walking searches, notes and attachments"

    # Copy ------------------------------------------------------------------

    @with_transaction()
    def test_copy_reporter_files_refused(self):
        "Notes and attachments on a reporter are not copied onto own records"
        pool = Pool()
        Note = pool.get('ir.note')
        Attachment = pool.get('ir.attachment')
        self.build()
        note, attachment = self.reporter_files()
        for role, own in [('discipline', 'handled'), ('street', 'assigned')]:
            target = str(self.cases[own])
            for Model, record in [(Note, note), (Attachment, attachment)]:
                with self.subTest(role=role, model=Model.__name__):
                    with self.as_role(role):
                        with self.assertRaises(AccessError):
                            Model.copy([record], default={'resource': target})
        secret = tools.REPORTERS['handled']['name']
        self.assertEqual(Note.search_count(
                [('message', 'like', '%' + secret + '%')]), 1)
        self.assertEqual(Attachment.search_count(
                [('name', 'like', secret + '%')]), 1)

    @with_transaction()
    def test_copy_other_office_records_refused(self):
        "Another office's report, hand-off and supervision are not copied"
        pool = Pool()
        self.build()
        handled = self.cases['handled']
        Note = pool.get('ir.note')
        note, = Note.create([{'resource': str(handled),
                    'message': '第一纪检监察室内部意见'}])
        records = [('jubao.case', [handled])]
        for name in ['jubao.case.assignment', 'jubao.supervision',
                'jubao.case.subject']:
            records.append((name, pool.get(name).search(
                        [('case', '=', handled.id)])))
        Supervision = pool.get('jubao.supervision')
        supervision, = Supervision.search([('case', '=', handled.id)])
        SupervisionNote = pool.get('jubao.supervision.note')
        records.append(('jubao.supervision.note', SupervisionNote.create([{
                            'supervision': supervision.id,
                            'note': '督办进展：已约谈'}])))
        street_case = self.cases['assigned']
        for name, found in records:
            self.assertTrue(found, msg=name)
            Model = pool.get(name)
            default = {'case': street_case.id} if 'case' in Model._fields \
                else {}
            with self.subTest(model=name), self.as_role('street'):
                with self.assertRaises(REFUSED):
                    Model.copy(found, default=default)
        with self.as_role('street'):
            with self.assertRaises(AccessError):
                Note.copy([note], default={'resource': str(street_case)})
            # nor exported (the rules of these models follow the report)
            for name, found in records:
                with self.subTest(model=name, route='export'):
                    with self.assertRaises(AccessError):
                        pool.get(name).export_data(found, ['id'])

    @with_transaction()
    def test_copy_own_report_keeps_reporters_away(self):
        "Copying one's own report copies no reporter for a non-entitled role"
        pool = Pool()
        Case = pool.get('jubao.case')
        Reporter = pool.get('jubao.case.reporter')
        self.build()
        found, = Case.create([{
                    'channel': 'public_opinion', 'opinion_source': '某论坛',
                    'received_date': tools.RECEIVED,
                    'found_by': tools.ref('office_publicity'),
                    'summary': '网帖反映某所长吃拿卡要',
                    'subjects': [('create', [{'name': '某所长',
                                    'authority': 'district'}])],
                    'reporters': [('create', [{'name': '网帖作者真名'}])],
                    }])
        with self.as_role('zxb'):
            copy, = Case.copy([found])
            copy_id = copy.id
            self.assertEqual(Case(copy_id).summary, found.summary)
        self.assertEqual(Reporter.search_count([('case', '=', copy_id)]), 0)
        self.assertEqual(
            Reporter.search_count([('name', '=', '网帖作者真名')]), 1)
        with self.as_role('clerk'):
            copy, = Case.copy([found])
            self.assertEqual(
                Reporter.search_count([('case', '=', copy.id)]), 1)

    # Relation-walking searches ---------------------------------------------

    def oracle_fixture(self):
        """Two street reports, repeats of reports of another office with
        secret summaries, and a hidden repeat of the street's report."""
        Case = Pool().get('jubao.case')
        earlier_b, earlier_a = self.other_cases(
            'office_discipline_2', SECRET_B, SECRET_A)
        first, second = self.other_cases(
            'office_street_1', '街道件一', '街道件二', subject='街道被反映人')
        Case.write([first], {'repeat_of': earlier_b.id})
        Case.write([second], {'repeat_of': earlier_a.id})
        later, = self.other_cases('office_discipline_2', SECRET_C)
        Case.write([later], {'repeat_of': first.id})
        return first, second

    @with_transaction()
    def test_relation_oracle(self):
        "No domain, order or count reveals another office's report"
        pool = Pool()
        Case = pool.get('jubao.case')
        Note = pool.get('ir.note')
        Attachment = pool.get('ir.attachment')
        Candidate = pool.get('jubao.case.repeat')
        Subject = pool.get('jubao.case.subject')
        self.build()
        first, second = self.oracle_fixture()
        Note.create([{'resource': str(first), 'message': '街道备注'}])
        domains = [
            (Case, [('repeat_of.summary', 'like', SECRET_B[:2] + '%')]),
            (Case, [('repeat_of.rec_name', 'like', SECRET_B[:2] + '%')]),
            (Case, [('repeat_of', 'like', SECRET_B[:2] + '%')]),
            (Case, [('repeat_of.subject_names', '=', SECRET_NAME)]),
            (Case, [('repeat_of.subjects.name', '=', SECRET_NAME)]),
            (Case, [('repeats.summary', 'like', SECRET_C[:2] + '%')]),
            (Case, [('repeats', 'where',
                        [('summary', 'like', SECRET_C[:2] + '%')])]),
            (Case, [('repeats', '!=', None), ('id', '=', first.id)]),
            (Case, ['OR', ('repeat_of.summary', 'like', SECRET_A[:2] + '%'),
                    ('id', '=', -1)]),
            (Case, [('repeat_of.summary', 'not like', SECRET_B[:2] + '%'),
                    ('id', 'in', [first.id, second.id])]),
            (Subject, [('case.repeat_of.summary', 'like',
                        SECRET_B[:2] + '%')]),
            (Candidate, [('candidate.summary', 'like', '%')]),
            (Note, [('resource.repeat_of.summary', 'like',
                        SECRET_B[:2] + '%', 'jubao.case')]),
            (Note, [('resource.repeats.summary', 'like',
                        SECRET_C[:2] + '%', 'jubao.case')]),
            (Note, [('resource.summary', 'like', '街道件一',
                        'jubao.case')]),
            (Attachment, [('resource.summary', 'like',
                        SECRET_B[:2] + '%', 'jubao.case')]),
            ]
        # The leader finds them (control), the street committee does not
        expected = {
            'leader': [1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, None, 1, 1, 1, 0],
            'street': [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
            }
        for role, counts in expected.items():
            for (Model, domain), count in zip(domains, counts):
                with self.subTest(role=role, domain=domain), \
                        self.as_role(role):
                    try:
                        found = Model.search(domain)
                        counted = Model.search_count(domain)
                    except REFUSED:
                        found, counted = [], 0
                    if count is None:
                        continue
                    self.assertEqual(len(found), count)
                    self.assertEqual(counted, count)

    @with_transaction()
    def test_order_by_hidden_relation(self):
        "Ordering by a relation sorts hidden targets as empty"
        Case = Pool().get('jubao.case')
        self.build()
        first, second = self.oracle_fixture()
        domain = [('id', 'in', [first.id, second.id])]

        def ordered(direction):
            return [c.id for c in Case.search(domain, order=[
                        ('repeat_of.summary', direction), ('id', 'ASC')])]
        with self.as_role('leader'):
            self.assertEqual(ordered('ASC'), [second.id, first.id])
            self.assertEqual(ordered('DESC'), [first.id, second.id])
        with self.as_role('street'):
            self.assertEqual(ordered('ASC'), [first.id, second.id])
            self.assertEqual(ordered('DESC'), [first.id, second.id])
            # through the target's default order as well
            self.assertEqual(
                [c.id for c in Case.search(domain, order=[
                            ('repeat_of', 'ASC'), ('id', 'ASC')])],
                [first.id, second.id])

    # Notes and attachments -------------------------------------------------

    @with_transaction()
    def test_list_notes_attachments_every_role(self):
        "Every role lists notes and attachments of readable records only"
        pool = Pool()
        Note = pool.get('ir.note')
        Attachment = pool.get('ir.attachment')
        Case = pool.get('jubao.case')
        self.build()
        note, attachment = self.reporter_files()
        for case in self.cases.values():
            Note.create([{'resource': str(case), 'message': '备注'}])
        for role in list(tools.ROLES) + ['zxb']:
            with self.subTest(role=role), self.as_role(role):
                cases = {c.id for c in Case.search([])}
                notes = Note.search([])
                attachments = Attachment.search([])
                self.assertEqual(Note.search_count([]), len(notes))
                self.assertEqual(
                    Attachment.search_count([]), len(attachments))
                Note.read([n.id for n in notes], ['message', 'resource'])
                for record in notes + attachments:
                    resource = record.resource
                    if resource.__name__ == 'jubao.case':
                        self.assertIn(resource.id, cases)
                entitled = role in tools.ENTITLED
                self.assertEqual(note in notes, entitled)
                self.assertEqual(attachment in attachments, entitled)

    @with_transaction()
    def test_notes_follow_model_restrictions(self):
        "Notes follow the resource's own restrictions, on export too"
        pool = Pool()
        Note = pool.get('ir.note')
        Candidate = pool.get('jubao.case.repeat')
        self.build()
        reporter_note, _ = self.reporter_files()
        # the street's report proposed as repeat of another office's one
        candidate, = Candidate.search(
            [('case', '=', self.cases['assigned'].id)])
        note, = Note.create([{'resource': str(candidate),
                    'message': '前案系第二纪检监察室办理'}])
        with self.as_role('street'):
            self.assertNotIn(note, Note.search([]))
            for record in [note, reporter_note]:
                with self.subTest(note=record.id):
                    with self.assertRaises(AccessError):
                        Note.read([record.id], ['message'])
                    with self.assertRaises(AccessError):
                        Note.export_data([Note(record.id)], ['message'])

    @with_transaction()
    def test_move_attachment(self):
        "Attachments are not moved from or to records the user may not read"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        self.build()
        _, secret = self.reporter_files()
        handled = self.cases['handled']
        own, = Attachment.create([{'resource': str(handled),
                    'name': '约谈笔录.pdf', 'data': b'%PDF-1.4 notes',
                    'jubao_identity': False}])
        reporter, = handled.reporters
        with self.as_role('discipline'):
            with self.assertRaises(REFUSED):
                Attachment.write([secret], {'resource': str(handled)})
            with self.assertRaises(REFUSED):
                Attachment.write(
                    [Attachment(own.id)],
                    {'resource': str(self.cases['untouched'])})
            with self.assertRaises(REFUSED):
                Attachment.create([{'resource': str(reporter),
                            'name': 'x.pdf', 'data': b'%PDF-1.4'}])
            with self.assertRaises(REFUSED):
                Attachment.create([{
                            'resource': str(self.cases['untouched']),
                            'name': 'x.pdf', 'data': b'%PDF-1.4'}])



class IdentityMarkTestCase(FixtureMixin, _DBTestCase):
    "Attachments containing reporter identity (commits: own database)"

    @with_transaction()
    def test_identity_mark(self):
        "Marked attachments follow reporter entitlement and are logged"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        self.build()
        Transaction().commit()  # the log is written by its own transaction
        assigned = self.cases['assigned']  # a letter, handled by the street
        with self.as_role('clerk'):
            scan, photo = Attachment.create([{
                        'resource': str(assigned), 'name': '来信扫描.pdf',
                        'data': b'%PDF-1.4 scan'}, {
                        'resource': str(assigned), 'name': '现场照片.jpg',
                        'data': b'\xff\xd8photo', 'jubao_identity': False}])
            self.assertTrue(scan.jubao_identity)
            self.assertFalse(photo.jubao_identity)
            before = self.log_count(assigned)
            Attachment.read([scan.id], ['data'])
            Attachment.read([photo.id], ['data'])
        self.assertEqual(self.log_count(assigned), before + 1)
        with self.as_role('street'):
            self.assertEqual(
                Attachment.search([('resource', '=', str(assigned))]),
                [Attachment(photo.id)])
            Attachment.read([photo.id], ['data', 'name'])
            for i, call in enumerate([
                    lambda: Attachment.read([scan.id], ['data']),
                    lambda: Attachment.read([scan.id], ['name']),
                    lambda: Attachment.copy([Attachment(scan.id)]),
                    lambda: Attachment.write([Attachment(scan.id)],
                        {'jubao_identity': False}),
                    lambda: Attachment.write([Attachment(photo.id)],
                        {'jubao_identity': True}),
                    lambda: Attachment.delete([Attachment(scan.id)]),
                    lambda: Attachment.create([{
                                'resource': str(assigned),
                                'name': '身份证复印件.jpg', 'data': b'id',
                                'jubao_identity': False}]),
                    ]):
                with self.subTest(call=i), self.assertRaises(AccessError):
                    call()
            # an upload of the street itself named like an ID document
            card, = Attachment.create([{'resource': str(assigned),
                        'name': '身份证复印件.jpg', 'data': b'\xff\xd8id'}])
            self.assertEqual(Attachment.search(
                    [('id', '=', card.id)]), [])
        self.assertTrue(Attachment(card.id).jubao_identity)
        with self.as_role('leader'):
            found = Attachment.search([('resource', '=', str(assigned))])
            for attachment in [scan, photo, card]:
                self.assertIn(Attachment(attachment.id), found)


class IdentityDefaultTestCase(unittest.TestCase):
    "The default identity mark of attachments"

    def test_identity_by_default(self):
        from trytond.modules.jubao_intake.security import identity_by_default
        self.assertTrue(identity_by_default('jubao.case', 'letter', 'a.pdf'))
        self.assertTrue(identity_by_default('jubao.case.reporter'))
        self.assertTrue(identity_by_default('jubao.case', 'visit', '身份证.jpg'))
        self.assertFalse(identity_by_default('jubao.case', 'visit', '照片.jpg'))
        self.assertFalse(identity_by_default('jubao.case', 'online', None))
