"""Editors' back office for initiatives, batches, recommendations, sources and figures.

The batch page is where the editorial workflow happens: record a batch (counts per theme and
the works listed, new works through the "+" popup), import one from a spreadsheet, check it
and publish it (or take it back to draft). Publishing goes through `services.batch_publish`.
"""

import hashlib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from catalog import admin as catalog_admin
from catalog.models import Work
from core.admin import (
    LargeListAdmin,
    LoadedRelationsForm,
    LoadedRelationsInline,
    PublicationAdmin,
)

from . import imports
from .models import (
    Batch,
    BatchThemeCount,
    Figure,
    Initiative,
    InitiativeOrganisation,
    Recommendation,
)
from .services import BatchNotPublishable, batch_check, batch_publish, batch_unpublish

admin.site.site_header = _("Micro-Drama Catalog: editorial")
admin.site.site_title = _("Micro-Drama Catalog admin")
admin.site.index_title = _("Records")

IMPORT_SESSION_KEY = "batch_import"


class InitiativeOrganisationInline(admin.TabularInline):
    model = InitiativeOrganisation
    extra = 0
    autocomplete_fields = ["organisation", "source"]


@admin.register(Initiative)
class InitiativeAdmin(PublicationAdmin):
    list_display = ["name", "name_original", "kind", "launched_on", "parent"]
    list_select_related = ["parent"]
    list_filter = ["kind"]
    search_fields = ["name", "name_original", "slug", "aims"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "place", "themes", "sources"]
    inlines = [InitiativeOrganisationInline]


@admin.register(InitiativeOrganisation)
class InitiativeOrganisationAdmin(PublicationAdmin):
    list_display = ["initiative", "role", "organisation", "source"]
    list_select_related = ["initiative", "organisation", "source"]
    list_filter = ["role", "initiative"]
    search_fields = ["initiative__name", "organisation__name", "organisation__name_original"]
    autocomplete_fields = ["initiative", "organisation", "source"]


#
# Batches
#


class OncePerBatchFormSet(forms.BaseInlineFormSet):
    """Refuses a second row for the same `unique_field` (a work listed twice, a theme counted
    twice) with a message that names it, instead of Django's generic duplicate message or
    an IntegrityError."""

    unique_field = ""
    message = ""

    def clean(self):
        seen: dict[int, object] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            value = form.cleaned_data.get(self.unique_field)
            if value is None:
                continue
            if value.pk in seen:
                form.add_error(self.unique_field, self.message % {"name": value})
            seen[value.pk] = value
        super().clean()


class OncePerBatchForm(LoadedRelationsForm):
    def _get_validation_exclusions(self):
        # The formset checks the batch-wide uniqueness over all rows at once (so swapping
        # two rows is not refused) and names the duplicate; skip the per-row database check.
        exclude = super()._get_validation_exclusions()
        exclude.add(self.unique_field)
        return exclude


class RecommendationInlineForm(OncePerBatchForm):
    unique_field = "work"


class ThemeCountInlineForm(OncePerBatchForm):
    unique_field = "theme"


class RecommendationFormSet(OncePerBatchFormSet):
    unique_field = "work"
    message = _("“%(name)s” is already listed in this batch.")


class ThemeCountFormSet(OncePerBatchFormSet):
    unique_field = "theme"
    message = _("“%(name)s” already has a count in this batch.")


COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class BatchThemeCountInline(LoadedRelationsInline, admin.TabularInline):
    model = BatchThemeCount
    loaded_relations = ("batch__initiative", "theme", "source")
    formfield_overrides = COMPACT_TEXT
    form = ThemeCountInlineForm
    formset = ThemeCountFormSet
    extra = 0
    autocomplete_fields = ["theme", "source"]


class RecommendationInline(LoadedRelationsInline, admin.TabularInline):
    model = Recommendation
    loaded_relations = ("work", "batch__initiative", "theme", "source")
    formfield_overrides = COMPACT_TEXT
    form = RecommendationInlineForm
    formset = RecommendationFormSet
    extra = 0
    autocomplete_fields = ["work", "theme", "source"]
    fields = ["work", "theme", "basis", "source", "excerpt"]


def refuse_duplicate(form: forms.ModelForm, field: str, same: models.QuerySet, message) -> None:
    """Put `message` at `field` when another record than the one being edited matches `same`
    (a named message where the unique constraint would give a generic one)."""
    if form.instance.pk:
        same = same.exclude(pk=form.instance.pk)
    if same.exists():
        form.add_error(field, message)


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = [
            "initiative",
            "number",
            "announced_on",
            "announced_precision",
            "event",
            "total_announced",
            "sources",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's check constraint says number >= 1; say it at the field, not as a
        # "constraint violated" message at the top of the form.
        number = self.fields["number"]
        number.min_value = 1
        number.validators.append(MinValueValidator(1))
        number.widget.attrs["min"] = 1

    def clean(self):
        cleaned = super().clean()
        initiative, number = cleaned.get("initiative"), cleaned.get("number")
        if initiative and number:
            refuse_duplicate(
                self,
                "number",
                Batch.objects.filter(initiative=initiative, number=number),
                _("%(initiative)s already has a batch %(number)s.")
                % {"initiative": initiative, "number": number},
            )
        return cleaned


class BatchImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV (UTF-8) or XLSX, one row a work, at most %(mb)s MB. See docs/editors.md.")
        % {"mb": imports.MAX_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in imports.EXTENSIONS:
            raise ValidationError(
                _("“%(name)s” is not a CSV or XLSX file."), params={"name": upload.name}
            )
        if upload.size > imports.MAX_BYTES:
            raise ValidationError(
                _("The file is %(size).1f MB; the limit is %(mb)s MB."),
                params={"size": upload.size / 1024 / 1024, "mb": imports.MAX_BYTES // 1024**2},
            )
        return upload


class PublishForm(forms.Form):
    confirm_over_announced = forms.BooleanField(
        required=False,
        label=_("Publish anyway: the source really names more works than it announced."),
    )


@admin.register(Batch)
class BatchAdmin(PublicationAdmin):
    form = BatchForm
    # The name says the initiative and the number ("Travel with Micro-Dramas — batch 4"):
    # separate columns for them pushed Status off-screen at 1280 px.
    list_display = [
        "__str__",
        "announced_on",
        "total_announced",
        "listed",
        "status",
        "published_at",
        "public_state",
    ]
    list_filter = ["status", "initiative", "announced_on"]
    list_public_state = False  # the status column and filter say it
    search_fields = ["initiative__name", "initiative__name_original", "event", "slug"]
    autocomplete_fields = ["initiative", "sources", "total_source", "running_total_source"]
    readonly_fields = ["slug", "status", "published_at", "published_by"]
    fieldsets = [
        (
            None,
            {"fields": ["initiative", "number", "announced_on", "announced_precision", "event"]},
        ),
        (
            _("Counts and sources"),
            {
                "fields": [
                    "total_announced",
                    "total_basis",
                    "total_arithmetic",
                    "total_source",
                    "total_excerpt",
                    "running_total",
                    "running_total_basis",
                    "running_total_arithmetic",
                    "running_total_source",
                    "running_total_excerpt",
                    "sources",
                    "notes",
                ]
            },
        ),
        (_("Publication"), {"fields": ["status", "published_at", "published_by", "slug"]}),
    ]
    inlines = [BatchThemeCountInline, RecommendationInline]
    actions = ["publish_selected", "unpublish_selected"]
    change_form_template = "admin/initiatives/batch/change_form.html"
    change_list_template = "admin/initiatives/batch/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("initiative").with_counts()

    @admin.display(description=_("works listed"), ordering="listed_count")
    def listed(self, batch):
        return batch.listed_count

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name=f"{prefix}_import"),
            path(
                "import/confirm/",
                view(require_POST(self.import_confirm_view)),
                name=f"{prefix}_import_confirm",
            ),
            path("<path:object_id>/publish/", view(self.publish_view), name=f"{prefix}_publish"),
            path(
                "<path:object_id>/unpublish/",
                view(require_POST(self.unpublish_view)),
                name=f"{prefix}_unpublish",
            ),
            *super().get_urls(),
        ]

    # Publishing

    @admin.action(description=_("Publish selected batches"), permissions=["change"])
    def publish_selected(self, request, queryset):
        for batch in queryset:
            if batch.is_public:
                continue
            try:
                batch_publish(batch=batch, user=request.user)
            except BatchNotPublishable as error:
                if error.needs_confirmation_only:
                    self.message_user(
                        request,
                        _(
                            "%(batch)s not published: %(problems)s. Open it and use “Publish” to "
                            "confirm."
                        )
                        % {"batch": batch, "problems": "; ".join(error.messages)},
                        messages.WARNING,
                    )
                else:
                    self.message_user(
                        request,
                        _("%(batch)s not published: %(problems)s")
                        % {"batch": batch, "problems": " ".join(error.messages)},
                        messages.ERROR,
                    )
            else:
                self.message_user(
                    request, _("%(batch)s published.") % {"batch": batch}, messages.SUCCESS
                )

    @admin.action(description=_("Put selected batches back to draft"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        for batch in queryset.public():
            batch_unpublish(batch=batch, user=request.user)
            self.message_user(request, _("%(batch)s is a draft again.") % {"batch": batch})

    def _batch_or_404(self, request: HttpRequest, object_id: str) -> Batch:
        batch = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_change_permission(request, batch):
            raise PermissionDenied
        return batch

    def publish_view(self, request, object_id):
        batch = self._batch_or_404(request, object_id)
        change_url = reverse("admin:initiatives_batch_change", args=[batch.pk])
        if batch.is_public:
            self.message_user(request, _("%(batch)s is already published.") % {"batch": batch})
            return HttpResponseRedirect(change_url)
        form = PublishForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                batch_publish(
                    batch=batch,
                    user=request.user,
                    confirm_over_announced=form.cleaned_data["confirm_over_announced"],
                )
            except BatchNotPublishable:
                self.message_user(
                    request, _("Not published: see the checks below."), messages.ERROR
                )
            else:
                self.message_user(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("%(batch)s published.") % {"batch": batch},
                        batch.get_absolute_url(),
                        _("See its public page."),
                    ),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        problems, over = batch_check(batch=batch)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Publish %(batch)s") % {"batch": batch},
            "batch": batch,
            "original": batch,
            "problems": problems,
            "over_announced": over,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/initiatives/batch/publish.html", context)

    def unpublish_view(self, request, object_id):
        batch = self._batch_or_404(request, object_id)
        batch_unpublish(batch=batch, user=request.user)
        self.message_user(
            request,
            _("%(batch)s is a draft again: it and the works listed only in it are hidden.")
            % {"batch": batch},
        )
        return HttpResponseRedirect(reverse("admin:initiatives_batch_change", args=[batch.pk]))

    # Importing

    def _check_import_permission(self, request):
        work_admin = self.admin_site._registry.get(Work)
        if not (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and work_admin is not None
            and work_admin.has_add_permission(request)
        ):
            raise PermissionDenied

    def _import_context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import a batch from a spreadsheet"),
            "columns": imports.COLUMNS,
            "max_mb": imports.MAX_BYTES // 1024 // 1024,
            **extra,
        }

    def import_view(self, request):
        self._check_import_permission(request)
        posted = request.method == "POST"
        raw_length = request.META.get("CONTENT_LENGTH") or ""
        declared = int(raw_length) if raw_length.isdigit() else 0
        if posted and declared > imports.MAX_BYTES + 64 * 1024:
            # Refuse before Django reads a huge body into a temporary file.
            form = BatchImportForm()
            return TemplateResponse(
                request,
                "admin/initiatives/batch/import.html",
                self._import_context(
                    request,
                    form=form,
                    upload_error=_("The upload is %(size).1f MB; the limit is %(mb)s MB.")
                    % {"size": declared / 1024 / 1024, "mb": imports.MAX_BYTES // 1024**2},
                ),
                status=413,
            )
        form = BatchImportForm(request.POST if posted else None, request.FILES if posted else None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                rows = imports.read_rows(name=upload.name, content=content)
            except imports.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                result = imports.apply_rows(name=upload.name, rows=rows, commit=False)
                token = hashlib.sha256(content).hexdigest()
                # The file is parsed once: its rows (not its bytes) wait in the session,
                # shared by every web process, until the editor confirms; nothing is written
                # to the catalog before that.
                request.session[IMPORT_SESSION_KEY] = {
                    "name": upload.name,
                    "rows": imports.pack_rows(rows),
                    "token": token,
                }
                return TemplateResponse(
                    request,
                    "admin/initiatives/batch/import_preview.html",
                    self._import_context(request, result=result, token=token),
                )
        return TemplateResponse(
            request, "admin/initiatives/batch/import.html", self._import_context(request, form=form)
        )

    def import_confirm_view(self, request):
        self._check_import_permission(request)
        pending = request.session.get(IMPORT_SESSION_KEY)
        if not pending or "rows" not in pending or pending["token"] != request.POST.get("token"):
            self.message_user(
                request,
                _("That preview has expired or was replaced: upload the file again."),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:initiatives_batch_import"))
        rows = imports.unpack_rows(pending["rows"])
        result = imports.apply_rows(name=pending["name"], rows=rows, commit=True)
        if not result.committed:
            # The catalog changed between preview and confirm; show what stands in the way.
            self.message_user(
                request, _("Nothing was imported: fix the errors below."), messages.ERROR
            )
            return TemplateResponse(
                request,
                "admin/initiatives/batch/import_preview.html",
                self._import_context(request, result=result, token=pending["token"]),
            )
        del request.session[IMPORT_SESSION_KEY]
        totals = result.totals
        self.message_user(
            request,
            _(
                "Imported %(file)s into %(batch)s: %(created)d works created, %(changed)d "
                "changed, %(matched)d already up to date. The batch is a draft until you "
                "publish it."
            )
            % {"file": result.file_name, "batch": result.batch, **totals},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:initiatives_batch_change", args=[result.batch.pk])
        )


@admin.register(BatchThemeCount)
class BatchThemeCountAdmin(PublicationAdmin):
    list_display = ["batch", "theme", "announced"]
    list_filter = ["theme", "batch__initiative"]
    search_fields = ["batch__initiative__name", "theme__name"]
    autocomplete_fields = ["batch", "theme", "source"]


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["batch", "work", "theme", "source", "excerpt"]

    def clean(self):
        cleaned = super().clean()
        batch, work = cleaned.get("batch"), cleaned.get("work")
        if batch and work:
            refuse_duplicate(
                self,
                "work",
                Recommendation.objects.filter(batch=batch, work=work),
                _("“%(work)s” is already listed in %(batch)s.") % {"work": work, "batch": batch},
            )
        return cleaned


@admin.register(Recommendation)
class RecommendationAdmin(LargeListAdmin, PublicationAdmin):
    form = RecommendationForm
    list_display = ["work", "batch", "theme", "source"]
    list_filter = ["batch__initiative", "batch__status", "theme"]
    search_fields = ["work__title", "work__title_original", "batch__initiative__name"]
    autocomplete_fields = ["batch", "work", "theme", "source"]
    list_select_related = ["work", "batch__initiative", "theme", "source"]


@admin.register(Figure)
class FigureAdmin(PublicationAdmin):
    list_display = ["label", "display", "period", "source", "position"]
    list_filter = ["source"]
    search_fields = ["label", "quote", "attributed_to"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["place", "initiative", "source"]


#
# Works, as this app sees them
#


class WorkRecommendationInline(LoadedRelationsInline, admin.TabularInline):
    """The batches that list the work; a listing is added from the batch page."""

    model = Recommendation
    loaded_relations = ("work", "batch__initiative", "theme", "source")
    extra = 0
    fields = ["batch", "theme", "source"]
    autocomplete_fields = ["batch", "theme", "source"]
    verbose_name = _("listing in a batch")
    verbose_name_plural = _("listed in batches")


# The catalog's work admin, extended with what only this app knows: the batches that list
# each work, and so which published batch (if any) makes it public.
admin.site.unregister(Work)


@admin.register(Work)
class WorkAdmin(catalog_admin.WorkAdmin):
    list_filter = [*catalog_admin.WorkAdmin.list_filter, "recommendations__batch__initiative"]
    inlines = [*catalog_admin.WorkAdmin.inlines, WorkRecommendationInline]
