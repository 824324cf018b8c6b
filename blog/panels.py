from wagtail.admin.panels import InlinePanel, Panel

from blog.admin_forms import BodyOverrideForm, library_body_status


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
            context["rows"] = library_body_status(self.instance)
            return context


class LibraryCopiesPanel(Panel):
    """On a library article: which clinics carry it, and how much each changed."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/panels/library_copies.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            from blog.admin_forms import library_copies_status

            context = super().get_context_data(parent_context)
            context["rows"] = library_copies_status(self.instance)
            return context
