"""Generic confidentiality guards for every model of the pool.

Tryton protects the direct routes (read, search, export of a model) with
model access, field access and record rules, but generic routes skip
them:

- ``ModelStorage.copy`` reads the source records without any check, so
  copying a record the user cannot read (or whose fields they cannot read)
  gives its content in the copy;
- ``ModelSQL.search_domain`` converts domains without access checks, so a
  domain walking a relation (``repeat_of.summary``, ``subjects.name``,
  ``resource.summary``, a Function field's searcher) is evaluated on every
  target record, including those the record rules hide: an oracle;
- ordering by a Many2One (``repeat_of.summary``) joins the target table
  without its record rules;
- ``ModelStorage.export_data`` evaluates record rules in Python, where the
  rule of a model following another one (``__access__``) always passes:
  another office's hand-offs, subjects or supervisions were exported, on
  their own or through a field path (``case/summary``, ``repeat_of``).

These functions wrap the base methods once, by ``install()``, called
when ``jubao_intake`` is imported (``__init__.py``: ``Pool.start()`` imports
every module before any transaction).  Why not ``[register_mixin]`` of
tryton.cfg: a mixin becomes the *outermost* class of each model, while the
guards must run *innermost*, where ``ModelStorage.copy`` does its unchecked
read with the defaults every override has added (e.g. "do not copy these
children"), and where ``ModelSQL.search`` converts the final domain,
including the clauses that overrides add; ordering joins belong to the
``Many2One`` field class, which has no pool at all.

Each wrapper acts only for a real user with access checks on
(``Transaction().user`` and ``check_access``): demo loaders, cron jobs and
internal code run as root or under ``without_check_access()`` and are
unchanged.  A model added later is covered without anyone remembering to
protect it.  Proven by tests/test_security_copy_notes.py (and the generic
attack suite of tests/security/).
"""
import weakref

from sql import Literal

from trytond.model import ModelSQL, ModelStorage, fields
from trytond.model.modelstorage import is_leaf
from trytond.pool import Pool
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)

__all__ = ['user_checked', 'readable_query', 'restrict_domain',
    'copy_defaults', 'identity_by_default', 'IDENTITY_DOCUMENT_WORDS']

# File names that suggest an identity document or its copy
IDENTITY_DOCUMENT_WORDS = ('身份证', '户口', '护照', '驾驶证', '居住证',
    '工作证', '证件', '身份')
# Channels whose attachments are scans of what the reporter sent
IDENTITY_CHANNELS = {'letter'}


def user_checked():
    "Whether the current call runs for a real user with access checks."
    transaction = Transaction()
    return bool(transaction.user and transaction.check_access)


def identity_by_default(resource_model, channel=None, name=None):
    """Whether an attachment contains reporter identity unless the clerk
    says otherwise: files on a reporter, scans of a letter, and anything
    named like an identity document."""
    if resource_model == 'jubao.case.reporter':
        return True
    if resource_model == 'jubao.case' and channel in IDENTITY_CHANNELS:
        return True
    return any(word in (name or '') for word in IDENTITY_DOCUMENT_WORDS)


def readable_query(Model, domain=None):
    """The ids of the records of ``Model`` matching ``domain`` that the
    current user may read, as a sub-query (or an empty list)."""
    ModelAccess = Pool().get('ir.model.access')
    if not ModelAccess.check(Model.__name__, 'read', raise_exception=False):
        return []
    return Model.search(domain or [], order=[], query=True)


# Copy -----------------------------------------------------------------------

def _copied_fields(Model):
    return {n: f for n, f in Model._fields.items()
        if not isinstance(f, fields.Function)
        or isinstance(f, fields.MultiValue)}


def _readable_children(Target, name):
    "A copy default keeping only the children the user may read."
    def children(origin):
        ids = origin.get(name) or []
        if not ids:
            return ids
        allowed = {r.id for r in Target.search(
                [('id', 'in', ids)], order=[])}
        return [i for i in ids if i in allowed]
    return children


def copy_defaults(Model, records, default):
    """Check that the user may read what ``copy`` would read and return
    the defaults that drop what they may not.

    Raises AccessError (model access, record rules, the model's own read
    checks) unless every source record is readable; fields without read
    access are reset to their default; One2Many children (copied in turn)
    keep only those the user may read."""
    pool = Pool()
    ModelAccess = pool.get('ir.model.access')
    FieldAccess = pool.get('ir.model.field.access')
    default = dict(default or {})
    given = {k.split('.', 1)[0] for k in default}
    copied = _copied_fields(Model)
    access = FieldAccess.get_access([Model.__name__])[Model.__name__]
    hidden = {n for n in copied
        if not access.get(n, {}).get('read', True)}
    if hidden - given:
        values = Model.default_get(
            list(hidden - given), with_rec_name=False)
        for name in hidden - given:
            default[name] = values.get(name)
    for name in hidden & given:
        # a caller's default computed from the source would still leak
        if callable(default.get(name)):
            default[name] = None
    ids = [int(r) for r in records]
    names = [n for n in copied if n not in hidden]
    # Binary fields: the check needs their size, not their content
    sizes = {'%s.%s' % (Model.__name__, n): 'size'
        for n in names if copied[n]._type == 'binary'}
    with Transaction().set_context(sizes):
        Model.read(ids, names)
    for name in names:
        field = copied[name]
        if field._type != 'one2many' or name in given:
            continue
        Target = field.get_target()
        if not ModelAccess.check(
                Target.__name__, 'read', raise_exception=False):
            default[name] = None
        else:
            default[name] = _readable_children(Target, name)
    return default


def _wrap_copy(copy):
    func = copy.__func__

    def guarded_copy(cls, records, default=None):
        if records and user_checked():
            default = copy_defaults(cls, records, default)
        return func(cls, records, default=default)
    guarded_copy.__doc__ = func.__doc__
    guarded_copy._jubao_guard = True
    guarded_copy.__wrapped__ = func
    return classmethod(guarded_copy)


RELATIONAL = {'many2one', 'one2one', 'one2many', 'many2many', 'reference'}


def _export_tree(fields_names):
    "The exported paths as a tree of field names (descriptors dropped)."
    tree = {}
    for path in fields_names:
        node = tree
        for segment in path.split('/'):
            name = segment.split('.', 1)[0].split(':lang=', 1)[0]
            node = node.setdefault(name, {})
    return tree


def _export_targets(records, name):
    "The records that the relation ``name`` of ``records`` reaches, by model."
    by_model = {}
    with without_check_access():
        for record in records:
            value = getattr(record, name, None)
            values = value if isinstance(value, (list, tuple)) else [value]
            for target in values:
                if target is not None and (target.id or -1) >= 0:
                    by_model.setdefault(target.__class__, []).append(target)
    return by_model


def check_export_readable(Model, records, tree):
    """Raise AccessError unless the user may read ``records`` and every
    record that the exported paths of ``tree`` reach, checked in SQL like
    ``read`` (a relation without sub-field exports the target's name, so
    its targets count too)."""
    ids = list({int(r) for r in records if int(r) >= 0})
    if not ids:
        return
    Model.read(ids, ['id'])
    for name, subtree in tree.items():
        field = Model._fields.get(name)
        if field is None or field._type not in RELATIONAL:
            continue
        for Target, targets in _export_targets(records, name).items():
            check_export_readable(Target, targets, subtree)


def _wrap_export(export_data):
    func = export_data.__func__

    def guarded_export_data(cls, records, fields_names, header=False):
        if records and user_checked():
            check_export_readable(
                cls, records, _export_tree(fields_names))
        return func(cls, records, fields_names, header=header)
    guarded_export_data.__doc__ = func.__doc__
    guarded_export_data._jubao_guard = True
    guarded_export_data.__wrapped__ = func
    return classmethod(guarded_export_data)


# Relation-walking domains ---------------------------------------------------

def _negative(operator, value):
    "Whether Tryton adds 'or the relation is empty' to a Many2One clause."
    values = value if isinstance(value, (list, tuple)) else []
    return ((operator.startswith('not')
            and not (operator == 'not in' and None in values))
        or (operator == '!=' and value is not None))


TREE_OPERATORS = {'child_of', 'not child_of', 'parent_of', 'not parent_of'}


def restrict_domain(Model, domain):
    """``domain`` of ``Model`` where every clause that walks into another
    model matches only the target records the user may read (record rules
    and model access of the target; field access stays checked by
    ``ModelStorage.search``).  Function fields' searchers are called here,
    with access checks, and their result restricted in turn."""
    if is_leaf(domain):
        return _restrict_leaf(Model, domain)
    if isinstance(domain, str) or not domain:
        return domain
    return [restrict_domain(Model, d) if not isinstance(d, str) else d
        for d in domain]


def _restrict_leaf(Model, leaf):
    name, operator, value = leaf[:3]
    fname, _, rest = name.partition('.')
    field = Model._fields.get(fname)
    if field is None:
        return leaf
    if isinstance(field, fields.Function):
        if field.searcher:
            result = getattr(Model, field.searcher)(fname, tuple(leaf))
            return restrict_domain(Model, result)
        return leaf
    if operator in TREE_OPERATORS:
        return leaf
    if (operator in {'where', 'not where'} and field._type in {
                'many2one', 'one2one', 'one2many', 'many2many'}):
        return (fname, operator,
            [('id', 'in', readable_query(field.get_target(), value))])
    if field._type in {'many2one', 'one2one'}:
        return _restrict_many2one(field, leaf, fname, rest)
    if field._type in {'one2many', 'many2many'}:
        return _restrict_x2many(field, leaf, fname, rest)
    if field._type == 'reference' and rest and len(leaf) >= 4:
        return _restrict_reference(leaf, fname, rest)
    return leaf


def _restrict_many2one(field, leaf, fname, rest):
    name, operator, value = leaf[:3]
    Target = field.get_target()
    if not rest:
        if not isinstance(value, str):
            return leaf  # ids or None: nothing of the target is compared
        rest = 'rec_name'
    clause = (fname, 'in', readable_query(
            Target, [(rest, operator, value) + tuple(leaf[3:])]))
    if _negative(operator, value):
        return ['OR', clause, (fname, '=', None)]
    return clause


def _restrict_x2many(field, leaf, fname, rest):
    name, operator, value = leaf[:3]
    Target = field.get_target()
    if not rest:
        if value is None and operator in {'=', '!='}:
            return (fname, 'where' if operator == '!=' else 'not where',
                [('id', 'in', readable_query(Target))])
        rest = 'rec_name' if isinstance(value, str) else 'id'
    return (fname, 'where', [('id', 'in', readable_query(
                    Target, [(rest, operator, value) + tuple(leaf[3:])]))])


def _restrict_reference(leaf, fname, rest):
    name, operator, value, target = leaf[:4]
    Target = Pool().get(target)
    with inactive_records():
        query = readable_query(
            Target, [(rest, operator, value) + tuple(leaf[4:])])
    clause = (fname + '.id', 'in', query, target)
    if _negative(operator, value):
        return ['OR', clause, (fname, '=', None)]
    return clause


def _wrap_search(search):
    func = search.__func__

    def guarded_search(cls, domain, offset=0, limit=None, order=None,
            count=False, query=False):
        if domain and user_checked():
            # field access on the domain as written, then the rewrite
            ModelStorage.search.__func__(
                cls, domain, order=order, count=count)
            domain = restrict_domain(cls, domain)
        return func(cls, domain, offset=offset, limit=limit, order=order,
            count=count, query=query)
    guarded_search.__doc__ = func.__doc__
    guarded_search._jubao_guard = True
    guarded_search.__wrapped__ = func
    return classmethod(guarded_search)


# Ordering through a Many2One ------------------------------------------------

_restricted_joins = weakref.WeakSet()


def _wrap_target_tables(get_target_tables):
    def guarded_target_tables(self, tables, Model):
        target_tables = get_target_tables(self, tables, Model)
        target, condition = target_tables[None]
        if user_checked() and target not in _restricted_joins:
            # rows of targets the user may not read join as NULL
            Rule = Pool().get('ir.rule')
            Target = self.get_target()
            ModelAccess = Pool().get('ir.model.access')
            readable = ModelAccess.check(
                Target.__name__, 'read', raise_exception=False)
            if not readable or Rule.domain_get(Target.__name__, 'read'):
                query = readable_query(Target)
                condition &= (target.id.in_(query)
                    if not isinstance(query, list) else Literal(False))
                target_tables[None] = (target, condition)
            _restricted_joins.add(target)
        return target_tables
    guarded_target_tables._jubao_guard = True
    guarded_target_tables.__wrapped__ = get_target_tables
    return guarded_target_tables


def install():
    "Wrap the base methods once (idempotent)."
    if not getattr(ModelStorage.copy, '_jubao_guard', False):
        ModelStorage.copy = _wrap_copy(ModelStorage.copy)
    if not getattr(ModelStorage.export_data, '_jubao_guard', False):
        ModelStorage.export_data = _wrap_export(ModelStorage.export_data)
    if not getattr(ModelSQL.search, '_jubao_guard', False):
        ModelSQL.search = _wrap_search(ModelSQL.search)
    many2one = fields.Many2One
    if not getattr(many2one._get_target_tables, '_jubao_guard', False):
        many2one._get_target_tables = _wrap_target_tables(
            many2one._get_target_tables)
