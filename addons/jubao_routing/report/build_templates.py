"""Build the relatorio ODT templates of jubao_routing.

Run ``python build_templates.py`` in this directory after changing a text;
the ``.odt`` files it writes are the templates the reports use.  The
quarterly return of jubao_reports shares the official-document style and is
written into that module's ``report`` folder.  Lines
holding ``<...>`` are relatorio placeholders (genshi expressions and
``for``/``if`` directives).
"""
import os
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
REPORTS = os.path.join(HERE, '..', '..', 'jubao_reports', 'report')

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'office:version="1.2"')

# Official document look: 方正小标宋 title, 仿宋 body, 三号 (16 pt).
STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS}>
 <office:font-face-decls>
  <style:font-face style:name="FangSong" svg:font-family="FangSong_GB2312, FangSong, 仿宋"/>
  <style:font-face style:name="XiaoBiaoSong" svg:font-family="FZXiaoBiaoSong-B05S, SimSun, 宋体"/>
 </office:font-face-decls>
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph">
   <style:paragraph-properties fo:line-height="150%" fo:margin-bottom="0cm"/>
   <style:text-properties style:font-name-asian="FangSong" style:font-size-asian="16pt" fo:font-size="16pt"/>
  </style:style>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.5cm"/>
   <style:text-properties style:font-name-asian="XiaoBiaoSong" style:font-size-asian="22pt" fo:font-size="22pt"/>
  </style:style>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center"/>
  </style:style>
  <style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-indent="1.13cm" fo:text-align="justify"/>
  </style:style>
  <style:style style:name="Right" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="Small" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties style:font-size-asian="12pt" fo:font-size="12pt"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="A4">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="3.7cm" fo:margin-bottom="3.5cm" fo:margin-left="2.8cm" fo:margin-right="2.6cm"/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="A4"/>
 </office:master-styles>
</office:document-styles>
"""

META = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">
 <office:meta><meta:generator>jubao_routing build_templates.py</meta:generator></office:meta>
</office:document-meta>
"""

AUTOMATIC = """<office:automatic-styles>
  <style:style style:name="PageBreak" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:break-before="page"/>
  </style:style>
 </office:automatic-styles>"""


def placeholder(expression):
    return ('<text:placeholder text:placeholder-type="text">'
        f'{escape("<" + expression + ">")}</text:placeholder>')


def paragraph(style, *parts):
    """A paragraph of literal strings and ('expr',) placeholders."""
    inner = ''.join(
        placeholder(p[0]) if isinstance(p, tuple) else escape(p)
        for p in parts)
    return f'<text:p text:style-name="{style}">{inner}</text:p>'


def directive(text):
    return f'<text:p text:style-name="Standard">{placeholder(text)}</text:p>'


def document(body):
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content {NS}>{AUTOMATIC}'
        f'<office:body><office:text>{"".join(body)}'
        f'</office:text></office:body></office:document-content>')


def write(path, body):
    with zipfile.ZipFile(path, 'w') as odt:
        odt.writestr(zipfile.ZipInfo('mimetype'),
            'application/vnd.oasis.opendocument.text',
            compress_type=zipfile.ZIP_STORED)
        odt.writestr('META-INF/manifest.xml', MANIFEST,
            compress_type=zipfile.ZIP_DEFLATED)
        odt.writestr('styles.xml', STYLES, compress_type=zipfile.ZIP_DEFLATED)
        odt.writestr('meta.xml', META, compress_type=zipfile.ZIP_DEFLATED)
        odt.writestr('content.xml', document(body),
            compress_type=zipfile.ZIP_DEFLATED)


def acceptance_notice():
    return [
        directive('for each="case in records"'),
        paragraph('Title', ('config.commission_name or ""',)),
        paragraph('Title', '检举控告受理告知书'),
        paragraph('Right', '编号：', ('case.number or ""',)),
        paragraph('Standard', ('reporter_names(case)',), '：'),
        paragraph('Body', '您于', ('cn_date(case.received_date)',),
            '以', ('case.channel_string',), '方式提出的检举控告（',
            ('case.summary',), '），我机关已经收悉。'),
        paragraph('Body', '根据《中国共产党纪律检查机关监督执纪工作规则》'
            '《纪检监察机关处理检举控告工作规则》的有关规定，经审查，'
            '该检举控告属于本机关受理范围，已予受理，'
            '将按照规定程序依规依纪依法处理，'
            '并在处理完毕后向您反馈处理结果。'),
        paragraph('Body', '请您对检举控告的内容和有关情况予以保密，'
            '不得捏造、歪曲事实，不得诬告陷害他人。'
            '如有新的证据材料，可以继续向本机关提供。'),
        paragraph('Body', '特此告知。'),
        paragraph('Right', ('config.commission_name or ""',)),
        paragraph('Right', ('cn_date(case.acceptance_notice_date or today)',)),
        directive('/for'),
        ]


def feedback_notice():
    return [
        directive('for each="case in records"'),
        paragraph('Title', ('config.commission_name or ""',)),
        paragraph('Title', '检举控告处理结果反馈书'),
        paragraph('Right', '编号：', ('case.number or ""',)),
        paragraph('Standard', ('reporter_names(case)',), '：'),
        paragraph('Body', '您于', ('cn_date(case.received_date)',),
            '提出的检举控告（', ('case.summary',), '），经',
            ('case.handling_office.rec_name if case.handling_office '
                'else ""',),
            '依规依纪依法办理，已于', ('cn_date(case.concluded_date)',),
            '办结。现将处理结果反馈如下：'),
        paragraph('Body', '处置方式：', ('case.disposition_string or "—"',),
            ('("；核查结论：" + case.truth_string) if case.truth else ""',),
            '。'),
        paragraph('Body', ('case.outcome or ""',)),
        paragraph('Body', '如对处理结果有异议，可以在收到本反馈书之日起'
            '向本机关提出，并提供新的证据材料。'),
        paragraph('Body', '特此反馈。'),
        paragraph('Right', ('config.commission_name or ""',)),
        paragraph('Right', ('cn_date(case.feedback_date or today)',)),
        directive('/for'),
        ]


def supervision_letter():
    return [
        directive('for each="supervision in records"'),
        paragraph('Title', ('config.commission_name or ""',)),
        paragraph('Title', '督 办 函'),
        paragraph('Heading', ('supervision.number or ""',)),
        paragraph('Standard', ('supervision.responsible_office.rec_name',),
            '：'),
        paragraph('Body', '编号为', ('supervision.case.rec_name',),
            '的信访举报件（', ('supervision.case.summary',), '），因',
            ('supervision.reason.rstrip("。；;. ")',), '，经研究，列为',
            ('level_name(supervision)',), '事项。'),
        paragraph('Body', '督办要求：', ('(supervision.requirement or '
                '"请高度重视，依规依纪依法认真办理").rstrip("。；;. ")',), '。'),
        paragraph('Body', '督办方式：',
            ('"、".join(dict(supervision.fields_get(["methods"])["methods"]'
                '["selection"]).get(m, m) for m in supervision.methods)',),
            '。'),
        paragraph('Body', '请于', ('cn_date(supervision.deadline)',),
            '前办结，并将办理结果书面报送本机关信访室。'
            '逾期未办结的，请书面说明原因。'),
        paragraph('Right', ('config.commission_name or ""',)),
        paragraph('Right', ('cn_date(supervision.date)',)),
        directive('/for'),
        ]


def quarterly_return():
    return [
        paragraph('Title', ('config.commission_name or ""',)),
        directive('if test="kind == \'concluded\'"'),
        paragraph('Title', ('period_name',), '信访举报件办结情况报告'),
        directive('/if'),
        directive('if test="kind != \'concluded\'"'),
        paragraph('Title', ('period_name',), '重复信访举报件情况通报'),
        directive('/if'),
        paragraph('Heading', '（', ('cn_date(start)',), '至',
            ('cn_date(end)',), '）'),
        directive('if test="kind == \'concluded\'"'),
        paragraph('Body', '本季度共办结信访举报件', ('str(total)',), '件。'),
        directive('/if'),
        directive('if test="kind != \'concluded\'"'),
        paragraph('Body', '本季度共收到重复信访举报件', ('str(total)',), '件。'),
        directive('/if'),
        directive('for each="row in offices"'),
        paragraph('Standard', ('row["name"] or "—"',), '：', ('str(row["count"])',),
            '件；属实', ('str(row["true"])',), '件，部分属实',
            ('str(row["partly"])',), '件，不属实', ('str(row["false"])',),
            '件，无法查证', ('str(row["unverifiable"])',), '件；已反馈',
            ('str(row["fed_back"])',), '件。'),
        directive('for each="case in row[\'cases\']"'),
        paragraph('Small', ('case.number or ""',), '　',
            ('case.summary',), '　', ('case.disposition_string or ""',),
            '　', ('case.truth_string or ""',), '　',
            ('cn_date(case.concluded_date or case.received_date)',)),
        directive('/for'),
        directive('/for'),
        paragraph('Right', ('cn_date(today)',)),
        ]


if __name__ == '__main__':
    write(os.path.join(HERE, 'acceptance_notice.odt'), acceptance_notice())
    write(os.path.join(HERE, 'feedback_notice.odt'), feedback_notice())
    write(os.path.join(HERE, 'supervision_letter.odt'), supervision_letter())
    write(os.path.join(REPORTS, 'quarterly_return.odt'), quarterly_return())
