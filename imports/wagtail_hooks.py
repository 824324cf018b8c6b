"""The demo's article comes through the importer: the blog's demo names the seed files
and asks for them with the ``load_demo_articles`` hook (the blog cannot import this app,
which sits above it)."""

from io import StringIO

from wagtail import hooks

from imports.readers import clinic_from_file_name, read_text_file
from imports.sources import Report
from imports.writer import Importer, Options


@hooks.register("load_demo_articles")
def import_demo_seeds(library, paths, *, library_from: str = "") -> str:
    """Import the seed files (named "<clinic-slug>--<title>.txt") as the demo's
    article: one library article plus each clinic's overrides. The demo publishes it
    itself (its reviewer is set), so it is not submitted to the workflow here."""
    report = Report(StringIO())
    posts = [read_text_file(path, clinic_from_file_name(path)) for path in paths]
    Importer(report, Options(library_from=library_from, submit_for_review=False)).run(posts)
    if report.errors:
        raise RuntimeError("the demo's seed files did not import:\n" + "\n".join(report.errors))
    return report.out.getvalue()
