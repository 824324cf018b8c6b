"""Bringing existing clinic blogs in: WordPress exports and plain-text or Markdown files.

Posts that are one article reworded per clinic become one library article plus each
clinic's overrides (the grouping and alignment are the text engine's,
``textreview.merge``); the article enters the library as a draft through its workflow
(medical review), and each clinic in the group gets its copy, published when the
library article is. Re-running an import changes nothing: every imported post is
recorded by its source identifier (``ImportedItem``).
"""
