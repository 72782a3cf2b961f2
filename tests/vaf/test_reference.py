from importlib import import_module

import pytest
from django.apps import apps

from vaf.models import Dimension, Factor, Framework, RatingLevel
from vaf.reference import load_reference_models

pytestmark = pytest.mark.django_db


def test_the_default_version_has_three_dimensions_and_22_factors():
    framework = Framework.objects.get(is_current=True)
    dimensions = list(Dimension.objects.filter(framework=framework).order_by("position"))
    assert [d.name for d in dimensions] == [
        "Engagement with a group, cause or ideology",
        "Intent to cause harm",
        "Capability to cause harm",
    ]
    assert [d.factors.count() for d in dimensions] == [13, 6, 3]
    positions = list(Factor.objects.filter(framework=framework).values_list("position", flat=True))
    assert positions == list(range(1, 23))
    first = Factor.objects.get(framework=framework, position=1)
    assert first.wording == "Feelings of grievance and injustice"
    assert Factor.objects.get(framework=framework, position=22).wording == "Criminal history"


def test_the_default_scale_is_not_present_some_significant_not_known():
    framework = Framework.objects.get(is_current=True)
    assert list(
        RatingLevel.objects.filter(framework=framework).values_list("label", flat=True)
    ) == ["Not present", "Some evidence", "Significant evidence", "Not known"]


def test_loading_again_changes_nothing():
    before = (Framework.objects.count(), Factor.objects.count(), RatingLevel.objects.count())
    load_reference_models()
    import_module("vaf.migrations.0002_seed_default_framework").seed(apps, None)
    after = (Framework.objects.count(), Factor.objects.count(), RatingLevel.objects.count())
    assert before == after == (1, 22, 4)


def test_loading_after_a_flush_restores_the_current_version():
    Framework.objects.all().delete()
    load_reference_models()
    assert Framework.objects.get().is_current
    assert Factor.objects.count() == 22
