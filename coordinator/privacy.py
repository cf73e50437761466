"""The privacy notices, versioned: the one volunteers consent to, and the one a social worker
reads (or has interpreted) to a newcomer before she consents.

A new version is a new template in templates/privacy/ and a new entry here; what a person
consented to stays on record (Volunteer.privacy_notice_version, Newcomer.consent_notice_version
and the language it was given in), and the old text stays readable at /integritet/<version>/
and /integritet/nyanland/<version>/.
"""

from datetime import date

VERSIONS = {"2026-11-01": date(2026, 11, 1)}
CURRENT = "2026-11-01"


NEWCOMER_VERSIONS = {"2026-12-01": date(2026, 12, 1)}
NEWCOMER_CURRENT = "2026-12-01"


def template_for(version: str) -> str:
    return f"privacy/notice_{version}.html"


def newcomer_template_for(version: str) -> str:
    return f"privacy/newcomer_{version}.html"
