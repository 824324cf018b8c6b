"""Brand colours an editor picks must keep text readable (WCAG AA, 4.5:1 with white)."""

import pytest
from django.core.exceptions import ValidationError

from clinics.colours import contrast_ratio


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("field", ["brand_colour", "accent_colour"])
def test_a_colour_too_light_for_white_text_is_refused_with_its_ratio(nova, field):
    setattr(nova, field, "#7fb3e0")
    with pytest.raises(ValidationError) as error:
        nova.full_clean()
    message = " ".join(error.value.message_dict[field])
    assert "contrast of 2." in message and "4.5:1" in message


def test_a_malformed_colour_is_refused(nova):
    nova.brand_colour = "blue"
    with pytest.raises(ValidationError) as error:
        nova.full_clean()
    assert "#rrggbb" in " ".join(error.value.message_dict["brand_colour"])


def test_a_dark_enough_colour_is_accepted(nova):
    nova.brand_colour = "#0f5c4c"
    nova.full_clean()
