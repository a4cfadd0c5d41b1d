# This file is part of jubao.  The classes are registered in tryton.cfg.
