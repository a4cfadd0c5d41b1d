"""The portal's forms: what a citizen posts, checked field by field, and
stored in one transaction (all of it or nothing)."""
import datetime as dt
import secrets
from collections import namedtuple

from trytond.exceptions import UserError
from trytond.model.exceptions import SQLConstraintError
from trytond.transaction import Transaction, without_check_access

from jubao import portal
from jubao.identity import (
    is_valid_id_number, is_valid_phone, normalize_id_number)

from .submission import password_matches

MAX_FILE = 10 * 1024 * 1024
MAX_FILES = 5
MAX_REQUEST = MAX_FILE * MAX_FILES + 1024 * 1024
MIN_CONTENT = 30
MAX_CONTENT = 10000
MAX_BODY = 5000
MIN_PASSWORD = 8
KINDS = [('accusation', '检举控告'), ('appeal', '申诉'), ('suggestion', '批评建议')]
RANKS = [('', '不清楚'), ('bureau', '厅局级'), ('county', '县处级'),
    ('township', '乡科级'), ('staff', '一般干部'),
    ('village', '村（社区）干部'), ('other', '其他人员')]
TEXT_FIELDS = {
    'kind': 10, 'target': 10, 'real_name': 3, 'name': 50, 'id_number': 20,
    'phone': 20, 'address': 200, 'unit': 100, 'subject_name': 50,
    'subject_unit': 100, 'subject_position': 50, 'subject_rank': 10,
    'category': 10, 'problem_date': 10, 'problem_place': 100,
    'content': MAX_CONTENT, 'form_key': 64, 'confirm': 3,
    }
Result = namedtuple('Result', ['errors', 'code', 'reference', 'resubmitted'])


def public_info(pool):
    "What every page shows: texts, ways to report, offices, categories."
    Configuration = pool.get('jubao.configuration')
    Office = pool.get('jubao.office')
    Category = pool.get('jubao.problem.category')
    with without_check_access():
        config = Configuration(1)
        offices = Office.search([
                ('kind', 'in', ['street', 'stationed']),
                ('active', '=', True)], order=[('kind', 'ASC'), ('id', 'ASC')])
        categories = Category.search([], order=[('sequence', 'ASC'),
                ('id', 'ASC')])
        return {
            'config': config,
            'offices': [(str(o.id), o.name) for o in offices],
            'categories': [(str(c.id), c.rec_name) for c in categories],
            'kinds': KINDS,
            'ranks': RANKS,
            'min_content': MIN_CONTENT,
            'max_file_mb': MAX_FILE // (1024 * 1024),
            'max_files': MAX_FILES,
            'roster': _roster(pool),
            }


def _roster(pool):
    "Upcoming reception days, when the roster exists."
    try:
        Roster = pool.get('jubao.reception.roster')
    except KeyError:
        return []
    return Roster.public_entries()


def posted_values(data):
    "The posted text fields, bounded, stripped (never files or passwords)."
    return {name: (data.get(name) or '').strip()[:size]
        for name, size in TEXT_FIELDS.items()}


def check(pool, values):
    "{field: Chinese error} of the posted ``values``."
    errors = {}
    if values['confirm'] != 'yes':
        errors['confirm'] = '请先阅读并确认上述须知。'
    if values['kind'] not in dict(KINDS):
        errors['kind'] = '请选择举报类别。'
    if values['target'] and not _office(pool, values['target']):
        errors['target'] = '请选择列表中的受理机关。'
    if values['real_name'] == 'yes':
        if not values['name']:
            errors['name'] = '实名举报请填写姓名。'
        if not is_valid_id_number(normalize_id_number(values['id_number'])):
            errors['id_number'] = '身份证号码不正确，请核对。'
        if not is_valid_phone(values['phone']):
            errors['phone'] = '联系电话不正确，请填写手机或带区号的固定电话。'
    elif values['real_name'] != 'no':
        errors['real_name'] = '请选择实名或匿名。'
    if not values['subject_name']:
        errors['subject_name'] = '请填写被反映人姓名。'
    if values['subject_rank'] not in dict(RANKS):
        errors['subject_rank'] = '请选择列表中的级别。'
    if values['category'] and not _category(pool, values['category']):
        errors['category'] = '请选择列表中的问题类别。'
    if values['problem_date'] and _date(values['problem_date']) is None:
        errors['problem_date'] = '日期格式应为 2026-01-31，且不晚于今天。'
    if len(values['content']) < MIN_CONTENT:
        errors['content'] = '请具体描述反映的问题，至少 %d 字。' % MIN_CONTENT
    if len(values['form_key']) < 20:
        errors['form'] = '页面已过期，请重新打开举报页面。'
    return errors


def _office(pool, value):
    Office = pool.get('jubao.office')
    if not value.isdigit():
        return None
    with without_check_access():
        found = Office.search([('id', '=', int(value)),
                ('kind', 'in', ['street', 'stationed'])])
    return found[0] if found else None


def _category(pool, value):
    Category = pool.get('jubao.problem.category')
    if not value.isdigit():
        return None
    with without_check_access():
        found = Category.search([('id', '=', int(value))])
    return found[0] if found else None


def _date(value):
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return date if date <= dt.date.today() else None


def check_password(data):
    password = data.get('password') or ''
    if len(password) < MIN_PASSWORD or len(password) > 128:
        return {'password': '查询密码至少 %d 位。' % MIN_PASSWORD}
    if password != (data.get('password2') or ''):
        return {'password2': '两次输入的查询密码不一致。'}
    return {}


def check_files(files, name='files'):
    """([(name, bytes)], errors) of the uploads: type by content, size."""
    uploads, errors = [], {}
    items = [f for f in files.getlist(name) if f and f.filename]
    if len(items) > MAX_FILES:
        return [], {name: '最多上传 %d 个文件。' % MAX_FILES}
    for item in items:
        data = item.read(MAX_FILE + 1)
        kind, result = portal.check_upload(item.filename, data, MAX_FILE)
        if kind is None:
            shown = portal.clean_filename(item.filename)
            errors[name] = {
                'size': '文件“%s”超过 %d MB。' % (shown, MAX_FILE // 2 ** 20),
                'empty': '文件“%s”是空的。' % shown,
                }.get(result, '文件“%s”的类型不被接受（仅限图片、PDF、'
                    'Word/Excel 文档和录音）。' % shown)
            return [], errors
        uploads.append((result, data))
    return uploads, errors


def submit(pool, values, data, files, secret):
    """Store the report of a posted form, or return the errors.

    A form posted again (same form key) finds the first submission and
    shows its receipt again, when the password is the same."""
    previous = find_previous(pool, values['form_key'])
    if previous:
        return _resubmitted(previous, data, secret)
    errors = check(pool, values)
    errors.update(check_password(data))
    uploads, file_errors = check_files(files)
    errors.update(file_errors)
    if errors:
        return Result(errors, None, None, False)
    code = portal.derive_query_code(secret, values['form_key'])
    transaction = Transaction()
    try:
        with transaction.set_context(_portal_submit=True):
            reference = _store(pool, values, uploads, code,
                data.get('password'))
    except SQLConstraintError:
        # The same form, posted twice at once: the other one stored it
        transaction.rollback()
        previous = find_previous(pool, values['form_key'])
        if previous:
            return _resubmitted(previous, data, secret)
        raise
    except UserError as exception:
        transaction.rollback()
        return Result({'form': exception.message}, None, None, False)
    return Result(None, code, reference, False)


def find_previous(pool, form_key):
    Submission = pool.get('jubao.portal.submission')
    if not form_key:
        return None
    with without_check_access():
        found = Submission.search([('form_key', '=', form_key)], limit=1)
    return found[0] if found else None


def _resubmitted(previous, data, secret):
    "The receipt again, only to the holder of the same password."
    code = portal.derive_query_code(secret, previous.form_key)
    if (portal.hash_code(code) != previous.code_hash
            or not password_matches(data.get('password'),
                previous.password_hash)):
        code = None
    return Result(None, code, previous.reference, True)


def _store(pool, values, uploads, code, password):
    Case = pool.get('jubao.case')
    Submission = pool.get('jubao.portal.submission')
    User = pool.get('res.user')
    today = pool.get('ir.date').today()
    reference = 'WB%s%s' % (today.strftime('%Y%m%d'),
        secrets.token_hex(3).upper())
    target = _office(pool, values['target']) if values['target'] else None
    case, = Case.create([_case_values(values, reference, target, today)])
    Submission.create([{
                'case': case.id,
                'reference': reference,
                'submitted_at': dt.datetime.now(),
                'target_office': target.id if target else None,
                'code_hash': portal.hash_code(code),
                'password_hash': User.hash_password(password),
                'form_key': values['form_key'],
                }])
    attach(pool, case, uploads, identity=values['real_name'] == 'yes')
    Submission.notify_office(case, reference)
    return reference


def _case_values(values, reference, target, today):
    real = values['real_name'] == 'yes'
    subject = {
        'name': values['subject_name'],
        'unit': values['subject_unit'] or None,
        'position': values['subject_position'] or None,
        'rank': values['subject_rank'] or None,
        'authority': 'other',
        }
    head = [values['subject_unit'], values['subject_position'],
        values['subject_name']]
    lines = []
    if target:
        lines.append('举报对象所在单位：%s' % target.name)
    if values['problem_place']:
        lines.append('发生地点：%s' % values['problem_place'])
    lines.append(values['content'])
    result = {
        'channel': 'online',
        'received_date': today,
        'kind': values['kind'],
        'real_name': real,
        'summary': ('反映%s的问题' % ''.join(h for h in head if h))[:100],
        'content': '\n'.join(lines),
        'problem_date': _date(values['problem_date'])
        if values['problem_date'] else None,
        'online_reference': reference,
        'street': target.id if target and target.kind == 'street' else None,
        'subjects': [('create', [subject])],
        }
    if values['category']:
        result['categories'] = [('add', [int(values['category'])])]
    if real:
        result['reporters'] = [('create', [{
                        'name': values['name'],
                        'id_number': values['id_number'],
                        'phone': values['phone'],
                        'address': values['address'] or None,
                        'unit': values['unit'] or None,
                        }])]
    return result


def attach(pool, case, uploads, identity):
    """Store the citizen's files on the report; on a real-name report
    they may show who reported, so they follow reporter confidentiality."""
    Attachment = pool.get('ir.attachment')
    seen = set()
    records = []
    for name, data in uploads:
        unique, number = name, 2
        while unique in seen:
            unique = '(%d)%s' % (number, name)
            number += 1
        seen.add(unique)
        records.append({
                'resource': str(case),
                'name': unique,
                'type': 'data',
                'data': data,
                'jubao_identity': identity,
                'jubao_portal_upload': True,
                })
    if records:
        with without_check_access():
            Attachment.create(records)


# The status page --------------------------------------------------------

def status_values(submission):
    case = submission.case
    status, detail = submission.public_status()
    notice = feedback = None
    if case.portal_notice_published:
        notice = (case.portal_notice_published,
            case.acceptance_notice_note or '您的举报已受理。')
    if case.portal_feedback_published:
        feedback = (case.portal_feedback_published,
            case.feedback_note or case.outcome or '')
    messages = [(m.direction, m.kind, m.date, m.body)
        for m in case.portal_messages]
    return {
        'reference': submission.reference,
        'submitted_at': submission.submitted_at,
        'status': status,
        'detail': detail,
        'notice': notice,
        'feedback': feedback,
        'messages': messages,
        'files': submission.public_files(),
        'may_object': case.state in {'concluded', 'not_accepted'},
        }


def add_message(pool, submission, data, files):
    """Store the citizen's message, supplement or objection; errors or
    None."""
    Message = pool.get('jubao.portal.message')
    Case = pool.get('jubao.case')
    kind = data.get('kind') or 'message'
    body = (data.get('body') or '').strip()
    errors = {}
    if kind not in {'message', 'supplement', 'objection'}:
        errors['kind'] = '请选择类别。'
    elif kind == 'objection' and submission.case.state not in {
            'concluded', 'not_accepted'}:
        errors['kind'] = '办理结果反馈后方可提出异议。'
    if not 5 <= len(body) <= MAX_BODY:
        errors['body'] = '内容至少 5 字，至多 %d 字。' % MAX_BODY
    uploads, file_errors = check_files(files)
    errors.update(file_errors)
    if errors:
        return errors
    case = submission.case
    message, = Message.create([{
                'case': case.id,
                'direction': 'citizen',
                'kind': kind,
                'body': body,
                'office_read': False,
                }])
    attach(pool, case, uploads, identity=case.real_name)
    if kind == 'objection':
        today = pool.get('ir.date').today()
        text = '\n'.join(filter(None, [case.objection, body]))
        with without_check_access():
            Case.write([case], {'objection': text, 'objection_date': today})
    Message.notify_handler(message)
    return None
