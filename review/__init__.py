"""Content review of pages: the medical-claims panel and workflow task, the network
report. The text analysis itself is the Django-free `textreview` package."""
