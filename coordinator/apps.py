from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinatorConfig(AppConfig):
    name = "coordinator"
    verbose_name = _("Vänverksamhet")

    def ready(self) -> None:
        from coordinator import signals  # noqa: F401  (the chosen organisation kept at sign-up)
