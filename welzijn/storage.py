from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, as collected by `collectstatic`.

    A file missing from the manifest (tests, a fresh checkout before `collectstatic`) is linked
    by its plain name instead of failing the page; Django's static handler and the test live
    server serve it from `static/`. Deployments always run `collectstatic` (docs/deploy.md).

    Every page links the same few files: each one's URL is worked out once per process (the
    manifest is read when the storage starts and changes only in `post_process`, which starts
    the memo afresh), not on every `{% static %}`.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            return name

    def url(self, name: str, force: bool = False) -> str:
        if force or settings.DEBUG:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url

    def post_process(self, *args, **kwargs):
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
