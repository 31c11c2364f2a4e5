"""`manage.py createeditor <username>`: a staff account in the Editors group.

The password comes from --password, else from the EDITOR_PASSWORD environment variable,
else from a prompt. Running it again for an existing user makes sure the account is staff
and in the group, and changes the password only when one is given."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from initiatives.services import EDITORS_GROUP, editors_group_sync

PASSWORD_ENV = "EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create (or update) an editor: a staff account in the Editors group, which may "
        "manage catalog and initiative records but not users, groups or API keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="The editor's e-mail address.")
        parser.add_argument(
            "--password",
            help=f"The password (else ${PASSWORD_ENV}, else a prompt). Checked against "
            "the password validators.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Never prompt; fail when no password is given for a new account.",
        )

    def handle(self, *args, username, email, password, interactive, **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("The username must not be empty.")
        user = User.objects.filter(username=username).first()
        if user is None:
            # The checks the admin's user form makes (allowed characters, length).
            try:
                User._meta.get_field(User.USERNAME_FIELD).run_validators(username)
            except ValidationError as error:
                raise CommandError(
                    f"Username “{username}” refused: " + " ".join(error.messages)
                ) from error
        password = password if password is not None else os.environ.get(PASSWORD_ENV)
        if password is None and user is None:
            if not interactive:
                raise CommandError(
                    f"No password for the new editor “{username}”: pass --password, set "
                    f"{PASSWORD_ENV}, or run the command without --no-input to be prompted."
                )
            password = self.prompt_password()
        if password is not None:
            try:
                validate_password(password, user=user or User(username=username, email=email))
            except ValidationError as error:
                raise CommandError("Password refused: " + " ".join(error.messages)) from error

        with transaction.atomic():
            created = user is None
            if created:
                user = User(username=username, email=email)
            elif email:
                user.email = email
            reactivated = not created and not user.is_active
            user.is_staff = True
            user.is_active = True
            if password is not None:
                user.set_password(password)
            user.save()
            user.groups.add(editors_group_sync())

        if created:
            self.stdout.write(self.style.SUCCESS(f"Editor “{username}” created."))
        else:
            changed = " (password changed)" if password is not None else ""
            if reactivated:
                changed += " (was deactivated: active again)"
            self.stdout.write(
                self.style.SUCCESS(
                    f"Editor “{username}” already existed: staff and in {EDITORS_GROUP}{changed}."
                )
            )
        if user.is_superuser:
            self.stdout.write(
                self.style.WARNING(f"“{username}” is also a superuser; that was left as it is.")
            )

    def prompt_password(self) -> str:
        for _attempt in range(3):
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
            if not first:
                self.stderr.write("The password must not be empty.")
            elif first != second:
                self.stderr.write("The two passwords differ.")
            else:
                return first
        raise CommandError("No password given after three attempts.")
