"""crispy-forms-gds renders GOV.UK Frontend 5 markup; the project serves Frontend 6.6.

The templates under templates/gds/ override the crispy-forms-gds ones of the same
name (TEMPLATES DIRS is searched before app templates). These tests render a
bound, invalid form through {% crispy %} and check the Frontend 6 markup that each
override is there to produce, plus the basics of an error page. Every check below
fails against crispy-forms-gds 2.0.1's own templates unless its name starts
with test_basic_.
docs/crispy-forms-gds.md lists the differences and the file that handles each.

No database is touched: nothing here needs the django_db mark.
"""

from html.parser import HTMLParser

import pytest
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    HTML,
    Accordion,
    AccordionSection,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Layout,
    Submit,
)
from django import forms
from django.template import Context, Template

# --------------------------------------------------------------------------------------
# A small HTML tree, enough to ask "which element has this id, what are its classes,
# what is its parent" without depending on whitespace in the rendered templates.
# --------------------------------------------------------------------------------------

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = {name: ("" if value is None else value) for name, value in attrs}
        self.parent = parent
        self.children = []
        self.text_parts = []

    @property
    def classes(self):
        return set(self.attrs.get("class", "").split())

    @property
    def text(self):
        parts = list(self.text_parts)
        for child in self.children:
            parts.append(child.text)
        return " ".join(" ".join(parts).split())

    def iter(self):
        for child in self.children:
            yield child
            yield from child.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and cls not in node.classes:
                continue
            if any(node.attrs.get(k.replace("_", "-")) != v for k, v in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'}> with class={cls!r} {attrs!r}"
        return found[0]

    def by_id(self, element_id):
        found = [node for node in self.iter() if node.attrs.get("id") == element_id]
        assert len(found) == 1, f"expected one element with id={element_id!r}, found {len(found)}"
        return found[0]

    def ancestor(self, tag=None, cls=None):
        node = self.parent
        while node is not None:
            if (tag is None or node.tag == tag) and (cls is None or cls in node.classes):
                return node
            node = node.parent
        raise AssertionError(f"no ancestor <{tag or '*'}> with class={cls!r}")


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text_parts.append(data)


def parse(html):
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def render(template_source, **context):
    return Template(template_source).render(Context(context))


# --------------------------------------------------------------------------------------
# The form: a text input, a textarea, a character count, a select, checkboxes, radios,
# conditional radios, a date input and a required single checkbox, bound to bad data.
# --------------------------------------------------------------------------------------


class ReferralMarkupForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As shown on their ID", max_length=10)
    summary = forms.CharField(label="Summary of concern", widget=forms.Textarea)
    # crispy-forms-gds 2.0.1 raises KeyError for a character count without help text,
    # so this one has a hint.
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea, required=False, help_text="Do not include names"
    )
    team = forms.ChoiceField(
        label="Team", choices=[("", "Choose a team"), ("north", "North"), ("south", "South")]
    )
    concerns = forms.MultipleChoiceField(
        label="Type of concern",
        widget=forms.CheckboxSelectMultiple,
        choices=[("online", "Online"), ("school", "School"), ("family", "Family")],
    )
    urgency = forms.ChoiceField(
        label="Urgency",
        widget=forms.RadioSelect,
        choices=[("routine", "Routine"), ("urgent", "Urgent")],
    )
    contact = forms.ChoiceField(
        label="How should we contact the referrer?",
        widget=forms.RadioSelect,
        choices=[("phone", "Phone"), ("email", "Email")],
        required=False,
    )
    phone = forms.CharField(label="Phone number", required=False)
    email = forms.CharField(label="Email address", required=False)
    referred_on = DateInputField(label="Date of referral")
    consent = forms.BooleanField(label="The referrer agreed to be contacted")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("name"),
            Field.textarea("summary"),
            Field.textarea("notes", max_words=150),
            Field.select("team"),
            Field.checkboxes("concerns"),
            Field.radios("urgency", inline=True),
            ConditionalRadios(
                "contact",
                ConditionalQuestion("Phone", Field.text("phone")),
                ConditionalQuestion("Email", Field.text("email")),
            ),
            Field("referred_on"),
            Field.checkbox("consent"),
            Submit("save", "Save referral"),
        )


INVALID_DATA = {
    "name": "Far too long a name",  # max_length
    "summary": "",  # required textarea
    "notes": "",
    "team": "",  # required select
    # concerns: none ticked (required checkboxes)
    "urgency": "whenever",  # not a choice
    "contact": "phone",
    "phone": "",
    "referred_on_0": "31",  # 31 February
    "referred_on_1": "2",
    "referred_on_2": "2025",
    # consent: not ticked (required single checkbox)
}

PAGE = "{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}{% crispy form %}"


@pytest.fixture(scope="module")
def form():
    bound = ReferralMarkupForm(data=INVALID_DATA)
    assert not bound.is_valid()
    return bound


@pytest.fixture(scope="module")
def page(form):
    return parse(render(PAGE, form=form))


# --------------------------------------------------------------------------------------
# Basics
# --------------------------------------------------------------------------------------


def test_basic_the_form_is_invalid_on_every_field_we_expect(form):
    assert set(form.errors) == {
        "name",
        "summary",
        "team",
        "concerns",
        "urgency",
        "referred_on",
        "consent",
    }


def test_basic_error_summary_is_present_and_lists_every_error(page, form):
    summary = page.find("div", cls="govuk-error-summary")
    assert summary.attrs.get("data-module") == "govuk-error-summary"
    links = summary.find_all("a")
    assert len(links) == sum(len(errors) for errors in form.errors.values())
    assert "This field is required." in [link.text for link in links]


def test_basic_text_input_in_error(page):
    group = page.by_id("div_id_name")
    assert "govuk-form-group--error" in group.classes
    text_input = page.by_id("id_name")
    assert text_input.tag == "input"
    assert "govuk-input--error" in text_input.classes


def test_basic_aria_describedby_names_the_hint_and_the_error_message(page):
    described_by = page.by_id("id_name").attrs.get("aria-describedby", "").split()
    assert "id_name_hint" in described_by
    error_ids = [token for token in described_by if token.endswith("_error")]
    assert error_ids == ["id_name_1_error"]
    error = page.by_id("id_name_1_error")
    assert "govuk-error-message" in error.classes
    assert "at most 10 characters" in error.text


# --------------------------------------------------------------------------------------
# templates/gds/layout/error_summary.html
# --------------------------------------------------------------------------------------


def test_error_summary_links_go_to_elements_that_exist(page):
    """Frontend's error summary JS focuses the element whose id the link names."""
    summary = page.find("div", cls="govuk-error-summary")
    hrefs = [link.attrs["href"] for link in summary.find_all("a")]
    assert sorted(hrefs) == sorted(
        [
            "#id_name",
            "#id_summary",
            "#id_team",
            "#id_concerns_1",  # first checkbox, not the (absent) #id_concerns
            "#id_urgency_1",  # first radio, not the (absent) #id_urgency
            "#id_referred_on_0",  # the Day input, not the date-input <div>
            "#id_consent",
        ]
    )
    for href in hrefs:
        target = page.by_id(href[1:])
        assert target.tag in {"input", "select", "textarea"}, href


def test_error_summary_role_alert_is_on_an_inner_div(page):
    summary = page.find("div", cls="govuk-error-summary")
    assert "role" not in summary.attrs
    assert "aria-labelledby" not in summary.attrs
    assert "tabindex" not in summary.attrs  # the component JS adds and removes it
    (alert,) = summary.children
    assert alert.tag == "div"
    assert alert.attrs.get("role") == "alert"
    title = alert.find("h2", cls="govuk-error-summary__title")
    assert "id" not in title.attrs
    assert title.text == "There is a problem"
    alert.find("div", cls="govuk-error-summary__body")


# --------------------------------------------------------------------------------------
# templates/gds/layout/field_errors.html, field_errors_block.html
# --------------------------------------------------------------------------------------


def test_error_messages_are_paragraphs(page):
    messages = page.find_all(cls="govuk-error-message")
    assert len(messages) == 7
    assert {message.tag for message in messages} == {"p"}
    for message in messages:
        hidden = message.find("span", cls="govuk-visually-hidden")
        assert hidden.text == "Error:"


# --------------------------------------------------------------------------------------
# templates/gds/layout/baseinput.html
# --------------------------------------------------------------------------------------


def test_submit_is_a_govuk_button_element(page):
    assert page.find_all("input", type="submit") == []
    button = page.by_id("submit-id-save")
    assert button.tag == "button"
    assert button.attrs.get("type") == "submit"
    assert button.attrs.get("data-module") == "govuk-button"
    assert "govuk-button" in button.classes
    # The submitted name=value pair is what the <input> used to send.
    assert button.attrs.get("name") == "save"
    assert button.attrs.get("value") == "Save referral"
    assert button.text == "Save referral"
    assert button.ancestor("form")


# --------------------------------------------------------------------------------------
# templates/gds/field.html
# --------------------------------------------------------------------------------------


def test_textarea_in_error_has_the_textarea_error_modifier(page):
    textarea = page.by_id("id_summary")
    assert textarea.tag == "textarea"
    assert {"govuk-textarea", "govuk-textarea--error"} <= textarea.classes
    assert "id_summary_1_error" in textarea.attrs.get("aria-describedby", "").split()


def test_select_in_error_has_the_select_error_modifier(page):
    select = page.by_id("id_team")
    assert select.tag == "select"
    assert {"govuk-select", "govuk-select--error"} <= select.classes


def test_basic_fields_not_in_error_get_no_error_modifier(page):
    notes = page.by_id("id_notes")
    assert not {"govuk-textarea--error", "govuk-input--error"} & notes.classes
    assert "govuk-form-group--error" not in page.by_id("div_id_notes").classes


def test_character_count_wrapper_is_the_form_group(page):
    counters = page.find_all(data_module="govuk-character-count")
    assert len(counters) == 1
    (counter,) = counters
    assert counter.attrs.get("id") == "div_id_notes"
    assert {"govuk-form-group", "govuk-character-count"} <= counter.classes
    # Nothing between the counter and the textarea is another form group.
    textarea = page.by_id("id_notes")
    assert textarea.ancestor(cls="govuk-form-group") is counter
    assert "govuk-js-character-count" in textarea.classes


def test_character_count_word_limit_uses_maxlength_and_count_type(page):
    counter = page.by_id("div_id_notes")
    assert counter.attrs.get("data-maxlength") == "150"
    assert counter.attrs.get("data-count-type") == "words"
    assert "data-maxwords" not in counter.attrs


def test_character_count_message_is_a_hint_div_without_aria_live(page):
    message = page.by_id("id_notes-info")
    assert message.tag == "div"
    assert {"govuk-hint", "govuk-character-count__message"} <= message.classes
    assert "aria-live" not in message.attrs
    assert message.ancestor(cls="govuk-character-count") is page.by_id("div_id_notes")
    assert "id_notes-info" in page.by_id("id_notes").attrs["aria-describedby"].split()
    assert message.text == "You can enter up to 150 words"


def test_single_checkbox_has_the_checkboxes_module(page):
    container = page.by_id("id_consent").ancestor(cls="govuk-checkboxes")
    assert container.attrs.get("data-module") == "govuk-checkboxes"


# --------------------------------------------------------------------------------------
# templates/gds/layout/checkboxes.html, radios.html, conditional_question.html
# --------------------------------------------------------------------------------------


def test_checkboxes_have_the_checkboxes_module(page):
    container = page.by_id("id_concerns_1").ancestor("div", cls="govuk-checkboxes")
    assert container.attrs.get("data-module") == "govuk-checkboxes"
    assert len(container.find_all("input", type="checkbox")) == 3


def test_inline_radios_keep_the_base_class_and_module(page):
    item = page.by_id("id_urgency_1").ancestor("div", cls="govuk-radios__item")
    container = item.parent
    assert container.classes == {"govuk-radios", "govuk-radios--inline"}
    assert container.attrs.get("data-module") == "govuk-radios"


def test_conditional_radios_use_data_aria_controls(page):
    radios = page.find_all("input", type="radio", name="contact")
    assert [radio.attrs["value"] for radio in radios] == ["phone", "email"]
    for radio in radios:
        assert "aria-controls" not in radio.attrs
        target = radio.attrs.get("data-aria-controls")
        assert target, radio.attrs
        assert "govuk-radios__conditional" in page.by_id(target).classes


def test_conditional_is_hidden_only_when_its_radio_is_not_checked(page):
    phone, email = page.find_all("input", type="radio", name="contact")
    assert "checked" in phone.attrs
    assert "checked" not in email.attrs
    phone_panel = page.by_id(phone.attrs["data-aria-controls"])
    email_panel = page.by_id(email.attrs["data-aria-controls"])
    assert "govuk-radios__conditional--hidden" not in phone_panel.classes
    assert "govuk-radios__conditional--hidden" in email_panel.classes
    phone_panel.find("input", id="id_phone")


# --------------------------------------------------------------------------------------
# templates/gds/layout/multifield.html
# --------------------------------------------------------------------------------------


def test_date_input_fieldset_has_role_group(page):
    fieldset = page.by_id("id_referred_on_0").ancestor("fieldset")
    assert fieldset.attrs.get("role") == "group"
    assert "id_referred_on_1_error" in fieldset.attrs.get("aria-describedby", "").split()


# --------------------------------------------------------------------------------------
# templates/gds/accordion-group.html, templates/gds/layout/breadcrumbs.html
# --------------------------------------------------------------------------------------


class AccordionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Accordion(
                AccordionSection("Background", HTML("<p class='govuk-body'>One</p>")),
                AccordionSection("Outcome", HTML("<p class='govuk-body'>Two</p>")),
                css_id="history",
            )
        )


def test_accordion_sections_have_the_ids_the_accordion_js_points_at():
    tree = parse(render("{% load crispy_forms_tags %}{% crispy form %}", form=AccordionForm()))
    accordion = tree.find("div", cls="govuk-accordion")
    assert accordion.attrs.get("id") == "history"
    sections = accordion.find_all("div", cls="govuk-accordion__section")
    assert len(sections) == 2
    for index, section in enumerate(sections, start=1):
        button = section.find("span", cls="govuk-accordion__section-button")
        assert button.attrs.get("id") == f"history-heading-{index}"
        content = section.find("div", cls="govuk-accordion__section-content")
        assert content.attrs.get("id") == f"history-content-{index}"


def test_breadcrumbs_are_a_labelled_nav():
    tree = parse(
        render(
            "{% load crispy_forms_gds %}{% breadcrumbs crumbs %}",
            crumbs=[("Home", "/"), ("Referrals", "/referrals/"), ("New referral", "")],
        )
    )
    (root,) = tree.children
    assert root.tag == "nav"
    assert "govuk-breadcrumbs" in root.classes
    assert root.attrs.get("aria-label") == "Breadcrumb"
    links = root.find_all("a", cls="govuk-breadcrumbs__link")
    assert [link.attrs["href"] for link in links] == ["/", "/referrals/"]
