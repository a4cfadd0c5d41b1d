"Printable notices and supervision letters."
import shutil

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report

from jubao.filenames import date_label, file_name

from trytond.modules.jubao_intake.reporter import reporter_identity

from .exceptions import NoticeError


class DownloadNameMixin:
    """The downloaded file is named by ``download_name`` (what it is and
    its period, date or number, in Chinese) instead of Tryton's action name
    followed by the record names."""
    __slots__ = ()

    @classmethod
    def execute(cls, ids, data):
        oext, content, direct_print, name = super().execute(ids, data)
        records = cls._download_records(ids, data)
        return (oext, content, direct_print,
            cls.download_name(records, data) or name)

    @classmethod
    def _download_records(cls, ids, data):
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        if data.get('action_id') is not None:
            action = ActionReport(data['action_id'])
        else:
            action, = ActionReport.search(
                [('report_name', '=', cls.__name__)], limit=1)
        model = action.model or data.get('model')
        if not model or not ids:
            return []
        return pool.get(model).browse(list(map(int, ids)))

    @classmethod
    def download_name(cls, records, data):
        "The file name without extension; None keeps Tryton's."
        return None

    @staticmethod
    def numbered_name(title, numbers):
        """``title_number`` for one document, ``title_first等N件`` for
        several printed in one file."""
        numbers = [n for n in numbers if n]
        if not numbers:
            return file_name(title)
        if len(numbers) == 1:
            return file_name(title, numbers[0])
        return file_name(title, f'{numbers[0]}等{len(numbers)}件')


class OdtReport(DownloadNameMixin, Report):
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
        return date_label(date)


class AcceptanceNotice(OdtReport):
    __name__ = 'jubao.case.acceptance_notice'

    @classmethod
    def download_name(cls, records, data):
        return cls.numbered_name(gettext('jubao_routing.msg_file_acceptance'),
            [c.number for c in records])

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
    def download_name(cls, records, data):
        return cls.numbered_name(gettext('jubao_routing.msg_file_feedback'),
            [c.number for c in records])

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

    @classmethod
    def get_context(cls, records, header, data):
        for supervision in records:
            # The number is given on opening: a draft has no letter yet
            if not supervision.number:
                raise NoticeError(gettext(
                        'jubao_routing.msg_letter_not_opened',
                        supervision=supervision.rec_name))
        context = super().get_context(records, header, data)
        context['level_name'] = cls.level_name
        return context

    @staticmethod
    def level_name(supervision):
        """The level as the letter names it: 委领导督办, 信访室督办 (the
        level's label may or may not end in 督办)."""
        label = supervision.level_string or ''
        suffix = gettext('jubao_routing.msg_letter_level_suffix')
        return label if label.endswith(suffix) else label + suffix

    @classmethod
    def download_name(cls, records, data):
        return cls.numbered_name(gettext('jubao_routing.msg_file_letter'),
            [s.number for s in records])
