"""The yearly report and the signals report as rows, and those rows as CSV or XLSX.

Every export, of a group and of staff, goes through csv_response or xlsx_response, which keep
text as text: a name set to `=HYPERLINK(…)` in the admin never becomes a live formula (CSV
injection, OWASP). CSV: a text cell starting with = + - @ tab or CR gets a leading apostrophe,
as Excel itself shows a text that looks like a formula. XLSX: text cells are typed as strings.
"""

import csv
import io
from typing import cast

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from reports.figures import Period, Report

Rows = list[tuple[str, str, object]]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet evaluates: text that could start a formula is prefixed
    with an apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _xlsx_text(value: str) -> str:
    # Control characters are not allowed in XLSX (openpyxl refuses them: a 500 otherwise).
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def report_rows(report: Report, title: str) -> Rows:
    rows: Rows = [
        (_("Verslag"), title, ""),
        (_("Periode"), f"{report.period.start:%d/%m/%Y} – {report.period.end:%d/%m/%Y}", ""),
        (_("Gezinnen"), _("bereikte gezinnen"), report.families_reached),
        (_("Gezinnen"), _("nieuwe gezinnen"), report.new_families),
        (_("Gezinnen"), _("afgesloten gezinnen"), report.closed_families),
        (_("Personen"), _("bereikte personen"), report.persons_reached),
        (_("Personen"), _("volwassenen"), report.adults_reached),
        (_("Personen"), _("kinderen"), report.children_reached),
        (_("Personen"), _("anderen"), report.others_reached),
        (_("Contacten"), _("alle contacten"), report.contacts),
    ]
    rows += [(_("Contacten per soort"), label, n) for label, n in report.contacts_by_kind]
    rows.append((_("Vrijwilligers"), _("uren vrijwilligerswerk"), report.volunteer_hours))
    rows += [(_("Onderwerpen"), label, n) for label, n in report.topics]
    rows += [(_("Praktische hulp"), label, n) for label, n in report.support]
    rows += [(_("Signalen per instantie"), label, n) for label, n in report.signals_by_institution]
    rows += [(_("Signalen per thema"), label, n) for label, n in report.signals_by_theme]
    return rows


def csv_response(rows: Rows, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    # Semicolons and a byte-order mark: how Excel in Belgium opens a CSV with accents correctly.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Onderdeel"), _("Omschrijving"), _("Aantal")])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: Rows, filename: str, sheet: str) -> HttpResponse:
    workbook = Workbook()
    worksheet = cast(Worksheet, workbook.active)  # a new workbook has one sheet, active
    worksheet.title = sheet[:31]
    worksheet.append([_("Onderdeel"), _("Omschrijving"), _("Aantal")])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                cell = worksheet.cell(row=row_number, column=column, value=_xlsx_text(value))
                cell.data_type = "s"  # never "f": text is never a formula
            else:
                worksheet.cell(row=row_number, column=column, value=cast(float | None, value))
    worksheet.column_dimensions["A"].width = 26
    worksheet.column_dimensions["B"].width = 40
    worksheet.column_dimensions["C"].width = 12
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def activity_rows(figures) -> Rows:
    """The activity and decree figures, then each figure's definition: the export carries them."""
    rows: Rows = [(section, label, value) for section, label, value, _d in figures.rows()]
    rows += [(_("Activiteiten per soort"), label, n) for label, n in figures.kind_rows()]
    rows += [(_("Definitie"), label, definition) for _s, label, _v, definition in figures.rows()]
    return rows


def signal_rows(tables: dict, title: str, period: Period) -> Rows:
    rows: Rows = [
        (_("Verslag"), title, ""),
        (_("Periode"), f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}", ""),
    ]
    for key, section in [
        ("by_theme", _("Per thema")),
        ("by_institution", _("Per instantie")),
        ("by_municipality", _("Per gemeente")),
        ("by_status", _("Per status")),
        ("led_to_action", _("Opgenomen in een actie of overleg, per thema")),
    ]:
        rows += [(section, label, shown) for label, _n, shown in tables[key]]
    rows.append(
        (_("Opgenomen in een actie of overleg, per thema"), _("Samen"), tables["led_to_action_total"])
    )
    return rows
