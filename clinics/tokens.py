"""Clinic tokens: library text names the clinic as `{clinic}`, `{city}` or `{phone}`.

Rendering replaces each token with the clinic's own value; an unknown token (a typo
such as `{clinc}`) is a validation error for the editor, never silent output.

In HTML, a value is checked for the context it fills: in text and attribute values
it is escaped; in an attribute that holds a URL (a link's `href`, say), the URL it
makes must be relative or use an allowed scheme (http, https, tel, mailto), or the
attribute is dropped, as is a script or style attribute a token would fill. Wagtail
checks the links editors write; a token's value is filled in after, so it is checked
here.
"""

import html
import re

from django.core.exceptions import ValidationError
from django.utils.html import escape

TOKEN_PATTERN = re.compile(r"\{([A-Za-z_]+)\}")
KNOWN_TOKENS = ("clinic", "city", "phone")

# Attributes whose value is a URL a browser follows, loads or submits to.
URL_ATTRIBUTES = frozenset(
    {
        "action",
        "background",
        "cite",
        "codebase",
        "data",
        "formaction",
        "href",
        "icon",
        "longdesc",
        "manifest",
        "ping",
        "poster",
        "src",
        "srcset",
        "usemap",
        "xlink:href",
    }
)
SAFE_SCHEMES = frozenset({"http", "https", "tel", "mailto"})

# A tag, with its attribute values quoted or not (values may hold ">").
TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
ATTRIBUTE = re.compile(
    r"""(?P<space>\s+)(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
)
TAG_NAME = re.compile(r"<\s*/?\s*[A-Za-z][^\s/>]*")
# Browsers ignore these anywhere in a URL, and leading control characters and spaces.
URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


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


def _fill(text: str, values: dict[str, str], escaped: bool) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = str(values[name] or "")
        return escape(value) if escaped else value

    return TOKEN_PATTERN.sub(replace, text)


def render_tokens(text: str, values: dict[str, str], *, html: bool = False) -> str:
    """Replace known tokens. With `html=True`, `text` is HTML and each value is checked
    for the context it fills (`render_tokens_html`); otherwise the text is plain and so
    is the result (templates escape it)."""
    if not text or "{" not in text:
        return text
    if html:
        return render_tokens_html(text, values)
    return _fill(text, values, escaped=False)


def is_safe_url(url: str) -> bool:
    """A relative URL, or one whose scheme is http, https, tel or mailto."""
    url = URL_IGNORED.sub("", url)
    scheme, colon, _ = url.partition(":")
    if not colon or any(ch in scheme for ch in "/?#"):
        return True  # relative: no scheme before the path, query or fragment
    return scheme.lower() in SAFE_SCHEMES


def _filled_attribute(match: re.Match, values: dict[str, str]) -> str:
    space, name, quoted = match.group("space"), match.group("name"), match.group("value")
    if quoted is None:
        # A token as an attribute's name is no attribute at all.
        return "" if TOKEN_PATTERN.search(name) else match.group(0)
    raw = quoted[1:-1] if quoted[:1] in "\"'" else quoted
    if not TOKEN_PATTERN.search(raw):
        return match.group(0)
    lowered = name.lower()
    if lowered == "style" or lowered.startswith("on"):
        return ""  # script or CSS: no escaping makes a value safe there
    value = _fill(raw, values, escaped=True)
    if lowered in URL_ATTRIBUTES and not is_safe_url(html.unescape(value)):
        return ""
    # Always double-quoted: an unquoted value with a space in it would end early.
    return f'{space}{name}="{value.replace(chr(34), "&quot;")}"'


def _filled_tag(tag: str, values: dict[str, str]) -> str:
    if not TOKEN_PATTERN.search(tag):
        return tag
    name = TAG_NAME.match(tag)
    if name is None or TOKEN_PATTERN.search(name.group(0)):
        return TOKEN_PATTERN.sub("", tag)  # a token in a tag's name, or no tag at all
    head, rest = name.group(0), tag[name.end() :]
    rest = ATTRIBUTE.sub(lambda match: _filled_attribute(match, values), rest)
    # Whatever is left outside an attribute (a stray token) is dropped.
    return head + TOKEN_PATTERN.sub("", rest)


def render_tokens_html(markup: str, values: dict[str, str]) -> str:
    """Fill tokens in HTML: escaped in text and attribute values; a URL attribute that
    a value would make unsafe (`javascript:…`) is dropped."""
    if not markup or "{" not in markup:
        return markup
    out, position = [], 0
    for tag in TAG.finditer(markup):
        out.append(_fill(markup[position : tag.start()], values, escaped=True))
        out.append(_filled_tag(tag.group(0), values))
        position = tag.end()
    out.append(_fill(markup[position:], values, escaped=True))
    return "".join(out)
