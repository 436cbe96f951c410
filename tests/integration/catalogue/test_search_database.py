"""Search from the database: the same ranking as from the records, and fresh after changes."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from idara.audit.schemas import AuditContext
from idara.catalogue import service
from idara.catalogue.index import SearchIndex
from idara.catalogue.search import IndexHolder, doc_from_record, docs_from_db
from tests.catalogue_support import changed, sample_records
from tests.integration.catalogue.test_relevance import RELEVANCE


def test_the_database_index_ranks_exactly_like_the_record_index(catalogue: Session) -> None:
    from_db = IndexHolder().get(catalogue)
    # The database keeps one name per administration code (the last imported one).
    names = {d.authority_code: d.authority for d in from_db.docs}
    docs = (doc_from_record(r) for r in sample_records())
    reference = SearchIndex(replace(d, authority=names[d.authority_code]) for d in docs)
    assert len(from_db) == len(reference) == 286
    for _register, query, expected in RELEVANCE:
        db_ids = [h.doc.id for h in from_db.search(query, limit=10).hits]
        assert db_ids == [h.doc.id for h in reference.search(query, limit=10).hits], query
        assert db_ids[0] == expected


def test_the_index_reads_filters_from_the_relational_tables(catalogue: Session) -> None:
    docs = {d.id: d for d in docs_from_db(catalogue)}
    passport = docs["CIV-0006"]
    assert passport.online and "mre" in passport.audiences and passport.authority_code == "MI"
    assert "travel" in passport.life_events and len(passport.documents) > 0


def test_a_publication_is_searchable_once_the_stamp_is_read_again(catalogue: Session) -> None:
    holder = IndexHolder()
    holder.CHECK_INTERVAL_S = 0.0  # read the stamp at every request
    before = holder.get(catalogue)
    assert before.search("zorglub").total == 0
    aliases = {"fr": ["zorglub"], "ar": [], "darija": [], "arabizi": []}
    service.publish(
        catalogue,
        record=changed("CIV-0024", aliases=aliases),
        origin="editor",
        source="civil_status_identity",
        context=AuditContext.system("test"),
    )
    after = holder.get(catalogue)
    assert after is not before
    assert [h.doc.id for h in after.search("zorglub").hits] == ["CIV-0024"]
    assert holder.get(catalogue) is after  # unchanged catalogue: the same index


def test_between_stamp_checks_the_index_is_served_without_asking_the_database(
    catalogue: Session,
) -> None:
    holder = IndexHolder()
    before = holder.get(catalogue)
    aliases = {"fr": ["zorglub"], "ar": [], "darija": [], "arabizi": []}
    service.publish(
        catalogue,
        record=changed("CIV-0024", aliases=aliases),
        origin="editor",
        source="civil_status_identity",
        context=AuditContext.system("test"),
    )
    assert holder.get(catalogue) is before  # another worker's publication: seen within 2 s
    holder.invalidate()  # what this worker's editor does after publishing
    assert [h.doc.id for h in holder.get(catalogue).search("zorglub").hits] == ["CIV-0024"]
