"Printable notices and supervision letters."
import shutil

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report

from trytond.modules.jubao_intake.reporter import reporter_identity

from .exceptions import NoticeError


class OdtReport(Report):
    """ODT report converted to PDF only where LibreOffice is installed.

    The actions ask for PDF; without ``soffice`` the ODT is returned as is
    so that printing never fails on a machine without an office suite.
    """

    @classmethod
    def convert(cls, report, data, **kwargs):
        if (report.extension == 'pdf'
                and report.template_extension == 'odt'
                and not shutil.which('soffice')):
            return 'odt', data
        return super().convert(report, data, **kwargs)

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        context = super().get_context(records, header, data)
        Config = pool.get('jubao.configuration')
        context['config'] = Config(1)
        context['today'] = pool.get('ir.date').today()
        context['cn_date'] = cls.cn_date
        context['reporter_names'] = cls.reporter_names
        return context

    @staticmethod
    def reporter_names(case):
        """Names of the reporters for users entitled to see them (through
        the identity gate, logged as a notice); the generic salutation
        otherwise (reporters are confidential)."""
        identity = reporter_identity([case.id], 'notice', ['name'],
            strict=False)
        names = [r['name'] for r in identity.get(case.id, []) if r['name']]
        return '、'.join(names) or gettext(
            'jubao_routing.msg_notice_reporter')

    @staticmethod
    def cn_date(date):
        if not date:
            return ''
        return '%d年%d月%d日' % (date.year, date.month, date.day)


class AcceptanceNotice(OdtReport):
    __name__ = 'jubao.case.acceptance_notice'

    @classmethod
    def get_context(cls, records, header, data):
        for case in records:
            if case.handed_over:
                raise NoticeError(gettext(
                        'jubao_routing.msg_notice_handed_over',
                        case=case.rec_name))
            if not case.acceptance_notice_due:
                raise NoticeError(gettext(
                        'jubao_routing.msg_notice_not_real_name',
                        case=case.rec_name))
        return super().get_context(records, header, data)


class FeedbackNotice(OdtReport):
    __name__ = 'jubao.case.feedback_notice'

    @classmethod
    def get_context(cls, records, header, data):
        for case in records:
            if case.state != 'concluded':
                raise NoticeError(gettext(
                        'jubao_routing.msg_notice_not_concluded',
                        case=case.rec_name))
        return super().get_context(records, header, data)


class SupervisionLetter(OdtReport):
    __name__ = 'jubao.supervision.letter'
