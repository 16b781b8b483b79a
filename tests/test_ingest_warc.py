"""WARC archives: HTML responses become Documents; everything else is skipped; damage is reported."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from dyad.ingest import content_hash, iter_documents  # noqa: E402
from dyad.model import Document  # noqa: E402

CRAWL_DATE = "2031-07-09T12:00:00Z"  # far from any publication date in the pages


def page(title: str, body: str, published: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{meta}"
        f'<meta property="og:site_name" content="Border Gazette"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paras}</article></body></html>"
    ).encode("utf-8")


CROSSING = page(
    "Crossing reopens after talks",
    "The crossing reopened on Monday morning after officials from both countries settled a dispute over customs fees.\n"
    "Long lines of trucks began moving again within hours of the announcement.",
    published="2024-03-04T07:00:00+03:30",
)
WATER = page(
    "Ministers meet on water sharing",
    "Ministers from the two countries met on Tuesday to discuss how to share the water of a border river.\n"
    "Experts will visit the dam next month.",
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def response(writer: WARCWriter, url: str, payload: bytes, content_type: str = "text/html; charset=utf-8",
             status: str = "200 OK") -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, "response", payload=BytesIO(payload), http_headers=http,
        warc_headers_dict={"WARC-Date": CRAWL_DATE},
    )
    writer.write_record(record)


def request(writer: WARCWriter, url: str) -> None:
    http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "gazette.example")], is_http_request=True)
    writer.write_record(writer.create_warc_record(url, "request", payload=BytesIO(b""), http_headers=http))


def build(path: Path, gz: bool = False) -> Path:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "dyad tests"}))
        request(writer, "https://gazette.example/crossing")
        response(writer, "https://gazette.example/crossing", CROSSING)
        response(writer, "https://gazette.example/truck.png", PNG, content_type="image/png")
        response(writer, "https://gazette.example/missing", b"<html><body><p>Not found</p></body></html>",
                 status="404 Not Found")
        writer.write_record(writer.create_warc_record(
            "https://gazette.example/crossing", "metadata", payload=BytesIO(b"outlinks: none\n"),
            warc_content_type="application/warc-fields"))
        response(writer, "https://gazette.example/water", WATER)
    return path


def read(*paths) -> list[Document]:
    return list(iter_documents([str(p) for p in paths]))


def check_two_pages(docs: list[Document], path: Path) -> None:
    assert [d.error for d in docs] == [None, None]
    crossing, water = docs
    assert crossing.source == f"{path}#record 3"
    assert water.source == f"{path}#record 7"
    assert crossing.url == "https://gazette.example/crossing"
    assert water.url == "https://gazette.example/water"
    assert crossing.title == "Crossing reopens after talks"
    assert crossing.publisher == "Border Gazette"
    assert crossing.text.startswith("The crossing reopened on Monday morning")
    assert "Home" not in crossing.text
    assert crossing.published == "2024-03-04"  # from the page's meta tag
    assert water.published is None  # no date in the page; the crawl date is not a publication date
    for d in docs:
        assert "2031" not in repr(d)
        assert d.doc_id == content_hash(d.raw_text)


def test_html_responses_become_documents_and_the_rest_is_skipped(tmp_path):
    path = build(tmp_path / "crawl.warc")
    check_two_pages(read(path), path)


def test_gzipped_warc(tmp_path):
    path = build(tmp_path / "crawl.warc.gz", gz=True)
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    check_two_pages(read(path), path)


def test_folder_walk_picks_up_warc_files(tmp_path):
    build(tmp_path / "a.warc")
    build(tmp_path / "b.warc.gz", gz=True)
    skipped = []
    docs = list(iter_documents([str(tmp_path)], on_skip=skipped.append))
    assert [d.source for d in docs] == [f"{tmp_path / 'a.warc'}#record 3", f"{tmp_path / 'a.warc'}#record 7"]
    assert all(d.error is None for d in docs)
    # the same pages crawled twice: same content, so the later copies are skipped as duplicates
    assert [(s.source, s.kind) for s in skipped] == [
        (f"{tmp_path / 'b.warc.gz'}#record 3", "duplicate"), (f"{tmp_path / 'b.warc.gz'}#record 7", "duplicate"),
    ]
    assert docs[0].url == "https://gazette.example/crossing"


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_keeps_the_pages_before_the_damage(tmp_path, gz):
    whole = build(tmp_path / ("whole.warc.gz" if gz else "whole.warc"), gz=gz).read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    cut.write_bytes(whole[: len(whole) - 40])  # inside the last response
    first, damage = read(cut)  # the cut-off page is not kept
    assert first.error is None and first.url == "https://gazette.example/crossing"
    assert damage.source == f"{cut}#record 7"
    assert damage.error.startswith("damaged WARC file after record 6: record cut off")


def test_garbage_and_empty_warcs_are_error_documents(tmp_path):
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a web archive\n" * 5)
    (doc,) = read(junk)
    assert doc.error and "damaged WARC file at the start" in doc.error
    info_only = tmp_path / "info.warc"
    with info_only.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        writer.write_record(writer.create_warcinfo_record("info.warc", {"software": "dyad tests"}))
    (doc,) = read(info_only)
    assert doc.error == "WARC file holds no HTML or text pages with HTTP status 200"
    assert doc.source == str(info_only)


def test_text_plain_response(tmp_path):
    path = tmp_path / "plain.warc"
    with path.open("wb") as fh:
        response(WARCWriter(fh, gzip=False), "https://wire.example/story.txt",
                 "Envoys met in Doha on Friday to discuss the border crossing.\n".encode(),
                 content_type="text/plain; charset=utf-8")
    (doc,) = read(path)
    assert doc.error is None
    assert doc.url == "https://wire.example/story.txt"
    assert doc.text.startswith("Envoys met in Doha")
