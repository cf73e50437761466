from django.utils.functional import SimpleLazyObject

from worker.selectors import worker_status


def worker(request) -> dict:
    """`worker_status` for the pages that warn staff when no worker is running: looked up only
    by a page that reads it, so that the domain's views never import the worker."""
    return {"worker_status": SimpleLazyObject(worker_status)}
