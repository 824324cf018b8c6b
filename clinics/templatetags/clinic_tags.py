from django import template

from clinics.tokens import clinic_token_values, render_tokens

register = template.Library()


@register.filter
def fill_tokens(text: str, clinic) -> str:
    """`{{ summary|fill_tokens:clinic }}`: the clinic's name, city and phone in place of
    `{clinic}`, `{city}` and `{phone}` (autoescaping still applies to the result)."""
    return render_tokens(text, clinic_token_values(clinic)) if clinic else text
