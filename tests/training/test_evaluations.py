from datetime import date

import pytest
from django.core.management import CommandError, call_command

from prevent_portal.audit.models import AuditEvent
from tests.training.helpers import evaluate, make_session
from training.models import Evaluation
from training.selectors import evaluation_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(reference_data):
    return make_session(on=date(2026, 5, 1))


def test_one_evaluation_is_added_from_the_session_page(client_as, session):
    client = client_as("education")
    page = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert f'action="/training/sessions/{session.pk}/evaluations/add/"' in page
    response = client.post(
        f"/training/sessions/{session.pk}/evaluations/add/",
        {"met_expectations": "exceeded", "value_to_role": "extremely",
         "comment": "Clear and useful", "quotable": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.met_expectations, evaluation.value_to_role) == ("exceeded", "extremely")
    assert evaluation.quotable is True
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.CREATE, target_id=str(session.pk), summary__contains="evaluation"
    ).exists()


def test_a_missing_answer_is_an_error_and_saves_nothing(client_as, session):
    response = client_as("education").post(
        f"/training/sessions/{session.pk}/evaluations/add/", {"met_expectations": "met"}
    )
    assert response.status_code == 200
    assert "Select how valuable it is to their role" in response.content.decode()
    assert not Evaluation.objects.exists()


def _batch(rows, total=10):
    data = {"form-TOTAL_FORMS": str(total), "form-INITIAL_FORMS": "0",
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "50"}  # fmt: skip
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def test_the_batch_table_offers_ten_rows_and_skips_blank_ones(client_as, session):
    client = client_as("coordinator")
    page = client.get(f"/training/sessions/{session.pk}/evaluations/batch/").content.decode()
    assert page.count('name="form-9-met_expectations"') == 1
    response = client.post(
        f"/training/sessions/{session.pk}/evaluations/batch/",
        _batch([
            {"met_expectations": "met", "value_to_role": "very"},
            {},
            {"met_expectations": "did_not_meet", "value_to_role": "slightly",
             "comment": "Too long"},
        ]),
    )  # fmt: skip
    assert response.status_code == 302
    assert sorted(Evaluation.objects.values_list("met_expectations", flat=True)) == [
        "did_not_meet",
        "met",
    ]


def test_a_half_filled_batch_row_is_an_error_and_nothing_is_saved(client_as, session):
    response = client_as("coordinator").post(
        f"/training/sessions/{session.pk}/evaluations/batch/",
        _batch([{"met_expectations": "met", "value_to_role": "very"},
                {"comment": "No answers"}]),
    )  # fmt: skip
    assert response.status_code == 200
    assert "Row 2: Select whether the session met expectations" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_an_empty_batch_asks_for_one_evaluation(client_as, session):
    response = client_as("coordinator").post(
        f"/training/sessions/{session.pk}/evaluations/batch/", _batch([])
    )
    assert "Enter at least one evaluation" in response.content.decode()


def test_deleting_an_evaluation_confirms_first(client_as, session):
    (evaluation,) = evaluate(session, ("met", "very"))
    client = client_as("coordinator")
    assert client.get(f"/training/evaluations/{evaluation.pk}/delete/").status_code == 200
    assert Evaluation.objects.exists()
    client.post(f"/training/evaluations/{evaluation.pk}/delete/")
    assert not Evaluation.objects.exists()
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.DELETE).count() == 1


def test_the_summary_gives_percentages_per_course_and_overall(reference_data):
    awareness = make_session(course_title="Prevent Awareness")
    bespoke = make_session(course_title=None, bespoke_title="Housing forum")
    evaluate(awareness, ("met", "very"), ("exceeded", "moderately"),
             ("did_not_meet", "slightly"), ("exceeded", "extremely"))  # fmt: skip
    evaluate(bespoke, ("met", "not_at_all"))
    rows, overall = evaluation_summary()
    by_title = {row.title: row.figures for row in rows}
    assert by_title["Prevent Awareness"].n == 4
    assert by_title["Prevent Awareness"].met_or_exceeded_percent == 75.0
    assert by_title["Prevent Awareness"].very_or_extremely_percent == 50.0
    assert by_title["Other bespoke input"].very_or_extremely_percent == 0.0
    assert by_title["School massacre ideology"].n == 0
    assert by_title["School massacre ideology"].met_or_exceeded_percent is None
    assert (overall.n, overall.met_or_exceeded, overall.very_or_extremely) == (5, 4, 2)


def test_the_summary_page_shows_the_overall_figures(client_as, session):
    evaluate(session, ("met", "very"), ("did_not_meet", "very"), ("met", "slightly"))
    text = client_as("education").get("/training/evaluations/").content.decode()
    assert "66.7% felt the training met or exceeded their expectations" in text
    assert "(3 evaluations)" in text


# --------------------------------------------------------------------------------------
# import_evaluations
# --------------------------------------------------------------------------------------


def write(tmp_path, text: str, name="evaluations.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_evaluations_adds_every_row(tmp_path, session, capsys):
    path = write(tmp_path,
        "Session,Met_Expectations,Value_To_Role,Comment,Quotable\n"
        f"{session.reference},Exceeded,Very,Great,yes\n"
        f"{session.reference.lower()},did not meet,NOT AT ALL,,\n"
        f"{session.reference},met,Extremely,\"Commas, fine\",no\n",
    )  # fmt: skip
    call_command("import_evaluations", str(path))
    assert "Imported 3 evaluations" in capsys.readouterr().out
    rows = list(Evaluation.objects.values_list("met_expectations", "value_to_role", "quotable"))
    assert rows == [
        ("exceeded", "very", True),
        ("did_not_meet", "not_at_all", False),
        ("met", "extremely", False),
    ]
    assert (
        AuditEvent.objects.filter(
            verb=AuditEvent.Verb.IMPORT, target_type="training.evaluation"
        ).count()
        == 1
    )


def test_import_evaluations_reports_every_bad_row_and_imports_nothing(tmp_path, session, capsys):
    path = write(tmp_path,
        "session,met_expectations,value_to_role,comment\n"
        f"{session.reference},met,very,ok\n"
        "TS-1999-0001,met,very,unknown session\n"
        f"{session.reference},brilliant,very,bad label\n"
        f"{session.reference},met,,missing value\n",
    )  # fmt: skip
    with pytest.raises(CommandError, match="3 row"):
        call_command("import_evaluations", str(path))
    err = capsys.readouterr().err
    assert "Line 3: “TS-1999-0001” is not the reference of a session" in err
    assert "Line 4: met_expectations must be" in err
    assert "Line 5: value_to_role must be" in err
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The selected file is empty"),
        (b"session,met_expectations\nTS-2026-0001,met\n", "missing the column"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "must be a CSV"),
    ],
)
def test_import_evaluations_refuses_unreadable_files(tmp_path, session, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("import_evaluations", str(path))
    assert not Evaluation.objects.exists()
