"""Derived tables kept between runs: same value as building, rebuilt when anything
they depend on differs or the file is damaged, never an error."""
import os

from dyad.resources import cache


def _counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_a_table_is_built_once_then_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("DYAD_CACHE_DIR", str(tmp_path))
    build, calls = _counting({"kabul": ("AFG", 35.5, 69.2), "herat": ("AFG", 34.3, 62.2)})
    first = cache.derived("t", build)
    again = cache.derived("t", build)
    assert first == again == build() and len(calls) == 2  # built once by derived, once here
    assert [p.suffix for p in tmp_path.iterdir()] == [".marshal"]


def test_a_damaged_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("DYAD_CACHE_DIR", str(tmp_path))
    build, calls = _counting((frozenset({"tehran"}), frozenset({"iran"})))
    cache.derived("t", build)
    for p in tmp_path.iterdir():
        p.write_bytes(b"\x00garbage")
    assert cache.derived("t", build) == (frozenset({"tehran"}), frozenset({"iran"}))
    assert len(calls) == 2


def test_off_or_unwritable_means_building_every_time(tmp_path, monkeypatch):
    build, calls = _counting([1, 2, 3])
    monkeypatch.setenv("DYAD_CACHE_DIR", "off")
    assert cache.derived("t", build) == [1, 2, 3]
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("DYAD_CACHE_DIR", str(blocked / "sub"))
    assert cache.derived("t", build) == [1, 2, 3]
    assert len(calls) == 2 and blocked.read_text() == "not a folder"


def test_the_key_follows_the_builder_module(tmp_path, monkeypatch):
    """A table built by another module's code (or another version) is another file."""
    from dyad.extract import actors, places

    assert cache._key("t", places._build_geonames_index) != cache._key("t", actors._build_city_table)
    assert cache._key("t", places._build_geonames_index) == cache._key("t", places._build_geonames_index)
    assert cache._key("t", places._build_geonames_index) != cache._key("u", places._build_geonames_index)


def test_gazetteer_read_back_equals_the_built_one(tmp_path, monkeypatch):
    from dyad.extract import places

    monkeypatch.setenv("DYAD_CACHE_DIR", str(tmp_path))
    built = cache.derived("geonames-index", places._build_geonames_index)
    read = cache.derived("geonames-index", places._build_geonames_index)
    assert read == built and len(read) > 50_000
    assert read["herat"][0][2] == "AFG" and read["afghanistan"][0][0] == 0  # countries rank first
    assert os.listdir(tmp_path)
