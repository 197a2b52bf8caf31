"""Fixtures of the report and staff-figure tests."""

import pytest


@pytest.fixture
def staff(world):
    """National staff: the world's outsider (a member of no group) with `is_staff`."""
    world.outsider.is_staff = True
    world.outsider.save()
    return world.outsider
