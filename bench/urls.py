from django.urls import path

from . import views

urlpatterns = [
    path("works/", views.works),
    path("works/<slug:slug>/", views.work),
    path("search/", views.search),
]
