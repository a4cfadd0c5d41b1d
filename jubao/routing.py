"""Routing (分流) decision for reports, without any database.

The complaints office routes each accepted report by the management
authority of the reported person (分级负责、归口办理), the report's scope
and the kind of unit concerned.  The decision is a hand-off method and a
destination:

* ``direct``   径送  — sent up to the higher commission (cadres managed by a
  higher level; a report on the commission's own head goes straight up);
* ``internal`` 移送  — passed to an internal handling office (discipline
  inspection office), informing the case-management office;
* ``forward``  转送  — forwarded to the competent body: an out-of-scope
  report, or the out-of-scope part of a mixed one (业务范围内外交织) whose
  in-scope part is handled here;
* ``assign``   交办  — assigned to the street committee or stationed agency
  responsible for the cadre, with a deadline and a required result report;
* ``return``   退回  — a handling office sends a report back.

Rules are an ordered list of criteria (``None`` matches anything); the
first rule whose criteria all match wins.  The Tryton table
``jubao.routing.rule`` stores them and passes them here.
"""
from dataclasses import dataclass

__all__ = ['METHODS', 'TARGET_KINDS', 'Facts', 'Rule', 'Decision',
    'DEFAULT_RULES', 'decide', 'dominant_subject', 'kind_allowed',
    'allowed_kinds', 'unit_names', 'supervises_unit']

METHODS = ('direct', 'internal', 'forward', 'assign', 'return')

# Office kinds (jubao.office.kind) a hand-off of each method may go to.
TARGET_KINDS = {
    'direct': frozenset({'higher'}),
    'internal': frozenset({'commission_office'}),
    'forward': frozenset({'external', 'street', 'stationed'}),
    'assign': frozenset({'street', 'stationed'}),
    'return': frozenset({'commission_office'}),
    }

# Higher rank first: the subject that decides the routing of a report
# with several reported persons.
_AUTHORITY_RANK = {'city': 0, 'district': 1, 'street': 2, 'other': 3}


def allowed_kinds(method):
    "Office kinds a hand-off of ``method`` may go to."
    return TARGET_KINDS.get(method, frozenset())


def kind_allowed(method, kind):
    "Whether a hand-off of ``method`` may go to an office of ``kind``."
    return kind in allowed_kinds(method)


@dataclass(frozen=True)
class Facts:
    "What the routing depends on."
    authority: str | None = None        # city / district / street / other
    scope: str | None = None            # in_scope / out_of_scope / mixed
    is_commission_head: bool = False
    target_kind: str | None = None      # kind of the unit concerned:
    # 'stationed' when a stationed agency oversees the reported person's
    # unit or sector, else 'street' when the report names a street


@dataclass(frozen=True)
class Rule:
    "One routing rule; criteria left to ``None`` match anything."
    method: str
    destination_kind: str
    authority: str | None = None
    scope: str | None = None
    commission_head: bool | None = None
    target_kind: str | None = None
    destination: object = None          # a concrete office (id), optional
    key: object = None                  # caller's identifier of the rule

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}")
        if not kind_allowed(self.method, self.destination_kind):
            raise ValueError(
                f"{self.method} cannot go to a {self.destination_kind} unit")

    def matches(self, facts):
        if (self.authority is not None
                and self.authority != facts.authority):
            return False
        if self.scope is not None and self.scope != facts.scope:
            return False
        if (self.commission_head is not None
                and bool(self.commission_head)
                != bool(facts.is_commission_head)):
            return False
        if (self.target_kind is not None
                and self.target_kind != facts.target_kind):
            return False
        return True


@dataclass(frozen=True)
class Decision:
    method: str
    destination_kind: str
    destination: object = None
    rule: object = None


# The defaults of the Rules (Art. 11, 14-16), most specific first.  The
# Tryton module ships them as the records ``routing_rule_<key>`` of
# addons/jubao_routing/rule.xml; its tests prove both lists agree.
DEFAULT_RULES = (
    # A report on the commission's own head goes straight up (Art. 15).
    Rule('direct', 'higher', commission_head=True, key='head'),
    # Out of scope: forwarded to the competent body (Art. 16).
    Rule('forward', 'external', scope='out_of_scope', key='out_of_scope'),
    # Cadres managed by a higher level: sent up within 5 working days.
    Rule('direct', 'higher', authority='city', key='higher'),
    # Cadres the district Party committee manages (street Party
    # secretaries, heads of district departments) are handled by the
    # commission itself, never assigned to the unit they lead (Art. 11).
    Rule('internal', 'commission_office', authority='district',
        key='district'),
    # Cadres a stationed agency or a street committee is responsible for
    # are assigned to it with a result report (交办).
    Rule('assign', 'stationed', target_kind='stationed', key='stationed'),
    Rule('assign', 'street', target_kind='street', key='street'),
    # A lower-level cadre whose unit the system cannot place still goes to
    # a street; the proposal says that the destination is missing.
    Rule('assign', 'street', authority='street', key='lower'),
    # Everything else in the district's remit: internal handling office.
    Rule('internal', 'commission_office', key='internal'),
    )


def decide(facts, rules=DEFAULT_RULES):
    """Return the ``Decision`` of the first matching rule, or ``None``.

    ``rules`` must already be in priority order.
    """
    for rule in rules:
        if rule.matches(facts):
            return Decision(rule.method, rule.destination_kind,
                rule.destination, rule.key)
    return None


def dominant_subject(subjects):
    """Pick the reported person that decides the routing.

    ``subjects`` are objects or mappings with ``authority`` and
    ``is_commission_head``; the commission's head wins, then the highest
    management authority.  Returns ``None`` for an empty list.
    """
    def get(subject, name):
        if isinstance(subject, dict):
            return subject.get(name)
        return getattr(subject, name, None)

    best, best_key = None, None
    for subject in subjects:
        key = (0 if get(subject, 'is_commission_head') else 1,
            _AUTHORITY_RANK.get(get(subject, 'authority'), 4))
        if best_key is None or key < best_key:
            best, best_key = subject, key
    return best



def unit_names(text):
    "The unit names of a one-name-a-line list, blank lines left out."
    return [n.strip() for n in (text or '').splitlines() if n.strip()]


def supervises_unit(supervised_units, unit):
    """Whether a unit of the list ``supervised_units`` (one name a line)
    is ``unit`` or contains it: a department covers its own sections
    (``区教育局`` covers ``区教育局基础教育科``)."""
    unit = (unit or '').strip()
    return bool(unit) and any(
        unit.startswith(n) for n in unit_names(supervised_units))
