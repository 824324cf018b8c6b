"""python manage.py content_audit [--json] [--threshold 0.5] [--details] [--refresh]:
the network report, from the stored library article and copy reviews (what the admin's
report shows)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from review.audit import DEFAULT_THRESHOLD, network_report, refresh_all


class Command(BaseCommand):
    help = (
        "The network's content report: near-duplicate clinic copies (share of five-word "
        "shingles in common), library articles overdue for medical review, and "
        "medical-claims findings in library articles and by clinic, as stored by the "
        "background review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print one JSON document.")
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help="Similarity from which two copies are listed as near-duplicates "
            f"(default and lowest {DEFAULT_THRESHOLD}: the stored pairs start there).",
        )
        parser.add_argument(
            "--details",
            action="store_true",
            help="In the text report, list every finding (default: errors and warnings).",
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="First review every live library article and copy again and store the "
            "results (in this "
            "process; it takes a while on a large network).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = options["threshold"]
        if not 0.0 < threshold <= 1.0:
            raise CommandError("--threshold must be in (0, 1]")
        if threshold < DEFAULT_THRESHOLD:
            raise CommandError(
                f"--threshold below {DEFAULT_THRESHOLD}: near-duplicates are stored from "
                f"{DEFAULT_THRESHOLD:.0%} of shingles in common"
            )
        if options["refresh"]:
            done = refresh_all()
            self.stderr.write(
                f"Reviewed {done.reviews} live copies ({done.articles} library articles, "
                f"{done.own_articles} clinics' own articles); removed {done.removed} "
                "stale rows."
            )
            if done.without_fingerprint:
                self.stderr.write(
                    f"{done.without_fingerprint} live copies have no stored fingerprint: "
                    "their near-duplicates are unknown until their library article is "
                    "published again."
                )
        report = network_report(threshold=threshold)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(report, details=options["details"]))


def _copy(label: dict[str, object]) -> str:
    return f"{label['clinic']}: “{label['title']}” ({label['url']})"


def render_text(report: dict[str, Any], *, details: bool = False) -> str:
    lines = [
        "Content audit",
        f"{report['copies']} live clinic copies; near-duplicate threshold "
        f"{report['threshold']:.0%} of five-word shingles in common.",
    ]
    if report["pending"]:
        lines.append(
            f"{report['pending']} live copies not reviewed yet (run with --refresh to review them)."
        )
    lines.append("")
    pairs = report["near_duplicates"]
    lines.append(f"Near-duplicate copies ({len(pairs)})")
    if not pairs:
        lines.append("  none")
    if len(pairs) < report["near_duplicate_pairs"]:
        lines.append(
            f"  ({report['near_duplicate_pairs']} pairs from {report['threshold']:.0%}; "
            f"each copy's {report['near_duplicates_per_copy']} closest are listed)"
        )
    for pair in pairs:
        lines.append(f"  {pair['similarity']:.0%} similar:")
        lines.append(f"    {_copy(pair['first'])}")
        lines.append(f"    {_copy(pair['second'])}")
    lines.append("")

    overdue = report["overdue_reviews"]
    lines.append(f"Library articles overdue for medical review ({len(overdue)})")
    if not overdue:
        lines.append("  none")
    for row in overdue:
        lines.append(f"  “{row['title']}”: {'; '.join(row['reasons'])}")
    lines.append("")

    shown = {"error", "warning"} if not details else {"error", "warning", "info"}
    library = report["findings_in_library"]
    lines.append(f"Medical-claims findings in library articles ({len(library)})")
    if not library:
        lines.append("  none")
    for article in library:
        summary = ", ".join(f"{count} {severity}" for severity, count in article["counts"].items())
        lines.append(f"  “{article['title']}”: {summary}")
        lines.extend(_findings(article["findings"], shown, "    "))
    lines.append("")

    clinics = report["findings_by_clinic"]
    lines.append("Medical-claims findings by clinic")
    if not clinics:
        lines.append("  no live clinic copies")
    for entry in clinics:
        counts = entry["counts"]
        summary = ", ".join(f"{count} {severity}" for severity, count in counts.items())
        lines.append(f"  {entry['clinic']}: {summary}")
        for article in entry["articles"]:
            findings = [f for f in article["findings"] if f["severity"] in shown]
            if not findings:
                continue
            lines.append(f"    “{article['title']}” ({article['url']})")
            lines.extend(_findings(findings, shown, "      "))
    return "\n".join(lines) + "\n"


def _findings(findings: list[dict[str, Any]], shown: set[str], indent: str) -> list[str]:
    lines = []
    for finding in findings:
        if finding["severity"] not in shown:
            continue
        quoted = f": “{finding['sentence']}”" if finding["sentence"] else ""
        where = f"{finding['rule']} ({finding['where']}){quoted}"
        lines.append(f"{indent}[{finding['severity']}] {where}")
    return lines
