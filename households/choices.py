"""Choice lists shared by households, visits and reporting."""

import functools
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LifeDomain(models.TextChoices):
    """The levensdomeinen: used for households' needs, visit topics and signals."""

    HOUSING = "housing", _("wonen")
    HEALTH = "health", _("gezondheid")
    INCOME_DEBT = "income_debt", _("inkomen & schulden")
    WORK = "work", _("werk")
    EDUCATION = "education", _("onderwijs")
    LEISURE = "leisure", _("vrije tijd")
    PAPERWORK = "paperwork", _("administratie")
    ENERGY = "energy", _("energie")
    FOOD = "food", _("voeding")
    MOBILITY = "mobility", _("mobiliteit")
    SOCIAL_NETWORK = "social_network", _("sociaal netwerk")


class Language(models.TextChoices):
    """Languages families in Flanders often speak; 'other' covers the rest."""

    DUTCH = "nl", pgettext_lazy("taal die een gezin spreekt", "Nederlands")
    FRENCH = "fr", _("Frans")
    ENGLISH = "en", _("Engels")
    ARABIC = "ar", _("Arabisch")
    TURKISH = "tr", _("Turks")
    BERBER = "ber", _("Berbers")
    POLISH = "pl", _("Pools")
    ROMANIAN = "ro", _("Roemeens")
    BULGARIAN = "bg", _("Bulgaars")
    RUSSIAN = "ru", _("Russisch")
    UKRAINIAN = "uk", _("Oekraïens")
    SPANISH = "es", _("Spaans")
    PORTUGUESE = "pt", _("Portugees")
    DARI = "prs", _("Dari")
    PASHTO = "ps", _("Pasjtoe")
    TIGRINYA = "ti", _("Tigrinya")
    SOMALI = "so", _("Somalisch")
    KURDISH = "ku", _("Koerdisch")
    ALBANIAN = "sq", _("Albanees")
    SIGN = "sgn", _("Vlaamse Gebarentaal")
    OTHER = "other", _("andere taal")


class ReferralSource(models.TextChoices):
    OCMW = "ocmw", _("OCMW / sociale dienst")
    CAW = "caw", _("CAW")
    SCHOOL = "school", _("school")
    KIND_EN_GEZIN = "kind_en_gezin", _("Kind en Gezin / Opgroeien")
    HEALTH = "health", _("huisarts of ziekenfonds")
    ORGANISATION = "organisation", _("andere organisatie")
    ACQUAINTANCE = "acquaintance", _("via familie, buren of vrienden")
    SELF = "self", _("zelf aangeklopt")
    OTHER = "other", _("anders")


@functools.cache
def _labels_of(choices: type[models.Choices]) -> dict[str, object]:
    return dict(choices.choices)  # the labels stay lazy: each is translated when shown


def labels(choices: type[models.Choices], values: Iterable[str]) -> list[str]:
    """The labels of `values` (an array column: needs, topics, themes …) in their order, in the
    active language; a value that is no longer a choice is left out. A dictionary looked up per
    value, where `Choices(value).label` and `Choices.values` built the enum and the list anew."""
    known = _labels_of(choices)
    return [str(known[value]) for value in values if value in known]
