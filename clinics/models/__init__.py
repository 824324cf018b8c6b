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
from clinics.models.team import LocationPage, TeamIndexPage, TeamMemberPage

__all__ = [
    "CLINIC_DEPTH",
    "MEDICAL_DISCLAIMER",
    "CallToAction",
    "CallToActionWording",
    "ClinicHomePage",
    "LocationPage",
    "OpeningHoursBlock",
    "Person",
    "RenderedCallToAction",
    "TeamIndexPage",
    "TeamMemberPage",
    "Topic",
    "Weekday",
]
