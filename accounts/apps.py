from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konton och organisationer")

    def ready(self) -> None:
        from accounts import signals  # noqa: F401  (login and logout to the security log)
