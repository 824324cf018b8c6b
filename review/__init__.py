"""Content review: duplicate-content guard, medical-claims review, on-page SEO analysis.

The engine modules (``similarity``, ``claims``, ``seo``, ``report``) are plain
Python and need neither models nor a database.
"""
