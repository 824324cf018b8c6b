from django import template

from seo.metadata import seo_for_context

register = template.Library()


@register.simple_tag(takes_context=True)
def get_seo(context):
    """`{% get_seo as seo %}`: the page's SEO object (built once per request)."""
    return seo_for_context(context)
