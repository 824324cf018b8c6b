"""The one shape every review check reports in."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # must be fixed (or approved by the medical reviewer) before publishing
    WARNING = "warning"  # should be fixed
    INFO = "info"  # worth a look

    @property
    def rank(self) -> int:
        """0 for the most severe, so findings sort worst first."""
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    sentence: str  # the sentence (or field) the rule matched; "" for whole-document findings
    advice: str
    block_index: int | None = None  # position of the block in the text; None if document-level
    title: str = ""  # the rule in plain words for an editor, e.g. "Promises a cure"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Worst first, then in reading order; document-level findings lead each severity."""
    return sorted(
        findings,
        key=lambda f: (f.severity.rank, -1 if f.block_index is None else f.block_index),
    )
