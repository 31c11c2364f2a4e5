from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("initiatives/", views.InitiativeListView.as_view(), name="initiative_list"),
    path(
        "initiatives/<slug:slug>/",
        views.InitiativeDetailView.as_view(),
        name="initiative_detail",
    ),
    path(
        "initiatives/<slug:slug>/batches/<int:number>/",
        views.BatchDetailView.as_view(),
        name="batch_detail",
    ),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source_detail"),
]
