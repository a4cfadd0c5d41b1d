"""Fixture and scanners of the cross-module confidentiality suite.

The fixture has three real-name reports, each with a reporter whose identity
strings occur nowhere else, so that finding one of them in anything a role
can read, search, export or print is a leak.
"""
import datetime as dt
import io
import zipfile

from trytond.model import ModelStorage, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

# Reporter identity per report; every string is unique in the database.
REPORTERS = {
    'handled': {
        'name': '欧阳秘闻', 'id_number': '11010519491231002X',
        'phone': '13912345678', 'address': '渭阳路九十九号隐秘小区',
        'unit': '区隐秘信息中心'},
    'assigned': {
        'name': '司马隐申', 'id_number': '31010419820315123X',
        'phone': '13800138001', 'address': '人民路七十七号保密大院',
        'unit': '区保密技术站'},
    'untouched': {
        'name': '诸葛匿言', 'id_number': '440305199007011230',
        'phone': '13700137002', 'address': '西兰路五十五号匿名公寓',
        'unit': '区匿名服务社'},
    }
IDENTITY_FIELDS = ['name', 'id_number', 'phone', 'address', 'unit']

ENTITLED = ['clerk', 'head', 'leader', 'admin']
NOT_ENTITLED = ['discipline', 'street', 'stationed', 'analyst', 'publicity']
ROLES = {
    # role: (group, office) XML ids of jubao_intake
    'clerk': ('group_clerk', 'office_complaints'),
    'head': ('group_complaints_head', 'office_complaints'),
    'leader': ('group_leader', 'office_general'),
    'admin': ('group_admin', 'office_general'),
    'discipline': ('group_discipline', 'office_discipline_1'),
    'street': ('group_unit', 'office_street_1'),
    'stationed': ('group_unit', 'office_stationed_1'),
    'analyst': ('group_analyst', 'office_case_management'),
    # 组宣部 staff file public-opinion items, never see reporters
    'publicity': ('group_publicity', 'office_publicity'),
    }
# Reports each role's office handles (keys of REPORTERS); None: all.
VISIBLE = {
    'discipline': {'handled'},
    'street': {'assigned'},
    'stationed': set(),
    'publicity': set(),
    }

RECEIVED = dt.date(2026, 3, 2)
SUMMARY = '反映区住建局副局长张伟在老旧小区改造中收受礼金问题'
CONTENT = '张伟在老旧小区改造工程中多次收受施工单位负责人礼金共计五万元。'
ASSIGNED_SUMMARY = '反映人民路街道城管科科长刘强吃拿卡要问题'
ASSIGNED_CONTENT = '刘强在门店整治中向商户索要烟酒。'


def secrets(keys=None, fields=IDENTITY_FIELDS):
    "The identity strings of the reporters of ``keys`` (all by default)."
    keys = REPORTERS if keys is None else keys
    return {REPORTERS[k][f] for k in keys for f in fields}


def ref(xml_id, module='jubao_intake'):
    return Pool().get('ir.model.data').get_id(module, xml_id)


def as_role(user_id):
    "Context managers acting as ``user_id`` with access rules enforced."
    transaction = Transaction()
    return (transaction.set_user(user_id),
        transaction.set_context(_check_access=True))


def flatten(value):
    "Yield every string found in ``value`` (nested dicts, lists, bytes)."
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, (bytes, bytearray, memoryview)):
        yield from bytes_texts(bytes(value))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from flatten(key)
            yield from flatten(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from flatten(item)
    else:
        yield str(value)


def bytes_texts(data):
    """The texts inside ``data``: the members of a zip container (ODT,
    xlsx) decompressed, else the bytes themselves."""
    if data[:2] == b'PK':
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            archive = None
        if archive is not None:
            for member in archive.namelist():
                yield from bytes_texts(archive.read(member))
            return
    for encoding in ['utf-8', 'utf-16']:
        yield data.decode(encoding, errors='ignore')


def found_secrets(value, candidates):
    "The ``candidates`` occurring in any string of ``value``."
    texts = list(flatten(value))
    return sorted({s for s in candidates for t in texts if s in t})


def storage_models(prefixes=('jubao.',), extra=()):
    "Names of the stored (searchable) models of the pool to check."
    names = []
    for name, Model in Pool().iterobject():
        if not issubclass(Model, ModelStorage):
            continue
        if name.startswith(prefixes) or name in extra:
            names.append(name)
    return sorted(names)


def relational_target(field):
    "The target model name of a relational field, else None."
    if isinstance(field, fields.Function):
        field = field._field
    if isinstance(field, (fields.Many2One, fields.One2Many,
                fields.Many2Many)):
        return field.get_target().__name__
    return None


def is_text(field):
    if isinstance(field, fields.Function):
        field = field._field
    return isinstance(field, (fields.Char, fields.Text))


def case_fields(Model):
    "Names of the Many2One fields of ``Model`` pointing to a report."
    result = []
    for name, field in Model._fields.items():
        if isinstance(field, fields.Function):
            field = field._field
        if (isinstance(field, fields.Many2One)
                and field.model_name == 'jubao.case'):
            result.append(name)
    return result


def parent_fields(Model, pool_models):
    """Names and targets of Many2One fields to other ``pool_models`` (the
    ones hanging off a report), for records hanging off a report
    indirectly (e.g. a supervision note)."""
    result = []
    for name, field in Model._fields.items():
        if isinstance(field, fields.Function):
            field = field._field
        if (isinstance(field, fields.Many2One)
                and field.model_name in pool_models
                and field.model_name != Model.__name__):
            result.append((name, field.model_name))
    return result


def create_users():
    "One user per role, working for the role's office."
    User = Pool().get('res.user')
    users = User.create([{
                'login': 'conf_%s' % role,
                'name': 'conf_%s' % role,
                'groups': [('add', [ref(group)])],
                'jubao_offices': [('add', [ref(office)])],
                } for role, (group, office) in ROLES.items()])
    return {role: user for role, user in zip(ROLES, users)}


def _reporter(key):
    return [('create', [dict(REPORTERS[key])])]


def create_cases(users):
    """Three accepted real-name reports: one routed internally to the
    first discipline office (then concluded as untrue, supervised and
    clarified), one assigned (交办) to the Renmin Road street committee,
    one untouched; the untouched one repeats the first."""
    pool = Pool()
    Case = pool.get('jubao.case')
    Assignment = pool.get('jubao.case.assignment')
    Supervision = pool.get('jubao.supervision')
    Clarification = pool.get('jubao.clarification')
    Recusal = pool.get('jubao.case.recusal')
    Office = pool.get('jubao.office')

    def subject(**values):
        result = {'name': '张伟', 'unit': '区住房和城乡建设局',
            'position': '副局长', 'authority': 'district'}
        result.update(values)
        return [('create', [result])]

    common = {
        'channel': 'letter', 'received_date': RECEIVED,
        'kind': 'accusation', 'scope': 'in_scope', 'real_name': True,
        }
    handled, assigned, untouched = Case.create([dict(common,
                summary=SUMMARY, content=CONTENT, subjects=subject(),
                reporters=_reporter('handled')),
            dict(common, summary=ASSIGNED_SUMMARY, content=ASSIGNED_CONTENT,
                street=Office(ref('office_street_1')),
                subjects=subject(name='刘强', unit='人民路街道办事处',
                    position='城管科科长'),
                reporters=_reporter('assigned')),
            dict(common, summary=SUMMARY, content=CONTENT,
                subjects=subject(), reporters=_reporter('untouched')),
            ])
    # An earlier anonymous report on the same matter as the assigned one,
    # handled by the second discipline office: proposed as its repeat
    earlier, = Case.create([dict(common, real_name=False,
                received_date=RECEIVED - dt.timedelta(days=7),
                summary=ASSIGNED_SUMMARY, content=ASSIGNED_CONTENT,
                subjects=subject(name='刘强', unit='人民路街道办事处',
                    position='城管科科长'))])
    Case.register([earlier])
    Case.accept([earlier])
    Case.write([earlier], {'handling_office': ref('office_discipline_2')})
    # Registered after the first so that it is proposed as its repeat
    Case.register([handled, assigned])
    Case.register([untouched])
    Case.accept([handled, assigned, untouched])

    internal = Assignment.create_for(handled, 'internal',
        Office(ref('office_discipline_1')), handler=users['discipline'])
    Assignment.send([internal])
    Assignment.accept([internal])
    street = Assignment.create_for(assigned, 'assign',
        Office(ref('office_street_1')), handler=users['street'])
    Assignment.send([street])
    Assignment.accept([street])

    for case, office in [(handled, 'office_discipline_1'),
            (assigned, 'office_street_1')]:
        supervision, = Supervision.create([{
                    'case': case.id, 'level': 'leader',
                    # long overdue: its reminders reach the handling office
                    'date': RECEIVED,
                    'reason': '群众反映强烈', 'methods': ['letter'],
                    'responsible_office': ref(office),
                    }])
        Supervision.open([supervision])
    Recusal.create([{'case': handled.id, 'user': users['analyst'].id,
                'relation': 'reporter', 'note': '与反映人系同学'}])

    # A scan of the reporter's ID card and a note on it
    reporter, = Case(handled.id).reporters
    pool.get('ir.attachment').create([{
                'resource': str(reporter), 'type': 'data',
                'name': '%s身份证.pdf' % REPORTERS['handled']['name'],
                'data': b'%PDF-1.4 ' + REPORTERS['handled'][
                    'id_number'].encode(),
                'description': REPORTERS['handled']['phone'],
                }])
    pool.get('ir.note').create([{'resource': str(reporter),
                'message': '%s请求保密' % REPORTERS['handled']['name']}])

    Case.write([handled], {'disposition': 'close', 'truth': 'false'})
    Case.conclude([handled])
    Case.write([handled], {'accusation': 'false_accusation'})
    subject_, = Case(handled.id).subjects
    Clarification.create([{'case': handled.id, 'subject': subject_.id,
                'method': 'talk'}])
    return {
        'earlier': Case(earlier.id),
        'handled': Case(handled.id),
        'assigned': Case(assigned.id),
        'untouched': Case(untouched.id),
        }


def case_strings(cases):
    """Strings telling what reports are about: number, summary, content
    and the reported persons' names."""
    for case in cases:
        yield from [case.number, case.summary, case.content]
        yield from [s.name for s in case.subjects]


def set_key_person_threshold(threshold):
    "Persons reported this many times are key persons of the analyses."
    Configuration = Pool().get('jubao.configuration')
    Configuration.write([Configuration(1)], {
            'key_person_threshold': threshold})


def create_analyses():
    "A first-quarter analysis of the district and one of the street."
    Analysis = Pool().get('jubao.analysis')
    analyses = Analysis.create([{
                'name': '一季度分析', 'period_type': 'quarter', 'year': 2026,
                'period_number': 1, 'date_from': dt.date(2026, 1, 1),
                'date_to': dt.date(2026, 3, 31)},
            {'name': '人民路一季度', 'period_type': 'quarter', 'year': 2026,
                'period_number': 1, 'date_from': dt.date(2026, 1, 1),
                'date_to': dt.date(2026, 3, 31),
                'office': ref('office_street_1')}])
    if hasattr(Analysis, 'compute'):
        Analysis.compute(analyses)
    return analyses


def run_jubao_crons():
    "Run every scheduled job of the jubao modules once (as admin)."
    pool = Pool()
    Cron = pool.get('ir.cron')
    methods = [m for m, _ in Cron.method.selection if m.startswith('jubao.')]
    for method in methods:
        model_name, method_name = method.split('|')
        getattr(pool.get(model_name), method_name)()
    return methods


# Generic walking of the pool, for the attack suite (tests/security) ------

def plain_field(field):
    "The field itself, or the field a Function field computes."
    return field._field if isinstance(field, fields.Function) else field


def relation_fields(Model):
    """(name, kind, target) of the relational fields of ``Model``; kind is
    the field type, target None for a Reference (any model)."""
    result = []
    for name, field in sorted(Model._fields.items()):
        plain = plain_field(field)
        if isinstance(plain, fields.Reference):
            result.append((name, 'reference', None))
        else:
            target = relational_target(field)
            if target:
                result.append((name, plain._type, target))
    return result


def stored_text_fields(Model):
    "Names of the stored Char and Text fields of ``Model``."
    return sorted(name for name, field in Model._fields.items()
        if isinstance(field, (fields.Char, fields.Text))
        and not isinstance(field, fields.Function)
        and not getattr(field, 'translate', False))


def workflow_fields(Model):
    """Stored fields that only buttons and wizards may set: ``state`` and
    every field read-only whatever the state."""
    result = []
    for name, field in sorted(Model._fields.items()):
        if isinstance(field, (fields.Function, fields.One2Many,
                    fields.Many2Many)) or name in {
                'id', 'create_uid', 'create_date', 'write_uid',
                'write_date'}:
            continue
        if name == 'state' or field.readonly:
            result.append(name)
    return result


def readable_fields(Model):
    "Field names the current user may read (field access)."
    FieldAccess = Pool().get('ir.model.field.access')
    access = FieldAccess.get_access([Model.__name__])[Model.__name__]
    return sorted(name for name in Model._fields
        if access.get(name, {}).get('read', True))


def record_values(record):
    """The stored values of ``record`` as ``create`` takes them (read
    without access check): relations as ids, no x2many."""
    Model = record.__class__
    names = [n for n, f in Model._fields.items()
        if not isinstance(f, (fields.Function, fields.One2Many,
                fields.Many2Many))
        and n not in {'id', 'create_uid', 'create_date', 'write_uid',
            'write_date'}]
    values, = Model.read([record.id], names)
    del values['id']
    for name in names:
        field = Model._fields[name]
        if isinstance(field, fields.Many2One) and values[name] is not None:
            values[name] = int(values[name])
    return values


def texts_of(Model, records):
    "Every non-empty stored text value of ``records``."
    names = stored_text_fields(Model)
    result = set()
    if not names or not records:
        return result
    for values in Model.read([r.id for r in records], names):
        result.update(v for k, v in values.items()
            if k != 'id' and isinstance(v, str) and v.strip())
    return result
