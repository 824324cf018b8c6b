"""Structured logs (structlog): one JSON object per line, or readable lines in development.

Every line, from structlog's loggers and the standard library's alike, carries what is
bound in the current context: a request's ``request_id`` (and ``user_id`` once known,
django-structlog's RequestMiddleware), and in a worker the ``job_id``, ``task`` and the
context of the code that queued the job (`cms.tasks.ContextQueue`, `cms.worker`), such as
the ``request_id`` of the editor's request and the publishing pipeline's ``run_id``.
"""

from __future__ import annotations

import logging

import structlog

# Applied to the standard library's records and to structlog's own events alike.
SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,  # first: a filtered call costs next to nothing
            *SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def formatter(json: bool = True) -> logging.Formatter:
    """The handler's formatter (LOGGING's ``"()"``): JSON lines, or a console layout."""
    renderer = (
        [structlog.processors.dict_tracebacks, structlog.processors.JSONRenderer()]
        if json
        else [structlog.dev.ConsoleRenderer(colors=False)]
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*SHARED_PROCESSORS, structlog.stdlib.ExtraAdder()],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )


def logging_config(*, json: bool, level: str) -> dict:
    """Django's LOGGING: everything through one handler with the structured formatter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": {"()": "cms.logs.formatter", "json": json}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per task and page action is noise outside debugging.
            "django_tasks": {"level": "WARNING"},
            "wagtail": {"level": "WARNING"},
            # The worker logs each job's start and end with its context (cms.worker);
            # RQ's own lines about a job are written before that context is bound.
            "rq.worker": {"level": "WARNING"},
            # django-structlog's request_finished replaces the runserver/server access log.
            "django.server": {"level": "WARNING"},
        },
    }
