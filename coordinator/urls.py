from django.urls import path

from coordinator import views
from coordinator.views import data, matches, newcomers, participants, programmes, rights, screening, volunteering

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("integritet/", volunteering.privacy_notice, name="privacy_notice"),
    path("integritet/nyanland/", volunteering.newcomer_privacy_notice, name="newcomer_privacy_notice"),
    path(
        "integritet/nyanland/<str:version>/",
        volunteering.newcomer_privacy_notice,
        name="newcomer_privacy_notice_version",
    ),
    path("integritet/<str:version>/", volunteering.privacy_notice, name="privacy_notice_version"),
    # Volunteers: apply, then their own page.
    path("bli-volontar/", volunteering.volunteer_start, name="volunteer_start"),
    path("bli-volontar/ansok/", volunteering.volunteer_apply, name="volunteer_apply"),
    path("bli-volontar/ansok/<slug:step>/", volunteering.volunteer_apply, name="volunteer_apply_step"),
    path("bli-volontar/ansok/<slug:step>/spara/", volunteering.volunteer_apply_keep, name="volunteer_apply_keep"),
    path("mitt-uppdrag/", volunteering.my_volunteering, name="my_volunteering"),
    path("mitt-uppdrag/andra/<slug:step>/", volunteering.my_volunteering_edit, name="my_volunteering_edit"),
    path("mitt-uppdrag/paus/", volunteering.my_volunteering_pause, name="my_volunteering_pause"),
    path("mitt-uppdrag/matchningar/<int:pk>/traff/", volunteering.my_meeting_log, name="my_meeting_log"),
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
    path("nyanlanda/<int:pk>/radera/", rights.newcomer_erase, name="newcomer_erase"),
    path("nyanlanda/<int:pk>/uppgifter.<str:fmt>", rights.newcomer_data, name="newcomer_data"),
    path("mitt-uppdrag/mina-uppgifter.<str:fmt>", rights.my_data, name="my_data"),
    # Coordinators: a programme's dashboard, runs, proposals, pairs by hand, matches.
    path("program/<int:pk>/", programmes.programme_dashboard, name="programme_dashboard"),
    path("program/<int:pk>/matcha/", programmes.run_start, name="run_start"),
    path("program/<int:pk>/utfall/", programmes.programme_outcomes, name="programme_outcomes"),
    path("program/<int:pk>/korningar/<int:run_pk>/status/", programmes.run_status, name="run_status"),
    path(
        "program/<int:pk>/korningar/<int:run_pk>/<str:document>.json",
        programmes.run_download,
        name="run_download",
    ),
    path("program/<int:pk>/forslag/", programmes.proposal_queue, name="proposal_queue"),
    path("program/<int:pk>/forslag/<int:proposal_pk>/godkann/", programmes.proposal_approve, name="proposal_approve"),
    path("program/<int:pk>/forslag/<int:proposal_pk>/avboj/", programmes.proposal_decline, name="proposal_decline"),
    path("program/<int:pk>/para-ihop/", programmes.pair_by_hand, name="pair_by_hand"),
    path("program/<int:pk>/las/<int:lock_pk>/", programmes.lock_decide, name="lock_decide"),
    path("program/<int:pk>/matchningar/", programmes.match_list, name="match_list"),
    path("program/<int:pk>/nyanlanda/<int:newcomer_pk>/", programmes.programme_newcomer, name="programme_newcomer"),
    path("program/<int:pk>/nyanlanda/", programmes.programme_people, {"kind": "nyanlanda"}, name="programme_newcomers"),
    path(
        "program/<int:pk>/volontarer/", programmes.programme_people, {"kind": "volontarer"}, name="programme_volunteers"
    ),
    # Data in and out, for an organisation's coordinators and admins.
    path("data/", data.data_home, name="data_home"),
    path("organisation/<slug:slug>/export/<str:what>.<str:fmt>", data.export, name="export"),
    path("organisation/<slug:slug>/exportfiler/", data.export_files, name="export_files"),
    path("organisation/<slug:slug>/exportfiler/<int:pk>/status/", data.export_file_status, name="export_file_status"),
    path(
        "organisation/<slug:slug>/exportfiler/<int:pk>/fil.xlsx", data.export_file_download, name="export_file_download"
    ),
    path("organisation/<slug:slug>/rapport/", data.funder_report, name="funder_report"),
    path("organisation/<slug:slug>/utfall/", data.organisation_outcomes, name="organisation_outcomes"),
    path("organisation/<slug:slug>/rapport.<str:fmt>", data.funder_report, name="funder_report_file"),
    path("program/<int:pk>/pool.json", data.export_pool, name="export_pool"),
    path("organisation/<slug:slug>/importera/", data.import_upload, name="import_upload"),
    path("organisation/<slug:slug>/importera/<int:pk>/", data.import_preview, name="import_preview"),
    path("organisation/<slug:slug>/importera/<int:pk>/status/", data.import_status, name="import_status"),
    path("organisation/<slug:slug>/importera/<int:pk>/spara/", data.import_confirm, name="import_confirm"),
    path("organisation/<slug:slug>/mall/<str:kind>.<str:fmt>", data.import_template, name="import_template"),
    path("matchningar/<int:pk>/", matches.match_detail, name="match_detail"),
    path("svar/<str:token>/", participants.survey_answer, name="survey_answer"),
    path("sms/svar/", participants.sms_webhook, name="sms_webhook"),
    path(
        "nyanlanda/<int:pk>/fragor/<int:survey_pk>/", participants.newcomer_survey_record, name="newcomer_survey_record"
    ),
    path("matchningar/<int:pk>/introduktion/", matches.match_intro, name="match_intro"),
    path("matchningar/<int:pk>/igang/", matches.match_activate, name="match_activate"),
    path("matchningar/<int:pk>/uppfoljning/<int:follow_up_pk>/", matches.follow_up_record, name="follow_up_record"),
    path("matchningar/<int:pk>/forlang/", matches.match_extend, name="match_extend"),
    path("matchningar/<int:pk>/avsluta/", matches.match_end, name="match_end"),
    # Organisation admins manage their programmes.
    path("organisation/<slug:slug>/program/nytt/", programmes.programme_edit, name="programme_create"),
    path("organisation/<slug:slug>/program/<int:pk>/", programmes.programme_edit, name="programme_edit"),
    # A person's access report: the dates and purposes of access to their data.
    path("granskningslogg/nyanland/<int:pk>/", rights.newcomer_access_report, name="newcomer_access_report"),
    path("mitt-uppdrag/atkomst/", rights.my_access_report, name="my_access_report"),
]
