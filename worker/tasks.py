"""Thin tasks: take ids, load, call one service."""

import socket

from celery import shared_task

from worker import services


@shared_task(acks_late=True, ignore_result=False, time_limit=30, soft_time_limit=25)
def heartbeat(source: str = "beat") -> str:
    beat = services.heartbeat_record(source=source, hostname=socket.gethostname())
    return beat.seen_at.isoformat()
