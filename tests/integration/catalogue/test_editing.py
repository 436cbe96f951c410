"""Ministry editing: drafts are private, publication makes a version, everything is audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from idara.audit import service as audit
from idara.audit.schemas import ActorType, AuditContext
from idara.catalogue import drafts, flows, service
from idara.catalogue.schemas import ServiceRecord
from tests.catalogue_support import changed, minimal_record

EDITOR = AuditContext(actor_type=ActorType.ADMIN, actor_id="redactrice")


def test_a_draft_does_not_change_the_published_service(catalogue: Session) -> None:
    edit = changed("CIV-0024", trips_before=0)
    flows.save_draft(catalogue, record=edit, context=EDITOR, is_new=False)
    published = service.get(catalogue, service_id="CIV-0024")
    assert published is not None and published.trips_before != 0 and published.version == 1
    draft = drafts.get(catalogue, service_id="CIV-0024")
    assert draft is not None and draft.base_version == 1 and draft.created_by == "redactrice"


def test_publishing_a_draft_makes_a_new_version_and_removes_the_draft(catalogue: Session) -> None:
    draft = flows.save_draft(
        catalogue, record=changed("CIV-0024", trips_before=0), context=EDITOR, is_new=False
    )
    outcome = flows.publish_draft(catalogue, draft=draft, context=EDITOR, note="one trip less")
    assert outcome.version == 2
    current = service.get(catalogue, service_id="CIV-0024")
    assert current is not None and current.trips_before == 0
    assert drafts.get(catalogue, service_id="CIV-0024") is None
    latest = service.versions(catalogue, service_id="CIV-0024")[0]
    assert (latest.origin, latest.actor_id, latest.note) == (
        "editor",
        "redactrice",
        "one trip less",
    )
    actions = [e.action for e in audit.list_events(catalogue, target_id="CIV-0024")]
    assert actions[:2] == ["catalogue.service_publish", "catalogue.draft_save"]


def test_a_new_service_gets_the_next_id_of_its_domain(catalogue: Session) -> None:
    new_id = drafts.next_service_id(catalogue, prefix="CIV")
    assert new_id == "CIV-0039"
    record = ServiceRecord.model_validate(minimal_record(new_id))
    draft = flows.save_draft(catalogue, record=record, context=EDITOR, is_new=True)
    assert drafts.next_service_id(catalogue, prefix="CIV") == "CIV-0040"
    assert service.get(catalogue, service_id=new_id) is None
    flows.publish_draft(catalogue, draft=draft, context=EDITOR, note=None)
    created = service.get(catalogue, service_id=new_id)
    assert created is not None and created.version == 1 and created.source == "editor"


def test_discarding_a_draft_is_audited(catalogue: Session) -> None:
    flows.save_draft(
        catalogue, record=changed("CIV-0024", trips_before=0), context=EDITOR, is_new=False
    )
    assert flows.discard_draft(catalogue, service_id="CIV-0024", context=EDITOR)
    assert not flows.discard_draft(catalogue, service_id="CIV-0024", context=EDITOR)
    assert audit.list_events(catalogue, action="catalogue.draft_discard")[0].target_id == "CIV-0024"
