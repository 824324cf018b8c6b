"""`make audit`: the demo as `make demo` serves it (DEBUG off, gunicorn, WhiteNoise, the
page cache), on plain HTTP, so the audit scores what visitors get."""

from .demo import *  # noqa: F403
