"""`make audit`: the demo as production would serve it (DEBUG off), on plain HTTP.

Static files are served by `runserver --insecure`; everything else is dev's.
"""

from .dev import *  # noqa: F403

DEBUG = False
