"""Reading inputs: files, folders and stdin to cleaned `dyad.model.Document`s.

    from dyad.ingest import iter_documents
    for doc in iter_documents(["examples/demo"]):
        print(doc.doc_id, doc.published, doc.error or doc.title)

One reader per format (readers.py, records.py, html.py, markdown.py); clean.py
strips page clutter using the patterns in resources/boilerplate.yaml.
"""
from dyad.ingest.clean import CleanResult, clean_text, load_patterns
from dyad.ingest.document import content_hash, error_document, make_document
from dyad.ingest.readers import READERS, iter_documents, read_stdin
from dyad.ingest.settings import IngestError, IngestSettings

__all__ = [
    "CleanResult",
    "IngestError",
    "IngestSettings",
    "READERS",
    "clean_text",
    "content_hash",
    "error_document",
    "iter_documents",
    "load_patterns",
    "make_document",
    "read_stdin",
]
