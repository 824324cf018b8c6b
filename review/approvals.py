"""The reviewer of record: medical approvals, written when a medical reviewer approves,
and read for the byline and JSON-LD of what visitors see.

Nobody types a reviewer or a review date. A library article reads "medically reviewed"
while its live revision carries a ``MedicalApproval``; an edit published after that has
none until a reviewer approves it. A clinic copy reads it while its library article's
live revision is approved and the clinic's own words in body blocks (replacements and
clinic-only blocks) are absent or approved as they now stand.
"""

from __future__ import annotations

import hashlib
import json

from django.db.models import Q

from blog.models import ClinicArticlePage, LibraryArticlePage
from blog.resolution import LIBRARY, resolve_article
from review.models import ClaimsAnnotation, MedicalApproval, ReviewerProfile
from textreview.findings import Severity

MISSING = object()


def own_words(effective) -> str:
    """A fingerprint of the clinic's own words in a copy's body as visitors read it
    (replacements and clinic-only blocks, in reading order); "" when it has none."""
    parts = [
        [block.origin, block.block_type, block.block.get_prep_value(block.value)]
        for block in effective.body
        if block.origin != LIBRARY
    ]
    if not parts:
        return ""
    payload = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def reviewer_name(user) -> tuple[object | None, str]:
    """(the Person the byline names, the name recorded) for an approving user."""
    profile = ReviewerProfile.objects.filter(user=user).select_related("person").first()
    if profile is not None:
        return profile.person, str(profile.person)
    return None, user.get_full_name() or user.get_username()


def record_approval(revision, user, *, task_state=None) -> MedicalApproval:
    """Record that ``user`` (a medical reviewer) approved ``revision`` of a page."""
    content = revision.as_object()
    words = ""
    if isinstance(content, ClinicArticlePage):
        words = own_words(resolve_article(content))
    person, name = reviewer_name(user)
    return MedicalApproval.objects.create(
        page_id=int(revision.object_id),
        revision=revision,
        approved_by=user,
        reviewer=person,
        reviewer_name=name,
        words=words,
        task_state=task_state,
    )


def library_approval(page) -> MedicalApproval | None:
    """The approval of a library article's live revision (None: not medically
    reviewed as it stands). Cached on the page object."""
    cached = getattr(page, "_medical_approval", MISSING)
    if cached is not MISSING:
        return cached
    approval = None
    if page.live_revision_id:
        approval = (
            MedicalApproval.objects.filter(revision_id=page.live_revision_id)
            .select_related("reviewer")
            .order_by("-approved_at", "-pk")
            .first()
        )
    page._medical_approval = approval
    return approval


def attach_library_approvals(pages) -> None:
    """Read the approvals of many library articles' live revisions in one query."""
    pages = [page for page in pages if page is not None]
    revisions = {page.live_revision_id for page in pages if page.live_revision_id}
    found: dict[int, MedicalApproval] = {}
    for approval in (
        MedicalApproval.objects.filter(revision_id__in=revisions)
        .select_related("reviewer")
        .order_by("approved_at", "pk")
    ):
        found[approval.revision_id] = approval  # the latest wins
    for page in pages:
        page._medical_approval = found.get(page.live_revision_id)


def review_of_record(article) -> MedicalApproval | None:
    """The approval a clinic copy's byline and JSON-LD name, or None (no byline).

    One query: the library article's live revision's approvals and this copy's
    approvals of its current own words. The most recent of the two is named."""
    source = article.source
    words = own_words(article)
    if source is None and not words:
        return None
    if source is not None and not source.live_revision_id:
        return None
    wanted = Q(pk__in=[])
    if source is not None:
        wanted |= Q(revision_id=source.live_revision_id)
    if words:
        wanted |= Q(page_id=article.page.pk, words=words)
    approvals = list(MedicalApproval.objects.filter(wanted).select_related("reviewer"))
    latest = []
    if source is not None:
        library = [a for a in approvals if a.revision_id == source.live_revision_id]
        if not library:
            return None
        latest.append(max(library, key=lambda a: (a.approved_at, a.pk)))
    if words:
        own = [a for a in approvals if a.page_id == article.page.pk and a.words == words]
        if not own:
            return None
        latest.append(max(own, key=lambda a: (a.approved_at, a.pk)))
    return max(latest, key=lambda a: (a.approved_at, a.pk))


def articles_reviewed_by(person_id: int) -> set[int]:
    """Library articles whose pages (or whose copies' own words) a person approved."""
    pages = MedicalApproval.objects.filter(reviewer_id=person_id).values("page_id")
    library = LibraryArticlePage.objects.filter(pk__in=pages).values_list("pk", flat=True)
    copies = ClinicArticlePage.objects.filter(pk__in=pages, source__isnull=False)
    return {*library, *copies.values_list("source_id", flat=True)}


def findings_for_review(content) -> list:
    """What the reviewer is shown for a revision: a library article's findings, or a
    clinic copy's findings in the clinic's own words (the library's are the library's
    matter). The review being done is the reviewer, so "no medical reviewer" and
    "never reviewed" are not among them."""
    from review.pages import review_clinic_words, review_library_article

    if isinstance(content, LibraryArticlePage):
        return review_library_article(content, under_review=True)
    if isinstance(content, ClinicArticlePage):
        return review_clinic_words(content)
    return []


def annotate(task_state) -> ClaimsAnnotation:
    """Store the findings of the revision a review task starts on, beside its state."""
    from review.pages import errors  # review.pages reads approvals: imported when used

    try:
        findings = findings_for_review(task_state.revision.as_object())
    except Exception as error:  # a revision that cannot be reviewed still reaches a person
        findings = []
        data = [{"title": "The claims check could not run", "advice": str(error)}]
    else:
        data = [f.as_dict() for f in findings]
    annotation, _ = ClaimsAnnotation.objects.update_or_create(
        task_state=task_state,
        defaults={
            "error_count": len(errors(findings)),
            "warning_count": sum(f.finding.severity == Severity.WARNING for f in findings),
            "findings": data,
        },
    )
    return annotation
