"""A stale form never undoes someone else's change: one mechanism for every edit form.

How it works (households were first; visits, signals, persons and memberships use the same):

- the model has a `version` column, raised by one with every save through the app;
- the form mixes in `VersionedFormMixin`: a hidden `version`, and every field rendered with
  `show_hidden_initial`, so a POST holds what the user **saw** and what they **typed**;
  `changed_fields` are the fields where the two differ, and only those are written (and named
  in the access log);
- the service calls `save_versioned()`: one `UPDATE … WHERE pk = … AND version = …` that also
  raises the version. No row matched: `EditConflictError`, nothing written;
- the view calls `rebase()` and shows the form again with `templates/_conflict.html`: what the
  other person changed, a field only they changed takes the stored value, a field this user
  changed keeps what they typed. Saving again is checked against the version just shown.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from django import forms
from django.db import models
from django.db.models import F, QuerySet
from django.http import QueryDict
from django.utils import timezone

VERSION = "version"


class EditConflictError(Exception):
    """Someone saved the record after this form was opened. `current` is the stored record,
    or None when it was deleted in the meantime."""

    def __init__(self, current: models.Model | None) -> None:
        super().__init__(f"{current!r} moved on" if current is not None else "deleted")
        self.current = current


class VersionedFormMixin:
    """For a ModelForm of a model with a `version` column. Mix in before `forms.ModelForm`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance  # type: ignore[attr-defined]
        if instance.pk is None:
            return
        self.fields[VERSION] = forms.IntegerField(  # type: ignore[attr-defined]
            widget=forms.HiddenInput, required=False, initial=instance.version
        )
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if name != VERSION:
                field.show_hidden_initial = True

    @property
    def changed_fields(self) -> list[str]:
        """The fields this user changed (the version is bookkeeping, not data)."""
        return [name for name in self.changed_data if name != VERSION]  # type: ignore[attr-defined]

    @property
    def expected_version(self) -> int:
        """The version the user saw; a form without one counts as 0 and always conflicts."""
        return self.cleaned_data.get(VERSION) or 0  # type: ignore[attr-defined]


def save_versioned(
    instance: models.Model, *, expected_version: int, fields: Iterable[str], **extra: Any
) -> None:
    """Write `fields` of `instance` (and `extra` values) if the stored version is still
    `expected_version`; raise the version. Raises EditConflictError, writing nothing, otherwise.

    Call inside the service's transaction, after `full_clean()`."""
    model = type(instance)
    concrete = {f.name for f in model._meta.concrete_fields}
    values = {name: getattr(instance, name) for name in fields if name in concrete}
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            values[field.name] = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        **values, **extra, version=F(VERSION) + 1
    )
    if not updated:
        raise EditConflictError(model._default_manager.filter(pk=instance.pk).first())
    instance.version = expected_version + 1  # type: ignore[attr-defined]


def rebase[FormT: forms.BaseForm](
    form: FormT, current: models.Model, make_form: Callable[..., FormT]
) -> tuple[FormT, list[tuple[str, str]]]:
    """Base `form` on the stored `current` record without losing anyone's work.

    `make_form(data, instance)` builds the same form class. Per field, comparing what this user
    saw, what they typed and what is stored now: a field only the other person changed takes
    the stored value (so saving again does not undo their change); a field this user changed
    keeps what they typed. Returns the new bound form and (label, stored value) of each field
    the other person changed, for the notice."""
    fresh = make_form(None, current)
    changed: list[tuple[str, str]] = []
    data = cast("QueryDict | dict[str, Any]", form.data).copy()
    data[form.add_prefix(VERSION)] = str(current.version)  # type: ignore[attr-defined]
    for name, field in form.fields.items():
        if name == VERSION or name not in fresh.fields:
            continue
        seen_raw = field.hidden_widget().value_from_datadict(
            form.data, form.files, form.add_initial_prefix(name)
        )
        try:
            seen = field.to_python(seen_raw)
        except forms.ValidationError:
            seen = seen_raw
        stored = fresh[name].initial
        now = _as_data(stored)
        if field.has_changed(stored, seen_raw):
            changed.append((str(field.label), display(fresh[name])))
            if not field.has_changed(seen, form[name].data):
                _put(data, form.add_prefix(name), now)
        _put(data, form.add_initial_prefix(name), now)
    rebased = make_form(data, current)
    rebased.is_valid()
    return rebased, changed


def display(bound: forms.BoundField) -> str:
    """A field's stored value as people read it: choice labels, names, not ids."""
    field, value = bound.field, bound.initial
    if isinstance(field, forms.ModelMultipleChoiceField):
        pks = [getattr(v, "pk", v) for v in value or []]
        chosen = cast(QuerySet[Any], field.queryset).filter(pk__in=pks)
        return ", ".join(field.label_from_instance(o) for o in chosen) or "–"
    if isinstance(field, forms.ModelChoiceField):
        pk = getattr(value, "pk", value)
        obj = cast(QuerySet[Any], field.queryset).filter(pk=pk).first() if pk else None
        return field.label_from_instance(obj) if obj else "–"
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): str(v) for k, v in _flat_choices(cast(list[tuple[Any, Any]], field.choices))}
        values = value if isinstance(value, list | tuple) else [value]
        shown = [labels.get(str(v), str(v)) for v in values if v not in (None, "")]
        return ", ".join(shown) or "–"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value) if value not in (None, "") else "–"


def _flat_choices(choices: Sequence) -> list[tuple[Any, Any]]:
    flat: list[tuple[Any, Any]] = []
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat


def _as_data(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def _put(data, key: str, value: Any) -> None:
    if isinstance(value, list):
        data.setlist(key, value)
    else:
        data[key] = value
