"The summary of the report a hand-off, supervision or clarification is about."
from trytond.model import fields
from trytond.pool import Pool
from trytond.transaction import without_check_access


class CaseSummaryMixin:
    "A list column with the summary of ``case``, under the report's rules."
    __slots__ = ()

    # No searcher: a search on it would tell the summary of a report the
    # user may not read, which the getter leaves empty
    case_summary = fields.Function(fields.Char("Summary"),
        'get_case_summary')

    @classmethod
    def get_case_summary(cls, records, name):
        Case = Pool().get('jubao.case')
        with without_check_access():
            summaries = {r.id: (r.case.id, r.case.summary)
                for r in cls.browse(records)}
        # Getters run without access checks: only the reports the user may
        # read show their summary.
        readable = Case._readable_ids(
            sorted({case for case, _ in summaries.values()}))
        return {record: summary if case in readable else None
            for record, (case, summary) in summaries.items()}
