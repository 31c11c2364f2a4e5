"""Addresses of the public pages, under both interface languages (config/urls.py puts
them inside i18n_patterns). Two namespaces name what a page is about: `catalog:work_detail`,
`initiatives:batch_detail`."""

from django.urls import include, path

from .feeds import BatchFeed
from .views import catalog, initiatives, sharing

initiatives_patterns = [
    path("", initiatives.HomeView.as_view(), name="home"),
    path("initiatives/", initiatives.InitiativeListView.as_view(), name="initiative_list"),
    path(
        "initiatives/<slug:slug>/",
        initiatives.InitiativeDetailView.as_view(),
        name="initiative_detail",
    ),
    path(
        "initiatives/<slug:slug>/batches/<int:number>/",
        initiatives.BatchDetailView.as_view(),
        name="batch_detail",
    ),
    path(
        "initiatives/<slug:slug>/batches/<int:number>/share.png",
        sharing.batch_share_image,
        name="batch_share_image",
    ),
]

catalog_patterns = [
    path("search/", catalog.SearchView.as_view(), name="search"),
    path("themes/", catalog.ThemeListView.as_view(), name="theme_list"),
    path("themes/<slug:slug>/", catalog.ThemeDetailView.as_view(), name="theme_detail"),
    path("works/", catalog.WorkListView.as_view(), name="work_list"),
    path("works/<slug:slug>/", catalog.WorkDetailView.as_view(), name="work_detail"),
    path("works/<slug:slug>/share.png", sharing.work_share_image, name="work_share_image"),
    path("places/", catalog.PlaceListView.as_view(), name="place_list"),
    path("places/<slug:slug>/", catalog.PlaceDetailView.as_view(), name="place_detail"),
    path("sources/<slug:slug>/", catalog.SourceDetailView.as_view(), name="source_detail"),
    path("organisations/", catalog.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "organisations/<slug:slug>/",
        catalog.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
]

# Atom feeds of newly published batches, site-wide and per initiative (public/feeds.py).
feed_patterns = [
    path("feeds/batches/", BatchFeed(), name="batches"),
    path("initiatives/<slug:slug>/feed/", BatchFeed(), name="initiative_batches"),
]

urlpatterns = [
    path("", include((initiatives_patterns, "initiatives"))),
    path("", include((feed_patterns, "feeds"))),
    path("", include((catalog_patterns, "catalog"))),
]
