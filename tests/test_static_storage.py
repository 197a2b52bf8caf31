"""welzijn.storage.StaticStorage: hashed names from the manifest, worked out once per file and
process, and never an address the manifest no longer gives."""

import json

from welzijn.storage import StaticStorage


def _storage(tmp_path) -> StaticStorage:
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body { margin: 0; }")
    manifest = {"version": "1.1", "paths": {"css/site.css": "css/site.0123abcd.css"}, "hash": ""}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticStorage(location=str(tmp_path), base_url="/static/")


def test_a_file_links_to_its_hashed_name_and_an_unknown_one_to_its_own(tmp_path, settings):
    settings.DEBUG = False
    storage = _storage(tmp_path)
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert storage.url("js/new.js") == "/static/js/new.js"


def test_with_debug_on_the_plain_name_even_after_the_hashed_one_was_given(tmp_path, settings):
    settings.DEBUG = False
    storage = _storage(tmp_path)
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"


def test_collecting_again_forgets_the_addresses_given_before(tmp_path, settings):
    settings.DEBUG = False
    storage = _storage(tmp_path)
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    # A dry run empties the manifest's names and hashes nothing: the plain name from then on.
    list(storage.post_process({"css/site.css": (storage, "css/site.css")}, dry_run=True))
    assert storage.url("css/site.css") == "/static/css/site.css"
