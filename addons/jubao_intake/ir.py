from collections import defaultdict

from sql import Column, Literal, Null
from sql.functions import CurrentTimestamp, Position, Substring

from trytond.i18n import gettext
from trytond.model import Model, ModelSQL, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .exceptions import AttachmentError
from .reporter import may_read_reporters
from .security import identity_by_default, user_checked


def insert_rows(table, columns, rows):
    """Insert ``rows`` (lists of values of ``columns``) created now by the
    current user, by SQL; their ids.  Only for rows of the server's own
    values (logs, automatic timeline entries), which need no validation."""
    transaction = Transaction()
    database = transaction.database
    cursor = transaction.connection.cursor()
    columns = [table.create_uid, table.create_date] + list(columns)
    rows = [[transaction.user, CurrentTimestamp()] + list(r) for r in rows]
    if database.has_returning():
        cursor.execute(*table.insert(columns, rows, [table.id]))
        return [i for i, in cursor]
    ids = []
    for row in rows:
        cursor.execute(*table.insert(columns, [row]))
        ids.append(database.lastid(cursor))
    return ids


class ModelLog(metaclass=PoolMeta):
    __name__ = 'ir.model.log'

    # What Tryton itself puts in the log of a button, wizard, transition,
    # write or delete
    _server_fields = {'resource', 'event', 'target', 'user'}

    @classmethod
    def create(cls, vlist):
        # Tryton stores these logs at each commit, without access checks,
        # by a validated create of each (on a registration 15 % of the
        # time: the reference checked by a search, the states evaluated):
        # one INSERT of the server's own values instead.
        if Transaction().check_access or any(
                set(v) - cls._server_fields for v in vlist):
            return super().create(vlist)
        table = cls.__table__()
        names = sorted(cls._server_fields)
        ids = insert_rows(table, [Column(table, n) for n in names],
            [[_sql_value(v.get(n)) for n in names] for v in vlist])
        return cls.browse(ids)


def _sql_value(value):
    "A log value as stored: a record by its id, a reference as text."
    if isinstance(value, Model):
        return value.id if value.__name__ == 'res.user' else str(value)
    return value


class ResourceGuardMixin:
    """Notes and attachments are listed only on resources the user may
    read: Tryton filters them after the search and raises AccessError on a
    resource model the user may not read at all (reporters), which breaks
    listing without a filter; this restricts the domain instead."""
    __slots__ = ()

    @classmethod
    def search(cls, domain, *args, **kwargs):
        if user_checked():
            domain = [domain, cls._readable_resources_domain()]
        return super().search(domain, *args, **kwargs)

    @classmethod
    def check_access(cls, ids, mode='read'):
        # Tryton checks the resources' model access and record rules only;
        # a model may restrict its records further in its search (e.g. the
        # repeat candidates of jubao_intake): follow what it lists.
        super().check_access(ids, mode=mode)
        if not user_checked():
            return
        resources = defaultdict(set)
        with without_check_access():
            for record in cls.browse(ids):
                if isinstance(record.resource, Model):
                    resources[record.resource.__class__].add(
                        record.resource.id)
        for Resource, resource_ids in resources.items():
            found = Resource.search(
                [('id', 'in', list(resource_ids))], order=[])
            if resource_ids - {r.id for r in found}:
                raise AccessError(gettext(
                        'jubao_intake.msg_resource_hidden'))

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        # Tryton's export evaluates record rules of the note or attachment
        # only, not those of the record it belongs to
        cls.check_access([r.id for r in records], mode='read')
        return super().export_data(records, fields_names, header=header)

    @classmethod
    def _readable_resources_domain(cls):
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        table = cls.__table__()
        model = Substring(table.resource, Literal(1),
            Position(',', table.resource) - Literal(1))
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(model,
                where=table.resource != Null, distinct=True))
        domain = ['OR', ('id', '=', None)]
        for name, in cursor:
            try:
                Resource = pool.get(name)
            except KeyError:
                continue
            if (issubclass(Resource, ModelSQL)
                    and ModelAccess.check(
                        name, 'read', raise_exception=False)):
                domain.append(('resource.id', 'in',
                        Resource.search([], order=[], query=True), name))
        return domain


class Note(ResourceGuardMixin, metaclass=PoolMeta):
    __name__ = 'ir.note'


class Attachment(ResourceGuardMixin, metaclass=PoolMeta):
    __name__ = 'ir.attachment'
    jubao_identity = fields.Boolean("Contains Reporter Identity",
        help="Scans of letters, identity documents and anything else "
        "showing who reported: only users entitled to reporter identity "
        "may open it.")

    @classmethod
    def default_jubao_identity(cls):
        resource = Transaction().context.get('resource')
        return cls._identity_default(resource, None)

    @fields.depends('name', 'jubao_identity')
    def on_change_name(self):
        if identity_by_default(None, name=self.name):
            self.jubao_identity = True

    @classmethod
    def _identity_default(cls, resource, name):
        "The mark an attachment on ``resource`` named ``name`` gets."
        if isinstance(resource, str) and ',' in resource:
            model, id_ = resource.split(',', 1)
        elif isinstance(resource, (list, tuple)) and len(resource) == 2:
            model, id_ = resource
        elif resource is not None and hasattr(resource, '__name__'):
            model, id_ = resource.__name__, resource.id
        else:
            return identity_by_default(None, name=name)
        channel = None
        if model == 'jubao.case':
            try:
                id_ = int(id_)
            except (TypeError, ValueError):
                id_ = -1
            if id_ >= 0:
                with without_check_access():
                    cases = Pool().get('jubao.case').search(
                        [('id', '=', id_)])
                channel = cases[0].channel if cases else None
        return identity_by_default(model, channel, name)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            default = cls._identity_default(
                values.get('resource'), values.get('name'))
            values.setdefault('jubao_identity', default)
        return values

    @classmethod
    def search(cls, domain, *args, **kwargs):
        if user_checked() and not may_read_reporters():
            domain = [domain, ('jubao_identity', '!=', True)]
        return super().search(domain, *args, **kwargs)

    @classmethod
    def _identity_ids(cls, ids):
        "Ids among ``ids`` of attachments marked as containing identity."
        ids = [int(i) for i in ids if int(i) >= 0]
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        marked = set()
        for sub in grouped_slice(ids):
            cursor.execute(*table.select(table.id,
                    where=table.id.in_(list(sub))
                    & (table.jubao_identity == Literal(True))))
            marked.update(i for i, in cursor)
        return marked

    @classmethod
    def check_identity(cls, ids):
        "Raise AccessError if a marked attachment is out of the user's right."
        if ids and user_checked() and not may_read_reporters():
            if cls._identity_ids(ids):
                raise AccessError(gettext(
                        'jubao_intake.msg_attachment_identity'))

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        cls.check_identity([r.id for r in records])
        return super().export_data(records, fields_names, header=header)

    @classmethod
    def read(cls, ids, fields_names):
        cls.check_identity(ids)
        result = super().read(ids, fields_names)
        if ('data' in fields_names and user_checked()
                and Transaction().context.get(
                    'ir.attachment.data') != 'size'):
            marked = cls._identity_ids(ids)
            if marked:
                cls.log_identity_read(marked)
        return result

    @classmethod
    def log_identity_read(cls, ids):
        """Open marked attachments through the identity gate: checked
        (role, recusal) and written to the access log per report."""
        pool = Pool()
        ReporterAccess = pool.get('jubao.reporter.access')
        counts = {}
        with without_check_access():
            for attachment in cls.browse(ids):
                case = cls._identity_case(attachment.resource)
                if case is not None:
                    counts[case.id] = max(len(case.reporters), 1)
        if counts:
            ReporterAccess.grant(counts, 'other', ['attachment'])

    @staticmethod
    def _identity_case(resource):
        "The report whose reporters an attachment on ``resource`` shows."
        name = getattr(resource, '__name__', None)
        if name == 'jubao.case':
            return resource
        case = getattr(resource, 'case', None) if name else None
        if getattr(case, '__name__', None) == 'jubao.case':
            return case
        return None

    @classmethod
    def check_modification(cls, mode, attachments, values=None,
            external=False):
        super().check_modification(
            mode, attachments, values=values, external=external)
        if not external or may_read_reporters():
            return
        if mode in {'write', 'delete'}:
            if cls._identity_ids([a.id for a in attachments]):
                raise AccessError(gettext(
                        'jubao_intake.msg_attachment_identity'))
            if 'jubao_identity' in (values or {}):
                raise AccessError(gettext(
                        'jubao_intake.msg_attachment_identity_mark'))
        elif mode == 'create':
            # Only the entitled may waive the default mark
            for attachment in attachments:
                if not attachment.jubao_identity and cls._identity_default(
                        attachment.resource, attachment.name):
                    raise AccessError(gettext(
                            'jubao_intake.msg_attachment_identity_mark'))

    @classmethod
    def validate(cls, attachments):
        super().validate(attachments)
        config = None
        for attachment in attachments:
            resource = attachment.resource
            if resource is None or not resource.__name__.startswith('jubao.'):
                continue
            if config is None:
                config = Pool().get('jubao.configuration')(1)
            attachment.check_jubao_rules(config)

    def check_jubao_rules(self, config):
        "Scans, recordings and documents only, and not too large."
        name = self.name or ''
        extension = name.rsplit('.', 1)[-1].lower() if '.' in name else ''
        if self.type == 'data' and extension not in config.allowed_extensions():
            raise AttachmentError(gettext(
                    'jubao_intake.msg_attachment_type',
                    name=name, allowed=config.attachment_extensions))
        size = self.data_size or 0
        if size > config.attachment_max_size * 1024 * 1024:
            raise AttachmentError(gettext(
                    'jubao_intake.msg_attachment_size',
                    name=name, size=round(size / 1024 / 1024, 1),
                    limit=config.attachment_max_size))
