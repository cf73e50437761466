"""The work accounts hands to the worker (see accounts/shared/jobs.py)."""

from accounts.shared.jobs import job


@job("worker.tasks.send_invitation")
def send_invitation(invitation_id: int, token: str) -> None:
    """E-mail an invitation to join an organisation; the token is in the link, never stored."""
