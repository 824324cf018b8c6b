"""python manage.py review_text FILE... : findings and pairwise similarity as JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from textreview.report import file_pair_similarities, review_files


class Command(BaseCommand):
    help = (
        "Review plain-text files for medical claims: one JSON line per finding "
        "(file, rule, severity, sentence, advice); with two or more files, one JSON "
        "line per pair with their five-word shingle similarity (0..1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(name) for name in options["files"]]
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        for record in review_files(paths):
            self.stdout.write(json.dumps(record, ensure_ascii=False))
        if len(paths) > 1:
            for record in file_pair_similarities(paths):
                self.stdout.write(json.dumps(record, ensure_ascii=False))
