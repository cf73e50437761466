from django.urls import path

from coordinator import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
]
