"""The audit trail: one entry point to record that someone read, changed, exported or erased
people's records, and why. Records are written in the request's transaction, in one INSERT
however many people a page shows."""

from accounts.models import AuditEvent, User


def audit_read(*, user: User, purpose: str, subjects, detail: str = "") -> int:
    """The people a page or an API answer shows this user: one VIEW row each (deduplicated)."""
    unique = {(s._meta.model_name, s.pk): s for s in subjects if s is not None}
    return audit_record(
        user=user, action=AuditEvent.Action.VIEW, purpose=purpose, subjects=unique.values(), detail=detail
    )


def audit_record(*, user: User | None, action: str, purpose: str, subjects, detail: str = "") -> int:
    """Record one event per subject (a Newcomer or Volunteer, or (type, id, organisation_id))."""
    rows = []
    label = (user.email if user is not None and user.is_authenticated else "") or "system"
    user_id = user.pk if user is not None and user.is_authenticated else None
    for subject in subjects:
        if isinstance(subject, tuple):
            subject_type, subject_id, organisation_id = subject
        else:
            subject_type, subject_id, organisation_id = subject._meta.model_name, subject.pk, subject.organisation_id
        rows.append(
            AuditEvent(
                user_id=user_id,
                user_label=label,
                organisation_id=organisation_id,
                action=action,
                purpose=purpose,
                subject_type=subject_type,
                subject_id=subject_id,
                detail=detail[:200],
            )
        )
    if rows:
        AuditEvent.objects.bulk_create(rows)
    return len(rows)
