"""Clinic tokens: library text names the clinic as `{clinic}`, `{city}` or `{phone}`.

Rendering replaces each token with the clinic's own value; an unknown token (a typo
such as `{clinc}`) is a validation error for the editor, never silent output.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.html import escape

TOKEN_PATTERN = re.compile(r"\{([A-Za-z_]+)\}")
KNOWN_TOKENS = ("clinic", "city", "phone")


def clinic_token_values(clinic) -> dict[str, str]:
    return {"clinic": clinic.title, "city": clinic.city, "phone": clinic.phone}


def unknown_tokens(text: str) -> list[str]:
    return sorted({name for name in TOKEN_PATTERN.findall(text or "") if name not in KNOWN_TOKENS})


def validate_tokens(text: str) -> None:
    unknown = unknown_tokens(text)
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        allowed = ", ".join(f"{{{name}}}" for name in KNOWN_TOKENS)
        raise ValidationError(
            f"Unknown clinic token {names}. Use one of {allowed}.", code="unknown_token"
        )


def render_tokens(text: str, values: dict[str, str], *, html: bool = False) -> str:
    """Replace known tokens; `html=True` escapes the values for an HTML context."""
    if not text or "{" not in text:
        return text

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = values[name] or ""
        return escape(value) if html else value

    return TOKEN_PATTERN.sub(replace, text)
