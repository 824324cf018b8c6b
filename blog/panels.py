"""Read-only panels of the blog's edit views: a clinic copy's library blocks and what
the clinic does with each, and the clinics carrying a library article."""

from django.utils.html import strip_tags
from django.utils.translation import ngettext
from wagtail.admin.panels import InlinePanel, Panel

from blog.admin_forms import BodyOverrideForm, block_label
from clinics.models import ClinicHomePage

STATE_LABELS = {
    "inherited": "From the library",
    "replaced": "Replaced by this clinic",
    "hidden": "Hidden on this clinic's site",
    "stale": "Replaced, but the library changed since",
}


def library_body_status(page) -> list[dict]:
    """Each library block with what this clinic's copy does with it."""
    # blog.models imports this module, and resolution imports blog.models.
    from blog.resolution import block_states

    if not page.source_id:
        return []
    rows = []
    for row in block_states(list(page.source.body.raw_data), list(page.body_overrides.all())):
        count = row.blocks_added
        added = f"; {count} {ngettext('block', 'blocks', count)} added" if count else ""
        rows.append(
            {
                "label": block_label(row.position, row.block),
                "state": row.state,
                "state_label": STATE_LABELS[row.state] + added,
                "text": strip_tags(str(row.block["value"])),
            }
        )
    return rows


def library_copies_status(article) -> list[dict]:
    """Each clinic copy of a library article: its clinic, state and number of changes."""
    from blog.models import ClinicArticlePage
    from blog.resolution import stale  # see library_body_status

    copies = list(
        ClinicArticlePage.objects.filter(source=article).prefetch_related("body_overrides")
    )
    clinics = ClinicHomePage.owning_each(copies)
    library_blocks = list(article.body.raw_data)
    rows = []
    for copy in copies:
        clinic = clinics.get(copy.pk)
        overrides = list(copy.body_overrides.all())
        rows.append(
            {
                "clinic": clinic.title if clinic else "?",
                "live": copy.live,
                "changes": len(overrides),
                "stale": len(stale(library_blocks, overrides)),
                "own_title": bool(copy.title_override),
            }
        )
    return sorted(rows, key=lambda row: row["clinic"])


class BodyOverridesPanel(InlinePanel):
    """The clinic's change rows, built on a form that adds the "Keep this wording" box."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = BodyOverrideForm
        return options


class LibraryBodyPanel(Panel):
    """Shows the library article block by block, and what this clinic does with each:
    inherited, replaced, hidden, added to, or replaced while the library changed since."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/panels/library_body.html"

        def is_shown(self):
            return bool(self.instance.source_id)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["rows"] = rows = library_body_status(self.instance)
            context["has_stale"] = any(row["state"] == "stale" for row in rows)
            context["stale_label"] = STATE_LABELS["stale"]
            context["page_id"] = self.instance.pk
            return context


class LibraryCopiesPanel(Panel):
    """On a library article: which clinics carry it, and how much each changed."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/panels/library_copies.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["rows"] = library_copies_status(self.instance)
            return context
