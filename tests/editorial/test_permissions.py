"""Who may do what in the admin: the Editors group, createeditor, login and lockout."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from core import publication
from initiatives.services import editors_group_sync
from tests.factories import UserFactory

from .conftest import PASSWORD

User = get_user_model()


def run_createeditor(*args, **options) -> str:
    out = io.StringIO()
    call_command("createeditor", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


#
# The Editors group
#


@pytest.mark.django_db
def test_the_migration_creates_the_editors_group_with_exactly_the_catalog_and_initiative_rights():
    group = Group.objects.get(name="Editors")
    labels = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert labels == {"catalog", "initiatives"}
    # Every record an editor keeps; not the derived ones core.publication writes.
    expected = Permission.objects.filter(
        content_type__app_label__in=["catalog", "initiatives"]
    ).exclude(content_type__model__in=[m._meta.model_name for m in publication.derived_models()])
    assert set(group.permissions.all()) == set(expected)
    assert set(editors_group_sync().permissions.all()) == set(expected)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_batch", "change_batch", "delete_work", "view_historicalwork"} <= codenames


@pytest.mark.django_db
def test_the_editors_group_has_nothing_on_users_groups_api_keys_or_lockouts():
    group = editors_group_sync()
    forbidden = group.permissions.filter(
        content_type__app_label__in=["auth", "rest_framework_api_key", "axes", "admin"]
    )
    assert not forbidden.exists()


#
# createeditor
#


@pytest.mark.django_db
def test_createeditor_creates_a_staff_user_in_the_editors_group():
    output = run_createeditor("mei", password=PASSWORD, email="mei@example.org")
    user = User.objects.get(username="mei")
    assert "Editor “mei” created." in output
    assert user.is_staff
    assert not user.is_superuser
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.has_perm("initiatives.change_batch")
    assert not user.has_perm("auth.view_user")


@pytest.mark.django_db
def test_createeditor_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    run_createeditor("lin", interactive=False)
    assert User.objects.get(username="lin").check_password(PASSWORD)


@pytest.mark.django_db
def test_createeditor_prompts_for_the_password_when_none_is_given(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)
    run_createeditor("wang")
    assert User.objects.get(username="wang").check_password(PASSWORD)


@pytest.mark.django_db
def test_createeditor_without_a_password_and_without_input_fails_clearly(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="No password for the new editor “zhao”"):
        run_createeditor("zhao", interactive=False)
    assert not User.objects.filter(username="zhao").exists()


@pytest.mark.django_db
def test_createeditor_refuses_a_weak_password_with_the_validators_message():
    with pytest.raises(CommandError, match="Password refused: This password is too short"):
        run_createeditor("qian", password="abc")
    assert not User.objects.filter(username="qian").exists()


@pytest.mark.django_db
def test_createeditor_run_twice_keeps_one_account_and_changes_the_password_only_when_given():
    run_createeditor("mei", password=PASSWORD)
    output = run_createeditor("mei", interactive=False)
    assert "already existed" in output
    assert User.objects.filter(username="mei").count() == 1
    assert User.objects.get(username="mei").check_password(PASSWORD)
    run_createeditor("mei", password="another long passphrase")
    assert User.objects.get(username="mei").check_password("another long passphrase")


@pytest.mark.django_db
def test_createeditor_makes_an_existing_plain_user_an_editor():
    UserFactory(username="plain", is_staff=False)
    run_createeditor("plain", interactive=False)
    user = User.objects.get(username="plain")
    assert user.is_staff
    assert user.groups.filter(name="Editors").exists()


@pytest.mark.django_db
def test_createeditor_says_so_when_it_reactivates_a_deactivated_account():
    UserFactory(username="gone", is_active=False)
    output = run_createeditor("gone", interactive=False)
    assert "was deactivated: active again" in output
    assert User.objects.get(username="gone").is_active


@pytest.mark.django_db
def test_createeditor_refuses_a_username_the_admin_would_refuse():
    with pytest.raises(CommandError, match="Username “mei li!” refused"):
        run_createeditor("mei li!", password=PASSWORD)
    assert not User.objects.filter(username="mei li!").exists()


#
# What an editor can open
#


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        "/admin/rest_framework_api_key/apikey/",
        "/admin/rest_framework_api_key/apikey/add/",
        "/admin/axes/accessattempt/",
    ],
)
def test_an_editor_cannot_open_user_group_api_key_or_lockout_admin(editor_client, url):
    assert editor_client.get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/initiatives/batch/",
        "/admin/initiatives/batch/add/",
        "/admin/initiatives/batch/import/",
        "/admin/catalog/work/",
        "/admin/catalog/work/add/",
        "/admin/catalog/source/add/",
    ],
)
def test_an_editor_can_open_the_catalog_and_initiative_admin(editor_client, url):
    assert editor_client.get(url).status_code == 200


def test_the_admin_index_shows_an_editor_no_user_or_api_key_section(editor_client):
    text = editor_client.get("/admin/").content.decode()
    assert "/admin/auth/user/" not in text
    assert "/admin/rest_framework_api_key/" not in text
    assert "/admin/initiatives/batch/" in text


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/initiatives/batch/", "/admin/initiatives/batch/import/"]
)
def test_an_anonymous_visitor_is_redirected_to_the_admin_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_logged_in_non_staff_user_is_sent_to_the_login_page(client, db):
    client.force_login(UserFactory(username="visitor"))
    response = client.get("/admin/initiatives/batch/")
    assert response.status_code == 302


def test_a_superuser_can_manage_users_and_api_keys(admin_user_client):
    assert admin_user_client.get("/admin/auth/user/").status_code == 200
    assert admin_user_client.get("/admin/rest_framework_api_key/apikey/").status_code == 200


#
# Login: lockout and CSRF
#


def login(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.7",
    )


def test_five_failed_logins_lock_the_account_out_even_with_the_right_password(client, editor):
    for _attempt in range(5):
        response = login(client, "editor", "wrong guess")
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed logins" in response.content.decode()


def test_a_correct_login_before_the_limit_works_and_resets_the_count(client, editor):
    for _attempt in range(4):
        login(client, "editor", "wrong guess")
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_the_admin_login_requires_a_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD})
    assert response.status_code == 403
