from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files in production.

    Not strict, so that tests and a fresh checkout render pages before `collectstatic` has run;
    `make run` and the deployment run `collectstatic`, which writes the manifest.
    """

    manifest_strict = False
