from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify
from wagtail.models import Site

from blog.provisioning import create_clinic


class Command(BaseCommand):
    help = (
        "Create a clinic: its home page, its Site on HOSTNAME, its blog, "
        "its editors group and its image collection."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--hostname", required=True)
        parser.add_argument("--port", type=int, default=443)

    def handle(self, name, hostname, port, **options):
        if Site.objects.filter(hostname=hostname, port=port).exists():
            raise CommandError(f"A site already answers on {hostname}:{port}.")
        clinic = create_clinic(title=name, slug=slugify(name), hostname=hostname, port=port)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {clinic.title} on {hostname}:{port} (page id {clinic.pk})."
            )
        )
        self.stdout.write(f"Its editors group is “{clinic.title} editors”: add users to it.")
