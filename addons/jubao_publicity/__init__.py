# This file is part of jubao.  Implementation plans and the publicity year.
