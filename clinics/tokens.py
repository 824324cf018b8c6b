"""Clinic tokens: library text names the clinic as `{clinic}`, `{city}` or `{phone}`.

Rendering replaces each token with the clinic's own value; an unknown token (a typo
such as `{clinc}`) is a validation error for the editor, never silent output.

In HTML, a value is checked for the context it fills: in text and attribute values
it is escaped; in an attribute that holds a URL (a link's `href`, say), the URL it
makes must be relative or use an allowed scheme (http, https, tel, mailto), or the
attribute is dropped, as is a script or style attribute a token would fill. Wagtail
checks the links editors write; a token's value is filled in after, so it is checked
here.

In HTML text outside a link, `{phone}` becomes a `tel:` link to the clinic's number
(`phone_link`); inside a link or an attribute it is the number as text.
"""

import html
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


def phone_href(phone: str) -> str:
    """`tel:` and the number's digits as 0-9 (and plus sign), or "" when it has none.
    Decimal digits of any script count; other characters Python calls digits ("²") do
    not."""
    kept = []
    for ch in phone or "":
        if ch == "+":
            kept.append(ch)
        elif (digit := unicodedata.decimal(ch, None)) is not None:
            kept.append(str(digit))
    digits = "".join(kept)
    return f"tel:{digits}" if digits.strip("+") else ""


def phone_link(phone: str) -> str:
    """The phone number as HTML: a `tel:` link (class `tel`), or escaped text when the
    value holds no digit to dial."""
    href = phone_href(phone)
    if not href:
        return escape(phone or "")
    return f'<a class="tel" href="{href}">{escape(phone)}</a>'


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


def _fill(text: str, values: dict[str, str], escaped: bool, link_phone: bool = False) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        value = str(values[name] or "")
        if link_phone and name == "phone":
            return phone_link(value)
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


def render_text_html(text: str, values: dict[str, str]) -> SafeString:
    """Plain text with tokens, as HTML: the text and each value escaped, and `{phone}`
    a `tel:` link (for text shown as HTML, such as a call-to-action's)."""
    return mark_safe(_fill(escape(text or ""), values, escaped=True, link_phone=True))  # noqa: S308


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


def _link_depth(tag: str, depth: int) -> int:
    """How many links are open after `tag` (a start tag `<a …>` opens one, `</a>` closes)."""
    name = TAG_NAME.match(tag)
    if name is None:
        return depth
    head = name.group(0).lstrip("<").strip()
    if head.lower() == "a":
        return depth + 1
    if head.startswith("/") and head[1:].strip().lower() == "a":
        return max(depth - 1, 0)
    return depth


def render_tokens_html(markup: str, values: dict[str, str]) -> str:
    """Fill tokens in HTML: escaped in text and attribute values; a URL attribute that
    a value would make unsafe (`javascript:…`) is dropped; `{phone}` in text outside a
    link becomes a `tel:` link."""
    if not markup or "{" not in markup:
        return markup
    out, position, links = [], 0, 0
    for tag in TAG.finditer(markup):
        text = markup[position : tag.start()]
        out.append(_fill(text, values, escaped=True, link_phone=not links))
        out.append(_filled_tag(tag.group(0), values))
        links = _link_depth(tag.group(0), links)
        position = tag.end()
    out.append(_fill(markup[position:], values, escaped=True, link_phone=not links))
    return "".join(out)
