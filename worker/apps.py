from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "worker"
    verbose_name = _("Bakgrundsarbete")

    def ready(self) -> None:
        # Register the tasks in every process, so that a job declared below the worker
        # (accounts/shared/jobs.py) finds its task in the web process too.
        from worker import tasks  # noqa: F401
