"""What the fuzz tests of every app share (docs/security.md §21).

A fuzz test reads the form a page really shows (its field names, the options of its
selects, radios and checkboxes, its hidden version and token fields), then posts values
that hypothesis draws for those fields: the valid-looking value, or empty, very long,
unicode, control characters, NUL bytes, numbers out of every range, impossible dates,
UUIDs, the ids of other rows, several values for a single field, or the field left out.
Usually all fields but one are valid, so that each field's checks are reached on their
own; sometimes several are broken at once; sometimes none.

Each post must answer without a server error. A refusal (anything but a redirect) must
leave the database exactly as it was: every row of every model of the apps concerned
(so the target record's fields too) and the count of change events in the audit log.
A refusal shown as a page (200) must carry the GOV.UK error summary.
"""

import csv
import importlib
import io
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from prevent_portal.audit.models import AuditEvent

# Examples per form: a modest number keeps the suite fast (about a hundred forms);
# FUZZ_EXAMPLES=200 makes a thorough run.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Change events only: a refused form may still log that a case page was viewed.
CHANGE_VERBS = [
    AuditEvent.Verb.CREATE,
    AuditEvent.Verb.UPDATE,
    AuditEvent.Verb.RETIRE,
    AuditEvent.Verb.RESTORE,
    AuditEvent.Verb.DELETE,
    AuditEvent.Verb.IMPORT,
]

OMIT = object()  # the field is left out of the post altogether
CURRENT = object()  # the value the form shows now (a version moves on after each save)

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
CONTROL = st.text(
    alphabet=st.sampled_from("\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u2028\u202e\ufeff\r\n\t"),
    min_size=1,
    max_size=6,
)
LONG = st.builds(
    lambda piece, times: piece * times,
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=3),
    st.integers(min_value=100, max_value=2000),
)
NUMBER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.integers(min_value=-3, max_value=400).map(str),
    st.sampled_from(["1e309", "NaN", "-inf", "1.5", "0x10", "٣", "1_000", " 7 "]),
)
DATE = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "2026-02-30",
            "31/12/2025",
            "0000-00-00",
            "9999-12-31",
            "2026-13-01",
            "-1",
            "2026-03-15T25:61",
        ]
    ),
)
UUID = st.uuids().map(str)


def junk(other_ids):
    choices = [st.just(""), TEXT, CONTROL, LONG, NUMBER, DATE, UUID]
    if other_ids:
        choices.append(st.sampled_from(other_ids))
    return st.one_of(*choices)


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, hidden, select, radio, checkbox, submit, file, number, ...
    value: str = ""
    options: list = field(default_factory=list)
    multiple: bool = False


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []  # [(action, {name: Field})]
        self._fields = None
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._fields = {}
            self.forms.append((attrs.get("action") or "", self._fields))
        if self._fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value") or ""
            known = self._fields.get(name)
            if kind in ("checkbox", "radio", "submit"):
                if known is None:
                    known = self._fields[name] = Field(name, kind)
                known.options.append(value or "on")
                known.multiple = known.multiple or (kind == "checkbox" and len(known.options) > 1)
                if "checked" in attrs:
                    known.value = value or "on"
            elif known is None:
                self._fields[name] = Field(name, kind, value)
        elif tag == "button" and name:
            known = self._fields.setdefault(name, Field(name, "submit"))
            known.options.append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = self._fields[name] = Field(name, "select", multiple="multiple" in attrs)
        elif tag == "option" and self._select is not None:
            self._option = attrs.get("value")
            if "selected" in attrs and self._option is not None:
                self._select.value = self._option
        elif tag == "textarea" and name:
            self._textarea = self._fields[name] = Field(name, "textarea")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._select is not None and self._option is not None:
            self._select.options.append(self._option)
            self._option = None
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def forms_on(html: str):
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_for(html: str, page_url: str, post_url: str, *, missing_ok=False) -> dict | None:
    """The fields of the form on the page that posts to post_url."""
    page, target = urlsplit(page_url).path, urlsplit(post_url).path
    found = [
        fields for action, fields in forms_on(html) if (urlsplit(action).path or page) == target
    ]
    if not found and missing_ok:
        return None
    assert found, f"no form posting to {post_url} on {page_url}"
    return found[0]


def _plausible(item: Field):
    """A value the form would accept if every other field were right too."""
    name = item.name.lower()
    if item.kind in ("select", "radio", "submit"):
        options = [option for option in item.options if option != ""] or item.options or [""]
        return st.sampled_from(options)
    if item.kind == "checkbox":
        if item.multiple:
            return st.lists(st.sampled_from(item.options), unique=True, max_size=3)
        return st.sampled_from([item.options[0], OMIT])
    if item.value or item.kind == "hidden":
        return st.just(CURRENT)
    if item.kind == "date" or name.endswith(("date", "_on")):
        return st.sampled_from(["2026-03-02", "2025-11-20"])
    if re.search(r"[-_]day$", name):
        return st.sampled_from(["1", "15", "28"])
    if re.search(r"[-_]month$", name):
        return st.sampled_from(["3", "11"])
    if re.search(r"[-_]year$", name):
        return st.sampled_from(["2025", "2026"])
    if item.kind == "number" or name.endswith(("count", "number", "sessions", "minutes")):
        return st.sampled_from(["1", "12"])
    if item.kind == "email" or "email" in name:
        return st.just("someone@example.org")
    if item.kind == "time" or name.endswith("time"):
        return st.just("10:30")
    return st.sampled_from(["Invented text", "Another invented value"])


def _broken(item: Field, other_ids):
    bad = junk(other_ids)
    if item.kind in ("checkbox", "select") and (item.multiple or item.kind == "checkbox"):
        values = st.lists(st.one_of(st.sampled_from(item.options or [""]), bad), max_size=4)
        return st.one_of(values, st.just(OMIT))
    # Two values for one field, or the field left out, are tampering too.
    return st.one_of(bad, bad, bad, st.lists(bad, min_size=2, max_size=2), st.just(OMIT))


@st.composite
def form_values(draw, fields: dict, other_ids=()):
    names = sorted(name for name, item in fields.items() if item.kind != "file")
    mode = draw(st.sampled_from(["one", "one", "some", "some", "none"]))
    if mode == "one" and names:
        broken = {draw(st.sampled_from(names))}
    elif mode == "some":
        broken = {name for name in names if draw(st.booleans())}
    else:
        broken = set()
    data = {}
    for name in names:
        strategy = _broken if name in broken else lambda item, _: _plausible(item)
        value = draw(strategy(fields[name], list(other_ids)), label=name)
        if value is not OMIT:
            data[name] = value
    return data


def snapshot(labels) -> dict:
    """Every row of every model of these apps, and the number of change events."""
    state = {}
    for label in labels:
        for model in apps.get_app_config(label).get_models():
            rows = model._base_manager.order_by("pk").values_list()
            state[model._meta.label] = [tuple(map(_comparable, row)) for row in rows]
    state["audit"] = AuditEvent.objects.filter(verb__in=CHANGE_VERBS).count()
    return state


def _comparable(value):
    return bytes(value) if isinstance(value, memoryview) else value


def other_ids_in(state: dict) -> list:
    ids = {str(row[0]) for rows in state.values() if isinstance(rows, list) for row in rows}
    return sorted(ids)[:200]


class Fuzzer:
    """Posts drawn values to the form of one page; see the module docstring.

    Targets are built once per test (the database lives on across hypothesis examples)
    and the form is read again after every accepted post, so that hidden version fields
    stay current."""

    def __init__(self, client, labels):
        self.client = client
        self.labels = labels
        self.targets = {}
        self.fields = {}
        self.current = {}
        self.other_ids = {}

    def target(self, key, build):
        if key not in self.targets:
            built = build()
            self.targets[key] = (built, built) if isinstance(built, str) else built
        return self.targets[key]

    def read_form(self, key, page_url, post_url, *, again=False):
        """The form's fields as first read (what is drawn must not depend on earlier
        examples), and, in self.current, the values it shows now."""
        if key not in self.fields or again:
            response = self.client.get(page_url)
            if again and response.status_code != 200:
                return self.fields[key]  # the target is gone: keep posting the old form
            assert response.status_code == 200, (page_url, response.status_code)
            fields = form_for(response.content.decode(), page_url, post_url, missing_ok=again)
            if fields is None:
                return self.fields[key]  # done with (a task closed): keep the old form
            self.fields.setdefault(key, fields)
            self.current[key] = {name: item.value for name, item in fields.items()}
        return self.fields[key]

    def check(self, post_url, data, *, ok_statuses=(200, 302, 404)):
        """Post; a refusal must change nothing. Returns the response."""
        before = snapshot(self.labels)
        # A browser always sends the CSRF token (the test client does not check it), so
        # a form's POST is never empty: `Form(request.POST or None)` is then bound.
        response = self.client.post(post_url, {"csrfmiddlewaretoken": "x", **data})
        assert response.status_code != 500
        assert response.status_code in ok_statuses, response.status_code
        if response.status_code != 302:
            assert snapshot(self.labels) == before, f"refused ({response.status_code}) but changed"
        if response.status_code == 200:
            assert b"govuk-error-summary" in response.content, "refused without an error summary"
        return response

    def fuzz(self, key, build, data, *, ok_statuses=(200, 302, 404), extra=None, fields=None):
        """One example: draw values for the form at `key` and post them. `fields`
        declares the form of a view whose page does not show it (values in
        self.current[key])."""
        page_url, post_url = self.target(key, build)
        declared = fields is not None
        if declared:
            self.fields[key] = fields
            self.current.setdefault(key, {name: item.value for name, item in fields.items()})
        fields = self.read_form(key, page_url, post_url)
        if key not in self.other_ids:
            self.other_ids[key] = other_ids_in(snapshot(self.labels))
        values = data.draw(form_values(fields, self.other_ids[key]), label="form")
        values = {
            name: self.current[key].get(name, "") if value is CURRENT else value
            for name, value in values.items()
        }
        if extra is not None:
            values.update(data.draw(extra, label="extra"))
        response = self.check(post_url, values, ok_statuses=ok_statuses)
        if response.status_code == 302 and not declared:
            self.read_form(key, page_url, post_url, again=True)  # versions moved on
        return response


def _rules(app):
    return importlib.import_module(f"tests.{app}.access_rules")


def persona_for(name: str, allowed: set) -> str:
    """Who posts: the coordinator where allowed (the widest view), else the first allowed."""
    return "coordinator" if "coordinator" in allowed else sorted(allowed)[0]


class AppFuzzer(Fuzzer):
    """Fuzzes the pages of one app by URL name: the objects come from the app's
    access_rules.url_kwargs() (built once per test), the user is a persona that
    tests/<app>/access_rules.py lets open the page."""

    def __init__(self, client, persona, app, labels, *, expected=None, kwargs=None):
        super().__init__(client, labels)
        self.persona = persona
        self.app = app
        self.expected = {**_rules(app).EXPECTED, **(expected or {})}
        self._extra_kwargs = kwargs
        self._kwargs = None
        self._signed_in = None

    def url(self, name: str) -> str:
        rules = _rules(self.app)
        if self._kwargs is None:
            self._kwargs = rules.url_kwargs() if hasattr(rules, "url_kwargs") else {}
            self._kwargs.update(self._extra_kwargs() if self._extra_kwargs else {})
        who = persona_for(name, self.expected[name])
        if self._signed_in != who:
            self.client.force_login(self.persona(who))
            self._signed_in = who
        return reverse(name, kwargs=self._kwargs.get(name, {}))

    def fuzz_page(self, name, data, **options):
        url = self.url(name)  # and signs in the persona allowed on this page
        return self.fuzz(name, lambda: url, data, **options)

    def self_posting_pages(self) -> set:
        """URL names of this app whose page (as an allowed persona) holds a form that
        posts back to it, or that other pages' forms post to."""
        found = set()
        for name in sorted(self.expected):
            url = self.url(name)
            response = self.client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for action, _ in forms_on(response.content.decode()):
                path = urlsplit(action).path or urlsplit(url).path
                try:
                    match = resolve(path)
                except Resolver404:
                    continue
                if match.view_name.startswith(f"{self.app}:"):
                    found.add(match.view_name)
        return found


@st.composite
def csv_files(draw, columns, good_row, other_ids=()):
    """Bytes of an upload: a CSV whose cells are the good value or junk (a header that
    may lose or repeat a column), or arbitrary bytes."""
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        return draw(st.binary(max_size=300))
    header = list(columns)
    if draw(st.booleans()) and draw(st.booleans()):
        header = draw(st.permutations(header))[: draw(st.integers(1, len(header)))]
        header += draw(st.lists(st.sampled_from(list(columns)), max_size=1))
    rows = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        broken = draw(st.sets(st.sampled_from(list(columns)), max_size=3))
        rows.append(
            [
                draw(junk(list(other_ids))) if column in broken else good_row.get(column, "")
                for column in header
            ]
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return buffer.getvalue().encode(encoding, errors="replace")


def upload(raw: bytes, name: str = "upload.csv"):
    return SimpleUploadedFile(name, raw, content_type="text/csv")
