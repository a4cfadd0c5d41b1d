"""Reporter identity: the one file to audit for confidentiality.

Reporters (``jubao.case.reporter``) have their own, stricter access rights
than the report (reporter.xml); every output of their identity passes the
gate ``jubao.reporter.access.grant``, which checks the role and the report's
record rules (recusal) and writes the access log in its own transaction.
"""
import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.tools.timezone import SERVER, UTC, get_tzinfo
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)

from jubao.identity import (
    is_valid_id_number, is_valid_phone, normalize_id_number)

from .exceptions import ReporterValidationError

# Reading any of these by a user is written to the access log
IDENTITY_FIELDS = {'name', 'id_number', 'phone', 'address', 'unit', 'rec_name'}
# The outputs through which reporter identity leaves the system
ACCESS_ROUTES = [
    ('form', "Form"),
    ('export', "Export"),
    ('ledger', "Ledger"),
    ('notice', "Notice"),
    ('other', "Other"),
    ]


class Case(metaclass=PoolMeta):
    __name__ = 'jubao.case'

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        result = super().export_data(records, fields_names, header=header)
        # Export reads records without access checks: gate and log here
        paths = [f.split('/') for f in fields_names]
        names = {p[1] if len(p) > 1 else 'rec_name' for p in paths
            if p[0] == 'reporters'} & IDENTITY_FIELDS
        if names and Transaction().check_access:
            with without_check_access():
                counts = {c.id: len(c.reporters) for c in records}
            Pool().get('jubao.reporter.access').grant(
                counts, 'export', names)
        return result


class CaseReporter(ModelSQL, ModelView):
    __string__ = "Reporter"
    __name__ = 'jubao.case.reporter'
    case = fields.Many2One('jubao.case', "Report", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name")
    id_number = fields.Char("ID Number")
    phone = fields.Char("Phone")
    address = fields.Char("Address")
    unit = fields.Char("Unit")
    is_unit = fields.Boolean("Reporting as a Unit")
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'ASC')]

    def get_rec_name(self, name):
        return self.name or gettext('jubao_intake.msg_reporter_anonymous')

    @classmethod
    def read(cls, ids, fields_names):
        result = super().read(ids, fields_names)
        transaction = Transaction()
        if (ids and transaction.check_access
                and set(fields_names) & IDENTITY_FIELDS):
            Pool().get('jubao.reporter.access').grant(
                cls.case_counts(ids), 'form', fields_names)
        return result

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        result = super().export_data(records, fields_names, header=header)
        # Export reads records without access checks: gate and log here
        names = {f.split('/')[0] for f in fields_names} & IDENTITY_FIELDS
        if names and Transaction().check_access:
            Pool().get('jubao.reporter.access').grant(
                cls.case_counts([r.id for r in records]), 'export', names)
        return result

    @classmethod
    def case_counts(cls, ids):
        "{report id: number of the reporters ``ids`` on it}"
        counts = defaultdict(int)
        with without_check_access():
            for reporter in cls.browse(ids):
                counts[reporter.case.id] += 1
        return dict(counts)

    @fields.depends('id_number')
    def on_change_id_number(self):
        if self.id_number:
            self.id_number = normalize_id_number(self.id_number)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('id_number'):
            values['id_number'] = normalize_id_number(values['id_number'])
        return values

    @classmethod
    def validate_fields(cls, reporters, field_names):
        super().validate_fields(reporters, field_names)
        for reporter in reporters:
            if reporter.id_number and not is_valid_id_number(
                    reporter.id_number):
                raise ReporterValidationError(gettext(
                        'jubao_intake.msg_reporter_id_invalid',
                        number=reporter.id_number))
            if reporter.phone and not is_valid_phone(reporter.phone):
                raise ReporterValidationError(gettext(
                        'jubao_intake.msg_reporter_phone_invalid',
                        phone=reporter.phone))


class ReporterAccess(ModelSQL, ModelView):
    __string__ = "Reporter Identity Access"
    __name__ = 'jubao.reporter.access'
    # Plain ids, no foreign keys: the row is written by a separate
    # transaction that must never wait for the reading one.
    user_id = fields.Integer("User ID", readonly=True)
    user = fields.Function(fields.Many2One('res.user', "User"),
        'get_user', searcher='search_user')
    case_id = fields.Integer("Report ID", readonly=True)
    case = fields.Function(fields.Many2One('jubao.case', "Report"),
        'get_case', searcher='search_case')
    reporter_count = fields.Integer("Reporters Read", readonly=True)
    fields_read = fields.Char("Fields Read", readonly=True)
    fields_read_string = fields.Function(fields.Char("Fields Read"),
        'get_fields_read_string')
    route = fields.Selection(ACCESS_ROUTES, "Route", readonly=True,
        sort=False, help="The output through which the identity was read.")
    read_at = fields.Timestamp("Read at", readonly=True)
    read_at_string = fields.Function(fields.Char("Read at"),
        'get_read_at_string')
    # For the record rule hiding rows about reports the user may not read
    # (recusal): case_id is a plain integer, so no rule follows the report.
    case_readers = fields.Function(fields.Many2Many('res.user', None, None,
            "Report Readers"), 'get_case_readers',
        searcher='search_case_readers')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('read_at', 'DESC'), ('id', 'DESC')]

    def get_user(self, name):
        return self.user_id

    def get_read_at_string(self, name):
        """The time of reading in the user's time zone, as text: sao 8 lists
        have no column for timestamps."""
        if not self.read_at:
            return None
        zone = Transaction().context.get('timezone')
        local = self.read_at.replace(tzinfo=UTC).astimezone(
            get_tzinfo(zone) if zone else SERVER)
        return local.strftime('%Y-%m-%d %H:%M:%S')

    def get_fields_read_string(self, name):
        "The labels of the fields read, in the user's language."
        Reporter = Pool().get('jubao.case.reporter')
        # The record name of a reporter is their name
        names = list(dict.fromkeys(
                'name' if n == 'rec_name' else n
                for n in (self.fields_read or '').split(',')
                if n in Reporter._fields))
        labels = Reporter.fields_get(names)
        return '、'.join(labels[n]['string'] for n in names)

    def get_case(self, name):
        return self.case_id

    @classmethod
    def get_case_readers(cls, accesses, name):
        "The current user, on the rows whose report they may read."
        user = Transaction().user
        readable = readable_case_ids({a.case_id for a in accesses
                if a.case_id is not None})
        return {a.id: [user] if a.case_id in readable else []
            for a in accesses}

    @classmethod
    def search_case_readers(cls, name, clause):
        """Rows whose report the users may read (=, in), for the record
        rule: evaluated as each user, so that the rule also holds where
        Tryton applies it as root (Rule.query_get, Rule.check)."""
        _, operator, value = clause[:3]
        if operator not in {'=', 'in'}:
            raise ValueError(f"unsupported operator {operator}")
        values = value if isinstance(value, (list, tuple)) else [value]
        transaction = Transaction()
        domain = ['OR']
        for user in {int(v) for v in values if v is not None}:
            with transaction.set_user(user):
                query = readable_cases_query()
            if query is None:
                return []
            domain.append(('case_id', 'in', query))
        return [domain] if len(domain) > 1 else [('id', '=', None)]

    @classmethod
    def search_user(cls, name, clause):
        return [('user_id',) + tuple(clause[1:])] if clause[1] in {
            '=', '!=', 'in', 'not in'} else [
            ('user_id', 'in', [u.id for u in Pool().get('res.user').search(
                        [('rec_name',) + tuple(clause[1:])])])]

    @classmethod
    def search_case(cls, name, clause):
        return [('case_id',) + tuple(clause[1:])] if clause[1] in {
            '=', '!=', 'in', 'not in'} else [
            ('case_id', 'in', [c.id for c in Pool().get('jubao.case').search(
                        [('rec_name',) + tuple(clause[1:])])])]

    @classmethod
    def grant(cls, case_counts, route, fields_names, strict=True):
        """The one gate to reporter identity, whatever the output.

        ``case_counts`` maps report ids to the number of their reporters
        shown.  The user must be entitled by role (``may_read_reporters``)
        and may read the report under its record rules (so not recused).
        Returns the ids of the reports granted and logs the access naming
        ``route``.  Refused reports raise AccessError, or are left out when
        not ``strict`` (outputs shared with other roles, such as ledgers,
        then show no identity for them).
        """
        if Transaction().user == 0:
            return set(case_counts)
        granted = (readable_case_ids(case_counts) if may_read_reporters()
            else set())
        if strict and set(case_counts) - granted:
            raise AccessError(gettext('jubao_intake.msg_reporter_refused'))
        cls.record({c: n for c, n in case_counts.items()
                if c in granted and n}, route, fields_names)
        return granted

    @classmethod
    def record(cls, case_counts, route, fields_names):
        """Log who read the reporters of which reports, even from a
        read-only request.

        Written in its own transaction: RPC reads run read-only and a read
        must be logged even when the request fails afterwards.
        """
        if not case_counts:
            return
        user = Transaction().user
        names = ','.join(sorted(set(fields_names) & IDENTITY_FIELDS))
        now = dt.datetime.now()
        with Transaction().new_transaction() as transaction, \
                without_check_access():
            cls.create([{
                        'user_id': user,
                        'case_id': case_id,
                        'reporter_count': count,
                        'fields_read': names,
                        'route': route,
                        'read_at': now,
                        } for case_id, count in case_counts.items()])
            transaction.commit()


def may_read_reporters():
    "Shorthand for the role policy ``res.user.jubao_reads_reporters``."
    return Pool().get('res.user').jubao_reads_reporters()


def readable_case_ids(case_ids):
    "The ids of ``case_ids`` the user may read under the record rules."
    pool = Pool()
    Case = pool.get('jubao.case')
    Rule = pool.get('ir.rule')
    transaction = Transaction()
    ids = {int(i) for i in case_ids}
    if transaction.user == 0 or not ids:
        return ids
    with transaction.set_context(_check_access=True):
        domain = Rule.domain_get('jubao.case', mode='read')
    if not domain:
        return ids
    # As Rule.check does: the rule domain is evaluated as root
    with transaction.set_user(0, set_context=True), inactive_records(), \
            without_check_access():
        return {c.id for c in Case.search(
                [('id', 'in', list(ids)), domain], order=[])}


def readable_cases_query():
    """SQL query of the ids of the reports the user may read, or None when
    the record rules do not restrict them: raw-SQL outputs filter on it."""
    Rule = Pool().get('ir.rule')
    transaction = Transaction()
    if transaction.user == 0:
        return None
    with transaction.set_context(_check_access=True):
        if not Rule.domain_get('jubao.case', mode='read'):
            return None
        return Rule.query_get('jubao.case')


def reporter_identity(case_ids, route, fields_names=('name', 'phone'),
        strict=True):
    """{report id: [{field: value}]} of the reporters of the reports, read
    through ``ReporterAccess.grant`` (checked and logged as ``route``).

    For ledgers, notices and any other output built outside the reporter
    model; reports refused are left out when not ``strict``.
    """
    pool = Pool()
    Reporter = pool.get('jubao.case.reporter')
    Access = pool.get('jubao.reporter.access')
    case_ids = [int(i) for i in case_ids]
    if not case_ids or not (strict or may_read_reporters()):
        return {}
    by_case = defaultdict(list)
    with without_check_access():
        reporters = Reporter.search([('case', 'in', case_ids)],
            order=[('id', 'ASC')])
        for values in Reporter.read([r.id for r in reporters],
                ['case'] + list(fields_names)):
            by_case[values['case']].append(values)
    granted = Access.grant({c: len(by_case.get(c, [])) for c in case_ids},
        route, fields_names, strict=strict)
    return {c: rows for c, rows in by_case.items() if c in granted}
