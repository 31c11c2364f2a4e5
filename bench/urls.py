from django.urls import path

from . import views

urlpatterns = [
    path("works/", views.works),
    path("works/<slug:slug>/", views.work),
    path("search/", views.search),
]

# The site's 404 page links to the site's addresses, which this URLconf does not have.
handler404 = "bench.views.not_found"
