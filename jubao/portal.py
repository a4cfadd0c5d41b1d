"""Rules of the public reporting portal that need no database.

Query codes, signed tokens (CSRF, proof-of-work challenges, lookup
sessions), proof-of-work, rate limiting keyed by a daily-rotated hash of
the client address, content sniffing of uploads and upload names.
"""
import hashlib
import hmac
import os
import re
import secrets
import threading
import time
import unicodedata
import zipfile
from io import BytesIO

# Crockford's base32: no I, L, O, U (nothing to misread on paper)
CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
CODE_LENGTH = 16   # 80 bits


def _crockford(data, length):
    number = int.from_bytes(data, 'big')
    chars = []
    for _ in range(length):
        number, index = divmod(number, 32)
        chars.append(CROCKFORD[index])
    return ''.join(chars)


def group_code(code):
    "XXXX-XXXX-XXXX-XXXX"
    return '-'.join(code[i:i + 4] for i in range(0, len(code), 4))


def new_query_code():
    "A random query code of 80 bits, grouped 4-4-4-4."
    return group_code(_crockford(secrets.token_bytes(10), CODE_LENGTH))


def derive_query_code(secret, form_key):
    """The query code of the form ``form_key`` (a random key the server put
    into the form): the same for a resubmitted form, unknowable without
    the server secret, and unrelated to the report number."""
    digest = hmac.new(secret, b'code|' + form_key.encode(), 'sha256').digest()
    return group_code(_crockford(digest[:10], CODE_LENGTH))


def normalize_code(code):
    "The code as typed, to its canonical form (case, dashes, look-alikes)."
    code = (code or '').upper().translate(
        str.maketrans({'O': '0', 'I': '1', 'L': '1'}))
    code = re.sub(r'[^0-9A-Z]', '', code)
    if len(code) != CODE_LENGTH or any(c not in CROCKFORD for c in code):
        return None
    return group_code(code)


def hash_code(code):
    "What is stored of a query code (it has 80 bits, so a plain hash)."
    return hashlib.sha256(code.encode()).hexdigest()


# Signed tokens ---------------------------------------------------------

def _sign(secret, purpose, payload):
    return hmac.new(secret, ('%s|%s' % (purpose, payload)).encode(),
        'sha256').hexdigest()[:32]


def make_token(secret, purpose, value='', ttl=3600, now=None):
    "A token ``random.value.expiry.signature`` for ``purpose``."
    expiry = int((now or time.time()) + ttl)
    payload = '%s.%s.%d' % (secrets.token_hex(8), value, expiry)
    return '%s.%s' % (payload, _sign(secret, purpose, payload))


def check_token(secret, purpose, token, now=None):
    "The value of a valid, unexpired ``token`` of ``purpose``, else None."
    try:
        rand, value, expiry, signature = (token or '').split('.')
        expiry = int(expiry)
    except ValueError:
        return None
    payload = '%s.%s.%d' % (rand, value, expiry)
    if not hmac.compare_digest(signature, _sign(secret, purpose, payload)):
        return None
    if expiry < (now or time.time()):
        return None
    return value


def check_csrf(secret, form_token, cookie_token, now=None):
    "Double submit: the form's token equals the cookie's and is valid."
    if not form_token or not cookie_token:
        return False
    if not hmac.compare_digest(form_token, cookie_token):
        return False
    return check_token(secret, 'csrf', form_token, now=now) is not None


# Proof of work -----------------------------------------------------------

def issue_challenge(secret, difficulty, ttl=600, now=None):
    """A challenge whose value holds the difficulty and the issue time:
    ``difficulty:issued``."""
    now = now or time.time()
    return make_token(secret, 'pow', '%d:%d' % (difficulty, int(now)),
        ttl=ttl, now=now)


def leading_zero_bits(digest):
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        bits += 8 - byte.bit_length()
        break
    return bits


def pow_digest(challenge, counter):
    return hashlib.sha256(('%s|%s' % (challenge, counter)).encode()).digest()


def solve(challenge, difficulty):
    "The counter a client computes (tests and benchmark use it)."
    counter = 0
    while leading_zero_bits(pow_digest(challenge, counter)) < difficulty:
        counter += 1
    return str(counter)


class ProofOfWork:
    """Verify solved challenges, each once.

    Without JavaScript there is no solution: the form is accepted if it
    was issued at least ``min_age`` seconds ago (a person reading and
    typing, not a script posting at once) and the caller charges the
    client's rate limit more (see routes)."""

    def __init__(self, secret, min_age=5):
        self.secret = secret
        self.min_age = min_age
        self._used = {}
        self._lock = threading.Lock()

    def verify(self, challenge, counter, now=None):
        """'solved', 'slow' (no solution, old enough) or None (refused)."""
        now = now or time.time()
        value = check_token(self.secret, 'pow', challenge, now=now)
        if value is None:
            return None
        difficulty, issued = (int(v) for v in value.split(':'))
        if counter:
            if not re.fullmatch(r'\d{1,12}', counter):
                return None
            if leading_zero_bits(pow_digest(challenge, counter)) < difficulty:
                return None
            result = 'solved'
        elif now - issued >= self.min_age:
            result = 'slow'
        else:
            return None
        with self._lock:
            self._used = {c: e for c, e in self._used.items() if e > now}
            if challenge in self._used:
                return None
            self._used[challenge] = now + 3600
        return result


# Rate limiting --------------------------------------------------------

def client_key(secret, address, day):
    """A keyed hash of the client address, rotated daily: buckets can be
    told apart, the address cannot be recovered nor linked across days."""
    day_key = hmac.new(secret, ('day|%s' % day).encode(), 'sha256').digest()
    return hmac.new(day_key, (address or '').encode(),
        'sha256').hexdigest()[:32]


class RateLimiter:
    "Token buckets in memory: ``capacity`` tokens refilled at ``rate``/s."

    def __init__(self, capacity, rate, clock=time.monotonic):
        self.capacity = capacity
        self.rate = rate
        self.clock = clock
        self._buckets = {}
        self._lock = threading.Lock()

    def allow(self, key, cost=1):
        now = self.clock()
        with self._lock:
            if len(self._buckets) > 100000:
                self._forget(now)
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            allowed = tokens >= cost
            if allowed:
                tokens -= cost
            self._buckets[key] = (tokens, now)
            return allowed

    def _forget(self, now):
        "Drop full buckets (they hold no information)."
        full = self.capacity / self.rate if self.rate else 0
        self._buckets = {k: v for k, v in self._buckets.items()
            if now - v[1] < full}

    def reset(self):
        with self._lock:
            self._buckets.clear()


# Uploads --------------------------------------------------------------

# (kind, Chinese label shown to citizens)
ACCEPTED_KINDS = {
    'jpeg': 'image/jpeg', 'png': 'image/png', 'gif': 'image/gif',
    'webp': 'image/webp', 'pdf': 'application/pdf',
    'docx': 'application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document',
    'xlsx': 'application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet',
    'ole': 'application/octet-stream',   # .doc / .xls
    'mp3': 'audio/mpeg', 'm4a': 'audio/mp4', 'wav': 'audio/wav',
    'amr': 'audio/amr',
    }
EXTENSIONS = {
    'jpeg': {'.jpg', '.jpeg'}, 'png': {'.png'}, 'gif': {'.gif'},
    'webp': {'.webp'}, 'pdf': {'.pdf'}, 'docx': {'.docx'},
    'xlsx': {'.xlsx'}, 'ole': {'.doc', '.xls'}, 'mp3': {'.mp3'},
    'm4a': {'.m4a'}, 'wav': {'.wav'}, 'amr': {'.amr'},
    }


def sniff(data):
    """The kind of ``data`` by its leading bytes, or None when it is not
    one of the accepted kinds (executables, HTML, SVG, scripts...)."""
    head = data[:64]
    if head.startswith(b'\xff\xd8\xff'):
        return 'jpeg'
    if head.startswith(b'\x89PNG\r\n\x1a\n'):
        return 'png'
    if head[:6] in (b'GIF87a', b'GIF89a'):
        return 'gif'
    if head[:4] == b'RIFF' and head[8:12] == b'WEBP':
        return 'webp'
    if head[:4] == b'RIFF' and head[8:12] == b'WAVE':
        return 'wav'
    if head.startswith(b'%PDF-'):
        return 'pdf'
    if head.startswith(b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1'):
        return 'ole'
    if head.startswith(b'#!AMR'):
        return 'amr'
    if head.startswith(b'ID3') or (
            len(head) > 1 and head[0] == 0xff and head[1] & 0xe0 == 0xe0):
        return 'mp3'
    if head[4:8] == b'ftyp' and head[8:11] in (b'M4A', b'mp4', b'iso'):
        return 'm4a'
    if head.startswith(b'PK\x03\x04'):
        return _sniff_zip(data)
    return None


def _sniff_zip(data):
    "Office Open XML: a zip with [Content_Types].xml and its main part."
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if '[Content_Types].xml' not in names:
        return None
    if 'word/document.xml' in names:
        return 'docx'
    if 'xl/workbook.xml' in names:
        return 'xlsx'
    return None


def check_upload(filename, data, max_size):
    """(kind, clean name) of an accepted upload, or (None, reason) where
    reason is 'size', 'empty' or 'type'."""
    if not data:
        return None, 'empty'
    if len(data) > max_size:
        return None, 'size'
    kind = sniff(data)
    name = clean_filename(filename)
    if kind is None:
        return None, 'type'
    extension = os.path.splitext(name)[1].lower()
    if extension not in EXTENSIONS[kind]:
        # The extension lies about the content: name it after the content
        name = os.path.splitext(name)[0] + sorted(EXTENSIONS[kind])[0]
    return kind, name


def clean_filename(filename, max_length=80):
    """A name safe to store and show: no path, no control or shell
    characters, no leading dot, bounded length."""
    name = unicodedata.normalize('NFC', filename or '')
    name = re.split(r'[\\/]', name)[-1]
    name = ''.join(c for c in name
        if unicodedata.category(c)[0] != 'C' and c not in '<>:"|?*;&$`\'')
    name = re.sub(r'\s+', ' ', name).strip(' .')
    stem, extension = os.path.splitext(name)
    extension = extension[:10]
    stem = stem[:max_length - len(extension)]
    return (stem or '附件') + extension
