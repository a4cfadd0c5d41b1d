"""The timeline (动态) of a record: Tryton's chat, drawn by sao.

``TimelineMixin`` makes a model a ``ChatMixin`` model (sao shows the chat
panel on its form: entries, internal remarks, followers) and posts an
entry on each workflow step: a model declares in ``__setup__`` which state
(or ``(old state, new state)``) posts which message, which field posts
which message when it is set or cleared, and which states also post on
the report (``self.case``).  The entry is computed from the record after
the write (``on_write`` callback: the old state is known, the new values
are stored and validated) and posted by ``Channel.post_entry`` in the
same transaction (see ``_timeline_send``).
Messages carry workflow data only (numbers, offices, dispositions, dates,
the acting user): never a reporter's name, ID number, phone or address.
The context key ``_jubao_timeline_skip`` posts nothing (bulk loads); it is
private (Tryton drops the context keys starting with ``_`` that a client
sends), so no call over RPC can act without leaving its entry.

The chat's routes follow the record's access.  Tryton's ``ir.chat.channel``
checks only the model access of the resource on its RPC methods (``get``,
``post``, ``subscribe``, ``get_followers``, ``search_followers``; its source
leaves the record rule check for later) and publishes message contents on the bus channel
``chat:<resource>`` that any logged-in user may subscribe to.  Here:

- every chat method checks that the user may read the record under its
  record rules and the model's own search (other office, recusal);
- a follower added by someone else must be able to read the record, and
  notifications go only to followers who still may;
- the bus carries the message id, not its content (sao re-reads through
  ``get``);
- email followers and the public audience are not used: every message is
  internal;
- a remark naming a reporter of the report (name, ID number, phone,
  address) or any ID or mobile number is refused: the timeline is read by
  the handling office, which may not be entitled to reporter identity;
- direct reads, searches and exports of channels, messages and followers
  (administrators only by model access) follow the resources too.
"""
import re

from trytond.bus import Bus
from trytond.i18n import gettext
from trytond.model import ChatMixin, Model
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, check_access, without_check_access

from jubao.identity import is_valid_id_number, normalize_id_number

from .exceptions import TimelineError
from .ir import ResourceGuardMixin, insert_rows
from .security import readable_query, user_checked

__all__ = ['TimelineMixin', 'may_read_resource']

# Candidates for identity numbers and mobile phones in free text
_ID_CANDIDATE = re.compile(r'(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])')
_MOBILE = re.compile(r'(?<![0-9])1[3-9][0-9]{9}(?![0-9])')
# An identity value shorter than this is not searched for in remarks (a
# one-character name would refuse any remark)
_MIN_IDENTITY_LENGTH = 2


def _parse_resource(resource):
    "The model class and id of ``resource`` ('model,id' or a record)."
    pool = Pool()
    if isinstance(resource, Model):
        return resource.__class__, resource.id
    if isinstance(resource, (list, tuple)) and len(resource) == 2:
        model, id_ = resource
    else:
        model, _, id_ = str(resource).partition(',')
    try:
        Resource = pool.get(model)
        id_ = int(id_)
    except (KeyError, TypeError, ValueError):
        return None, None
    if not issubclass(Resource, ChatMixin) or id_ < 0:
        return None, None
    return Resource, id_


def may_read_resource(resource, user_id=None):
    """Whether ``user_id`` (the current user by default) may read the
    record ``resource``: model access, record rules (offices, recusal) and
    the model's own search restrictions."""
    pool = Pool()
    ModelAccess = pool.get('ir.model.access')
    transaction = Transaction()
    Resource, id_ = _parse_resource(resource)
    if Resource is None:
        return False
    user_id = transaction.user if user_id is None else user_id
    if not user_id:
        with without_check_access():
            return bool(Resource.search([('id', '=', id_)], order=[]))
    with transaction.set_user(user_id), check_access():
        if not ModelAccess.check(
                Resource.__name__, 'read', raise_exception=False):
            return False
        return bool(Resource.search(
                [('id', '=', id_)], limit=1, order=[]))


def _lookup(messages, old, new):
    "The message of the step old -> new: the pair first, then the state."
    if (old, new) in messages:
        return messages[(old, new)]
    return messages.get(new)


def _timeline_language():
    """The context of the entries' texts: the configured language, kept
    out of the context when it is already the current one (a new context
    would read the records again)."""
    language = Pool().get('ir.configuration').get_language()
    if Transaction().language == language:
        return {}
    return {'language': language}


def _hidden():
    return AccessError(gettext('jubao_intake.msg_timeline_hidden'))


class TimelineMixin(ChatMixin):
    "Post a timeline entry on each workflow step of the record."
    __slots__ = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # {new state or (old state, new state): message id}
        cls._timeline_states = {}
        # {field name: (message when set, message when cleared or None)}
        cls._timeline_fields = {}
        # like _timeline_states, posted on the report of the record (case)
        cls._timeline_case_states = {}
        # message posted on the report when a record is created, or None
        cls._timeline_case_create = None

    def chat_language(self, audience='internal'):
        return Pool().get('ir.configuration').get_language()

    def timeline_variables(self):
        """The values the messages of the record may use: workflow data
        only, never reporter identity."""
        return {}

    def _timeline_selection(self, name):
        "The label of the value of selection field ``name``."
        value = getattr(self, name, None)
        if value is None:
            return ''
        selection = self.__class__.fields_get([name])[name]['selection']
        return dict(selection).get(value, value) if isinstance(
            selection, list) else value

    @staticmethod
    def _timeline_name(record):
        return record.rec_name if record else ''

    @classmethod
    def on_write(cls, records, values):
        callbacks = super().on_write(records, values)
        state_field = getattr(cls, '_transition_state', 'state')
        names = set(values) & (set(cls._timeline_fields) | {state_field})
        if not records or not names or Transaction().context.get(
                '_jubao_timeline_skip'):
            return callbacks
        ids = [r.id for r in records]
        old_states = {}
        if state_field in names:
            old_states = {r.id: getattr(r, state_field) for r in records}

        def post():
            cls._timeline_post(ids, old_states, names)
        callbacks.append(post)
        return callbacks

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'delete':
            cls._timeline_delete(records)
        elif mode == 'create' and not Transaction().context.get(
                '_jubao_timeline_skip'):
            cls._timeline_post_created(records)

    @classmethod
    def _timeline_delete(cls, records):
        "Drop the channel of deleted records (nothing may read it again)."
        pool = Pool()
        Channel = pool.get('ir.chat.channel')
        Message = pool.get('ir.chat.message')
        with without_check_access():
            channels = Channel.search([
                    ('resource', 'in', [str(r) for r in records]),
                    ])
            if channels:
                Message.delete(Message.search([
                            ('channel', 'in', [c.id for c in channels]),
                            ]))
                Channel.delete(channels)

    @classmethod
    def _timeline_post(cls, ids, old_states, names):
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        state_field = getattr(cls, '_transition_state', 'state')
        with transaction.set_context(_timeline_language()), \
                without_check_access():
            if transaction.user:
                user = User(transaction.user).rec_name
            else:
                user = gettext('jubao_intake.msg_timeline_system')
            for record in cls.browse(ids):
                entries = []
                if state_field in names:
                    old = old_states.get(record.id)
                    new = getattr(record, state_field)
                    if old != new:
                        msg = _lookup(cls._timeline_states, old, new)
                        if msg:
                            entries.append((record, msg))
                        msg = _lookup(cls._timeline_case_states, old, new)
                        case = getattr(record, 'case', None)
                        if msg and isinstance(case, TimelineMixin):
                            entries.append((case, msg))
                for name in sorted(names & set(cls._timeline_fields)):
                    set_msg, cleared_msg = cls._timeline_fields[name]
                    value = getattr(record, name)
                    msg = set_msg if value not in (None, '', False) else (
                        cleared_msg)
                    if msg:
                        entries.append((record, msg))
                cls._timeline_send(record, entries, user)

    @classmethod
    def _timeline_post_created(cls, records):
        "Post the entries of records created in a state that has one."
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        if not cls._timeline_case_create:
            return
        with transaction.set_context(_timeline_language()), \
                without_check_access():
            user = (User(transaction.user).rec_name if transaction.user
                else gettext('jubao_intake.msg_timeline_system'))
            for record in cls.browse([r.id for r in records]):
                case = getattr(record, 'case', None)
                if isinstance(case, TimelineMixin):
                    cls._timeline_send(
                        record, [(case, cls._timeline_case_create)], user)

    @classmethod
    def _timeline_send(cls, record, entries, user):
        entries = [(t, record.timeline_message(m)) for t, m in entries]
        entries = [(t, m) for t, m in entries if m]
        if not entries:
            return
        Channel = Pool().get('ir.chat.channel')
        variables = {'user': user, 'record': record.rec_name}
        variables.update(record.timeline_variables())
        for target, msg in entries:
            # In the transaction of the step, not through ir.queue: the
            # entry is undone with a failed step, entries keep the order of
            # the steps (queued tasks run last-in first-out, or in parallel
            # with workers), and records made without a worker (demo data,
            # imports) get their timeline too.
            Channel.post_entry(target, gettext(msg, **variables))

    def timeline_message(self, msg):
        """The message to post for ``msg`` (a model may pick a variant,
        e.g. a return instead of a forward); None posts nothing."""
        return msg


def _remark_identities(resource):
    "The identity values of the reporters of the report ``resource`` is of."
    Resource, id_ = _parse_resource(resource)
    if Resource is None:
        return []
    with without_check_access():
        record = Resource(id_)
        case = record if Resource.__name__ == 'jubao.case' else getattr(
            record, 'case', None)
        if getattr(case, '__name__', None) != 'jubao.case':
            return []
        values = []
        for reporter in case.reporters:
            for name in ['name', 'id_number', 'phone', 'address']:
                value = (getattr(reporter, name, None) or '').strip()
                if len(value) >= _MIN_IDENTITY_LENGTH:
                    values.append(value)
        return values


def check_remark(resource, content):
    """Raise TimelineError when a remark is empty or shows reporter
    identity (the report's reporters, any ID or mobile number)."""
    text = (content or '').strip()
    if not text:
        raise TimelineError(gettext('jubao_intake.msg_timeline_empty'))
    compact = re.sub(r'[\s\-]', '', text)
    for value in _remark_identities(resource):
        if value in text or re.sub(r'[\s\-]', '', value) in compact:
            raise TimelineError(gettext('jubao_intake.msg_timeline_identity'))
    for candidate in _ID_CANDIDATE.findall(compact):
        if is_valid_id_number(normalize_id_number(candidate)):
            raise TimelineError(gettext('jubao_intake.msg_timeline_identity'))
    if _MOBILE.search(compact):
        raise TimelineError(gettext('jubao_intake.msg_timeline_identity'))


class Channel(metaclass=PoolMeta):
    __name__ = 'ir.chat.channel'

    @classmethod
    def check_access(cls, resource):
        # Tryton checks the model access only (the record rule check is
        # left for later there), and a malformed resource raises ValueError
        if _parse_resource(resource)[0] is None:
            raise _hidden()
        super().check_access(resource)
        if Transaction().user and not may_read_resource(resource):
            raise _hidden()

    @classmethod
    def post(cls, resource, content, audience='internal'):
        transaction = Transaction()
        if transaction.user and 'user' in transaction.context:
            # Tryton's post takes its author from the context key 'user',
            # which only root acting for a user sets; sent by a client it
            # would forge the author and skip the checks below.
            with transaction.set_user(transaction.user):
                return cls.post(resource, content, audience=audience)
        # Remarks typed by a user (automatic entries are posted as root)
        if transaction.user:
            cls.check_access(resource)
            check_remark(resource, content)
        # No email audience on this platform: everything stays internal
        return super().post(resource, content, audience='internal')

    @classmethod
    def post_entry(cls, resource, content):
        """Post the automatic entry ``content`` on the timeline of the
        record ``resource``, by the system (user 0): the rows ``post``
        stores for root, written by SQL instead of the validated ORM
        creates of a channel and a message (every workflow step posts
        one; on a registration they were the largest cost).  The values
        are the server's own, so nothing is left to validate; publishing
        and notifying are those of every message."""
        pool = Pool()
        Message = pool.get('ir.chat.message')
        transaction = Transaction()
        resource = str(resource)
        message = Message.__table__()
        with transaction.set_user(0):
            channel_id = cls._entry_channel(resource)
            message_id, = insert_rows(message,
                [message.channel, message.user, message.content,
                    message.audience],
                [[channel_id, 0, content, 'internal']])
            if cls._has_followers(channel_id):
                cls.dispatch_message(
                    Message(message_id), lambda u: u.id == 0)
            else:
                cls._publish(resource, message_id)

    @classmethod
    def _entry_channel(cls, resource):
        "The id of the channel of ``resource``, created when it has none."
        channel = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*channel.select(channel.id,
                where=channel.resource == resource))
        row = cursor.fetchone()
        if row:
            return row[0]
        channel_id, = insert_rows(channel, [channel.resource], [[resource]])
        return channel_id

    @staticmethod
    def _has_followers(channel_id):
        follower = Pool().get('ir.chat.follower').__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*follower.select(follower.id,
                where=follower.channel == channel_id, limit=1))
        return cursor.fetchone() is not None

    @classmethod
    def subscribe(cls, resource, username=None):
        if username is not None and Transaction().user:
            cls.check_access(resource)
            cls._check_follower(resource, username)
        super().subscribe(resource, username=username)

    @classmethod
    def _check_follower(cls, resource, login):
        "Raise unless the user ``login`` may read ``resource``."
        User = Pool().get('res.user')
        with without_check_access():
            users = User.search([('login', '=', login)], limit=1)
        if not users or not may_read_resource(resource, users[0].id):
            raise AccessError(gettext(
                    'jubao_intake.msg_timeline_follower_hidden',
                    user=users[0].rec_name if users else login))

    @classmethod
    def subscribe_email(cls, resource, email):
        raise AccessError(gettext('jubao_intake.msg_timeline_no_email'))

    @classmethod
    def unsubscribe_email(cls, resource, email):
        raise AccessError(gettext('jubao_intake.msg_timeline_no_email'))

    @classmethod
    def _search_followers(cls, resource, text):
        found = super()._search_followers(resource, text)
        User = Pool().get('res.user')
        with without_check_access():
            users = {u.login: u.id for u in User.search([
                        ('login', 'in', [k for _, k in found]),
                        ])}
        return {key: value for key, value in found.items()
            if key[1] in users and may_read_resource(resource, users[key[1]])}

    @classmethod
    def _email_channel(cls, email):
        # No message comes in by email
        return None

    @classmethod
    def dispatch_message(cls, message, is_sender):
        # Tryton publishes the content on the bus channel of the record
        # (open to any logged-in user) and emails public messages: publish
        # the id only (sao reloads through ``get``), notify only followers
        # who may still read the record, send no email.
        resource = message.channel.resource
        cls._publish(resource, message.id)
        if not Transaction().context.get('_notify', True):
            return
        for follower in message.channel.followers:
            if (follower.user is not None and not is_sender(follower.user)
                    and may_read_resource(resource, follower.user.id)):
                follower.notify(message)

    @staticmethod
    def _publish(resource, message_id):
        "Tell the clients showing ``resource`` (its id only, see above)."
        Bus.publish(f'chat:{str(resource)}', {
                'type': 'message',
                'message': {'id': message_id},
                })

    # Direct routes (model access: administrators only) ---------------

    @classmethod
    def search(cls, domain, *args, **kwargs):
        if user_checked():
            domain = [domain,
                ResourceGuardMixin._readable_resources_domain.__func__(cls)]
        return super().search(domain, *args, **kwargs)

    @classmethod
    def read(cls, ids, fields_names):
        if user_checked():
            cls._check_readable(ids)
        return super().read(ids, fields_names)

    @classmethod
    def _check_readable(cls, ids):
        "Raise unless the current user may read the channels ``ids``."
        ids = {int(i) for i in ids if int(i) >= 0}
        if not ids or not Transaction().user:
            return
        # hooks run without access checks: check as the user does
        with check_access():
            found = cls.search([('id', 'in', list(ids))], order=[])
        if len(found) < len(ids):
            raise _hidden()

    @classmethod
    def check_modification(cls, mode, channels, values=None, external=False):
        super().check_modification(
            mode, channels, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            cls._check_readable([c.id for c in channels])
        if external and mode in {'create', 'write'}:
            for channel in channels:
                if not may_read_resource(channel.resource):
                    raise _hidden()


class ChannelChildMixin:
    "Messages and followers follow the channel, hence the record."
    __slots__ = ()

    @classmethod
    def search(cls, domain, *args, **kwargs):
        if user_checked():
            Channel = Pool().get('ir.chat.channel')
            domain = [domain, ('channel', 'in', readable_query(Channel))]
        return super().search(domain, *args, **kwargs)

    @classmethod
    def read(cls, ids, fields_names):
        if user_checked():
            cls._check_channels([int(i) for i in ids if int(i) >= 0])
        return super().read(ids, fields_names)

    @classmethod
    def _check_channels(cls, ids):
        Channel = Pool().get('ir.chat.channel')
        with without_check_access():
            channels = {r.channel.id for r in cls.browse(ids)}
        Channel._check_readable(list(channels))

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if external:
            Channel = Pool().get('ir.chat.channel')
            channels = {r.channel.id for r in records if r.channel}
            if mode == 'write' and values and values.get('channel'):
                channels.add(int(values['channel']))
            Channel._check_readable(list(channels))


class Message(ChannelChildMixin, metaclass=PoolMeta):
    __name__ = 'ir.chat.message'

    @classmethod
    def default_audience(cls):
        return 'internal'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'audience' in values:
            values['audience'] = 'internal'
        return values


class Follower(ChannelChildMixin, metaclass=PoolMeta):
    __name__ = 'ir.chat.follower'
