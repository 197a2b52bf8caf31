"""Fixtures of the report and staff-figure tests."""

import pytest
from django.core.cache import cache


@pytest.fixture
def staff(world):
    """National staff: the world's outsider (a member of no group) with `is_staff`."""
    world.outsider.is_staff = True
    world.outsider.save()
    return world.outsider


@pytest.fixture
def cached(settings):
    """The staff figures' cache on (10 minutes, as in production), empty before and after."""
    settings.STAFF_FIGURES_MAX_AGE = 600
    cache.clear()
    yield
    cache.clear()
