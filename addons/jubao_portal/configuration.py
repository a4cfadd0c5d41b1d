"The portal's public texts: guidance and the ways to report, editable."
from trytond.model import fields
from trytond.pool import PoolMeta

# Default texts, after the publicity texts named in the publicity-year plan
# (受理范围, 检举控告人的权利和义务, 诬告陷害警示); the administrator edits them.
DEFAULT_SCOPE = (
    "纪检监察机关受理检举控告、申诉和批评建议三类信访举报：对党组织和党员违反"
    "党的纪律行为的检举控告，对监察对象职务违法和职务犯罪行为的检举控告；"
    "党员对所受党纪处分、监察对象对所受政务处分不服的申诉；对党风廉政建设和"
    "纪检监察工作的批评建议。\n"
    "不予受理：已经或者依法应当通过诉讼、仲裁、行政复议等途径解决的事项；"
    "属于其他机关职责范围的事项；没有具体事实、无法核查的反映。对业务范围外"
    "的问题，我们将告知您向有权处理的单位反映。")
DEFAULT_RIGHTS = (
    "检举控告人享有依法检举控告、受到保护、实名检举控告获得受理告知和处理"
    "结果反馈等权利；实名检举控告优先办理、优先处置。\n"
    "检举控告人应当如实反映问题，不得捏造、歪曲事实，不得诬告陷害他人；"
    "应当遵守法律法规和信访秩序，对反映的问题负责。")
DEFAULT_WARNING = (
    "诬告陷害是指故意捏造事实、伪造材料，意图使他人受到责任追究的行为。对"
    "诬告陷害者，将依规依纪依法严肃处理；涉嫌犯罪的，移送司法机关依法处理。"
    "对受到诬告错告的干部，纪检监察机关将及时澄清正名。")


class Configuration(metaclass=PoolMeta):
    __name__ = 'jubao.configuration'
    portal_scope_text = fields.Text("Scope of Acceptance",
        help="Shown on the public reporting page before the form.")
    portal_rights_text = fields.Text("Reporters' Rights and Duties")
    portal_warning_text = fields.Text("Warning against False Accusation")
    portal_letter_address = fields.Char("Letter Address")
    portal_reception = fields.Char("Reception Place and Hours")
    portal_phones = fields.Char("Reporting Phone Numbers")

    @classmethod
    def default_portal_scope_text(cls):
        return DEFAULT_SCOPE

    @classmethod
    def default_portal_rights_text(cls):
        return DEFAULT_RIGHTS

    @classmethod
    def default_portal_warning_text(cls):
        return DEFAULT_WARNING
