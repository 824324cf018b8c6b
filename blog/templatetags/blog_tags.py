from django import template

from blog.resolution import effective_hero_image, effective_summary

register = template.Library()


@register.filter
def summary_for(article, clinic) -> str:
    """`{{ card|summary_for:clinic }}`: the article's summary as that clinic shows it
    (its own, or the library's with the clinic's tokens filled)."""
    return effective_summary(article, clinic)


@register.filter
def hero_image(article):
    """`{{ card|hero_image }}`: the image a copy shows (its own, else the library's)."""
    return effective_hero_image(article)


@register.filter
def full_stop(text) -> str:
    """`{{ value.authors }}{{ value.authors|full_stop }}`: the full stop that ends a
    citation's part, or nothing when the part already ends one ("et al.", a question)."""
    text = str(text or "").rstrip()
    return "" if not text or text.endswith((".", "?", "!")) else "."
