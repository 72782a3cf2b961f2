"""Small builders for governance tests: every value a test asserts on is set by the test."""

from datetime import date

from governance.models import (
    BoardMeeting,
    BoardMember,
    Partner,
    Plan,
    PlanAction,
    PlanHeading,
    RiskArea,
    RiskAssessment,
)


def make_plan(title="2026–27", starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)) -> Plan:
    return Plan.objects.get_or_create(
        title=title, defaults={"starts_on": starts_on, "ends_on": ends_on}
    )[0]


def make_action(plan, reference="1.1", heading=1, due_on=date(2026, 9, 30), **extra) -> PlanAction:
    extra.setdefault("description", f"Invented action {reference}")
    return PlanAction.objects.create(
        plan=plan,
        reference=reference,
        heading=PlanHeading.objects.get(number=heading),
        due_on=due_on,
        **extra,
    )


def make_assessment(year=2026) -> RiskAssessment:
    return RiskAssessment.objects.get_or_create(year=year, defaults={"title": f"CTSRA {year}"})[0]


def make_area(assessment, title="Online radicalisation", **extra) -> RiskArea:
    values = {"likelihood": 4, "impact": 4, "rating": "high", "trend": "rising", **extra}
    return RiskArea.objects.create(assessment=assessment, title=title, **values)


def make_member(name="Ada Invented", partner_name="Kent Police") -> BoardMember:
    return BoardMember.objects.get_or_create(
        name=name, defaults={"partner": Partner.objects.get(name=partner_name)}
    )[0]


def make_meeting(held_on=date(2026, 7, 9)) -> BoardMeeting:
    return BoardMeeting.objects.get_or_create(held_on=held_on)[0]
