"""The public pages of the portal, served by trytond's own WSGI app.

Every route passes through ``portal_route``: it turns the client address
into a keyed, daily-rotated hash for the rate limits and then removes the
address and the user agent from the request, so neither reaches the
transaction context, the database nor trytond's request log.  The pages
run as the technical user ``user_portal`` without a login.
"""
import datetime as dt
import functools
import logging
import os
import secrets
from urllib.parse import quote

from genshi.template import TemplateLoader
from werkzeug.exceptions import NotFound

import trytond.config as config
from trytond.protocols.wrappers import (
    Request, Response, redirect, with_pool, with_transaction)
from trytond.transaction import Transaction
from trytond.wsgi import app

from jubao import portal

from . import form

HERE = os.path.dirname(__file__)
TEMPLATES = TemplateLoader(os.path.join(HERE, 'templates'),
    auto_reload=False, default_encoding='utf-8')
STATIC = {'portal.css': 'text/css', 'portal.js': 'text/javascript'}
CONTEXT = {'language': 'zh_CN'}


def _secret():
    """The HMAC key of tokens, challenges and client hashes: ``[portal]
    secret`` (needed when several workers serve the portal), else one per
    process."""
    value = config.get('portal', 'secret')
    return value.encode() if value else secrets.token_bytes(32)


SECRET = _secret()
DIFFICULTY = config.getint('portal', 'difficulty', default=16)
POW = portal.ProofOfWork(SECRET,
    min_age=config.getint('portal', 'no_script_delay', default=5))
# Token buckets per client hash: (capacity, tokens per second), both
# multiplied by ``[portal] rate_scale`` (default 1).  Load tests and the
# benchmark, whose clients all come from one address, raise it; a
# production server keeps the default (values below 1 are ignored).
RATE_SCALE = max(1.0, config.getfloat('portal', 'rate_scale', default=1))
LIMITS = {name: portal.RateLimiter(capacity * RATE_SCALE, rate * RATE_SCALE)
    for name, (capacity, rate) in {
        'page': (120, 2),
        'submit': (5, 1 / 600),
        'lookup': (10, 1 / 60),
        'message': (20, 1 / 60),
        }.items()}
# Submitting without the proof of work (no JavaScript) costs more
SLOW_COST = 2
CSRF_COOKIE = 'jubao_portal_csrf'
ACCESS_COOKIE = 'jubao_portal_access'
ACCESS_TTL = 1800
ANONYMOUS_HEADERS = ['REMOTE_ADDR', 'HTTP_USER_AGENT', 'HTTP_X_FORWARDED_FOR',
    'HTTP_X_REAL_IP', 'HTTP_FORWARDED', 'HTTP_REFERER']
UNKNOWN_ADDRESS = '0.0.0.0'


class _PortalLogFilter(logging.Filter):
    "Keep portal requests out of the log even if one slips past the route."

    def filter(self, record):
        args = record.args if isinstance(record.args, tuple) else ()
        if any(isinstance(a, Request) and '/portal/' in (a.path or '')
                for a in args):
            record.args = tuple('<portal request>'
                if isinstance(a, Request) else a for a in args)
        return True


for _name in ['trytond.wsgi', 'trytond.modules.jubao_intake.edge']:
    logging.getLogger(_name).addFilter(_PortalLogFilter())


def forget_client(request):
    "Drop what identifies the client from the request."
    for key in ANONYMOUS_HEADERS:
        request.environ.pop(key, None)
    # A placeholder, not nothing: the server's own request log reads the
    # key after the response (werkzeug's development server, the one of
    # ``trytond``, fails without it and never answers)
    request.environ['REMOTE_ADDR'] = UNKNOWN_ADDRESS
    request.remote_addr = None


def security_headers(response, request):
    headers = response.headers
    headers['Content-Security-Policy'] = (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        "img-src 'self'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'")
    headers['Referrer-Policy'] = 'no-referrer'
    headers['X-Content-Type-Options'] = 'nosniff'
    headers['X-Frame-Options'] = 'DENY'
    headers['Cache-Control'] = 'no-store'
    headers['Permissions-Policy'] = 'camera=(), microphone=(), geolocation=()'
    if request.scheme == 'https':
        headers['Strict-Transport-Security'] = (
            'max-age=31536000; includeSubDomains')
    return response


def portal_route(max_size=None):
    "Anonymise, rate-limit and secure a portal route."
    def decorator(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            today = dt.date.today().isoformat()
            request.portal_client = portal.client_key(
                SECRET, request.remote_addr, today)
            forget_client(request)
            if not LIMITS['page'].allow(request.portal_client):
                response = _too_many(request, kwargs)
            else:
                response = func(request, *args, **kwargs)
            return security_headers(response, request)
        if max_size:
            wrapper.max_request_size = max_size
        # The pages send no referrer, so browsers post their forms with
        # ``Origin: null``, which trytond refuses unless the route allows
        # it; the signed CSRF token (double submit, SameSite=Strict
        # cookie) protects the posts, and a foreign Origin is still refused.
        wrapper.allow_null_origin = True
        return wrapper
    return decorator


def _too_many(request, kwargs):
    return render('error.html', kwargs.get('database_name', ''),
        http_status=429, message='访问过于频繁，请稍后再试。')


def render(template, database_name, http_status=200, **values):
    values.setdefault('message', None)
    values['base'] = '/%s/portal' % quote(database_name)
    body = TEMPLATES.load(template).generate(**values).render(
        'html', doctype='html5', encoding=None)
    return Response(body, status=http_status,
        content_type='text/html; charset=utf-8')


def as_portal_user(func):
    """Run as the technical user ``user_portal``, in databases where the
    portal is activated (routes exist for every database)."""
    @functools.wraps(func)
    def wrapper(request, pool, *args, **kwargs):
        try:
            pool.get('jubao.portal.submission')
        except KeyError:
            raise NotFound()
        user = pool.get('ir.model.data').get_id('jubao_portal', 'user_portal')
        with Transaction().set_user(user):
            return func(request, pool, *args, **kwargs)
    return wrapper


def _cookie_path(database_name):
    return '/%s/portal/' % quote(database_name)


def set_cookie(response, request, database_name, name, value, max_age):
    response.set_cookie(name, value, max_age=max_age,
        path=_cookie_path(database_name), httponly=True, samesite='Strict',
        secure=request.scheme == 'https')


def page_with_form(template, database_name, request, http_status=200,
        **values):
    csrf = values.pop('csrf', None) or portal.make_token(
        SECRET, 'csrf', ttl=7200)
    values.update(csrf=csrf,
        challenge=portal.issue_challenge(SECRET, DIFFICULTY, ttl=7200),
        difficulty=DIFFICULTY)
    response = render(template, database_name, http_status=http_status,
        **values)
    set_cookie(response, request, database_name, CSRF_COOKIE, csrf, 7200)
    return response


def csrf_ok(request):
    return portal.check_csrf(SECRET, request.form.get('csrf'),
        request.cookies.get(CSRF_COOKIE))


def access_submission(request, pool):
    "The submission the access cookie opens, or None."
    value = portal.check_token(SECRET, 'access',
        request.cookies.get(ACCESS_COOKIE))
    if not value or not value.isdigit():
        return None
    Submission = pool.get('jubao.portal.submission')
    found = Submission.search([('id', '=', int(value))])
    return found[0] if found else None


# Pages -----------------------------------------------------------------

@app.route('/<database_name>/portal/static/<name>', methods={'GET'})
@portal_route()
def static(request, database_name, name):
    if name not in STATIC:
        raise NotFound()
    with open(os.path.join(HERE, 'static', name), 'rb') as file:
        response = Response(file.read(), content_type=STATIC[name])
    response.headers['Cache-Control'] = 'public, max-age=3600'
    return response


@app.route('/<database_name>/portal/', methods={'GET'})
@portal_route()
@with_pool
@with_transaction(context=CONTEXT)
@as_portal_user
def index(request, pool):
    database_name = pool.database_name
    return render('index.html', database_name, **form.public_info(pool))


@app.route('/<database_name>/portal/report', methods={'GET', 'POST'})
@portal_route(max_size=form.MAX_REQUEST)
@with_pool
@with_transaction(context=CONTEXT)
@as_portal_user
def report(request, pool):
    database_name = pool.database_name
    info = form.public_info(pool)
    if request.method == 'GET':
        return page_with_form('report.html', database_name, request,
            values={'form_key': secrets.token_urlsafe(24)}, errors={},
            **info)
    values = form.posted_values(request.form)
    errors = {}
    if not csrf_ok(request):
        errors['form'] = '页面已过期或来源无效，请重新提交。'
    elif form.find_previous(pool, values['form_key']):
        # A resubmitted form stores nothing: no proof of work needed
        pass
    else:
        cost = _pow_cost(request)
        if cost is None:
            errors['form'] = '安全校验未通过，请稍候几秒后重新提交。'
        elif not LIMITS['submit'].allow(request.portal_client, cost):
            errors['form'] = '提交过于频繁，请稍后再试。'
    if not errors:
        result = form.submit(pool, values, request.form, request.files, SECRET)
        if result.errors is None:
            return render('receipt.html', database_name,
                code=result.code, reference=result.reference,
                resubmitted=result.resubmitted)
        errors = result.errors
    return page_with_form('report.html', database_name, request,
        http_status=400, values=values, errors=errors, **info)


def _pow_cost(request):
    "Rate-limit cost of a form's proof of work, None when refused."
    verdict = POW.verify(request.form.get('pow_challenge'),
        request.form.get('pow_counter', '').strip())
    if verdict == 'solved':
        return 1
    if verdict == 'slow':
        return SLOW_COST
    return None


@app.route('/<database_name>/portal/lookup', methods={'GET', 'POST'})
@portal_route()
@with_pool
@with_transaction(context=CONTEXT)
@as_portal_user
def lookup(request, pool):
    database_name = pool.database_name
    if request.method == 'GET':
        return page_with_form('lookup.html', database_name, request,
            code='')
    code = portal.normalize_code(request.form.get('code'))
    refused = '查询码或查询密码不正确，或该查询码已被暂时锁定。'
    if not csrf_ok(request):
        refused = '页面已过期或来源无效，请重新提交。'
    elif _pow_cost(request) is None:
        refused = '安全校验未通过，请稍候几秒后重新提交。'
    elif not LIMITS['lookup'].allow(request.portal_client):
        refused = '查询过于频繁，请稍后再试。'
    elif code:
        Submission = pool.get('jubao.portal.submission')
        submission = Submission.by_code(code)
        if submission and submission.check_password(
                request.form.get('password', '')):
            response = redirect('/%s/portal/status' % quote(database_name),
                code=303)
            set_cookie(response, request, database_name, ACCESS_COOKIE,
                portal.make_token(SECRET, 'access', str(submission.id),
                    ttl=ACCESS_TTL), ACCESS_TTL)
            return response
    return page_with_form('lookup.html', database_name, request,
        http_status=400, code=request.form.get('code', '')[:40], message=refused)


@app.route('/<database_name>/portal/status', methods={'GET'})
@portal_route()
@with_pool
@with_transaction(context=CONTEXT)
@as_portal_user
def status(request, pool):
    database_name = pool.database_name
    submission = access_submission(request, pool)
    if not submission:
        return redirect('/%s/portal/lookup' % quote(database_name), code=303)
    return page_with_form('status.html', database_name, request,
        **form.status_values(submission), errors={}, body='')


@app.route('/<database_name>/portal/message', methods={'POST'})
@portal_route(max_size=form.MAX_REQUEST)
@with_pool
@with_transaction(context=CONTEXT)
@as_portal_user
def message(request, pool):
    database_name = pool.database_name
    submission = access_submission(request, pool)
    if not submission:
        return redirect('/%s/portal/lookup' % quote(database_name), code=303)
    errors = None
    if not csrf_ok(request):
        errors = {'form': '页面已过期或来源无效，请重新提交。'}
    elif not LIMITS['message'].allow(request.portal_client):
        errors = {'form': '提交过于频繁，请稍后再试。'}
    else:
        errors = form.add_message(pool, submission, request.form,
            request.files)
    if not errors:
        return redirect('/%s/portal/status' % quote(database_name), code=303)
    return page_with_form('status.html', database_name, request,
        http_status=400,
        **form.status_values(submission), errors=errors,
        body=request.form.get('body', '')[:form.MAX_BODY])


@app.route('/<database_name>/portal/file/<int:attachment>', methods={'GET'})
@portal_route()
@with_pool
@with_transaction(context=CONTEXT)
@as_portal_user
def download(request, pool, attachment):
    submission = access_submission(request, pool)
    if not submission or attachment not in dict(submission.public_files()):
        raise NotFound()
    record = pool.get('ir.attachment')(attachment)
    data = bytes(record.data or b'')
    kind = portal.sniff(data)
    response = Response(data, content_type=portal.ACCEPTED_KINDS.get(
            kind, 'application/octet-stream'))
    response.headers['Content-Disposition'] = (
        "attachment; filename*=UTF-8''%s" % quote(record.name))
    return response


@app.route('/<database_name>/portal/logout', methods={'POST'})
@portal_route()
def logout(request, database_name):
    response = redirect('/%s/portal/' % quote(database_name), code=303)
    response.delete_cookie(ACCESS_COOKIE, path=_cookie_path(database_name))
    return response
