"""python manage.py import_wordpress FILE.xml --clinic SLUG: a WordPress export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from imports.cli import ImportCommand
from imports.sources import MAX_EXPORT_FILE_BYTES, Refused, Report, counted
from imports.wordpress import read_export


class Command(ImportCommand):
    help = (
        "Import WordPress export files (WXR 1.2): published posts, categories as topics, "
        "authors as people, dates, slugs, featured and inline images, old URLs as "
        "redirects on the clinic's site. Posts that are one article at several clinics "
        "become one library article plus overrides. Give one --clinic per file to import "
        "several clinics' exports together."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--media",
            action="append",
            default=[],
            metavar="DIR",
            help="The export's wp-content/uploads folder (once for all files, or once per "
            "file): WordPress exports name attachments but do not contain them.",
        )
        parser.add_argument(
            "--max-size",
            type=int,
            default=MAX_EXPORT_FILE_BYTES // 1_048_576,
            metavar="MB",
            help="Refuse export files larger than this (default %(default)s MB).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = self.paths(options["files"])
        clinics = self.clinics_for(paths, options["clinic"])
        media = [Path(m) for m in options["media"]]
        if len(media) == 1:
            media = media * len(paths)
        elif media and len(media) != len(paths):
            media = []
            self.stderr.write("--media: give it once for all files or once per file; ignored")
        report = Report(self.stdout)
        posts = []
        for number, (path, clinic) in enumerate(zip(paths, clinics, strict=True)):
            try:
                found = read_export(
                    path,
                    clinic,
                    report,
                    media_root=media[number] if media else None,
                    max_bytes=options["max_size"] * 1_048_576,
                )
            except (Refused, OSError) as error:
                report.error(str(path), f"refused, nothing imported from it: {error}")
                continue
            report.write(f"{path.name}: {counted(len(found), 'post')} read for {clinic}")
            posts.extend(found)
        self.run(posts, report, options)
