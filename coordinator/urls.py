from django.urls import path

from coordinator import views
from coordinator.views import newcomers, screening, volunteering

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("integritet/", volunteering.privacy_notice, name="privacy_notice"),
    path("integritet/<str:version>/", volunteering.privacy_notice, name="privacy_notice_version"),
    # Volunteers: apply, then their own page.
    path("bli-volontar/", volunteering.volunteer_start, name="volunteer_start"),
    path("bli-volontar/ansok/", volunteering.volunteer_apply, name="volunteer_apply"),
    path("bli-volontar/ansok/<slug:step>/", volunteering.volunteer_apply, name="volunteer_apply_step"),
    path("mitt-uppdrag/", volunteering.my_volunteering, name="my_volunteering"),
    path("mitt-uppdrag/andra/<slug:step>/", volunteering.my_volunteering_edit, name="my_volunteering_edit"),
    path("mitt-uppdrag/paus/", volunteering.my_volunteering_pause, name="my_volunteering_pause"),
    path("mitt-uppdrag/avsluta/", volunteering.my_volunteering_withdraw, name="my_volunteering_withdraw"),
    # Coordinators screen volunteers.
    path("volontarer/", screening.volunteer_list, name="volunteer_list"),
    path("volontarer/<int:pk>/", screening.volunteer_detail, name="volunteer_detail"),
    path("volontarer/<int:pk>/beslut/", screening.volunteer_screen, name="volunteer_screen"),
    path(
        "volontarer/<int:pk>/belastningsregister/",
        screening.volunteer_background_check,
        name="volunteer_background_check",
    ),
    # Social workers register and follow newcomers.
    path("nyanlanda/", newcomers.newcomer_list, name="newcomer_list"),
    path("nyanlanda/ny/", newcomers.newcomer_register, name="newcomer_register"),
    path("nyanlanda/<int:pk>/", newcomers.newcomer_detail, name="newcomer_detail"),
    path("nyanlanda/<int:pk>/andra/", newcomers.newcomer_edit, name="newcomer_edit"),
    path(
        "nyanlanda/<int:pk>/aterkalla-samtycke/", newcomers.newcomer_withdraw_consent, name="newcomer_withdraw_consent"
    ),
]
