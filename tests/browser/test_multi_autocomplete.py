"""The multi-select autocomplete enhancement, driven by keyboard and mouse in Chromium."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

FORM = """
<form id="f" class="govuk-!-margin-top-6">
  <div class="govuk-form-group">
    <label class="govuk-label" for="id_orgs">Audience organisations</label>
    <div id="orgs-hint" class="govuk-hint">Start typing a name</div>
    <select multiple name="orgs" id="id_orgs" class="govuk-select" aria-describedby="orgs-hint"
            data-module="portal-multi-autocomplete">
      <option value="1">Kent Police</option>
      <option value="2">Kent Fire and Rescue Service</option>
      <option value="3">Medway Council</option>
    </select>
  </div>
</form>
"""


@pytest.fixture
def widget(page):
    page.goto("/accounts/sign-in/")
    page.eval_on_selector(
        "main", "(main, html) => main.insertAdjacentHTML('beforeend', html)", FORM
    )
    page.evaluate("import('/static/js/multi-autocomplete.js').then(m => m.initAll())")
    page.wait_for_selector('[role="combobox"]')
    return page


def selected(page):
    return page.eval_on_selector("#id_orgs", "s => Array.from(s.selectedOptions, o => o.value)")


def test_it_filters_and_chooses_with_the_keyboard(widget, axe_violations):
    box = widget.get_by_role("combobox", name="Audience organisations")
    box.fill("kent")
    options = widget.get_by_role("option")
    assert options.all_inner_texts() == ["Kent Police", "Kent Fire and Rescue Service"]
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("Enter")
    assert selected(widget) == ["2"]
    assert widget.get_by_role("button", name="Remove Kent Fire and Rescue Service").is_visible()
    assert box.get_attribute("aria-expanded") == "false"
    assert axe_violations() == []


def test_it_chooses_with_the_mouse_and_removes(widget, screenshot):
    box = widget.get_by_role("combobox", name="Audience organisations")
    box.fill("med")
    widget.get_by_role("option", name="Medway Council").click()
    box.fill("police")
    widget.get_by_role("option", name="Kent Police").click()
    assert sorted(selected(widget)) == ["1", "3"]
    box.fill("k")
    screenshot("multi-autocomplete")
    widget.get_by_role("button", name="Remove Medway Council").click()
    assert selected(widget) == ["1"]
    box.fill("zzz")
    assert widget.get_by_text("No results found").is_visible()


def test_enter_in_the_box_never_submits_the_form(widget):
    widget.eval_on_selector(
        "#f",
        "f => f.addEventListener('submit', e => { e.preventDefault(); window.submitted = true; })",
    )
    box = widget.get_by_role("combobox", name="Audience organisations")
    box.fill("kent")
    box.press("Enter")
    assert widget.evaluate("window.submitted === undefined")
