"""A chart with nothing to show is one plain sentence: no empty drawing, and no "Toon als tabel"
that unfolds a table of zeros. Every page that includes a chart: the dashboard (three charts) and
the yearly report (five)."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from visits.models import Visit

FIGURE = re.compile(r'<figure class="chart">(.*?)</figure>', re.S)
NO_DATA = "Geen gegevens voor deze periode."


def charts(client, name: str, **params) -> list[str]:
    html = client.get(reverse(f"reports:{name}", kwargs={"slug": "brugge"}), params).content.decode()
    return FIGURE.findall(html)


def is_drawn(chart: str) -> bool:
    return "<svg" in chart and "<details" in chart and "Toon als tabel" in chart and NO_DATA not in chart


def is_sentence(chart: str) -> bool:
    return NO_DATA in chart and "<svg" not in chart and "<details" not in chart and "<table" not in chart


def test_the_dashboard_draws_the_charts_with_data_and_says_so_for_the_empty_ones(world, as_user):
    # The world's one contact (today) has no topics and no practical help.
    months, topics, support = charts(as_user(world.coordinator_a), "home")
    assert is_drawn(months)
    assert is_sentence(topics) and is_sentence(support)


def test_a_dashboard_without_contacts_in_twelve_months_has_no_empty_month_chart(world, as_user):
    Visit.objects.filter(pk=world.visit_a.pk).update(date=timezone.localdate() - timedelta(days=800))
    found = charts(as_user(world.coordinator_a), "home")
    assert len(found) == 3
    assert all(is_sentence(chart) for chart in found), found


def test_every_chart_of_the_yearly_report_is_either_drawn_or_a_sentence(world, as_user):
    client = as_user(world.coordinator_a)
    this_year = charts(client, "report")
    assert len(this_year) == 5
    # Today's contact gives the contact kinds and the signal the institutions and themes;
    # topics and practical help are empty.
    assert [is_drawn(chart) for chart in this_year] == [True, False, False, True, True]
    assert [is_sentence(chart) for chart in this_year] == [False, True, True, False, False]

    empty_year = charts(client, "report", start="2001-01-01", end="2001-12-31")
    assert len(empty_year) == 5
    assert all(is_sentence(chart) for chart in empty_year), empty_year


def test_the_month_labels_under_the_columns_do_not_touch_and_the_table_names_each_month(world, as_user):
    """Twelve columns in a chart 100 wide: "aug." beside "sep." touched on a phone. Under the
    columns each month is its initial; the table (and each label's tooltip) names it in full."""
    (months, *_rest) = charts(as_user(world.coordinator_a), "home")
    svg, table = months.split("<details", 1)
    ticks = re.findall(r'class="chart-label small"[^>]*><title>([^<]*)</title>([^<]*)</text>', svg)
    assert len(ticks) == 12
    assert all(len(tick) == 1 and tick == title[0].upper() for title, tick in ticks), ticks
    cells = re.findall(r"<tr><td>([^<]*)</td>", table)
    assert cells == [title for title, _tick in ticks]
    assert {"aug.", "sep.", "mei"} <= set(cells)


def test_the_report_words_say_people_not_heads(world, as_user):
    html = as_user(world.coordinator_a).get(reverse("reports:report", kwargs={"slug": "brugge"})).content
    text = html.decode()
    assert "koppen" not in text
    assert "De mensen die bij elke activiteit zonder naam geteld werden, opgeteld." in text
