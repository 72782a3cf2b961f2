"""The subject access bundle: everything held about one person, item by item, with the
third-party information flagged for the reviewer (docs/security.md §14).

`build_bundle` gathers the records of every app in a fixed number of queries and marks
the items that need a decision before release:

- third-party information: the referrer's identity (name, role, organisation, contact),
  the police reference and what the police gateway recorded, escalations back to the
  police; released only when the reviewer says so;
- free text, which may name other people (that cannot be detected): "review for
  third-party information".

The bundle is built on demand from the records and the reviewer's decisions: nothing is
stored that a disposal would have to remove. `zip_bundle` makes the released files: one
PDF and one CSV per section, with every flagged item not marked "release" replaced by
REDACTED_TEXT.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from casework.choices import RiskKind
from casework.models import CaseNote, ConsentRecord, Intervention, RiskFlag
from channel.models import AgendaItem, PanelAction
from disclosures.choices import Decision, Flag
from disclosures.models import DisclosureEntry, SubjectAccessRequest
from documents.models import Document
from governance.selectors import partnership_name
from prevent_portal.audit.models import AuditEvent
from prevent_portal.files.storage import read_stored
from prevent_portal.files.types import ALLOWED
from prevent_portal.ui.exports import safe_cell
from prevent_portal.ui.pdf import render_pdf
from referrals.choices import ReferralStatus
from referrals.models import ConcernType, Referral, ReferralEvent
from referrals.selectors import referrals_visible_to
from retention.models import Disposal, LegalHold
from vaf.models import Assessment, Rating
from worklist.models import Task

REDACTED_TEXT = "[Redacted: third-party information]"
REFERRER_FIELDS = ("referrer_name", "referrer_role", "referrer_organisation", "referrer_contact")


@dataclass
class Cell:
    label: str
    value: str
    key: str = ""  # "<model label>:<pk>:<field>" when flagged
    flag: str = ""  # a Flag value, or "" for an item released as it is
    why: str = ""
    decision: str = ""  # the reviewer's decision, "" while undecided
    note: str = ""

    @property
    def released(self) -> str:
        """The value as released: flagged items not marked "release" are redacted."""
        if self.flag and self.decision != Decision.RELEASE:
            return REDACTED_TEXT
        return self.value


@dataclass
class Section:
    key: str  # the CSV file's name
    title: str
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [cell.label for cell in self.rows[0]] if self.rows else []

    @property
    def has_flags(self) -> bool:
        return any(cell.flag for row in self.rows for cell in row)


@dataclass
class Bundle:
    request: SubjectAccessRequest
    sections: list[Section]
    # Referrals of the person outside the reviewer's scope: the bundle would be incomplete.
    hidden_referrals: int = 0

    @property
    def cells(self):
        return [cell for section in self.sections for row in section.rows for cell in row]

    @property
    def flagged(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.flag]

    @property
    def undecided(self) -> list[Cell]:
        return [cell for cell in self.flagged if not cell.decision]

    @property
    def item_count(self) -> int:
        return sum(len(section.rows) for section in self.sections)


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%-d %B %Y %H:%M" if hasattr(value, "hour") else "%-d %B %Y")
    return str(value)


def _user(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _key(record, name: str) -> str:
    return f"{record._meta.label_lower}:{record.pk}:{name}"


class _Builder:
    def __init__(self, decisions: dict):
        self.decisions = decisions

    def plain(self, label, value) -> Cell:
        return Cell(label, _text(value))

    def flagged(self, label, record, name, value, *, flag, why) -> Cell:
        text = _text(value)
        if not text.strip():
            return Cell(label, text)  # nothing to redact
        key = _key(record, name)
        decision, note = self.decisions.get(key, ("", ""))
        return Cell(label, text, key=key, flag=flag, why=why, decision=decision, note=note)

    def third_party(self, label, record, name, why, value=None):
        value = getattr(record, name) if value is None else value
        return self.flagged(label, record, name, value, flag=Flag.THIRD_PARTY, why=why)

    def free_text(self, label, record, name, value=None):
        value = getattr(record, name) if value is None else value
        return self.flagged(
            label, record, name, value, flag=Flag.REVIEW, why="Free text: may name other people"
        )


def build_bundle(request: SubjectAccessRequest, *, user) -> Bundle:
    """Everything held about the request's person that `user` may see, with flags and
    the decisions recorded so far. Audit events and disclosures are taken up to the
    release, so a released bundle does not grow with its own downloads."""
    person = request.person
    decisions = {d.item_key: (d.decision, d.note) for d in request.decisions.all()}
    b = _Builder(decisions)
    until = request.released_at or timezone.now()
    visible = referrals_visible_to(user).filter(person=person)
    referrals = list(
        visible.select_related("sector", "primary_concern", "outcome", "case_manager")
        .prefetch_related(
            Prefetch("concern_types", queryset=ConcernType.objects.order_by("position"))
        )
        .order_by("date_received", "reference")
    )
    hidden = Referral.objects.filter(person=person).exclude(pk__in=visible).count()
    ref_of = {r.pk: r.reference for r in referrals}
    ids = list(ref_of)
    sections = [
        Section(
            "person",
            "The person",
            [
                [
                    b.plain("Given names", person.given_names),
                    b.plain("Family name", person.family_name),
                    b.plain("Date of birth", person.date_of_birth),
                    b.plain("Approximate age", person.approximate_age),
                    b.plain("Sex", person.sex.name),
                    b.plain("Address", person.address),
                    b.plain("District", person.district.name if person.district else ""),
                    b.plain("Nationality", person.nationality),
                    b.plain("First language", person.first_language),
                    b.plain("Education or employment setting", person.setting),
                    b.plain("Record created", person.created_at),
                ]
            ],
        ),
        Section(
            "referrals",
            "Referrals",
            [
                [
                    b.plain("Reference", r.reference),
                    b.plain("Date received", r.date_received),
                    b.plain("Status", r.get_status_display()),
                    b.plain("Outcome", r.outcome.name if r.outcome else ""),
                    b.plain("Sector of referral", r.sector.name),
                    b.plain("Types of concern", ", ".join(c.name for c in r.concern_types.all())),
                    b.plain("Main type of concern", r.primary_concern.name),
                    b.plain("The person knows of the referral", r.get_person_aware_display()),
                    b.third_party("Referrer's name", r, "referrer_name", "The referrer's identity"),
                    b.third_party("Referrer's role", r, "referrer_role", "The referrer's identity"),
                    b.third_party(
                        "Referrer's organisation",
                        r,
                        "referrer_organisation",
                        "The referrer's identity",
                    ),
                    b.third_party(
                        "Referrer's contact", r, "referrer_contact", "The referrer's identity"
                    ),
                    b.third_party(
                        "Police or national reference", r, "police_reference", "Police information"
                    ),
                    b.free_text("Concerns", r, "concerns"),
                    b.free_text("Complex needs", r, "complex_needs"),
                    b.free_text("Other information", r, "other_information"),
                    b.plain("Case manager", _user(r.case_manager)),
                    b.plain("Left the process", r.left_process_on),
                    b.plain("Disposal review due", r.disposal_due_on),
                ]
                for r in referrals
            ],
        ),
        Section("history", "History of each referral", _history(b, ids, ref_of)),
        *_assessments(b, ids, ref_of),
        *_panel(b, ids, ref_of),
        Section("consent", "Consent", _consent(b, ids, ref_of)),
        Section("support", "Support plan and interventions", _support(b, ids, ref_of)),
        Section("notes", "Case notes", _notes(b, ids, ref_of)),
        Section("risk", "Risk flags and escalations", _risks(b, ids, ref_of)),
        Section("tasks", "Tasks", _tasks(b, ids, ref_of)),
        Section("documents", "Documents", _documents(b, ids, ref_of)),
        Section("retention", "Retention", _retention(b, referrals)),
        Section("disclosures", "Disclosure log", _disclosures(b, person, until)),
    ]
    sections.append(
        Section("access", "Who viewed or changed these records", _audit(b, request, ids, until))
    )
    return Bundle(request=request, sections=sections, hidden_referrals=hidden)


def _history(b, ids, ref_of):
    rows = []
    events = ReferralEvent.objects.filter(referral_id__in=ids).select_related("actor")
    for e in events.order_by("referral__date_received", "occurred_on", "id"):
        police = e.from_status == ReferralStatus.POLICE_GATEWAY
        reason = (
            b.third_party("Reason", e, "reason", "Police information (the gateway assessment)")
            if police
            else b.free_text("Reason", e, "reason")
        )
        rows.append(
            [
                b.plain("Referral", ref_of[e.referral_id]),
                b.plain("Date", e.occurred_on),
                b.plain("From", e.get_from_status_display()),
                b.plain("To", e.get_to_status_display()),
                reason,
                b.free_text("Signposted to", e, "signposted_to", e.signposted_to),
                b.plain("Recorded by", _user(e.actor)),
            ]
        )
    return rows


def _assessments(b, ids, ref_of):
    assessments = list(
        Assessment.objects.filter(referral_id__in=ids)
        .select_related("framework", "assessor")
        .order_by("assessed_on", "created_at")
    )
    ratings = (
        Rating.objects.filter(assessment__in=assessments)
        .select_related("factor", "level", "assessment")
        .order_by("assessment__assessed_on", "assessment_id", "factor__position")
    )
    return [
        Section(
            "vaf-assessments",
            "Vulnerability Assessment Framework assessments",
            [
                [
                    b.plain("Referral", ref_of[a.referral_id]),
                    b.plain("Date", a.assessed_on),
                    b.plain("Framework", str(a.framework)),
                    b.plain("Status", a.get_status_display()),
                    b.plain("Assessor", _user(a.assessor)),
                    b.free_text("Summary", a, "summary"),
                    b.free_text("Management plan", a, "management_plan"),
                ]
                for a in assessments
            ],
        ),
        Section(
            "vaf-ratings",
            "Vulnerability Assessment Framework ratings",
            [
                [
                    b.plain("Referral", ref_of[r.assessment.referral_id]),
                    b.plain("Assessment date", r.assessment.assessed_on),
                    b.plain("Factor", f"{r.factor.position}. {r.factor.wording}"),
                    b.plain("Rating", r.level.label if r.level else "Not rated"),
                    b.free_text("Note", r, "note"),
                ]
                for r in ratings
            ],
        ),
    ]


def _panel(b, ids, ref_of):
    items = list(
        AgendaItem.objects.filter(referral_id__in=ids)
        .select_related("meeting")
        .order_by("meeting__meeting_date", "id")
    )
    actions = PanelAction.objects.filter(agenda_item__in=items).select_related(
        "meeting", "agenda_item"
    )
    return [
        Section(
            "panel-decisions",
            "Channel panel decisions",
            [
                [
                    b.plain("Referral", ref_of[i.referral_id]),
                    b.plain("Panel", i.meeting.meeting_date),
                    b.plain("Decision", i.get_decision_display() or "Not decided"),
                    b.plain("Onward route", i.get_onward_route_display()),
                    b.free_text("Signposted to", i, "signposted_to"),
                    b.free_text("Reason or notes", i, "reason"),
                    b.plain("Decided on", i.decided_on),
                ]
                for i in items
            ],
        ),
        Section(
            "panel-actions",
            "Channel panel actions",
            [
                [
                    b.plain("Referral", ref_of[a.agenda_item.referral_id]),
                    b.plain("Panel", a.meeting.meeting_date),
                    b.free_text("Action", a, "description"),
                    b.plain("Owner", a.owner),
                    b.plain("Due", a.due_on),
                    b.plain("Done", a.done_on),
                ]
                for a in actions.order_by("due_on", "id")
            ],
        ),
    ]


def _consent(b, ids, ref_of):
    records = ConsentRecord.objects.filter(referral_id__in=ids).select_related("recorded_by")
    return [
        [
            b.plain("Referral", ref_of[c.referral_id]),
            b.plain("Date", c.decided_on),
            b.plain("Decision", c.get_decision_display()),
            b.plain("Who gave it", c.get_given_by_display()),
            b.third_party(
                "Name of who gave it", c, "given_by_name", "Another person's name (parent or carer)"
            )
            if c.given_by != "person"
            else b.plain("Name of who gave it", c.given_by_name),
            b.free_text("Note", c, "note"),
            b.plain("Recorded by", _user(c.recorded_by)),
        ]
        for c in records.order_by("decided_on", "recorded_at")
    ]


def _support(b, ids, ref_of):
    interventions = Intervention.objects.filter(plan__referral_id__in=ids).select_related(
        "plan", "kind", "provider"
    )
    return [
        [
            b.plain("Referral", ref_of[i.plan.referral_id]),
            b.plain("Type", i.kind.name),
            b.plain("Provider", i.provider.name),
            b.free_text("Goal", i, "goal"),
            b.plain("Start", i.starts_on),
            b.plain("End", i.ends_on),
            b.plain("Sessions", i.sessions),
            b.free_text("Outcome", i, "outcome"),
        ]
        for i in interventions.order_by("starts_on", "created_at")
    ]


def _notes(b, ids, ref_of):
    notes = CaseNote.objects.filter(referral_id__in=ids).select_related("author")
    return [
        [
            b.plain("Referral", ref_of[n.referral_id]),
            b.plain("Contact", timezone.localtime(n.contact_at)),
            b.plain("Kind", n.get_kind_display()),
            b.free_text("Note", n, "text"),
            b.plain("Corrects an earlier note", "Yes" if n.corrects_id else "No"),
            b.plain("Author", _user(n.author)),
        ]
        for n in notes.order_by("contact_at", "recorded_at")
    ]


def _risks(b, ids, ref_of):
    rows = []
    flags = RiskFlag.objects.filter(referral_id__in=ids).select_related("raised_by")
    for f in flags.order_by("raised_on", "created_at"):
        police = f.kind == RiskKind.POLICE_LED
        why = "Police information"
        rows.append(
            [
                b.plain("Referral", ref_of[f.referral_id]),
                b.plain("Kind", f.get_kind_display()),
                b.plain("Date", f.raised_on),
                b.plain("To whom", f.to_whom),
                b.third_party("Reason", f, "reason", why)
                if police
                else b.free_text("Reason", f, "reason"),
                b.third_party("Outcome", f, "outcome", why)
                if police
                else b.free_text("Outcome", f, "outcome"),
                b.plain("Closed on", f.closed_on),
            ]
        )
    return rows


def _tasks(b, ids, ref_of):
    tasks = Task.objects.filter(referral_id__in=ids).select_related("assigned_to")
    return [
        [
            b.plain("Referral", ref_of[t.referral_id]),
            b.free_text("Task", t, "title") if t.is_manual else b.plain("Task", t.title),
            b.plain("Due", t.due_on),
            b.plain("Status", t.get_status_display()),
            b.plain("Completed on", t.completed_on),
            b.plain("Assigned to", _user(t.assigned_to)),
        ]
        for t in tasks.order_by("due_on", "created_at")
    ]


FILE_FIELD = "file"


def _documents(b, ids, ref_of):
    """Each document is listed; its file is an item of its own that the reviewer
    releases (the file goes in the bundle) or not (it is listed only)."""
    documents = Document.objects.filter(referral_id__in=ids).select_related("kind", "uploaded_by")
    return [
        [
            b.plain("Referral", ref_of[d.referral_id]),
            b.plain("Title", d.title),
            b.plain("Type", d.kind.name),
            b.plain("Date of the document", d.dated_on),
            b.plain("Added", timezone.localtime(d.uploaded_at)),
            b.plain("Added by", _user(d.uploaded_by)),
            b.free_text("Note", d, "note"),
            b.flagged(
                "File",
                d,
                FILE_FIELD,
                f"{d.original_name} ({d.format_label}, {d.size_label})",
                flag=Flag.REVIEW,
                why="The file itself, which may hold third-party information: release it "
                "to include the file in the bundle, redact it to list the document only",
            ),
        ]
        for d in documents.order_by("dated_on", "uploaded_at")
    ]


def released_document_files(bundle: "Bundle") -> dict[str, bytes]:
    """The files of the documents whose "File" item the reviewer released, named by
    number and type (never by title or original name, which may name someone)."""
    label = Document._meta.label_lower
    wanted = [
        cell.key.split(":")[1]
        for section in bundle.sections
        if section.key == "documents"
        for row in section.rows
        for cell in row
        if cell.key.startswith(f"{label}:")
        and cell.key.endswith(f":{FILE_FIELD}")
        and cell.decision == Decision.RELEASE
    ]
    if not wanted:
        return {}
    documents = Document.objects.filter(
        pk__in=wanted, referral__person_id=bundle.request.person_id
    ).select_related("kind")
    files = {}
    for number, document in enumerate(documents.order_by("dated_on", "uploaded_at"), start=1):
        kind = ALLOWED.get(document.content_type)
        extension = kind.extensions[0] if kind else ""
        files[f"documents/{number:02d}-{document.kind.code}{extension}"] = read_stored(
            document.stored_name
        )
    return files


def _retention(b, referrals):
    ids = [r.pk for r in referrals]
    disposals = {}
    for d in Disposal.objects.filter(referral_id__in=ids).order_by("proposed_at"):
        disposals[d.referral_id] = d
    holds = set(
        LegalHold.objects.filter(referral_id__in=ids, lifted_at__isnull=True).values_list(
            "referral_id", flat=True
        )
    )
    return [
        [
            b.plain("Referral", r.reference),
            b.plain("Left the process", r.left_process_on),
            b.plain("Disposal review due", r.disposal_due_on),
            b.plain("Legal hold", "Yes" if r.pk in holds else "No"),
            b.plain(
                "Disposal",
                disposals[r.pk].get_status_display() if r.pk in disposals else "None proposed",
            ),
        ]
        for r in referrals
    ]


def _disclosures(b, person, until):
    entries = (
        DisclosureEntry.objects.filter(person=person, recorded_at__lte=until)
        .select_related("referral", "agreement")
        .order_by("shared_on", "recorded_at")
    )
    return [
        [
            b.plain("Referral", e.referral.reference if e.referral_id else ""),
            b.plain("Date shared", e.shared_on),
            b.plain("What was shared", e.what_shared),
            b.plain("Shared with", e.recipient_organisation),
            b.plain("Recipient's role", e.recipient_role),
            b.plain("Why", e.purpose),
            b.plain("Lawful basis", e.get_lawful_basis_display()),
            b.plain("Agreement", e.agreement.title if e.agreement_id else ""),
            b.plain("How", e.get_method_display()),
        ]
        for e in entries
    ]


def _audit(b, request, ids, until):
    """The audit events about the person's records: who viewed or changed them, when."""

    def pks(model, **lookup):
        return model.objects.filter(**lookup).values_list("pk", flat=True)

    targets = {
        "referrals.person": [request.person_id],
        "referrals.referral": ids,
        "vaf.assessment": pks(Assessment, referral_id__in=ids),
        "casework.consentrecord": pks(ConsentRecord, referral_id__in=ids),
        "casework.intervention": pks(Intervention, plan__referral_id__in=ids),
        "casework.casenote": pks(CaseNote, referral_id__in=ids),
        "casework.riskflag": pks(RiskFlag, referral_id__in=ids),
        "worklist.task": pks(Task, referral_id__in=ids),
        "disclosures.disclosureentry": pks(DisclosureEntry, person_id=request.person_id),
        "documents.document": pks(Document, referral_id__in=ids),
    }
    condition = Q()
    for label, keys in targets.items():
        # The log keeps ids as text.
        condition |= Q(target_type=label, target_id__in=[str(pk) for pk in keys])
    events = AuditEvent.objects.filter(condition, occurred_at__lte=until).order_by(
        "occurred_at", "id"
    )
    return [
        [
            b.plain("When", timezone.localtime(e.occurred_at)),
            b.plain("Who", e.actor_username),
            b.plain("What", e.get_verb_display()),
            b.plain("Summary", e.summary),
        ]
        for e in events.only("occurred_at", "actor_username", "verb", "summary")
    ]


def bundle_files(bundle: Bundle, *, producer: str) -> dict[str, bytes]:
    """The released files: bundle.pdf and one CSV per section, redactions applied, and
    the files of the documents the reviewer released."""
    files = {"subject-access-bundle.pdf": bundle_pdf(bundle, producer=producer)}
    for number, section in enumerate(bundle.sections, start=1):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([safe_cell(label) for label in section.columns])
        for row in section.rows:
            writer.writerow([safe_cell(cell.released) for cell in row])
        files[f"{number:02d}-{section.key}.csv"] = buffer.getvalue().encode("utf-8")
    files |= released_document_files(bundle)
    return files


def bundle_pdf(bundle: Bundle, *, producer: str) -> bytes:
    return render_pdf(
        "disclosures/bundle_pdf.html",
        {
            "bundle": bundle,
            "request": bundle.request,
            "producer": producer,
            "produced_at": timezone.localtime(),
            "partnership": partnership_name() or "Prevent partnership",
        },
    )


def zip_bundle(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
