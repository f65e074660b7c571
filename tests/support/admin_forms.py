"""Posting admin forms as a browser would: every field with the value the page showed."""

import datetime

from django.contrib.auth.models import Group, User
from django.forms import SplitDateTimeWidget


def user_in(group_name: str, username: str | None = None) -> User:
    user = User.objects.create_user(
        username or group_name.lower(), password="a-long-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def _field_values(form, prefix_name=lambda name: name):
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = prefix_name(name)
        if isinstance(field.widget, SplitDateTimeWidget):
            if isinstance(value, datetime.datetime):
                data[f"{key}_0"], data[f"{key}_1"] = (
                    value.date().isoformat(),
                    value.strftime("%H:%M:%S"),
                )
            continue
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        else:
            data[key] = value
    return data


def changeform_data(response) -> dict:
    """The POST data that submitting the admin page in ``response`` unchanged would send."""
    data = _field_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {f"{management.prefix}-{n}": management[n].value() for n in management.fields}
        for form in formset.initial_forms:
            data |= _field_values(form, lambda name, form=form: form.add_prefix(name))
        data[f"{management.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
    return data


def new_article_form(**overrides) -> dict:
    """What the admin's add-article page posts for a published article with no tags."""
    data = {
        "title": "Torkham reopens",
        "slug": "torkham-reopens",
        "standfirst": "Traders return.",
        "body": "## Queues\n\nTrucks waited at **Torkham**.",
        "status": "published",
        "published_at_0": "2025-12-02",
        "published_at_1": "09:30:00",
        "date_precision": "day",
        "source_name": "Dawn",
        "source_url": "https://example.org/torkham",
        "byline": "AP",
        "language": "en",
        "inferred_fields": "",
        "quotations-TOTAL_FORMS": "0",
        "quotations-INITIAL_FORMS": "0",
        "quotations-MIN_NUM_FORMS": "0",
        "quotations-MAX_NUM_FORMS": "1000",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data
