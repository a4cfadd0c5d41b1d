# This file is part of jubao.
"""Input at the edge: links typed into records and malformed requests.

``install()`` (called when the module is imported, which both the
development server ``trytond`` and ``trytond.application:app`` do through
``Pool.start()`` before serving) makes every failed request end in a clean
answer: an HTTP 4xx, or for the JSON-RPC of the web client a Chinese error
dialog; never an HTTP 500 page nor Python's exception text or traceback,
which would tell an attacker about the code.
"""
import logging

from werkzeug.exceptions import BadRequest, HTTPException

from trytond.exceptions import TrytonException, UserError
from trytond.i18n import gettext
from trytond.pool import PoolMeta
from trytond.protocols.jsonrpc import JSONRequest

from jubao.links import is_safe_link

from .exceptions import LinkError

logger = logging.getLogger(__name__)

# The platform runs in Chinese only ([database] language = zh_CN) and these
# answers are built outside any transaction, so without translations.
MSG_REQUEST = ("请求无法处理（方法或参数无效），未作任何修改。"
    "如问题持续，请联系系统管理员。")
MSG_BAD_HTTP = "请求无效，未作任何处理。"
HTTP_MESSAGES = {
    400: MSG_BAD_HTTP,
    403: "请求被拒绝：没有权限，或请求来自不受信任的网站。",
    404: "请求的地址或数据库不存在。",
    405: "不支持此请求方式。",
    413: "上传的内容过大。",
    429: "尝试次数过多，请稍后再试。",
    }


def check_links(records, names, field_names=None):
    "Refuse links that are not http(s) web addresses."
    if field_names and not (set(names) & set(field_names)):
        return
    for record in records:
        for name in names:
            value = getattr(record, name, None)
            if not is_safe_link(value):
                raise LinkError(gettext(
                        'jubao_intake.msg_link_scheme', link=value[:80]))


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    @classmethod
    def validate_fields(cls, attachments, field_names):
        super().validate_fields(attachments, field_names)
        check_links(attachments, ['link'], field_names)


def _is_json_rpc(request):
    try:
        data = request.parsed_data
    except Exception:
        return False
    return (isinstance(request, JSONRequest) and isinstance(data, dict)
        and set(data) == {'id', 'method', 'params'})


def handle_error(app, request, exception):
    "trytond.wsgi error handler: unexpected exceptions of a request."
    if isinstance(exception, TrytonException):
        return  # meant for the user (UserError, AccessError, ...)
    logger.error("refused request %s", request, exc_info=exception)
    if _is_json_rpc(request):
        return app.make_response(request, UserError(MSG_REQUEST))
    return BadRequest(MSG_REQUEST).get_response()


class EdgeGuard:
    """Outermost WSGI layer.  An exception raised before dispatching (for
    example Tryton's refusal of a foreign Origin header) becomes its HTTP
    answer instead of a 500 from the server, and an HTTP 500 built by Tryton
    from an exception (``with_pool`` does so for an empty method) becomes a
    400 without the exception's text."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        failed = []

        def start_unless_failed(status, headers, exc_info=None):
            if status.startswith('500'):
                failed.append(status)
                return lambda data: None
            return start_response(status, headers, exc_info)
        try:
            body = self.wsgi_app(environ, start_unless_failed)
        except HTTPException as e:
            return _in_chinese(e)(environ, start_response)
        except Exception:
            logger.error("refused malformed request", exc_info=True)
            return BadRequest(MSG_BAD_HTTP)(environ, start_response)
        if failed:
            if hasattr(body, 'close'):
                body.close()
            logger.error("refused request %s %s: HTTP 500",
                environ.get('REQUEST_METHOD'), environ.get('PATH_INFO'))
            return BadRequest(MSG_REQUEST)(environ, start_response)
        return body


def _in_chinese(exception):
    "The HTTP error with a Chinese text instead of werkzeug's default one."
    if (exception.description == type(exception).description
            and exception.code in HTTP_MESSAGES):
        return type(exception)(HTTP_MESSAGES[exception.code])
    return exception


def install():
    from trytond.wsgi import app
    if not isinstance(app.wsgi_app, EdgeGuard):
        app.wsgi_app = EdgeGuard(app.wsgi_app)
    if handle_error not in app.error_handlers:
        app.error_handler(handle_error)
