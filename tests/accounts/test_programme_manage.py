"""Organisation admins create and change their programmes."""

import pytest
from django.urls import reverse

from coordinator.models import Programme

GUIDE = {
    "name": "Flyktingguide Solvik",
    "kind": "flyktingguide",
    "description": "",
    "planned_length_months": "6",
    "trial_months": "1",
    "max_distance_km": "30",
    "target_groups": ["nyanland", "ensamkommande"],
    "follow_up_days_text": "90, 14, 30",
    "follow_up_every_days": "60",
    "quiet_after_weeks": "3",
    "retention_months": "24",
    "stale_months": "12",
    "active": "on",
}


def test_the_admin_creates_a_programme(client, ada, solvik):
    client.force_login(ada)
    response = client.post(reverse("programme_create", args=["solvik"]), GUIDE)
    assert response.status_code == 302
    p = Programme.objects.get(name="Flyktingguide Solvik")
    assert (p.organisation, p.kind, p.max_distance_km, p.follow_up_days) == (solvik, "flyktingguide", 30, [14, 30, 90])
    assert p.follow_up_every_days == 60
    assert p.target_groups == ["nyanland", "ensamkommande"]


def test_the_admin_changes_a_programme(client, ada, sprakvan):
    client.force_login(ada)
    client.post(
        reverse("programme_edit", args=["solvik", sprakvan.pk]), {**GUIDE, "name": "Språkvän", "kind": "sprakvan"}
    )
    sprakvan.refresh_from_db()
    assert sprakvan.name == "Språkvän" and sprakvan.max_distance_km == 30


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"trial_months": "12"}, "trial_months"),
        ({"max_distance_km": "-5"}, "max_distance_km"),
        ({"follow_up_days_text": "14, sen"}, "follow_up_days_text"),
        ({"follow_up_every_days": "2"}, "follow_up_every_days"),
        ({"name": ""}, "name"),
        ({"retention_months": "-1"}, "retention_months"),
    ],
)
def test_bad_input_is_refused_at_its_field(client, ada, changes, field):
    client.force_login(ada)
    response = client.post(reverse("programme_create", args=["solvik"]), {**GUIDE, **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Programme.objects.filter(kind="flyktingguide").exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "sam", "vera", "olle"])
def test_only_admins_of_the_organisation_manage_its_programmes(client, persona, request, sprakvan):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("programme_create", args=["solvik"]), GUIDE).status_code == 404
    assert client.get(reverse("programme_edit", args=["solvik", sprakvan.pk])).status_code == 404
    assert not Programme.objects.filter(kind="flyktingguide").exists()
