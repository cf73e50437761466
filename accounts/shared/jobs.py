"""Handing work to the worker once the transaction that asked for it has committed.

A job is declared where the work is asked for, by the signature of the task that does it, so
that callers are type-checked against it and nothing below the worker imports the worker:

    @job("worker.tasks.matching_run")
    def matching_run(run_id: int) -> None: ...

    matching_run.after_commit(run.pk)

The worker registers its tasks when Django starts (worker/apps.py); `tests/worker/test_jobs.py`
checks that every declared job names a registered task that takes the same parameters.
"""

import inspect
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, ParamSpec

from celery import current_app  # type: ignore[import-untyped]  # Celery ships no type information
from django.db import transaction

logger = logging.getLogger(__name__)
P = ParamSpec("P")
DECLARED: list["Job"] = []
# A task past its own (soft) time limit is ended this many seconds later if it is stuck; whoever
# decides that a task was lost waits out the limit and this grace first.
GRACE_SECONDS = 15
_quiet = threading.local()


@contextmanager
def none_sent() -> Iterator[None]:
    """Write a past that tells nobody (the demo's year of history): the jobs asked for inside,
    e-mails and runs alike, are dropped, not sent."""
    _quiet.depth = getattr(_quiet, "depth", 0) + 1
    try:
        yield
    finally:
        _quiet.depth -= 1


class Job(Generic[P]):
    def __init__(self, name: str, signature: Callable[P, None], options: dict | None = None) -> None:
        self.name = name
        self.signature = inspect.signature(signature)
        self.__doc__ = signature.__doc__
        self._signature_of = signature
        self.options = options or {}

    def within(self, seconds: int, *, grace: int = GRACE_SECONDS) -> "Job[P]":
        """The same job with a time limit of its own, carried in the message: the task stops at
        `seconds` (its soft limit) and its process is ended `grace` seconds later if it is stuck.
        Celery reads a limit set in the message before the worker's own, so the process that
        sends the job decides it, not the worker's configuration."""
        return Job(self.name, self._signature_of, {"soft_time_limit": seconds, "time_limit": seconds + grace})

    def after_commit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Send the job once the current transaction commits (at once outside one); inside
        `none_sent`, never."""
        if getattr(_quiet, "depth", 0):
            return
        transaction.on_commit(lambda: self.send(*args, **kwargs))

    def send(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Hand the job to the broker now. A broker outage is logged, never raised: the write that
        asked for the job is committed, and each job says how it is picked up again."""
        try:
            task = current_app.tasks[self.name]
            if self.options:
                task.apply_async(args, kwargs, **self.options)
            else:
                task.delay(*args, **kwargs)
        except Exception:
            logger.exception("could not hand %s%r to the worker", self.name, args)

    def __repr__(self) -> str:
        return f"<job {self.name}{self.signature}>"


def job(name: str) -> Callable[[Callable[P, None]], Job[P]]:
    def declare(signature: Callable[P, None]) -> Job[P]:
        declared = Job(name, signature)
        DECLARED.append(declared)
        return declared

    return declare
