"""The audit log on django-auditlog, by itself: an entry says who did what, when and on what;
a word for ``action`` reads ours; an erasure takes a name out and leaves what happened; the old
hand-written entries move into auditlog's table and back. (What the services record, and who
reads the log where, is tested across the apps in config/tests/test_audit_log.py.)"""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from mentorcraft.core import audit
from mentorcraft.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def everything_logged() -> str:
    """Every column of every entry that could carry text, as one string."""
    return " ".join(
        json.dumps(
            [e.object_repr, e.changes_text, e.additional_data, e.changes, e.serialized_data],
            default=str,
        )
        for e in LogEntry.objects.all()
    )


def words(programme) -> list[str]:  # noqa: ANN001
    return [e.additional_data["action"] for e in audit.for_programme(programme)]


def test_an_entry_says_who_did_what_when_and_on_what(programme, alice):
    before = timezone.now()
    audit.record(actor=alice, action="checked", target=programme, detail="Looked it over.")
    audit.record(actor=None, action="checked again", target=programme, detail="x" * 400)
    *_, first, second = audit.history(programme)
    assert (first.action, first.detail, first.actor) == ("checked", "Looked it over.", alice)
    assert (first.target_model, first.target_id) == ("programmes.programme", programme.pk)
    assert first.target_label == programme.name and first.programme_id == programme.pk
    assert first.at >= before and second.at >= first.at
    assert second.actor is None and len(second.detail) == audit.DETAIL_LIMIT
    row = LogEntry.objects.get(pk=first.pk)  # auditlog's own columns say the same
    assert (row.actor, row.object_id, row.content_type.model) == (alice, programme.pk, "programme")
    assert row.action == LogEntry.Action.UPDATE


def test_a_record_of_another_programme_names_its_programme(programme, alice, mark):
    audit.record(actor=alice, action="looked", target=mark, programme=programme)
    entry = audit.history(mark)[-1]
    assert entry.programme_id == programme.pk and entry.target_label == "Mark Mentor"
    assert "looked" in words(programme)


def test_a_word_for_action_reads_our_word(programme, alice):
    audit.record(actor=alice, action="acknowledged", target=programme)
    assert AuditEntry.objects.filter(action="acknowledged").count() == 1
    assert not AuditEntry.objects.filter(action="closed").exists()
    assert AuditEntry.objects.exclude(action="acknowledged").count() == LogEntry.objects.count() - 1


def test_an_erased_persons_name_leaves_the_log_and_what_happened_stays(programme, alice, mark):
    audit.record(actor=mark, action="looked", target=programme, detail="Mark Mentor looked.")
    audit.record(
        actor=alice,
        action="role granted",
        target=mark,
        programme=programme,
        detail="Mark Mentor is a mentor.",
    )
    kept = [(e.pk, e.actor_id, e.timestamp, e.additional_data) for e in LogEntry.objects.all()]
    mark.erased_name = "Mark Mentor"
    audit.erase_person(mark)
    assert "Mark Mentor" not in everything_logged()
    assert [
        (e.pk, e.actor_id, e.timestamp, e.additional_data) for e in LogEntry.objects.all()
    ] == kept
    assert audit.history(mark)[-1].target_label == audit.FORMER_PARTICIPANT
    assert "A former participant looked." in {e.changes_text for e in LogEntry.objects.all()}


@pytest.mark.django_db(transaction=True)
def test_the_old_entries_move_into_auditlog_and_back(mentorship, mark, alice):
    # As a concern's steps were recorded before: on a record that belongs to a programme.
    audit.record(actor=mark, action="raised", target=mentorship, detail="Raised.")
    audit.record(actor=alice, action="acknowledged", target=mentorship, detail="Acknowledged.")

    def seen() -> list[tuple]:
        return [
            (e.action, e.actor, e.target_model, e.target_id, e.programme_id, e.detail, e.at)
            for e in audit.history(mentorship)
        ]

    expected = seen()
    assert [e[0] for e in expected] == ["raised", "acknowledged"]
    assert {e[4] for e in expected} == {mentorship.programme_id}
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0002_initial")])
    old = executor.loader.project_state([("core", "0002_initial")]).apps.get_model(
        "core", "AuditEntry"
    )
    moved_back = old.objects.filter(target_type__model="mentorship", target_id=mentorship.pk)
    assert list(moved_back.order_by("at").values_list("action", flat=True)) == [
        "raised",
        "acknowledged",
    ]
    assert not LogEntry.objects.filter(
        object_id=mentorship.pk, content_type__model="mentorship"
    ).exists()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert seen() == expected
