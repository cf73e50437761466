"""Thin tasks: take ids, load, call one service."""

import socket

from celery import shared_task

from worker import services


@shared_task(acks_late=True, ignore_result=False, time_limit=30, soft_time_limit=25)
def heartbeat(source: str = "beat") -> str:
    beat = services.heartbeat_record(source=source, hostname=socket.gethostname())
    return beat.seen_at.isoformat()


@shared_task(
    acks_late=True, time_limit=30, soft_time_limit=25, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def notify_newcomer_matched(match_id: int) -> int:
    """E-mail the newcomer's social worker that a match was made. Sent once per match."""
    from coordinator import notifications
    from coordinator.models import Match

    match = (
        Match.objects.select_related("newcomer__registered_by", "volunteer", "programme").filter(pk=match_id).first()
    )
    if match is None:
        return 0
    return services.once(f"newcomer_matched:{match_id}", lambda: notifications.newcomer_matched(match))


@shared_task(
    acks_late=True, time_limit=30, soft_time_limit=25, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def send_invitation(invitation_id: int, token: str) -> int:
    from accounts.models import Invitation
    from coordinator import notifications

    invitation = Invitation.objects.select_related("organisation").filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        return 0
    return services.once(f"invitation:{invitation_id}", lambda: notifications.invitation(invitation, token))
