from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def person_url(context, person) -> str:
    """`{% person_url person as url %}`: a shared person's page on this clinic's site."""
    clinic = context.get("clinic")
    if clinic is None or person is None:
        return ""
    return clinic.person_url(person, context.get("request"))
