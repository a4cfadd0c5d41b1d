from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


def configured_threshold():
    "The key-person threshold of the configuration (readable by everyone)."
    Configuration = Pool().get('jubao.configuration')
    with without_check_access():
        return Configuration(1).key_person_threshold or 3


class Configuration(metaclass=PoolMeta):
    __name__ = 'jubao.configuration'
    key_person_threshold = fields.Integer("Key Person Threshold",
        domain=['OR', ('key_person_threshold', '=', None),
            ('key_person_threshold', '>=', 2)],
        help="A reported person named in at least this many reports of a "
        "period is listed as a key person in the analysis.")

    @classmethod
    def default_key_person_threshold(cls):
        return 3
