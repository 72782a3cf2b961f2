"""Out-of-range integers in tampered choices are refused as invalid, never a 500
(docs/security.md §21)."""

import pytest
from django import forms

from referrals.models import ConcernType

pytestmark = pytest.mark.django_db

TOO_BIG = ["99999999999999999999", "-99999999999999999999", str(2**63)]


@pytest.mark.parametrize("value", TOO_BIG)
def test_a_multiple_choice_with_an_out_of_range_id_is_invalid(reference_data, value):
    field = forms.ModelMultipleChoiceField(queryset=ConcernType.objects.all())
    known = ConcernType.objects.first()
    with pytest.raises(forms.ValidationError) as refused:
        field.clean([str(known.pk), value])
    assert refused.value.code == "invalid_choice"


@pytest.mark.parametrize("value", TOO_BIG)
def test_a_single_choice_with_an_out_of_range_id_is_invalid(reference_data, value):
    field = forms.ModelChoiceField(queryset=ConcernType.objects.all())
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(value)
    assert refused.value.code == "invalid_choice"


def test_in_range_ids_still_match(reference_data):
    known = list(ConcernType.objects.values_list("pk", flat=True)[:2])
    found = ConcernType.objects.filter(pk__in=[*known, 2**70, -(2**70)])
    assert sorted(found.values_list("pk", flat=True)) == sorted(known)
    assert not ConcernType.objects.filter(pk__in=[2**70]).exists()
