"""Admin machinery the domain apps' admins share: publication state in every list, and every
editor's save, revert and delete passed through core.publication."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models, transaction
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import publication
from .publication import Touched

# An address typed without a scheme is taken as https:// (Django 6's default, today).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

# Records named per model in a warning before a delete; the rest are counted.
WARNING_LIMIT = 20


class LargeListAdmin:
    """The admin list of a table that grows with the catalog (works and their links: a
    million rows and more at 1M works). It shows the newest records first, read backwards
    along the primary key's index, where the model's order (a title, a batch's date) sorted
    the whole table for each page: 0.5 s for the works, 1.7 to 2.4 s for their places,
    organisations and listings. And a filtered or searched list does not also count the
    whole table ("of 1,000,000"). A column's header still sorts by it."""

    ordering = ["-pk"]
    show_full_result_count = False


class LoadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that shows its chosen record from the form's instance when the
    inline's rows came with it (LoadedRelationsInline), where Django's asks the database
    for it once per widget and row: a batch's page made about six queries per listing (50
    listings, some 300 queries; 500 of the 1M-work catalog's, over 2,700 and 8 s)."""

    loaded = None  # the chosen record, as the form's instance holds it

    def optgroups(self, name, value, attr=None):
        loaded = self.loaded
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        # The field the relation points at, as Django's optgroups finds it.
        remote = self.field.remote_field.model._meta
        to_field = getattr(self.field.remote_field, "field_name", remote.pk.attname)
        to_field = remote.get_field(to_field).attname
        chosen = None if loaded is None else getattr(loaded, to_field)
        if chosen is None or selected != {str(chosen)}:
            return super().optgroups(name, value, attr)
        # Django's options, built as AutocompleteSelect.optgroups builds them.
        default = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(loaded)
        default[1].append(self.create_option(name, chosen, label, selected, len(default[1])))
        return [default]


class LoadedRelationsForm(forms.ModelForm):
    """Hands each LoadedAutocompleteSelect the record its instance already holds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        held = self.instance._state.fields_cache
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # the admin's wrapper
            if isinstance(widget, LoadedAutocompleteSelect) and name in held:
                widget.loaded = held[name]


class LoadedRelationsInline:
    """An inline whose rows come with the records they name (`select_related` of
    `loaded_relations`): each row's title (its `__str__`) and its autocompletes' chosen
    records cost no query of their own. Its form must be a LoadedRelationsForm."""

    form = LoadedRelationsForm
    loaded_relations: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.loaded_relations)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LoadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PublicStateFilter(admin.SimpleListFilter):
    """Public or not, through the model's own `public()`."""

    title = _("public")
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", _("public")), ("no", _("not public"))]

    def queryset(self, request, queryset):
        public = queryset.model._default_manager.public().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=public)
        if self.value() == "no":
            return queryset.exclude(pk__in=public)
        return queryset


@dataclass
class _Pending:
    obj: models.Model
    before: Touched
    was_public: bool


class PublicationAdmin(SimpleHistoryAdmin):
    """The admin of a record the public can reach, or of a link between such records.

    Lists show whether each record is public and filter on it. Saving (a form, its inlines,
    a pop-up, a revert to an older version) and deleting recompute what the change touched,
    through core.publication: a draft's records stay hidden, deleting drafts reveals nothing,
    and the publication fields are never taken from a form or an old version."""

    delete_confirmation_template = "admin/public_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/public_delete_selected_confirmation.html"
    actions = ["publish_on_their_own", "withdraw_on_their_own"]

    # False where the list already shows the state in its own words (a batch's status).
    list_public_state = True

    def _has_public_state(self) -> bool:
        # A record of its own (not a link, whose state is that of what it links).
        return hasattr(self.model, "is_public")

    # Lists

    def get_list_display(self, request):
        display = list(super().get_list_display(request))
        if self.list_public_state and self._has_public_state() and "public_state" not in display:
            display.append("public_state")
        return display

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if self.list_public_state and self._has_public_state() and PublicStateFilter not in filters:
            filters.insert(0, PublicStateFilter)
        return filters

    @admin.display(description=_("public"), ordering="-is_public")
    def public_state(self, obj):
        if not obj.is_public:
            return _("draft: not public")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("public: view"))

    def view_on_site(self, obj):
        # No "View on site" button to a page that answers 404 until something publishes it.
        if self._has_public_state() and obj.is_public and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return None

    @admin.display(description=_("public because"))
    def public_because(self, obj):
        """What makes the record public, or why it is not."""
        if obj.pk is None:
            return _("not public until something publishes it")
        reasons = []
        if getattr(obj, "published_directly", False):
            reasons.append(format_html("{}", _("published on its own")))
        for model, records in publication.shown_by(obj):
            reasons.append(
                format_html(
                    "{}: {}",
                    model._meta.verbose_name_plural,
                    format_html_join(", ", "{}", ((str(record),) for record in records)),
                )
            )
        if not reasons:
            return _("not public: nothing published shows it, and it is not published on its own")
        return format_html_join(mark_safe("<br>"), "{}", ((reason,) for reason in reasons))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if hasattr(self.model, "published_directly") and "public_because" not in fields:
            fields.append("public_because")
        return fields

    # Saving

    def save_model(self, request, obj, form, change):
        stored = type(obj)._base_manager.filter(pk=obj.pk).first() if change else None
        if stored is not None:
            for name in getattr(self.model, "PUBLICATION_FIELDS", ()):
                field = self.model._meta.get_field(name)
                setattr(obj, field.attname, getattr(stored, field.attname))
        request._publication_pending = _Pending(
            obj,
            before=publication.touched_by(stored) if stored is not None else {},
            was_public=stored is not None and publication.is_public(stored),
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._record_pending(request)

    def _record_pending(self, request):
        pending = getattr(request, "_publication_pending", None)
        request._publication_pending = None
        if pending is not None:
            publication.record_changed(
                pending.obj, before=pending.before, was_public=pending.was_public
            )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A revert saves the model and its many-to-many fields without save_related: record
        # the change once both are saved, in the same transaction.
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            self._record_pending(request)
        return response

    # Deleting

    def delete_model(self, request, obj):
        before, any_public = publication.touched_by(obj), publication.is_public(obj)
        super().delete_model(request, obj)
        publication.records_deleted(before=before, any_public=any_public)

    def delete_queryset(self, request, queryset):
        before: Touched = {}
        any_public = False
        for obj in queryset:
            for model, pks in publication.touched_by(obj).items():
                before.setdefault(model, set()).update(pks)
            any_public = any_public or publication.is_public(obj)
        super().delete_queryset(request, queryset)
        publication.records_deleted(before=before, any_public=any_public)

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is not None and request.method != "POST":
            extra_context["public_withdrawals"] = withdrawal_warning([obj])
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _func, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected_warning_of_withdrawals, name, description)
        if not (self._has_public_state() and hasattr(self.model, "published_directly")):
            actions.pop("publish_on_their_own", None)
            actions.pop("withdraw_on_their_own", None)
        return actions

    @admin.action(description=_("Publish selected on their own"), permissions=["change"])
    def publish_on_their_own(self, request, queryset):
        for record in queryset:
            publication.record_publish(record=record, user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d record published on its own.",
                "%(count)d records published on their own.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Withdraw selected (published on their own)"), permissions=["change"]
    )
    def withdraw_on_their_own(self, request, queryset):
        still_public = []
        for record in queryset:
            publication.record_unpublish(record=record, user=request.user)
            if record.is_public:
                still_public.append(str(record))
        self.message_user(request, _("Withdrawn."), messages.SUCCESS)
        if still_public:
            self.message_user(
                request,
                _("Still public, because something published shows them: %(records)s.")
                % {"records": ", ".join(still_public)},
                messages.WARNING,
            )


def withdrawal_warning(objs) -> list[tuple[str, list[str], int]]:
    """[(model name, first records' names, how many in all)] of what deleting `objs` would
    take off the public site."""
    rows = []
    for model, pks in publication.withdrawal_preview(objs).withdrawn.items():
        names = [str(record) for record in model._base_manager.filter(pk__in=pks)[:WARNING_LIMIT]]
        rows.append((str(model._meta.verbose_name_plural), names, len(pks)))
    return sorted(rows)


def delete_selected_warning_of_withdrawals(modeladmin, request, queryset):
    """Django's "delete selected" action, whose confirmation page also lists what would leave
    the public site."""
    response = delete_selected(modeladmin, request, queryset)
    if isinstance(response, TemplateResponse) and not request.POST.get("post"):
        response.context_data["public_withdrawals"] = withdrawal_warning(queryset)
    return response
