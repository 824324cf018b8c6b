"""What the two import commands share: clinics per file, options, and the run."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinics.models import ClinicHomePage
from imports.sources import Refused, Report, SourcePost
from imports.writer import Importer, Options


class ImportCommand(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--clinic",
            action="append",
            default=[],
            metavar="SLUG",
            help="The clinic the posts are from (its home page's slug). Once for all files, "
            "or once per file in the same order.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would merge, per group, with similarity figures; write nothing.",
        )
        parser.add_argument(
            "--library-from",
            default="",
            metavar="SLUG",
            help="New library articles take this clinic's text where it has a post in the "
            "group (otherwise the text needing the fewest overrides is chosen).",
        )
        parser.add_argument(
            "--user", default="", help="The username the import acts as (revisions, workflow)."
        )

    def clinics_for(self, paths: list[Path], clinics: list[str], fallback=None) -> list[str]:
        if len(clinics) == 1:
            slugs = clinics * len(paths)
        elif len(clinics) == len(paths):
            slugs = clinics
        elif not clinics and fallback is not None:
            slugs = [fallback(path) for path in paths]
            unnamed = [str(p) for p, slug in zip(paths, slugs, strict=True) if not slug]
            if unnamed:
                raise CommandError(
                    f"give --clinic SLUG (no clinic in the name of {', '.join(unnamed)})"
                )
        else:
            raise CommandError("give --clinic once for all files, or once per file")
        known = set(ClinicHomePage.objects.values_list("slug", flat=True))
        unknown = sorted(set(slugs) - known)
        if unknown:
            raise CommandError(
                f"no clinic with slug {', '.join(unknown)} "
                f"(known: {', '.join(sorted(known)) or 'none'})"
            )
        return slugs

    def paths(self, names: list[str]) -> list[Path]:
        paths = [Path(name) for name in names]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        return paths

    def run(self, posts: list[SourcePost], report: Report, options: dict) -> None:
        if not posts and report.errors:
            raise CommandError("nothing to import: every file or post was refused (see above)")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']}")
        importer = Importer(
            report,
            Options(dry_run=options["dry_run"], library_from=options["library_from"], user=user),
        )
        try:
            importer.run(posts)
        except Refused as error:
            raise CommandError(str(error)) from None
