"""Post a form the way a browser would: from the page's own HTML, with what it shows filled in.

`form_data(client, page_url, contains="p3-first_name")` GETs the page, finds the POST form that
has a field named `contains` (or the first POST form that is not the logout or language form),
and returns its fields as a browser would send them untouched: text inputs and hidden inputs
(the version, the hidden initial values, the submission id) with their values, checked boxes and
radios, selected options, textareas. Update the dict with what the "user" types, then post it.
"""

from html.parser import HTMLParser

SITE_FORMS = ("/accounts/logout/", "/i18n/setlang/")


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": [],
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form["fields"]
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None and self._form is not None:
                self._form["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            if self._form is not None:
                name, value = self._form["fields"][-1]
                # A browser drops the newline right after <textarea>.
                self._form["fields"][-1] = (name, value[1:] if value.startswith("\n") else value)
            self._textarea = None


def forms_in(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["method"] == "post" and not f["action"].startswith(SITE_FORMS)]


def form_data(client, page_url: str, *, contains: str | None = None) -> dict[str, list[str] | str]:
    """The untouched POST body of a form on `page_url` (see the module docstring)."""
    response = client.get(page_url)
    assert response.status_code == 200, (page_url, response.status_code)
    candidates = forms_in(response.content.decode())
    if contains is not None:
        candidates = [f for f in candidates if any(name == contains for name, _ in f["fields"])]
    assert candidates, f"no POST form on {page_url}" + (f" with a field {contains}" if contains else "")
    data: dict[str, list[str]] = {}
    for name, value in candidates[0]["fields"]:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}
