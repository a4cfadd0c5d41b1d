from trytond.i18n import gettext
from trytond.exceptions import UserError
from trytond.pool import Pool, PoolMeta


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    @classmethod
    def validate(cls, attachments):
        super().validate(attachments)
        config = None
        for attachment in attachments:
            resource = attachment.resource
            if resource is None or not resource.__name__.startswith('jubao.'):
                continue
            if config is None:
                config = Pool().get('jubao.configuration')(1)
            attachment.check_jubao_rules(config)

    def check_jubao_rules(self, config):
        "Scans, recordings and documents only, and not too large."
        name = self.name or ''
        extension = name.rsplit('.', 1)[-1].lower() if '.' in name else ''
        if self.type == 'data' and extension not in config.allowed_extensions():
            raise UserError(gettext(
                    'jubao_intake.msg_attachment_type',
                    name=name, allowed=config.attachment_extensions))
        size = self.data_size or 0
        if size > config.attachment_max_size * 1024 * 1024:
            raise UserError(gettext(
                    'jubao_intake.msg_attachment_size',
                    name=name, size=round(size / 1024 / 1024, 1),
                    limit=config.attachment_max_size))
