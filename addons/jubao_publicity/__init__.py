# This file is part of jubao.  Implementation plans and the publicity year.
from . import board  # noqa: F401  (registers the task board)
