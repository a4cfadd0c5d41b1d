"""The written analysis draft: the standard sections filled from the
figures, in the official style (Chinese numerals for counts in running
text, 同比/环比 phrases).  The ODT template only lays these paragraphs out,
so the analyst receives an editable document; the same content is written
as .docx (what Word and WPS users open) by ``docx_bytes``, without an
office suite."""
import io

from trytond.i18n import gettext
from trytond.report import Report

from jubao import analysis as calc
from jubao.filenames import date_range_label, file_name

from trytond.modules.jubao_routing.report import DownloadNameMixin

SECTION_TITLES = ['总体形势', '主要特点', '突出问题', '意见建议']


def _pct(value):
    return calc.format_percent(value)


def _top_labels(rows, count=3):
    "The largest known items (unfilled values left out)."
    known = [r for r in rows if r['key'] not in (None, '') and r['count']]
    return '、'.join(f'{r["label"]}（{r["count"]}件）'
        for r in calc.top(known, count))


def sections(figures):
    """Return [(heading, [paragraph, ...]), ...] for the four sections."""
    period = figures['period']['name']
    scope = figures['scope_name']
    total = figures['total']
    dims = {d['key']: d for d in figures['dimensions']}
    inds = {i['key']: i for i in figures['indicators']}

    general = [
        f'{period}，{scope}共受理信访举报{calc.cn_count(total)}件'
        f'（{total}件），'
        f'{calc.change_phrase(total, figures["last_year_total"], "同比")}，'
        f'{calc.change_phrase(total, figures["previous_total"], "环比")}。']
    if dims['kind']['rows']:
        general.append('从举报类别看，' + '，'.join(
                f'{r["label"]}{r["count"]}件、占{_pct(r["share"])}'
                for r in dims['kind']['rows']) + '。')
    if dims['channel']['rows']:
        general.append('从来源渠道看，' + '，'.join(
                f'{r["label"]}{r["count"]}件、占{_pct(r["share"])}'
                for r in dims['channel']['rows']) + '。')
    backlog = figures['backlog']
    general.append(
        f'{backlog["year"]}年以来受理的问题线索{backlog["total"]}件，'
        f'已办结{backlog["concluded"]}件，办结率{_pct(backlog["share"])}，'
        f'尚有{backlog["open"]}件未办结。')

    features = []
    real_name, online = inds['real_name'], inds['online']
    features.append(
        f'{calc.cn_ordinal(1)}是实名举报{real_name["count"]}件，'
        f'占{_pct(real_name["share"])}（上年同期{_pct(real_name["last_year_share"])}）；'
        f'网络举报{online["count"]}件，占{_pct(online["share"])}'
        f'（上年同期{_pct(online["last_year_share"])}）。')
    if _top_labels(dims['category']['rows']):
        features.append(f'{calc.cn_ordinal(len(features) + 1)}是反映问题相对'
            '集中，主要涉及'
            f'{_top_labels(dims["category"]["rows"])}。')
    if _top_labels(dims['sector']['rows']):
        features.append(f'{calc.cn_ordinal(len(features) + 1)}是从行业领域看，'
            f'{_top_labels(dims["sector"]["rows"])}问题较为突出。')
    if _top_labels(dims['rank']['rows']):
        features.append(f'{calc.cn_ordinal(len(features) + 1)}是从被反映人'
            f'层级看，{_top_labels(dims["rank"]["rows"])}。')

    problems = []
    out, repeat = inds['out_of_scope'], inds['repeat']
    problems.append(
        f'{calc.cn_ordinal(1)}是业务范围外信访举报{out["count"]}件，'
        f'占{_pct(out["share"])}，群众对纪检监察机关受理范围的知晓度仍需提高。')
    problems.append(
        f'{calc.cn_ordinal(2)}是重复举报{repeat["count"]}件，'
        f'占{_pct(repeat["share"])}。')
    persons = figures['key_persons']
    if persons:
        names = '、'.join(f'{p["name"]}（{p["count"]}次）' for p in persons[:5])
        problems.append(
            f'{calc.cn_ordinal(3)}是被反映{calc.cn_count(figures["key_person_threshold"])}'
            f'次以上的重点人{calc.cn_count(len(persons))}人：{names}。')
    late = [t for t in figures['timeliness'] if t['late']]
    if late:
        problems.append(f'{calc.cn_ordinal(len(problems) + 1)}是办理时效有待'
            '提升：' + '；'.join(f'{t["label"]}应办{t["total"]}件、超期'
                f'{t["late"]}件、按时率{_pct(t["share"])}' for t in late)
            + '。')

    proposals = [
        f'{calc.cn_ordinal(1)}是加大信访举报受理范围宣传力度，引导群众依规依纪'
        '依法反映问题，降低业务范围外信访举报占比。',
        f'{calc.cn_ordinal(2)}是鼓励实名举报、网络举报，落实实名举报优先办理和'
        '“谁承办、谁答复”要求。',
        f'{calc.cn_ordinal(3)}是围绕重点人、重点事、重点行业领域开展专题分析，'
        '向相关党委（党组）提出整改意见，压紧压实主体责任。',
        f'{calc.cn_ordinal(4)}是强化督办，推动问题线索年度清零。',
        ]
    return list(zip(SECTION_TITLES, [general, features, problems, proposals]))


def document(figures):
    """The whole draft: title, subtitle, the numbered sections and the
    closing note, shared by the ODT template and the .docx writer."""
    period = figures['period']
    return {
        'title': f'{figures["scope_name"]}信访举报情况分析',
        'subtitle': f'（{period["name"]}）',
        'sections': [{
                'number': calc.cn_ordinal(i),
                'title': title,
                'paragraphs': paragraphs,
                } for i, (title, paragraphs) in enumerate(
                sections(figures), 1)],
        'note': (f'（本稿根据'
            f'{date_range_label(period["date_from"], period["date_to"])}'
            '的统计数据自动生成，'
            '请承办人核实、修改后报审。）'),
        }


# Official document look, as the ODT template: 方正小标宋 title (二号,
# 22 pt), 黑体 headings and 仿宋 body (三号, 16 pt), first line indented two
# characters, A4 with the margins of GB/T 9704.
TITLE_FONT = '方正小标宋简体'
HEADING_FONT = '黑体'
BODY_FONT = '仿宋_GB2312'


def _run_font(run, name, size):
    from docx.oxml.ns import qn
    from docx.shared import Pt
    run.font.size = Pt(size)
    run.font.name = name
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn('w:eastAsia'), name)


def _paragraph(doc, text, font, size, align=None, indent=False, bold=False):
    from docx.shared import Pt
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    run = paragraph.add_run(text)
    run.bold = bold
    _run_font(run, font, size)
    return paragraph


def docx_bytes(figures):
    "The draft as a .docx document (bytes)."
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    content = document(figures)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    core = doc.core_properties
    core.title = content['title']
    core.author = ''
    core.comments = ''
    _paragraph(doc, content['title'], TITLE_FONT, 22,
        align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, content['subtitle'], BODY_FONT, 16,
        align=WD_ALIGN_PARAGRAPH.CENTER)
    for part in content['sections']:
        _paragraph(doc, f'{part["number"]}、{part["title"]}', HEADING_FONT,
            16, indent=True)
        for text in part['paragraphs']:
            _paragraph(doc, text, BODY_FONT, 16,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    _paragraph(doc, content['note'], BODY_FONT, 12, indent=True)
    output = io.BytesIO()
    doc.save(output)
    return output.getvalue()


def download_name(analyses):
    "信访举报分析报告初稿_2026年第三季度 (the office too when chosen)."
    title = gettext('jubao_reports.msg_file_draft')
    if len(analyses) != 1:
        return file_name(title, f'{len(analyses)}份')
    analysis, = analyses
    return file_name(title,
        analysis.office.rec_name if analysis.office else None,
        analysis.period_name)


class AnalysisDraftDocx(DownloadNameMixin, Report):
    "Analysis Draft (docx)"
    __name__ = 'jubao.analysis.draft.docx'

    @classmethod
    def _execute(cls, records, header, data, action):
        analysis, = records
        return 'docx', docx_bytes(analysis.figures())

    @classmethod
    def download_name(cls, records, data):
        return download_name(records)
