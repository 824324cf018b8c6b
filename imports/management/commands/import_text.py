"""python manage.py import_text FILE... --clinic SLUG: plain-text or Markdown posts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from imports.cli import ImportCommand
from imports.readers import clinic_from_file_name, read_text_file
from imports.sources import Refused, Report


class Command(ImportCommand):
    help = (
        "Import plain-text or Markdown articles (one a file) as clinic posts; posts that "
        "are one article at several clinics become one library article plus overrides. "
        "Without --clinic, a file named <clinic-slug>--<title>.txt names its clinic."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--title",
            default=None,
            help="The article's title, for files without a title line (otherwise it "
            "comes from a matching post of another clinic, or the file name).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = self.paths(options["files"])
        clinics = self.clinics_for(paths, options["clinic"], fallback=clinic_from_file_name)
        report = Report(self.stdout)
        posts = []
        for number, (path, clinic) in enumerate(zip(paths, clinics, strict=True), start=1):
            try:
                post = read_text_file(path, clinic, title=options["title"])
            except (Refused, OSError) as error:
                report.error(str(path), f"refused: {error}")
                continue
            for warning in post.warnings:
                report.warning(post.label, warning)
            posts.append(post)
            report.progress(number, len(paths), "files read")
        self.run(posts, report, options)
