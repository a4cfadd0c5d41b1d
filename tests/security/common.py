"""World and plan of the attack suite.

The world is the confidentiality fixture (tests/confidentiality_tools.py)
plus what an attacker aims at: a marker in every report (``keywords``),
confirmed repeats pointing across offices, a note and an attachment on
every record hanging off a report, supervision notes, access-log rows, a
leader recused from a report and a public-opinion item of 组宣部.

The plan says, for each restricted role, which records of which model it
must not see (one sample per model) and which strings only those records
hold (its secrets).  Both are derived from the pool: a model added later
that hangs off a report, directly or through other records, or that
points at one through a Reference field, is attacked without editing
this file.
"""
import datetime as dt
from contextlib import contextmanager

from trytond.model import fields
from trytond.pool import Pool
from trytond.transaction import Transaction, TransactionError

from .. import confidentiality_tools as tools

# Restricted role: the report it attacks first (must not see it)
TARGETS = {
    'discipline': 'assigned',
    'street': 'handled',
    'stationed': 'handled',
    'analyst': 'handled',       # recused from it
    'publicity': 'handled',
    'recused_leader': 'handled',
    }
ATTACKERS = list(TARGETS)
REPORTS = ['earlier', 'handled', 'assigned', 'untouched', 'opinion']
# Reports each role may see
VISIBLE = {
    'discipline': {'handled'},
    'street': {'assigned'},
    'stationed': set(),
    'analyst': set(REPORTS) - {'handled'},
    'publicity': {'opinion'},
    'recused_leader': set(REPORTS) - {'handled'},
    }
# Roles entitled to reporter identity (apart from their recusals)
IDENTITY_ROLES = {'recused_leader'}
IDENTITY = 'identity'   # pseudo report key of reporter identity
IDENTITY_MODELS = {'jubao.case.reporter', 'jubao.reporter.access'}
# Generic models that carry data of other records
EXTRA_MODELS = {'ir.note', 'ir.attachment', 'res.notification', 'ir.email',
    'res.user'}
OPINION_SUMMARY = '网传某社区书记违规操办婚宴'
CONTROL = '无此前缀'


def marker(key):
    "A string found only in report ``key``."
    return '秘标<%s>' % key


def candidate_models():
    "Stored models an attacker may query: jubao ones and the generic ones."
    return tools.storage_models(extra=EXTRA_MODELS)


def is_view(Model):
    "Whether ``Model`` is an SQL view (no records of its own)."
    return callable(getattr(Model, 'table_query', None))


def report_models():
    """Stored models hanging off a report, directly or through other such
    records, with jubao.case itself."""
    pool = Pool()
    names = {'jubao.case'}
    candidates = [n for n in tools.storage_models()]
    changed = True
    while changed:
        changed = False
        for name in candidates:
            if name in names:
                continue
            Model = pool.get(name)
            if (tools.case_fields(Model)
                    or tools.parent_fields(Model, names)):
                names.add(name)
                changed = True
    return sorted(names)


# Building ----------------------------------------------------------------

def build_world():
    "Create the world as administrator; return plain ids."
    pool = Pool()
    User = pool.get('res.user')
    Case = pool.get('jubao.case')
    Repeat = pool.get('jubao.case.repeat')
    Recusal = pool.get('jubao.case.recusal')
    Supervision = pool.get('jubao.supervision')
    SupervisionNote = pool.get('jubao.supervision.note')
    Office = pool.get('jubao.office')

    tools.set_key_person_threshold(2)
    users = tools.create_users()
    users['recused_leader'], = User.create([{
                'login': 'conf_recused_leader', 'name': 'conf_recused_leader',
                'groups': [('add', [tools.ref('group_leader')])],
                'jubao_offices': [('add', [tools.ref('office_general')])],
                }])
    cases = tools.create_cases(users)
    cases['opinion'], = Case.create([{
                'channel': 'public_opinion', 'received_date': tools.RECEIVED,
                'kind': 'accusation', 'opinion_source': '某论坛',
                'found_by': Office(tools.ref('office_publicity')),
                'summary': OPINION_SUMMARY,
                'subjects': [('create', [{'name': '钱某',
                                'authority': 'street'}])],
                }])
    Recusal.create([{'case': cases['handled'].id,
                'user': users['recused_leader'].id, 'relation': 'interest',
                'note': '回避事由<recused_leader>'}])
    # By SQL: a concluded report refuses any change
    table = Case.__table__()
    cursor = Transaction().connection.cursor()
    for key, case in cases.items():
        cursor.execute(*table.update([table.keywords], [marker(key)],
                where=table.id == case.id))
    # Repeats confirmed across offices: the street's report repeats the
    # second discipline office's, the untouched one the first's.
    for key, earlier in [('assigned', 'earlier'), ('untouched', 'handled')]:
        Repeat.confirm(Repeat.search([
                    ('case', '=', cases[key].id),
                    ('candidate', '=', cases[earlier].id)]))
    category, = pool.get('jubao.problem.category').search([], limit=1)
    pool.get('jubao.case-jubao.problem.category').create([
            {'case': c.id, 'category': category.id} for c in cases.values()])
    for supervision in Supervision.search([]):
        SupervisionNote.create([{'supervision': supervision.id,
                    'note': '督办进展<%s>' % supervision.case.id}])
    tools.create_analyses()
    tools.run_jubao_crons()
    _annotate_everything()
    _log_identity_reads(users['clerk'])
    return {
        'users': {role: u.id for role, u in users.items()},
        'cases': {key: c.id for key, c in cases.items()},
        }


def commit_world(database):
    "Build the world in ``database`` and commit it; return its ids."
    extras = {}
    while True:
        with Transaction().start(database, 1, context={
                    'language': 'zh_CN'}, **extras) as transaction:
            try:
                world = build_world()
            except TransactionError as error:
                transaction.rollback()
                error.fix(extras)
                continue
            transaction.commit()
            return world


def _annotate_everything():
    "A note and an attachment with a unique text on each report record."
    pool = Pool()
    Note = pool.get('ir.note')
    Attachment = pool.get('ir.attachment')
    notes, attachments = [], []
    for name in report_models():
        Model = pool.get(name)
        if is_view(Model):
            continue
        for record in Model.search([]):
            tag = '%s#%s' % (name, record.id)
            notes.append({'resource': str(record),
                    'message': '便笺<%s>' % tag})
            attachments.append({'resource': str(record), 'type': 'data',
                    'name': '附件<%s>.txt' % tag,
                    'description': '附件说明<%s>' % tag,
                    'data': ('附件内容<%s>' % tag).encode('utf-8')})
    Note.create(notes)
    Attachment.create(attachments)


def _log_identity_reads(clerk):
    "The clerk reads every reporter: rows in the access log."
    Reporter = Pool().get('jubao.case.reporter')
    set_user, set_context = tools.as_role(clerk.id)
    with set_user, set_context:
        reporters = Reporter.search([])
        Reporter.read([r.id for r in reporters], tools.IDENTITY_FIELDS)


# Planning ----------------------------------------------------------------

class Plan:
    """What each role must not see, computed as administrator.

    ``keys[(model, id)]``: the reports (keys of ``world['cases']``, or
    IDENTITY) a record hangs off; ``samples[role]``: (label, model, id)
    of one forbidden record per model (per resource model for notes and
    attachments); ``secrets[role]``: strings only forbidden records hold.
    """

    def __init__(self, world):
        self.world = world
        self.case_keys = {i: k for k, i in world['cases'].items()}
        self.models = report_models()
        self._keys = {}
        self.records = {}
        pool = Pool()
        for name in sorted(set(self.models) | {'ir.note', 'ir.attachment'}):
            ids = [r.id for r in pool.get(name).search([])]
            self.records[name] = ids
            for record_id in ids:
                self.keys(name, record_id)
        self.samples = {r: self._samples(r) for r in ATTACKERS}
        self.secrets = {r: self._secrets(r) for r in ATTACKERS}

    def keys(self, name, record_id, depth=0):
        "Keys of the reports record ``record_id`` of ``name`` hangs off."
        if (name, record_id) in self._keys:
            return self._keys[(name, record_id)]
        pool = Pool()
        Model = pool.get(name)
        record = Model(record_id)
        result = set()
        if name == 'jubao.case':
            # A report does not hang off the report it repeats
            result.add(self.case_keys.get(record_id, record_id))
            self._keys[(name, record_id)] = result
            return result
        if name in IDENTITY_MODELS:
            result.add(IDENTITY)
        if depth < 4:
            for fname, kind, target in tools.relation_fields(Model):
                if kind not in {'many2one', 'reference'}:
                    continue
                value = getattr(record, fname, None)
                if value is None or isinstance(value, str) or (
                        getattr(value, 'id', None) is None) or (
                        value.id < 0):
                    continue
                target = value.__name__
                if target in self.models and not (
                        target == name and value.id == record_id):
                    result |= self.keys(target, value.id, depth + 1)
        self._keys[(name, record_id)] = result
        return result

    def forbidden(self, role, keys):
        allowed = set(VISIBLE[role])
        if role in IDENTITY_ROLES:
            allowed.add(IDENTITY)
        return bool(keys - allowed)

    def label(self, name, record_id):
        "The model, with the model of the resource for notes/attachments."
        if name in {'ir.note', 'ir.attachment'}:
            resource = Pool().get(name)(record_id).resource
            return '%s on %s' % (name, resource.__name__)
        return name

    def _samples(self, role):
        target = TARGETS[role]
        chosen = {}
        for (name, record_id), keys in sorted(self._keys.items()):
            if name not in self.records or not self.forbidden(role, keys):
                continue
            label = self.label(name, record_id)
            rank = 0 if target in keys else 1
            if label not in chosen or rank < chosen[label][0]:
                chosen[label] = (rank, name, record_id)
        return sorted((label, name, record_id)
            for label, (_, name, record_id) in chosen.items())

    def forbidden_ids(self, role, name):
        return [i for i in self.records.get(name, [])
            if self.forbidden(role, self._keys[(name, i)])]

    def _secrets(self, role):
        "Texts of forbidden records not inside any text the role may see."
        pool = Pool()
        hidden, shown = set(), set()
        for name in candidate_models():
            Model = pool.get(name)
            if is_view(Model):
                continue
            records = Model.search([])
            if name in self.records:
                bad = set(self.forbidden_ids(role, name))
            else:
                bad = set()
            hidden |= tools.texts_of(Model, [r for r in records
                    if r.id in bad])
            shown |= tools.texts_of(Model, [r for r in records
                    if r.id not in bad])
        return sorted(s for s in hidden
            if len(s) >= 2 and not any(s in t for t in shown))

    def target_case(self, role):
        return self.world['cases'][TARGETS[role]]

    def own_case(self, role):
        "A report the role may see (and may try to write), else None."
        for key in ['handled', 'assigned', 'opinion', 'untouched', 'earlier']:
            if key in VISIBLE[role]:
                return self.world['cases'][key]
        return None

    def own_record(self, role, name):
        "A record of ``name`` the role may see, else None."
        for record_id in self.records.get(name, []):
            keys = self._keys[(name, record_id)]
            if keys and not self.forbidden(role, keys):
                return record_id
        return None


# Running attacks ---------------------------------------------------------

@contextmanager
def savepoint(writes=True):
    """Undo whatever the block did, also after a database error, so that
    each attack starts from the same world.  ``writes``: the block may
    have changed data (else caches are kept, for speed)."""
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    # Tryton notes deleted ids before it checks the rules: a refused delete
    # would make a later attack's delete of the same record a silent no-op
    deleted = {k: set(v) for k, v in transaction.delete_records.items()}
    cursor.execute('SAVEPOINT jubao_attack')
    try:
        yield
    finally:
        cursor.execute('ROLLBACK TO SAVEPOINT jubao_attack')
        transaction.delete_records.clear()
        transaction.delete_records.update(deleted)
        if not writes:
            return
        for cache in transaction.cache.values():
            cache.clear()
        transaction.tasks.clear()
        # Rule domains cached during the block may come from undone data
        # (a recusal, an office): drop them
        Pool().get('ir.rule')._domain_get_cache.clear()


def other_value(Model, fname, current, forged, context):
    """A value for workflow field ``fname`` that differs from ``current``:
    the forbidden record's (``forged``) or one made up by type."""
    field = Model._fields[fname]
    if forged is not None and forged != current:
        return forged
    if isinstance(field, fields.Selection):
        selection = field.selection
        if isinstance(selection, str):
            selection = getattr(Model, selection)()
        elif callable(selection):
            selection = selection()
        keys = [k for k, _ in selection if k and k != current]
        return keys[0] if keys else None
    if isinstance(field, fields.Many2One):
        return context.get(field.model_name)
    if isinstance(field, fields.Boolean):
        return not current
    if isinstance(field, fields.Date):
        return dt.date.today() + dt.timedelta(days=3)
    if isinstance(field, (fields.DateTime, fields.Timestamp)):
        return dt.datetime.now()
    if isinstance(field, (fields.Integer, fields.Float, fields.Numeric)):
        return (current or 0) + 1
    if isinstance(field, (fields.Char, fields.Text)):
        return '伪造'
    return None


def relation_paths(start, targets, through, max_hops=3):
    """Searchable field paths from model ``start`` to a model in
    ``targets`` through models in ``through``: (path, target, model of
    the first Reference hop or None, all hops Many2One)."""
    pool = Pool()
    result = []

    def walk(name, path, ref_model, m2o_only, seen):
        if len(path) >= max_hops:
            return
        Model = pool.get(name)
        for fname, kind, target in tools.relation_fields(Model):
            field = Model._fields[fname]
            if not field.searchable(Model):
                continue
            if kind == 'reference':
                if path:
                    continue
                hops = sorted(set(targets) | set(through))
            else:
                hops = [target]
            for hop in hops:
                # Going back to a model already walked adds nothing but
                # a self relation (a report's repeat_of)
                if (hop not in targets and hop not in through) or (
                        hop in seen and hop != name):
                    continue
                new_ref = hop if kind == 'reference' else ref_model
                new_path = path + [fname]
                only = (m2o_only and kind == 'many2one'
                    and field.sortable(Model))
                if hop in targets:
                    result.append(('.'.join(new_path), hop, new_ref, only))
                walk(hop, new_path, new_ref, only, seen | {hop})

    walk(start, [], None, True, frozenset([start]))
    return result
