"""Ledger exports run in the background (``ir.queue``).

A large ledger takes minutes: rather than hold the HTTP request, the export
wizard records a job and queues it; the task streams the ledger into the
filestore, records the rows written and notifies the user (the bell), whose
notification opens the job to download the file.  A user sees only their
own jobs (record rule).
"""
import datetime as dt
import json
import logging
import os
import tempfile
import uuid

from trytond.filestore import FileStore, filestore
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.modules.jubao_intake.workflow import WorkflowFieldsMixin
from trytond.transaction import Transaction, without_check_access

from .analysis import check_office
from .configuration import configured_threshold
from .ledger import (
    LEDGER_KINDS, TITLES, Ledger, ledger_file_name, write_ledger)

logger = logging.getLogger(__name__)

# Rows between two progress records of a background export
PROGRESS = 10000
STATES = [
    ('queued', "Queued"),
    ('running', "Running"),
    ('done', "Done"),
    ('failed', "Failed"),
    ]


class ExportJob(WorkflowFieldsMixin, ModelSQL, ModelView):
    __name__ = 'jubao.export.job'
    __string__ = "Ledger Export"
    _rec_name = 'filename'

    user = fields.Many2One('res.user', "User", required=True,
        readonly=True, ondelete='CASCADE')
    kind = fields.Selection(LEDGER_KINDS, "Ledger", required=True,
        readonly=True, sort=False)
    date_from = fields.Date("From", required=True, readonly=True)
    date_to = fields.Date("To", required=True, readonly=True)
    office = fields.Many2One('jubao.office', "Office", readonly=True,
        ondelete='RESTRICT')
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    rows = fields.Integer("Rows Written", readonly=True)
    file = fields.Binary("File", filename='filename', file_id='file_id',
        readonly=True)
    file_id = fields.Char("File ID", readonly=True)
    filename = fields.Char("File Name", readonly=True)
    error = fields.Text("Error", readonly=True)
    finished = fields.Timestamp("Finished", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        # Only the wizard and the queued task set a job: a client may not
        # forge a finished job, its owner or its file.
        cls._workflow_fields |= {'user', 'kind', 'date_from', 'date_to',
            'office', 'state', 'rows', 'file', 'file_id', 'filename',
            'error', 'finished'}

    @classmethod
    def default_state(cls):
        return 'queued'

    @classmethod
    def default_user(cls):
        return Transaction().user

    @classmethod
    def default_rows(cls):
        return 0

    @classmethod
    def enqueue(cls, kind, date_from, date_to, office=None):
        "Record a job of the current user and queue it; return the job."
        with without_check_access():
            job, = cls.create([{
                        'user': Transaction().user,
                        'kind': kind,
                        'date_from': date_from,
                        'date_to': date_to,
                        'office': office.id if office else None,
                        }])
        cls.__queue__.run([job])
        return job

    @classmethod
    def run(cls, jobs):
        """The queued task, run as the user who asked (their rules apply)
        in their language."""
        transaction = Transaction()
        for job in jobs:
            if job.state != 'queued':
                continue
            with without_check_access():
                cls.write([job], {'state': 'running'})
            # Committed so that the job list shows it running; the task's
            # transaction goes on with a new snapshot
            transaction.commit()
            language = job.user.language
            with transaction.set_context(
                    language=language.code if language else None):
                cls(job.id).process(background=True)

    def process(self, background=False):
        """Write the ledger; a failure is recorded on the job in Chinese
        and leaves nothing half-written (the savepoint is rolled back).

        In the background the rows written are committed every
        ``PROGRESS`` rows by short transactions of their own; the task's
        transaction (with the access log of the identities read) is then
        committed before the result is written, so that the two never
        update the job concurrently."""
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        cursor.execute('SAVEPOINT jubao_export_job')
        try:
            values = self._export(
                self._record_progress if background else None)
        except Exception as exception:
            cursor.execute('ROLLBACK TO SAVEPOINT jubao_export_job')
            logger.exception("ledger export %s failed", self.id)
            message = getattr(exception, 'message', None) or str(exception)
            values = {
                'state': 'failed',
                'error': gettext('jubao_reports.msg_export_failed',
                    error=message),
                }
        else:
            cursor.execute('RELEASE SAVEPOINT jubao_export_job')
        if background:
            transaction.commit()
        values['finished'] = dt.datetime.now()
        with without_check_access():
            self.write([self], values)
        self._notify()

    def _record_progress(self, rows):
        table = self.__table__()
        with Transaction().new_transaction() as transaction:
            transaction.connection.cursor().execute(*table.update(
                    [table.rows], [rows], where=table.id == self.id))

    def _export(self, progress=None):
        pool = Pool()
        User = pool.get('res.user')
        # Checked again here: the user's rights may have changed since
        check_office(self.office)
        ledger = Ledger(self.kind, self.date_from, self.date_to, self.office,
            with_reporters=User.jubao_reads_reporters(),
            key_person_threshold=configured_threshold())
        written = 0

        def step(n):
            nonlocal written
            written += n
            if progress and written % PROGRESS == 0:
                progress(written)

        filename = ledger_file_name(self.kind, self.date_from,
            self.date_to, self.office, extension='xlsx')
        path, file_id = self._file_in_store()
        if path:
            # Written where the filestore keeps it: a million rows never sit
            # in memory
            try:
                rows = write_ledger(ledger, path, progress=step)
            except Exception:
                if os.path.exists(path):
                    os.unlink(path)
                raise
            return {'state': 'done', 'rows': rows, 'file_id': file_id,
                'filename': filename}
        fd, path = tempfile.mkstemp(suffix='.xlsx')
        os.close(fd)
        try:
            rows = write_ledger(ledger, path, progress=step)
            with open(path, 'rb') as file:
                data = file.read()
        finally:
            os.unlink(path)
        return {'state': 'done', 'rows': rows, 'file': data,
            'filename': filename}

    @classmethod
    def _file_in_store(cls):
        """(path, file id) of a new file of the ``file`` field when the
        filestore is trytond's own on disk, else (None, None): another
        filestore (configured ``[database] class``) takes the bytes."""
        if type(filestore) is not FileStore:
            return None, None
        prefix = cls.file.store_prefix
        if prefix is None:
            prefix = Transaction().database.name
        # The ids trytond's filestore gives (FileStore._id)
        file_id = str(uuid.uuid4())
        path = filestore._filename(file_id, prefix)
        os.makedirs(os.path.dirname(path), mode=0o770, exist_ok=True)
        return path, file_id

    def _notify(self):
        Notification = Pool().get('res.notification')
        if self.state == 'done':
            label = gettext('jubao_reports.msg_export_done',
                title=TITLES[self.kind])
            description = gettext('jubao_reports.msg_export_done_rows',
                rows=self.rows)
        else:
            label = gettext('jubao_reports.msg_export_failed_label')
            description = self.error
        with without_check_access():
            Notification.create([{
                        'user': self.user.id,
                        'label': label,
                        'description': description,
                        'icon': 'tryton-download' if self.state == 'done'
                        else 'tryton-warning',
                        'model': self.__name__,
                        'records': json.dumps([self.id]),
                        }])
