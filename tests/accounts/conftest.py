"""What the account tests share: a person with a password and a verified e-mail address."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

PASSWORD = "ein-sehr-langes-passwort"


@pytest.fixture
def person():
    user = get_user_model().objects.create_user(
        email="pat.person@example.org", password=PASSWORD, name="Pat Person"
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user
