"""The page cache: anonymous visitors' pages kept until something they are built from
changes, then dropped on every clinic concerned and purged from the CDN.

`store` keeps entries and their versions, `sites` the per-process memo of each Site
and its clinic's facts, `middleware` serves and fills the cache, `dependencies` says
which URLs an edit affects, `signal_handlers` listens to the publishing pipeline and to
Wagtail, and `tasks` purges the CDN in the background.
"""
