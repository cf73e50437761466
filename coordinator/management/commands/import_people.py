"""manage.py import_people SLUG volunteers|newcomers FILE --as EMAIL [--apply] [--skip-bad]

The same check and import as the web page: without --apply it only prints, row by row, what
would be created or updated and what is wrong.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation, User
from coordinator import services


class Command(BaseCommand):
    help = "Import volunteers or newcomers from a CSV or XLSX file (checks only, unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="the organisation's short name (slug)")
        parser.add_argument("kind", choices=["volunteers", "newcomers"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="email", required=True, help="the coordinator the import is done as")
        parser.add_argument("--apply", action="store_true", help="write the rows (otherwise only check)")
        parser.add_argument("--skip-bad", action="store_true", help="import the good rows even if some are bad")

    def handle(self, *args, organisation, kind, file, email, apply, skip_bad, **options):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"no organisation with the short name {organisation!r}")
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {email!r}")
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        try:
            batch = services.import_check(
                organisation=org, kind=kind, filename=file.name, content=file.read_bytes(), by=user
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for row in batch.rows:
            status = {"create": "create", "update": "update", "duplicate": "duplicate"}[row["action"]]
            if not row["ok"] and row["action"] != "duplicate":
                status = "error"
            problems = "; ".join(f"{column}: {message}" for column, message in row["errors"])
            self.stdout.write(
                f"row {row['number']:>5}  {status:<9}  {row['name']}" + (f"  -- {problems}" if problems else "")
            )
        if not apply:
            self.stdout.write("checked only; run again with --apply to import")
            return
        try:
            batch = services.import_apply(batch=batch, by=user, skip_bad=skip_bad)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"imported: {batch.created_count} created, {batch.updated_count} updated, {batch.skipped_count} skipped"
            )
        )
