import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from review.management.commands.review_text import Command
from textreview.report import review_files

SEEDS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "seeds").glob("*.txt"))


def test_review_files_records_have_the_documented_fields(tmp_path):
    path = tmp_path / "claim.txt"
    path.write_text("Ketamine cures PTSD.\n", encoding="utf-8")
    (record,) = review_files([path])
    assert record == {
        "file": str(path),
        "rule": "claims.cure",
        "severity": "error",
        "sentence": "Ketamine cures PTSD.",
        "advice": record["advice"],
    }


def _run(*args, command=None):
    out = StringIO()
    call_command(command or Command(), *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_command_prints_findings_and_pair_similarity_as_json_lines():
    lines = _run(*map(str, SEEDS))
    findings = [line for line in lines if "rule" in line]
    pairs = [line for line in lines if "similarity" in line]
    assert {line["file"] for line in findings} == {str(path) for path in SEEDS}
    assert any(line["rule"] == "claims.absolute-efficacy" for line in findings)
    assert len(pairs) == 1 and 0 < pairs[0]["similarity"] < 1
    assert pairs[0]["files"] == [str(path) for path in SEEDS]


def test_one_file_prints_no_pair_line(tmp_path):
    path = tmp_path / "calm.txt"
    path.write_text("A calm sentence.\n", encoding="utf-8")
    assert _run(str(path)) == []


def test_missing_file_is_an_error():
    with pytest.raises(CommandError, match="no such file"):
        call_command(Command(), "/nonexistent/file.txt", stdout=StringIO())


@pytest.mark.skipif(
    "review" not in settings.INSTALLED_APPS,
    reason="add 'review' to INSTALLED_APPS to run review_text by name",
)
def test_command_is_found_by_name():
    assert _run(*map(str, SEEDS), command="review_text") == _run(*map(str, SEEDS))
