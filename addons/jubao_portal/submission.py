"""Online submissions: the report a citizen filed on the portal, its query
code and password, the messages exchanged and what the citizen may see."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access

from jubao.portal import hash_code

from .exceptions import PortalMessageError

DIRECTIONS = [
    ('citizen', "From the Reporter"),
    ('office', "From the Complaints Office"),
    ]
MESSAGE_KINDS = [
    ('message', "Message"),
    ('supplement', "Supplementary Material"),
    ('objection', "Objection"),
    ]
# Wrong passwords before a code is locked, and for how long
MAX_ATTEMPTS = 5
LOCK_TIME = dt.timedelta(minutes=30)


def password_matches(password, hash_):
    "res.user's password check (it returns whether valid and a new hash)."
    if not password or not hash_:
        return False
    valid, _ = Pool().get('res.user').check_password(password, hash_)
    return bool(valid)


class Submission(ModelSQL, ModelView):
    __string__ = "Online Submission"
    __name__ = 'jubao.portal.submission'
    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE', readonly=True)
    reference = fields.Char("Submission Reference", readonly=True)
    submitted_at = fields.DateTime("Submitted at", readonly=True)
    target_office = fields.Many2One('jubao.office', "Addressed to",
        readonly=True, ondelete='RESTRICT')
    # Secrets: hidden from every user by field access (submission.xml)
    code_hash = fields.Char("Query Code Hash", readonly=True)
    password_hash = fields.Char("Query Password Hash", readonly=True)
    form_key = fields.Char("Form Key", readonly=True)
    failed_attempts = fields.Integer("Failed Attempts", readonly=True)
    locked_until = fields.DateTime("Locked until", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('case')
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_hash_uniq', Unique(t, t.code_hash),
                'jubao_portal.msg_submission_unique'),
            ('form_key_uniq', Unique(t, t.form_key),
                'jubao_portal.msg_submission_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.case, Index.Equality())))
        cls._order = [('submitted_at', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_failed_attempts():
        return 0

    def get_rec_name(self, name):
        return self.reference or str(self.id)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        # Only the portal (internal code) creates and changes submissions
        if external:
            raise PortalMessageError(gettext(
                    'jubao_portal.msg_submission_internal'))

    # Lookup ---------------------------------------------------------------

    @classmethod
    def by_code(cls, code):
        with without_check_access():
            found = cls.search([('code_hash', '=', hash_code(code))],
                limit=1)
        return found[0] if found else None

    def is_locked(self, now):
        return bool(self.locked_until and self.locked_until > now)

    def check_password(self, password):
        """Whether ``password`` opens this submission; counts failures and
        locks the code after MAX_ATTEMPTS (the caller commits)."""
        now = dt.datetime.now()
        if self.is_locked(now):
            return False
        if password_matches(password, self.password_hash):
            values = {'failed_attempts': 0, 'locked_until': None}
            ok = True
        else:
            failed = (self.failed_attempts or 0) + 1
            values = {'failed_attempts': failed}
            if failed >= MAX_ATTEMPTS:
                values = {'failed_attempts': 0,
                    'locked_until': now + LOCK_TIME}
            ok = False
        with without_check_access():
            self.write([self], values)
        return ok

    # What the citizen sees -------------------------------------------------

    def public_status(self):
        "(plain Chinese status, detail) of the report; no staff names."
        case = self.case
        state = case.state
        if state in {'draft', 'registered', 'removal_requested', 'removed'}:
            return gettext('jubao_portal.msg_status_received'), None
        if state == 'accepted':
            return gettext('jubao_portal.msg_status_accepted'), None
        if state == 'not_accepted':
            reason = (case.not_accepted_reason.name
                if case.not_accepted_reason else None)
            return gettext('jubao_portal.msg_status_not_accepted'), reason
        if state == 'transferred':
            body = case.competent_body.name if case.competent_body else None
            if not body:
                bodies = [o.name for o in case.handoff_offices]
                body = '、'.join(bodies) or None
            return gettext('jubao_portal.msg_status_transferred'), body
        if state == 'handling':
            return gettext('jubao_portal.msg_status_handling'), None
        if state == 'concluded':
            return gettext('jubao_portal.msg_status_concluded'), None
        return gettext('jubao_portal.msg_status_received'), None

    def public_files(self):
        "The files the citizen sent (only those), as (id, name)."
        Attachment = Pool().get('ir.attachment')
        with without_check_access():
            attachments = Attachment.search([
                    ('resource', '=', str(self.case)),
                    ('jubao_portal_upload', '=', True),
                    ], order=[('id', 'ASC')])
        return [(a.id, a.name) for a in attachments]

    @classmethod
    def notify_office(cls, case, reference):
        """Ring the complaints office's bell for a new online report (the
        text names the submission reference, never the reporter)."""
        pool = Pool()
        Reminder = pool.get('jubao.reminder')
        office = pool.get('jubao.configuration')(1).complaints_office
        users = {u.id for u in office.users} if office else set()
        return Reminder.send(users, case, 'portal_new', gettext(
                'jubao_portal.msg_reminder_new', reference=reference))


class PortalMessage(ModelSQL, ModelView):
    __string__ = "Online Report Message"
    __name__ = 'jubao.portal.message'
    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE',
        domain=[('channel', '=', 'online')])
    direction = fields.Selection(DIRECTIONS, "Direction", required=True,
        readonly=True)
    kind = fields.Selection(MESSAGE_KINDS, "Kind", required=True,
        readonly=True)
    body = fields.Text("Text", required=True,
        states={'readonly': Eval('direction') == 'citizen'},
        depends=['direction'])
    date = fields.DateTime("Date", readonly=True)
    office_read = fields.Boolean("Read by the Office")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('case')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.case, Index.Equality())),
                Index(t, (t.office_read, Index.Equality()),
                    where=t.direction == 'citizen'),
                })
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_direction():
        return 'office'

    @staticmethod
    def default_kind():
        return 'message'

    @staticmethod
    def default_office_read():
        return True

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values.setdefault('date', dt.datetime.now())
            if Transaction().check_access:
                # Users write replies; only the portal writes the citizen's
                values.update({'direction': 'office', 'kind': 'message',
                        'office_read': True})
        return values

    @classmethod
    def check_modification(cls, mode, messages, values=None, external=False):
        super().check_modification(
            mode, messages, values=values, external=external)
        if not external or mode == 'create':
            return
        if mode == 'delete' or set(values or {}) - {'office_read'}:
            for message in messages:
                if message.direction == 'citizen' or mode == 'delete':
                    raise PortalMessageError(gettext(
                            'jubao_portal.msg_message_frozen'))

    @classmethod
    def notify_handler(cls, message):
        "Remind the report's handler and handling office of a citizen's note."
        pool = Pool()
        Reminder = pool.get('jubao.reminder')
        case = message.case
        users = set()
        if getattr(case, 'handler', None):
            users.add(case.handler.id)
        office = (case.handling_office
            or pool.get('jubao.configuration')(1).complaints_office)
        if office:
            users |= {u.id for u in office.users}
        text = gettext('jubao_portal.msg_reminder_%s' % message.kind,
            case=case.rec_name)
        kind = 'portal_objection' if message.kind == 'objection' else 'portal'
        return Reminder.send(users, case, kind, text)


class Case(metaclass=PoolMeta):
    __name__ = 'jubao.case'
    portal_submissions = fields.One2Many('jubao.portal.submission', 'case',
        "Online Submissions", readonly=True)
    portal_messages = fields.One2Many('jubao.portal.message', 'case',
        "Messages with the Reporter",
        states={'invisible': Eval('channel') != 'online'},
        depends=['channel'])
    portal_unread = fields.Function(fields.Integer("Unread Messages"),
        'get_portal_unread', searcher='search_portal_unread')
    portal_notice_published = fields.Date("Acceptance Notice Published",
        readonly=True)
    portal_feedback_published = fields.Date("Feedback Published",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._workflow_fields |= {
            'portal_submissions', 'portal_notice_published',
            'portal_feedback_published'}
        cls._buttons.update({
                'portal_publish_notice': {
                    'invisible': ((Eval('channel') != 'online')
                        | ~Eval('state').in_(['accepted', 'handling',
                                'transferred', 'concluded'])
                        | Bool(Eval('portal_notice_published'))),
                    'depends': ['channel', 'state',
                        'portal_notice_published'],
                    },
                'portal_publish_feedback': {
                    'invisible': ((Eval('channel') != 'online')
                        | (Eval('state') != 'concluded')
                        | Bool(Eval('portal_feedback_published'))),
                    'depends': ['channel', 'state',
                        'portal_feedback_published'],
                    },
                })

    @classmethod
    def get_portal_unread(cls, cases, name):
        Message = Pool().get('jubao.portal.message')
        result = {c.id: 0 for c in cases}
        with without_check_access():
            for message in Message.search([
                        ('case', 'in', [c.id for c in cases]),
                        ('direction', '=', 'citizen'),
                        ('office_read', '=', False),
                        ]):
                result[message.case.id] += 1
        return result

    @classmethod
    def search_portal_unread(cls, name, clause):
        _, operator, value = clause[:3]
        positive = (operator in {'>', '>=', '!='} and not value) or (
            operator == '>' and value == 0)
        domain = [('portal_messages', 'where', [
                    ('direction', '=', 'citizen'),
                    ('office_read', '=', False)])]
        return domain if positive else ['NOT', domain]

    @classmethod
    @ModelView.button
    def portal_publish_notice(cls, cases):
        "Publishing on the page counts as giving the acceptance notice."
        today = Pool().get('ir.date').today()
        for case in cases:
            values = {'portal_notice_published': today}
            if case.acceptance_notice_due and not case.acceptance_notice_date:
                values.update({'acceptance_notice_date': today,
                        'acceptance_notice_method': 'online'})
            cls.write([case], values)

    @classmethod
    @ModelView.button
    def portal_publish_feedback(cls, cases):
        today = Pool().get('ir.date').today()
        for case in cases:
            values = {'portal_feedback_published': today}
            if not case.feedback_date:
                values.update({'feedback_date': today,
                        'feedback_method': 'online'})
            cls.write([case], values)

    @classmethod
    def copy(cls, cases, default=None):
        default = default.copy() if default is not None else {}
        for name in ['portal_submissions', 'portal_messages',
                'portal_notice_published', 'portal_feedback_published']:
            default.setdefault(name, None)
        return super().copy(cases, default=default)


class Reminder(metaclass=PoolMeta):
    __name__ = 'jubao.reminder'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Objections have their own kind: a message reminded of earlier
        # the same day must not hold an objection's reminder back
        for value in [('portal_new', "New Online Report"),
                ('portal', "Online Report Message"),
                ('portal_objection', "Objection to an Online Report")]:
            if value not in cls.kind.selection:
                cls.kind.selection.append(value)


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'
    jubao_portal_upload = fields.Boolean("Sent by the Reporter Online",
        readonly=True)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if Transaction().check_access:
            # Only the portal marks a file as the citizen's own
            values.pop('jubao_portal_upload', None)
        return values
