"""The shared article library and the clinics' blogs.

The library (`ArticleLibraryPage`) sits beside the clinics' home pages with no Site
pointing at it, so nothing below it has a public URL. Each clinic's blog carries a
library article as a thin `ClinicArticlePage` that stores only what the clinic
overrides; `blog.resolution.resolve_article` builds what visitors see at render time
from the source's live content.
"""

from blog.models.clinic_articles import (
    BlogIndexPage,
    BodyOverride,
    ClinicArticleManager,
    ClinicArticlePage,
    ClinicArticleQuerySet,
    SourceWithdrawn,
    articles_reviewed_by,
    register_review_of_record,
    review_of_record,
)
from blog.models.library import ArticleLibraryPage, LibraryArticlePage, block_fingerprint
from blog.models.pipeline import CopyFingerprint, CopyWithdrawal, SyndicationJob, SyndicationRun
from blog.models.visits import EditorVisit

__all__ = [
    "CopyFingerprint",
    "CopyWithdrawal",
    "EditorVisit",
    "SourceWithdrawn",
    "SyndicationJob",
    "SyndicationRun",
    "ArticleLibraryPage",
    "BlogIndexPage",
    "BodyOverride",
    "ClinicArticleManager",
    "ClinicArticlePage",
    "ClinicArticleQuerySet",
    "LibraryArticlePage",
    "articles_reviewed_by",
    "block_fingerprint",
    "register_review_of_record",
    "review_of_record",
]
