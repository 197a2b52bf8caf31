from django.urls import register_converter


class ExportFormat:
    """The download formats of reports: /report/export.csv and /report/export.xlsx."""

    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "fmt")
