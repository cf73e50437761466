"""The introduction meeting as a calendar invitation (iCalendar, RFC 5545), in the recipient's
language: what the e-mail says, in a form her calendar can take in."""

from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from coordinator.models import Match

MEETING_LENGTH = timedelta(hours=1)


def introduction_ics(match: Match, *, title: str, contact: dict) -> bytes:
    """One event for the match's introduction meeting. Its UID is the match's, so that a moved
    meeting replaces the one in her calendar (a higher SEQUENCE) instead of adding a second."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Vänmatch//introduction//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    host = urlsplit(settings.SITE_URL).hostname or "vanmatch"
    event.add("uid", f"introduction-{match.pk}@{host}")
    event.add("sequence", int(timezone.now().timestamp()))  # later bookings supersede earlier ones
    event.add("dtstamp", timezone.now())
    event.add("dtstart", match.intro_at)
    event.add("dtend", match.intro_at + MEETING_LENGTH)
    event.add("summary", title)
    event.add("location", match.intro_place)
    lines = []
    if contact.get("name"):
        lines.append(_("Samordnare: %(name)s") % {"name": contact["name"]})
    if contact.get("phone"):
        lines.append(_("Telefon: %(phone)s") % {"phone": contact["phone"]})
    if contact.get("email"):
        lines.append(_("E-post: %(email)s") % {"email": contact["email"]})
    if match.intro_coordinator_attends:
        lines.append(_("Samordnaren är med på mötet."))
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    return calendar.to_ical()
