"""manage.py retention [--apply]: what the programmes' retention times say is due for
anonymising; with --apply, anonymise it (the nightly task does this)."""

from django.core.management.base import BaseCommand

from coordinator.services.retention import retention_apply


class Command(BaseCommand):
    help = "Show (or, with --apply, anonymise) the people whose records are past their programme's retention."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="anonymise; without it, a dry run")

    def handle(self, *args, apply, **options):
        for line in retention_apply(dry_run=not apply).lines():
            self.stdout.write(line)
