"Routing, handling, supervision and feedback of reports (jubao)."
from . import board  # noqa: F401  (registers the boards of this module)
