"""The tenant: clinics, and the shared records (snippets) they choose from."""

from clinics.models.clinic import (
    CLINIC_DEPTH,
    MEDICAL_DISCLAIMER,
    CallToActionWording,
    ClinicHomePage,
    OpeningHoursBlock,
    Weekday,
)
from clinics.models.snippets import CallToAction, Person, RenderedCallToAction, Topic

__all__ = [
    "CLINIC_DEPTH",
    "MEDICAL_DISCLAIMER",
    "CallToAction",
    "CallToActionWording",
    "ClinicHomePage",
    "OpeningHoursBlock",
    "Person",
    "RenderedCallToAction",
    "Topic",
    "Weekday",
]
