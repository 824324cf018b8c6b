"""The text engine: medical-claims rules, duplicate-content similarity (shingles,
MinHash, LSH) and on-page SEO analysis, on plain text.

It imports neither Django nor the project's apps (import-linter enforces it), so it
runs from a plain script and its tests need no database. `review` and `seo` adapt
pages to it.
"""
