"""Who may open each education page (see tests/test_url_walk.py)."""

EDUCATION = {"coordinator", "chair", "education"}

EXPECTED = {
    f"education:{name}": EDUCATION
    for name in (
        "index",
        "setting-list",
        "setting-create",
        "setting-import",
        "setting-import-confirm",
        "setting-detail",
        "setting-edit",
        "session-list",
        "session-create",
        "session-export",
        "session-import",
        "session-detail",
        "session-edit",
        "session-delete",
        "enquiry-list",
        "enquiry-create",
        "enquiry-edit",
        "newsletter-list",
        "newsletter-create",
        "newsletter-edit",
    )
}


def url_kwargs():
    from datetime import date

    from education.models import (
        AudienceCategory,
        Enquiry,
        Newsletter,
        OutreachSession,
        PendingImport,
        Setting,
    )
    from governance.models import District
    from tests.conftest import make_user

    setting, _ = Setting.objects.get_or_create(
        urn=990001,
        defaults={"name": "Walkthrough Primary School", "district": District.objects.first()},
    )
    peo = make_user("walk-peo", "education")
    session = OutreachSession.objects.create(
        date=date(2026, 3, 4),
        peo=peo,
        audience=AudienceCategory.objects.get_or_create(
            name="Primary school staff", defaults={"position": 1}
        )[0],
        attendees=12,
        format="virtual",
        topic="Walkthrough topic",
    )
    session.settings.add(setting)
    enquiry = Enquiry.objects.create(
        date=date(2026, 3, 5), setting=setting, asked_by_role="Head of Year", topic="Advice"
    )
    newsletter = Newsletter.objects.create(
        issue_date=date(2026, 3, 1), title="March issue", settings_count=250
    )
    pending = PendingImport.objects.create(
        uploaded_by=peo,
        sha256="0" * 64,
        kind="simple",
        rows=[{"urn": 990002, "name": "Pending School", "phase": "Primary", "district_id": None}],
    )
    return {
        "education:setting-detail": {"pk": setting.pk},
        "education:setting-edit": {"pk": setting.pk},
        "education:setting-import-confirm": {"pk": pending.pk},
        "education:session-detail": {"pk": session.pk},
        "education:session-edit": {"pk": session.pk},
        "education:session-delete": {"pk": session.pk},
        "education:enquiry-edit": {"pk": enquiry.pk},
        "education:newsletter-edit": {"pk": newsletter.pk},
    }
