"""The benchmark corpus: a database with every module activated, filled
with N reports by COPY (not the ORM), so 1M reports load in minutes.

The database is a copy of a template that has every module activated
(``--template``, or ``jubao_bench_template`` when it exists; else that one
is activated with ``trytond-admin`` and dropped after the run unless
``--keep``).  Reports
spread over ten years with channel/state mixes, reported persons drawn from
a Zipf-like name distribution (the most frequent name has many reports),
categories, reporters, deadlines, hand-offs (a share overdue), planted
repeats (known pairs, for recall) and stored repeat tokens when the column
exists.  The yearly number counters are set to the loaded numbers.
"""
import datetime as dt
import functools
import itertools
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

MODULES = ['jubao_reports', 'jubao_intake', 'jubao_routing',
    'jubao_publicity', 'jubao_portal']
TEMPLATE = 'jubao_bench_template'
END = dt.date.today() - dt.timedelta(days=1)
START = END.replace(year=END.year - 10) + dt.timedelta(days=1)
SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'
GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂'
UNITS = ['区建设局', '区教育局', '区卫健委', '区自然资源局', '区财政局',
    '区民政局', '区农业农村局', '区城管局', '某街道办事处', '某社区居委会',
    '区国资公司', '区市场监管局']
POSITIONS = ['局长', '副局长', '科长', '副科长', '主任', '干部', '书记']
TOPICS = ['违规收受礼金', '公款吃喝', '违规发放补贴', '优亲厚友评低保',
    '工程项目围标串标', '侵占集体土地', '违规兼职取酬', '公车私用',
    '吃拿卡要', '虚报冒领扶贫资金', '违规审批宅基地', '打牌赌博',
    '拖欠农民工工资', '违规招录人员', '挪用专项资金', '作风粗暴']
PLACES = ['东村', '西村', '南街', '北街', '新城社区', '老城社区', '工业园',
    '开发区', '镇卫生院', '中心小学']
CHANNELS = ['letter'] * 30 + ['visit'] * 10 + ['phone'] * 15 + [
    'online'] * 40 + ['referral'] * 3 + ['public_opinion'] * 2
KINDS = ['accusation'] * 85 + ['appeal'] * 5 + ['suggestion'] * 10
SCOPES = ['in_scope'] * 70 + ['out_of_scope'] * 22 + ['mixed'] * 8
STATES = ['accepted'] * 80 + ['not_accepted'] * 12 + ['registered'] * 6 + [
    'removed'] * 2
RANKS = ['bureau', 'county', 'township', 'staff', 'village', 'other', None]
AUTHORITIES = ['city', 'district', 'street', 'other']
SECTORS = ['party_government', 'education', 'health', 'construction',
    'land_resources', 'finance', 'social_security', 'agriculture',
    'state_enterprise', 'law_enforcement', 'grassroots', 'other', None]
# Share of reports planted as repeats of an earlier one (same person, near
# same text): the pairs the repeat recall is measured on.
PLANTED = 0.01


def log(message):
    print(message, file=sys.stderr, flush=True)


def connect(uri, database, **kwargs):
    import psycopg
    return psycopg.connect(uri.rstrip('/') + '/' + database, **kwargs)


def _admin_env(uri):
    env = dict(os.environ, TRYTOND_DATABASE__URI=uri,
        TRYTOND_DATABASE__LANGUAGE='zh_CN')
    env.pop('TRYTOND_DATABASE_URI', None)
    return env


def build_template(uri, name=TEMPLATE):
    "Activate every module in database ``name`` with trytond-admin."
    with connect(uri, 'postgres', autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = _admin_env(uri)
    with tempfile.NamedTemporaryFile('w', delete=False) as password:
        # trytond.conf refuses weak passwords; nobody logs in with it
        password.write(secrets.token_urlsafe(16) + '\n')
    env['TRYTONPASSFILE'] = password.name
    admin = [os.path.join(ROOT, '.venv', 'bin', 'trytond-admin'),
        '-c', os.path.join(ROOT, 'trytond.conf'), '-d', name]
    try:
        subprocess.run(admin + ['--all', '-l', 'zh_CN', '--email',
                'admin@example.gov.cn'], env=env, check=True,
            stdout=subprocess.DEVNULL)
        subprocess.run(admin + ['-u', *MODULES, '--activate-dependencies'],
            env=env, check=True, stdout=subprocess.DEVNULL)
    finally:
        os.unlink(password.name)


def has_all_modules(uri, name):
    try:
        with connect(uri, name) as conn:
            activated = {r[0] for r in conn.execute(
                    "SELECT name FROM ir_module WHERE state = 'activated'")}
    except Exception:
        return False
    return set(MODULES) <= activated


def create_database(uri, name, template=None):
    """Create ``name`` as a copy of a template with every module activated;
    return the template's name if it was activated now (else None)."""
    template = template or TEMPLATE
    built = None
    if not has_all_modules(uri, template):
        log(f"[corpus] activating {', '.join(MODULES)} in {template}")
        build_template(uri, template)
        built = template
    with connect(uri, 'postgres', autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return built


def exists(uri, name):
    with connect(uri, 'postgres') as conn:
        return bool(conn.execute(
                'SELECT 1 FROM pg_database WHERE datname = %s',
                (name,)).fetchone())


def drop_database(uri, name):
    with connect(uri, 'postgres', autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _columns(cursor, table):
    cursor.execute('SELECT column_name FROM information_schema.columns '
        'WHERE table_name = %s', (table,))
    return {r[0] for r in cursor}


def _copy(cursor, table, columns, rows):
    quoted = ', '.join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def _people(rng, count):
    "Reported persons; person i is drawn with weight 1/(i+1) (Zipf-like)."
    people = [(rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            + str(i), rng.choice(UNITS), rng.choice(POSITIONS),
            rng.choice(RANKS), rng.choice(AUTHORITIES), rng.choice(SECTORS))
        for i in range(count)]
    weights = [1 / (i + 1) for i in range(count)]
    return people, weights


class Corpus:
    "What was loaded: counts and the planted repeat pairs."

    def __init__(self):
        self.reports = 0
        self.planted = []  # (later case id, earlier case id)
        self.top_name = None
        self.first_id = None
        self.users = 0

    def save(self, path):
        "Kept beside a kept database, so that a later run may reuse both."
        with open(path, 'w') as output:
            json.dump(vars(self), output)

    @classmethod
    def read(cls, path):
        corpus = cls()
        with open(path) as source:
            vars(corpus).update(json.load(source))
        corpus.planted = [tuple(pair) for pair in corpus.planted]
        return corpus


# The group of an office's handlers, by office kind (the others have none:
# hand-offs to an outside body are reminded to the sending office).
HANDLER_GROUPS = {'commission_office': 'group_discipline',
    'street': 'group_unit', 'stationed': 'group_unit'}


def _group_id(cursor, fs_id):
    cursor.execute("SELECT db_id FROM ir_model_data WHERE module = "
        "'jubao_intake' AND fs_id = %s AND model = 'res.group'", (fs_id,))
    return cursor.fetchone()[0]


def add_office_users(cursor, now):
    """Give every handling office two handlers (its users, one of them the
    liaison) and one leader for all of them (the escalations), so that the
    reminder job has someone to remind.  Returns the users created."""
    cursor.execute('SELECT id, code, kind FROM jubao_office ORDER BY id')
    offices = [o for o in cursor.fetchall() if o[2] in HANDLER_GROUPS]
    groups = {fs_id: _group_id(cursor, fs_id)
        for fs_id in set(HANDLER_GROUPS.values()) | {'group_leader'}}

    def user(login, name, group):
        cursor.execute('INSERT INTO res_user (login, name, active, '
            'create_uid, create_date) VALUES (%s, %s, true, 0, %s) '
            'RETURNING id', (login, name, now))
        user_id = cursor.fetchone()[0]
        cursor.execute('INSERT INTO "res_user-res_group" ("user", "group", '
            'create_uid, create_date) VALUES (%s, %s, 0, %s)',
            (user_id, groups[group], now))
        return user_id

    leader = user('bench_leader', '基准分管领导', 'group_leader')
    created = 1
    for office_id, code, kind in offices:
        handlers = [user(f'bench_{code.lower()}_{i}', f'基准{code}承办人{i}',
                HANDLER_GROUPS[kind]) for i in (1, 2)]
        created += len(handlers)
        for user_id in handlers:
            cursor.execute('INSERT INTO "jubao_office-res_user" (office, '
                '"user", create_uid, create_date) VALUES (%s, %s, 0, %s)',
                (office_id, user_id, now))
        cursor.execute('UPDATE jubao_office SET leader = %s, liaison = %s '
            'WHERE id = %s', (leader, handlers[0], office_id))
    return created


def load(uri, database, n, seed=2026, chunk=50000):
    """Bulk-load ``n`` reports with COPY, chunk by chunk; return a Corpus."""
    from jubao.repeats import tokens
    from jubao.workdays import add_working_days
    rng = random.Random(seed)
    span = (END - START).days + 1
    corpus = Corpus()
    with connect(uri, database) as conn, conn.cursor() as cursor:
        cursor.execute('SELECT id, kind FROM jubao_office')
        offices = cursor.fetchall()
        handling = [i for i, k in offices
            if k in ('commission_office', 'street', 'stationed')]
        streets = [i for i, k in offices if k == 'street'] or handling
        higher = [i for i, k in offices if k == 'higher'] or handling
        external = [i for i, k in offices if k == 'external'] or handling
        cursor.execute('SELECT id FROM jubao_problem_category')
        categories = [r[0] for r in cursor]
        cursor.execute('SELECT COALESCE(MAX(id), 0) FROM jubao_case')
        first_id = corpus.first_id = cursor.fetchone()[0] + 1
        case_table = _columns(cursor, 'jubao_case')
        with_tokens = 'repeat_tokens' in case_table
        people, weights = _people(rng, max(50, n // 8))
        # Summed once: ``choices(weights=…)`` sums them on every call
        cum_weights = list(itertools.accumulate(weights))
        corpus.top_name = people[0][0]
        now = dt.datetime.now()
        corpus.users = add_office_users(cursor, now)
        # Received dates in id order, so numbers follow received order.
        dates = sorted(START + dt.timedelta(days=rng.randrange(span))
            for _ in range(n))
        case_columns = ['id', 'create_uid', 'create_date', 'number',
            'channel', 'received_date', 'kind', 'scope', 'real_name',
            'summary', 'handling_office', 'street', 'repeat_of', 'state',
            'acceptance_notice_due', 'acceptance_notice_date',
            'disposition', 'truth', 'concluded_date', 'feedback_due',
            'feedback_date', 'registration_date']
        if with_tokens:
            case_columns.append('repeat_tokens')
        case_columns = [c for c in case_columns if c in case_table]
        counters = {}
        due_cache = {}
        # Earlier (person, summary) for planted repeats, a bounded sample.
        earlier = []

        # A summary is who (one of the people), what (a small vocabulary)
        # and a counter: each piece is tokenised once (punctuation separates
        # the pieces for jieba, so the tokens are those of the whole text)
        text_tokens = functools.lru_cache(maxsize=None)(
            lambda text: tuple(tokens(text)))

        def counter_tokens(k):
            return (str(k),) if k >= 10 else ()

        def due(day, days):
            key = (day, days)
            if key not in due_cache:
                due_cache[key] = add_working_days(day, days)
            return due_cache[key]

        total = [0, 0, 0, 0]
        for base in range(0, n, chunk):
            cases, subjects, links, reporters, assignments = (
                [], [], [], [], [])
            for k in range(base, min(n, base + chunk)):
                case_id = first_id + k
                received = dates[k]
                year = received.year
                counters[year] = counters.get(year, 0) + 1
                real_name = rng.random() < 0.35
                state = rng.choice(STATES)
                planted = earlier and rng.random() < PLANTED
                if planted:
                    original, person, summary, words = rng.choice(earlier)
                    suffix = rng.choice(['，再次反映', '，至今未处理', '，情况属实'])
                    summary += suffix
                    words = words + text_tokens(suffix)
                    persons = [person]
                    corpus.planted.append((case_id, original))
                else:
                    persons = rng.choices(people, cum_weights=cum_weights,
                        k=rng.choice([1, 1, 1, 2]))
                    who = f"反映{persons[0][1]}{persons[0][0]}"
                    what = f"在{rng.choice(PLACES)}{rng.choice(TOPICS)}问题"
                    summary = f"{who}：{what}（{k}）"
                    words = (text_tokens(who) + text_tokens(what)
                        + counter_tokens(k))
                    if len(earlier) < 5000:
                        earlier.append((case_id, persons[0], summary, words))
                    elif rng.random() < 0.01:
                        earlier[rng.randrange(5000)] = (
                            case_id, persons[0], summary, words)
                repeat_of = (first_id + rng.randrange(k)
                    if k and not planted and rng.random() < 0.05 else None)
                notice_due = notice = disposition = truth = None
                concluded = feedback_due = feedback = None
                if real_name and not repeat_of:
                    notice_due = due(received, 15)
                    notice = notice_due + dt.timedelta(
                        days=rng.choice([-5, -2, 0, 0, 1, 3]))
                if state == 'accepted' and rng.random() < 0.7:
                    disposition = rng.choice(
                        ['talk', 'verify', 'shelve', 'close', 'investigate'])
                    truth = rng.choice(
                        ['true', 'partly', 'false', 'unverifiable'])
                    concluded = received + dt.timedelta(
                        days=rng.randrange(10, 120))
                    if real_name:
                        feedback_due = due(concluded, 15)
                        feedback = feedback_due + dt.timedelta(
                            days=rng.choice([-3, 0, 2]))
                values = {
                    'id': case_id, 'create_uid': 1, 'create_date': now,
                    'number': f'信访〔{year}〕第{counters[year]:06d}号',
                    'channel': rng.choice(CHANNELS),
                    'received_date': received, 'kind': rng.choice(KINDS),
                    'scope': rng.choice(SCOPES), 'real_name': real_name,
                    'summary': summary,
                    'handling_office': rng.choice(handling),
                    'street': rng.choice(streets + [None]),
                    'repeat_of': repeat_of, 'state': state,
                    'acceptance_notice_due': notice_due,
                    'acceptance_notice_date': notice,
                    'disposition': disposition, 'truth': truth,
                    'concluded_date': concluded,
                    'feedback_due': feedback_due, 'feedback_date': feedback,
                    'registration_date': received,
                    'repeat_tokens': ' '.join(words),
                    }
                cases.append([values[c] for c in case_columns])
                for person in persons:
                    subjects.append([case_id, 1, now, *person])
                for category in rng.sample(categories,
                        min(len(categories), rng.choice([0, 1, 1, 2]))):
                    links.append([case_id, category, 1, now])
                if real_name:
                    reporters.append([case_id, 1, now,
                        rng.choice(SURNAMES) + rng.choice(GIVEN),
                        '139%08d' % rng.randrange(10 ** 8)])
                if rng.random() < 0.3:
                    method = rng.choice(['direct', 'forward', 'assign'])
                    target = {'direct': higher, 'forward': external,
                        'assign': streets}[method]
                    sent = received + dt.timedelta(days=rng.randrange(1, 8))
                    # A share is still "sent" past its due date: overdue.
                    overdue = rng.random() < 0.05
                    assignments.append([case_id, 1, now, method,
                        values['handling_office'], rng.choice(target), sent,
                        due(sent, 5), None if overdue else
                        sent + dt.timedelta(days=rng.randrange(1, 9)),
                        'sent' if overdue else 'accepted'])
            _copy(cursor, 'jubao_case', case_columns, cases)
            _copy(cursor, 'jubao_case_subject', ['case', 'create_uid',
                    'create_date', 'name', 'unit', 'position', 'rank',
                    'authority', 'sector'], subjects)
            _copy(cursor, 'jubao_case-jubao_problem_category', ['case',
                    'category', 'create_uid', 'create_date'], links)
            _copy(cursor, 'jubao_case_reporter', ['case', 'create_uid',
                    'create_date', 'name', 'phone'], reporters)
            _copy(cursor, 'jubao_case_assignment', ['case', 'create_uid',
                    'create_date', 'method', 'from_office', 'to_office',
                    'date', 'due_date', 'accepted_date', 'state'],
                assignments)
            for i, rows in enumerate([subjects, links, reporters,
                        assignments]):
                total[i] += len(rows)
            corpus.reports += len(cases)
            log(f"[corpus] {corpus.reports}/{n} reports")
        log(f"[corpus] {corpus.reports} reports, {total[0]} reported "
            f"persons, {total[1]} categories, {total[2]} reporters, "
            f"{total[3]} hand-offs, {len(corpus.planted)} planted repeats, "
            f"{corpus.users} office users")
        for table in ['jubao_case', 'jubao_case_subject',
                'jubao_case_reporter', 'jubao_case_assignment']:
            cursor.execute(f"SELECT setval('{table}_id_seq', "
                f'(SELECT MAX(id) FROM "{table}"))')
        for year, last in counters.items():
            cursor.execute('DELETE FROM jubao_case_counter WHERE year = %s',
                (year,))
            cursor.execute('INSERT INTO jubao_case_counter (year, last, '
                'create_uid, create_date) VALUES (%s, %s, 0, '
                'CURRENT_TIMESTAMP)', (year, last))
        conn.commit()
    with connect(uri, database, autocommit=True) as conn:
        conn.execute('ANALYZE')
    return corpus
