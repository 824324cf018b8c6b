"""A migration no test database has applied (test_health points an app here)."""

from django.db import migrations


class Migration(migrations.Migration):
    operations = []
