from django.conf import settings
from django.core.management.base import BaseCommand

from blog.demo import DEMO_PASSWORD, PORT, load_demo


class Command(BaseCommand):
    help = "Build the two demo clinics and their shared library article (idempotent)."

    def handle(self, *args, **options):
        if load_demo():
            self.stdout.write(self.style.SUCCESS("Demo network created."))
        else:
            self.stdout.write("Demo network already present; nothing changed.")
        base = settings.WAGTAILADMIN_BASE_URL
        self.stdout.write(
            f"""
  Nova Health Recovery   http://nova.localhost:{PORT}/
  Three Rivers Wellness  http://threerivers.localhost:{PORT}/
  The shared article     http://nova.localhost:{PORT}/blog/what-causes-ptsd/
                         http://threerivers.localhost:{PORT}/blog/what-causes-ptsd/
  Admin                  {base}/admin/  (user admin, password {DEMO_PASSWORD})
  Other demo users       central-editor, medical-reviewer, nova-editor,
                         threerivers-editor (same password)
"""
        )
