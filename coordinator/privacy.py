"""The privacy notice volunteers consent to, versioned.

A new version is a new template in templates/privacy/ and a new entry here; what a
volunteer consented to stays on record (Volunteer.privacy_notice_version), and the old
text stays readable at /integritet/<version>/.
"""

from datetime import date

VERSIONS = {"2026-11-01": date(2026, 11, 1)}
CURRENT = "2026-11-01"


def template_for(version: str) -> str:
    return f"privacy/notice_{version}.html"
