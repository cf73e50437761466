from django.core.management.base import BaseCommand

from demo.load import DEMO_PASSWORD, demo_code, demo_load


class Command(BaseCommand):
    help = "Load (or refresh) the demo organisations, programmes, people and logins. Idempotent."

    def handle(self, *args, **options):
        logins = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.email:32} {login.role} ({login.organisation})")
        if demo_code():
            self.stdout.write(
                f"Staff (admin, coordinators) are asked for a code after the password: {demo_code()} "
                "(a demo-only code; it works only with DEBUG on)."
            )
        else:
            self.stdout.write("Staff (admin, coordinators) set up an authenticator app at their first login.")
