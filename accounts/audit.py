"""The audit trail: one entry point to record that someone read, changed, exported or erased
people's records, and why. Records are written in the request's transaction, in one INSERT
however many people a page shows."""

from django.db import connection

from accounts.models import AuditEvent, User

MANY = 1000  # from this many people on PostgreSQL, one INSERT … SELECT of arrays, not a row object each


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
    subjects = list(subjects)
    if len(subjects) >= MANY and connection.vendor == "postgresql":
        return _record_many(user_id, label, action, purpose, subjects, detail[:200])
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


def _subject_key(subject) -> tuple[str, int, int | None]:
    if isinstance(subject, tuple):
        return subject
    return subject._meta.model_name, subject.pk, subject.organisation_id


def _record_many(user_id, label: str, action: str, purpose: str, subjects: list, detail: str) -> int:
    """The rows of a large export or download (a region's 35,000 people) in one statement: three
    arrays unnested by PostgreSQL, 0.5 s instead of 2.1 s for a row object each. The same rows as
    bulk_create would write, all with the time of the statement."""
    from django.utils import timezone

    types, ids, organisations = zip(*map(_subject_key, subjects), strict=True)
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (at, user_id, user_label, organisation_id, action, purpose, subject_type, "  # noqa: S608
            "subject_id, detail) SELECT %s, %s, %s, o, %s, %s, t, i, %s "
            "FROM unnest(%s::varchar[], %s::bigint[], %s::bigint[]) AS s(t, i, o)",
            [timezone.now(), user_id, label, action, purpose, detail, list(types), list(ids), list(organisations)],
        )
    return len(subjects)
