"Ledger exports in the background: the job, its file, its notification."
import io
import json
import os
import unittest.mock

import openpyxl

from trytond.filestore import FileStore, filestore
from trytond.model.exceptions import AccessError
from trytond.modules.jubao_intake.tests.tools import as_user, create_user
from trytond.modules.jubao_reports import export_job
from trytond.modules.jubao_reports.tests.tools import D, create_fixture
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

Q3 = (D(2026, 7, 1), D(2026, 9, 30))
HEADINGS = 4


class ExportJobTestCase(_DBTestCase):
    "Test the background ledger exports of jubao_reports"
    module = 'jubao_reports'
    language = 'zh_CN'

    @with_transaction()
    def test_job_writes_file_and_notifies(self):
        "A job writes the ledger, records it and notifies its user only"
        pool = Pool()
        Job = pool.get('jubao.export.job')
        Notification = pool.get('res.notification')
        Queue = pool.get('ir.queue')
        create_fixture()
        leader = create_user('leader', 'group_leader', 'office_general')
        analyst = create_user('analyst', 'group_analyst',
            'office_case_management')
        with as_user(leader):
            job = Job.enqueue('real_name', *Q3)
        self.assertEqual(job.state, 'queued')
        self.assertEqual(job.user, leader)
        task, = [t for t in Queue.search([])
            if t.data['model'] == 'jubao.export.job']
        self.assertEqual(task.data['method'], 'run')
        self.assertEqual(task.data['user'], leader.id)

        with as_user(leader):
            Job(job.id).process()
        job = Job(job.id)
        self.assertEqual(job.state, 'done')
        self.assertEqual(job.rows, 4)
        self.assertTrue(job.file_id)
        # Written in place in the filestore, not read back into memory
        stored = filestore._filename(job.file_id, Transaction().database.name)
        self.assertTrue(os.path.isfile(stored))
        sheet = openpyxl.load_workbook(io.BytesIO(bytes(job.file))).active
        numbers = [r[1].value for r in sheet.iter_rows(min_row=HEADINGS + 1)]
        self.assertEqual(numbers, ['测试-c1', '测试-c4', '测试-c9', '测试-c6'])
        # The leader may read reporters: the identity columns are there
        self.assertIn('反映人', [c.value for c in sheet[HEADINGS]])
        notification, = Notification.search([('user', '=', leader.id)])
        self.assertEqual(notification.model, 'jubao.export.job')
        self.assertEqual(json.loads(notification.records), [job.id])
        self.assertIn('实名举报台账', notification.label)

        # Another user sees neither the job nor its file
        with as_user(analyst):
            self.assertEqual(Job.search([]), [])
            with self.assertRaises(AccessError):
                Job.read([job.id], ['file'])
        with as_user(leader):
            self.assertEqual(Job.search([]), [job])

    @with_transaction()
    def test_job_without_reporter_access(self):
        "A background ledger follows the user's reporter access"
        Job = Pool().get('jubao.export.job')
        create_fixture()
        analyst = create_user('analyst', 'group_analyst',
            'office_case_management')
        with as_user(analyst):
            job = Job.enqueue('real_name', *Q3)
            Job(job.id).process()
        job = Job(job.id)
        self.assertEqual(job.state, 'done')
        sheet = openpyxl.load_workbook(io.BytesIO(bytes(job.file))).active
        values = {str(c.value) for row in sheet.iter_rows() for c in row}
        self.assertNotIn('反映人', values)
        self.assertFalse(any('举报人c' in v or '13800138000' in v
                for v in values))

    @with_transaction()
    def test_failed_job_records_error(self):
        "A failing export marks the job failed with a Chinese error"
        pool = Pool()
        Job = pool.get('jubao.export.job')
        Notification = pool.get('res.notification')
        create_fixture()
        with unittest.mock.patch.object(export_job, 'write_ledger',
                side_effect=RuntimeError('disk full')):
            job = Job.enqueue('register', *Q3)
            Job(job.id).process()
        job = Job(job.id)
        self.assertEqual(job.state, 'failed')
        self.assertEqual(job.error, '台账生成失败：disk full')
        self.assertFalse(job.file_id)
        notification, = Notification.search([('model', '=', job.__name__)])
        self.assertEqual(notification.label, '台账导出失败')

    @with_transaction()
    def test_wizard_queues_large_ledgers(self):
        "The wizard exports small ledgers at once and queues large ones"
        pool = Pool()
        Job = pool.get('jubao.export.job')
        Wizard = pool.get('jubao.analysis.ledger', type='wizard')
        create_fixture()
        session_id, _, _ = Wizard.create()
        values = {'kind': 'register', 'period_type': 'custom',
            'date_from': Q3[0], 'date_to': Q3[1], 'office': None}
        result = Wizard.execute(session_id, {'start': values}, 'choose')
        self.assertTrue(result['actions'])
        self.assertEqual(Job.search([]), [])
        session_id, _, _ = Wizard.create()
        with unittest.mock.patch('trytond.modules.jubao_reports.ledger.'
                'BACKGROUND_ROWS', 2):
            result = Wizard.execute(session_id, {'start': values}, 'choose')
        self.assertEqual(result['view']['state'], 'queued')
        job, = Job.search([])
        self.assertEqual((job.kind, job.date_from, job.state),
            ('register', Q3[0], 'queued'))

    @with_transaction()
    def test_office_job_has_own_reports_only(self):
        "An office user's background ledger lists the reports it may read"
        pool = Pool()
        Job = pool.get('jubao.export.job')
        Case = pool.get('jubao.case')
        Office = pool.get('jubao.office')
        create_fixture()
        d1 = Office.from_xml_id('office_discipline_1')
        user = create_user('jjs1', 'group_discipline', 'office_discipline_1')
        with as_user(user):
            job = Job.enqueue('register', *Q3, office=d1)
            Job(job.id).process()
            expected = [c.number for c in Case.search([
                        ('state', '!=', 'draft'),
                        ('handling_office', '=', d1.id),
                        ('received_date', '>=', Q3[0]),
                        ('received_date', '<=', Q3[1]),
                        ], order=[('received_date', 'ASC'), ('id', 'ASC')])]
        job = Job(job.id)
        self.assertEqual(job.state, 'done')
        sheet = openpyxl.load_workbook(io.BytesIO(bytes(job.file))).active
        numbers = [r[1].value for r in sheet.iter_rows(min_row=HEADINGS + 1)]
        self.assertTrue(expected)
        self.assertEqual(numbers, expected)
        self.assertEqual(job.rows, len(expected))
        # The whole district is not theirs: the job fails, in Chinese
        with as_user(user):
            job = Job.enqueue('register', *Q3)
            Job(job.id).process()
        job = Job(job.id)
        self.assertEqual(job.state, 'failed')
        self.assertTrue(job.error.startswith('台账生成失败：'))

    @with_transaction()
    def test_other_filestore_gets_the_bytes(self):
        "A filestore other than trytond's own on disk is given the bytes"
        pool = Pool()
        Job = pool.get('jubao.export.job')
        create_fixture()
        leader = create_user('leader', 'group_leader', 'office_general')

        class OtherStore(FileStore):
            pass
        with as_user(leader):
            job = Job.enqueue('real_name', *Q3)
            with unittest.mock.patch.object(
                    export_job, 'filestore', OtherStore()):
                self.assertEqual(Job._file_in_store(), (None, None))
                Job(job.id).process()
        job = Job(job.id)
        self.assertEqual(job.state, 'done')
        sheet = openpyxl.load_workbook(io.BytesIO(bytes(job.file))).active
        self.assertEqual(sheet.max_row, HEADINGS + 4)
