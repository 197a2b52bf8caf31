from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, as collected by `collectstatic`.

    A file missing from the manifest (tests, a fresh checkout before `collectstatic`) is linked
    by its plain name instead of failing the page; Django's static handler and the test live
    server serve it from `static/`. Deployments always run `collectstatic` (docs/deploy.md).
    """

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            return name
