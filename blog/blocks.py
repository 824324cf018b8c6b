"""The article body's blocks. Every block carries a stable id (Wagtail's), which clinic
overrides are keyed by."""

from django.utils.html import escape
from wagtail import blocks
from wagtail.admin.compare import StructBlockComparison, diff_text
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from clinics.tokens import validate_tokens

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class TokenCheckedMixin:
    """Reject unknown clinic tokens such as `{clinc}` where the editor typed them."""

    def clean(self, value):
        value = super().clean(value)
        validate_tokens(str(getattr(value, "source", value)))
        return value


class HeadingBlock(TokenCheckedMixin, blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        form_classname = "title"
        preview_value = "What causes PTSD?"
        description = "A section heading (shown as h2)."


class ParagraphBlock(TokenCheckedMixin, blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=PARAGRAPH_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph.html"
        preview_value = "<p>Trauma can come in many forms.</p>"
        description = "One paragraph of text; may use {clinic}, {city} and {phone}."


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        preview_value = {"quote": "Healing is possible.", "attribution": "A patient"}
        description = "A quotation with an optional attribution."


class ArticleImageBlock(ImageBlock):
    """An image with its alt text (required unless marked decorative)."""

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        description = "An image with its alt text."


DEFAULT_CALL_TO_ACTION = "Each clinic's own: its article topic's, or the clinic's default"


class CallToActionBlockComparison(StructBlockComparison):
    """The revisions' comparison names the call-to-action chosen, or says whose is
    shown when none is (rather than Wagtail's "Call to action: None")."""

    @staticmethod
    def _label(value) -> str:
        chosen = value.get("call_to_action") if value else None
        return str(chosen) if chosen else DEFAULT_CALL_TO_ACTION

    def htmlvalue(self, val):
        return escape(self._label(val))

    def htmldiff(self):
        return diff_text(self._label(self.val_a), self._label(self.val_b)).to_html()


class CallToActionBlock(blocks.StructBlock):
    call_to_action = SnippetChooserBlock(
        "clinics.CallToAction",
        required=False,
        help_text=(
            "Leave empty to show the call-to-action of the article's topic, or else "
            "each clinic's default."
        ),
    )

    class Meta:
        icon = "pick"
        template = "includes/call_to_action.html"
        label = "Call-to-action"
        description = "The clinic's call-to-action, with its name, phone and booking link."
        preview_value = {"call_to_action": None}

    def get_comparison_class(self):
        return CallToActionBlockComparison


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ArticleImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()


class ReferenceBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    authors = blocks.CharBlock(required=False)
    publication = blocks.CharBlock(required=False, help_text="Journal or publisher.")
    year = blocks.IntegerBlock(required=False, min_value=1900, max_value=2100)
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "link"
        template = "blocks/reference.html"
        description = "A source the article cites."
        preview_value = {"title": "Ketamine for PTSD", "year": 2021}
