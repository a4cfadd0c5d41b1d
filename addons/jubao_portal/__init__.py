"The public online reporting portal of jubao (网络举报)."
from . import routes  # noqa: F401  (registers the portal's WSGI routes)
