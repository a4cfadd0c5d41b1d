"""Workflow fields: set by buttons and wizards only, never by a client.

Tryton's ``readonly`` and ``states`` are hints to the client: ``create`` and
``write`` over RPC accept any stored field. Buttons and wizards run without
access check (``external=False`` in ``check_modification``), so refusing the
external calls leaves the workflow as the only way to set these fields.
"""
from sql import Column, Literal, Union

from trytond.i18n import gettext
from trytond.model import ModelSQL, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction, check_access

__all__ = ['WorkflowFieldsMixin', 'workflow_models']

_X2MANY = (fields.One2Many, fields.Many2Many)


def _normalize(field, value):
    "Comparable form of a field value as read or as given to create/write."
    if isinstance(field, fields.Many2One):
        return int(value) if value is not None else None
    if isinstance(field, _X2MANY):
        return sorted(int(v) for v in value or [])
    if isinstance(field, fields.MultiSelection):
        return sorted(value or [])
    if isinstance(field, fields.Boolean):
        return bool(value)
    if value == '':
        return None
    return value


def _link(field):
    """The table and column that hold the records' side of an x2many, or
    None when the link is not a plain Many2One column."""
    if isinstance(field, fields.One2Many):
        Link, column = field.get_target(), field.field
    else:
        Link, column = Pool().get(field.relation_name), field.origin
    if (not issubclass(Link, ModelSQL) or Link._is_table_query()
            or type(Link._fields.get(column)) is not fields.Many2One):
        return None
    return Link.__table__(), column


def _linked(links, ids):
    "(field name, record id) of each row linked to ``ids`` in ``links``."
    if not links:
        return []
    cursor = Transaction().connection.cursor()
    result = []
    for sub_ids in grouped_slice(ids):
        sub_ids = list(sub_ids)
        query = Union(*(table.select(Literal(name), Column(table, column),
                    where=reduce_ids(Column(table, column), sub_ids))
                for name, (table, column) in sorted(links.items())),
            all_=True)
        cursor.execute(*query)
        result.extend(cursor)
    return result


class WorkflowFieldsMixin:
    """Refuse external create and write of the model's workflow fields.

    ``_workflow_fields``: fields only the workflow sets. An external create
    may give them their default value only (sao sends the defaults), an
    external write may not change them (sending the current value passes).
    ``_workflow_draft_fields``: fields an external write may change only
    while the record is in its initial state (a hand-off's destination once
    it is sent).
    ``_workflow_parents``: Many2One fields to the record this one acts on
    (a hand-off's report): an external create or write must point to a
    record the user may read.
    Declare them in ``__setup__`` after ``super()``:
    ``cls._workflow_fields |= {...}``.
    """
    __slots__ = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._workflow_fields = set()
        cls._workflow_draft_fields = set()
        cls._workflow_parents = set()

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if not external:
            return
        if mode == 'create':
            # Workflow fields first: a forged state could otherwise make
            # the parent readable through a record rule.
            cls._check_workflow_create(records)
            cls._check_workflow_parents(records)
        elif mode == 'write' and values:
            cls._check_workflow_write(records, values)
            cls._check_workflow_draft(records, values)
            cls._check_workflow_parents(records, values)

    @classmethod
    def copy(cls, records, default=None):
        """A copy starts its workflow afresh, as ``Workflow.copy`` does for
        the state; otherwise an external copy would be refused."""
        default = dict(default) if default else {}
        given = {k.split('.', 1)[0] for k in default}
        names = sorted(cls._workflow_fields - given)
        values = cls.default_get(names, with_rec_name=False) if names else {}
        for name in names:
            default[name] = (None if isinstance(cls._fields[name], _X2MANY)
                else values.get(name))
        return super().copy(records, default=default)

    @classmethod
    def _check_workflow_create(cls, records):
        names = sorted(cls._workflow_fields)
        if not names or not records:
            return
        defaults = cls.default_get(names, with_rec_name=False)
        # An empty relation is checked by one query over the link tables
        # instead of an ORM read of each relation of each record.
        links = {name: _link(cls._fields[name]) for name in names
            if isinstance(cls._fields[name], _X2MANY)
            and not defaults.get(name)}
        links = {name: link for name, link in links.items() if link}
        for name, record_id in _linked(links, [r.id for r in records]):
            cls._raise_workflow(cls(record_id), name, created=True)
        for record in records:
            for name in names:
                if name in links:
                    continue
                field = cls._fields[name]
                if (_normalize(field, getattr(record, name))
                        != _normalize(field, defaults.get(name))):
                    cls._raise_workflow(record, name, created=True)

    @classmethod
    def _check_workflow_write(cls, records, values):
        for name in sorted(set(values) & cls._workflow_fields):
            field = cls._fields[name]
            if isinstance(field, _X2MANY):
                # Any action (create, add, remove…) changes the relation
                if values[name]:
                    cls._raise_workflow(records[0], name)
                continue
            value = _normalize(field, values[name])
            for record in records:
                if _normalize(field, getattr(record, name)) != value:
                    cls._raise_workflow(record, name)

    @classmethod
    def _check_workflow_draft(cls, records, values):
        initial = cls._workflow_initial_state()
        for name in sorted(set(values) & cls._workflow_draft_fields):
            field = cls._fields[name]
            value = _normalize(field, values[name])
            for record in records:
                if (record.state != initial
                        and _normalize(field, getattr(record, name))
                        != value):
                    cls._raise_workflow(record, name)

    @classmethod
    def _check_workflow_parents(cls, records, values=None):
        "The user must be able to read the records these ones act on."
        for name in sorted(cls._workflow_parents):
            if values is None:
                ids = {getattr(r, name).id for r in records
                    if getattr(r, name)}
            elif values.get(name) is not None:
                ids = {int(values[name])}
            else:
                continue
            Target = cls._fields[name].get_target()
            with check_access():
                # Raises the record rule's AccessError: no content leaks
                Target.read(list(ids), ['id'])

    @classmethod
    def _workflow_initial_state(cls):
        if 'state' not in cls._fields:
            return None
        return cls.default_get(['state'], with_rec_name=False).get('state')

    def _workflow_record_name(self):
        "Name the record by report number only, never by its content."
        for record in [self, getattr(self, 'case', None)]:
            number = getattr(record, 'number', None) if record else None
            if number and isinstance(number, str):
                return number
        return '#%s' % self.id

    @classmethod
    def _raise_workflow(cls, record, name, created=False):
        names = cls.__names__(name)
        if created:
            raise AccessError(gettext(
                    'jubao_intake.msg_workflow_field_create',
                    field=names['field'], model=names['model']))
        raise AccessError(gettext(
                'jubao_intake.msg_workflow_field_write',
                field=names['field'], model=names['model'],
                record=record._workflow_record_name()))


def workflow_models(pool, prefix='jubao.'):
    "Stored models of ``prefix`` that have a workflow state."
    for name, Model in pool.iterobject():
        if not name.startswith(prefix):
            continue
        field = getattr(Model, '_fields', {}).get('state')
        if (field is None or isinstance(field, fields.Function)
                or not issubclass(Model, ModelSQL)
                or Model._is_table_query()):
            continue
        yield name, Model
