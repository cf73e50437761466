from django.urls import include, path

from accounts import views, views_audit, views_signup

urlpatterns = [
    # Sign-up, log-in, e-mail verification and password reset (django-allauth), the page after
    # signing up in our own way (it knows when her address was confirmed elsewhere), sending the
    # link again and starting over with the right address.
    path("konto/confirm-email/", views.VerificationSentView.as_view(), name="account_email_verification_sent"),
    path("konto/skicka-igen/", views_signup.verification_resend, name="account_verification_resend"),
    path("konto/borja-om/", views_signup.signup_restart, name="account_signup_restart"),
    path("konto/hamta/", views.download_ready, name="download_ready"),
    path("konto/", include("allauth.urls")),
    path("organisation/", views.organisation_list, name="organisation_list"),
    path("organisation/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisation/<slug:slug>/bjud-in/", views.invitation_create, name="invitation_create"),
    path("organisation/<slug:slug>/kontakt/", views.organisation_contact, name="organisation_contact"),
    path(
        "organisation/<slug:slug>/inbjudningar/<int:pk>/aterkalla/", views.invitation_revoke, name="invitation_revoke"
    ),
    path(
        "organisation/<slug:slug>/inbjudningar/<int:pk>/skicka-igen/", views.invitation_resend, name="invitation_resend"
    ),
    path("organisation/<slug:slug>/roller/<int:pk>/ta-bort/", views.membership_remove, name="membership_remove"),
    path("inbjudan/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("granskningslogg/", views_audit.audit_search, name="audit_search"),
    path("api-nycklar/", views.api_tokens, name="api_tokens"),
]
