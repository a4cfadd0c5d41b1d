# This file is part of jubao.  The classes are registered in tryton.cfg.
"""Authentication of a confidential system: sessions and passwords.

Tryton 8 accepts an ordinary call until ``[session] max_age`` after login
and uses ``[session] timeout`` only for sensitive actions.  Here the same
``timeout`` is the idle time after which every call is refused: Tryton
already touches the session after each accepted call (at most once every
``timeout / 10``, ``ir.session.reset``), so an idle session is simply one
not touched for ``timeout``.
"""
import datetime as dt

from trytond import config
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import PoolMeta
from trytond.res.user import PasswordError
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from jubao.passwords import entropy, is_common


class Session(metaclass=PoolMeta):
    __name__ = 'ir.session'

    @classmethod
    def check(cls, user, key, domain=None):
        "Refuse and delete a session left idle for [session] timeout."
        find = super().check(user, key, domain=domain)
        if find and cls._idle(key) and cls._drop_idle(user, key, domain):
            return False
        return find

    @classmethod
    def _idle(cls, key):
        """Whether the session may be idle: Tryton's check has just put its
        last touch in the reset cache, so an active session costs no query;
        without that value the session is read again."""
        last_reset = cls._session_reset_cache.get(key)
        return (last_reset is None
            or dt.datetime.now() - last_reset >= cls._idle_time())

    @staticmethod
    def _idle_time():
        return dt.timedelta(seconds=config.getint('session', 'timeout'))

    @classmethod
    def _drop_idle(cls, user, key, domain=None):
        idle = cls._idle_time()
        sessions = cls.search([
                ('create_uid', '=', user),
                ('key', '=', key),
                domain or [],
                ], limit=1)
        stale = [s for s in sessions
            if dt.datetime.now() - s.last_modified_at >= idle]
        cls.delete(stale)
        return bool(stale)


class SessionWizard(metaclass=PoolMeta):
    __name__ = 'ir.session.wizard'

    @classmethod
    def read(cls, ids, fields_names):
        cls._check_owner(ids)
        return super().read(ids, fields_names)

    @classmethod
    def check_modification(cls, mode, sessions, values=None, external=False):
        super().check_modification(
            mode, sessions, values=values, external=external)
        if mode in {'write', 'delete'}:
            cls._check_owner([s.id for s in sessions])

    @classmethod
    def _check_owner(cls, ids):
        "A wizard session id is usable only by the user who started it."
        user = Transaction().user
        if not user or not ids:
            return
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        owned = set()
        for sub_ids in grouped_slice(set(ids)):
            cursor.execute(*table.select(table.id,
                    where=reduce_ids(table.id, sub_ids)
                    & (table.create_uid == user)))
            owned.update(i for i, in cursor)
        if set(ids) - owned:
            raise AccessError(gettext('jubao_intake.msg_wizard_session_owner'))


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def set_password(cls, users, name, value):
        # Tryton skips the rules for the root user, which is how
        # trytond-admin and scripts set passwords: a production database
        # must refuse a weak administrator password there too.  Only the
        # demo's relaxation ([password] length = 0) lets root set admin/admin.
        if (value and value != 'x' * 10 and not Transaction().user
                and config.getint('password', 'length', default=0) > 0):
            cls.validate_password(value, users)
        super().set_password(users, name, value)

    @classmethod
    def validate_password(cls, password, users):
        super().validate_password(password, users)
        minimum = config.getfloat('password', 'entropy', default=0)
        if minimum and entropy(password) < minimum:
            raise PasswordError(gettext('jubao_intake.msg_password_entropy'))
        if (config.getboolean('password', 'common', default=False)
                and is_common(password)):
            raise PasswordError(gettext('jubao_intake.msg_password_common'))
