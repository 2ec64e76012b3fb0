"""The hand-written audit log's entries move into django-auditlog's table, as
``core.audit.record`` now writes them: our word in ``additional_data["action"]`` with the
record's programme, the sentence in ``changes_text``. The next migration drops the old table."""

from __future__ import annotations

from django.db import migrations

UPDATE = 1  # auditlog's LogEntry.Action.UPDATE, which record() uses for every word of ours


def _programmes(apps, content_type, ids) -> dict[int, int | None]:  # noqa: ANN001
    """Each record's programme, where it has one (a concern, a mentorship, a programme)."""
    if (content_type.app_label, content_type.model) == ("programmes", "programme"):
        return {pk: pk for pk in ids}
    try:
        model = apps.get_model(content_type.app_label, content_type.model)
    except LookupError:
        return {}
    if "programme" not in {f.name for f in model._meta.fields}:
        return {}
    return dict(model._base_manager.filter(pk__in=ids).values_list("pk", "programme_id"))


def forwards(apps, schema_editor) -> None:  # noqa: ANN001
    OldEntry = apps.get_model("core", "AuditEntry")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    rows = list(OldEntry.objects.select_related("target_type").order_by("at", "pk"))
    by_type: dict[int, set[int]] = {}
    for row in rows:
        by_type.setdefault(row.target_type_id, set()).add(row.target_id)
    programme_of = {}
    for row in rows:
        if row.target_type_id not in programme_of:
            programme_of[row.target_type_id] = _programmes(
                apps, row.target_type, by_type[row.target_type_id]
            )
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type_id=row.target_type_id,
            object_pk=str(row.target_id),
            object_id=row.target_id,
            object_repr=f"{row.target_type.model.capitalize()} #{row.target_id}",
            action=UPDATE,
            changes_text=row.detail,
            actor_id=row.actor_id,
            timestamp=row.at,
            additional_data={
                "action": row.action,
                "programme": programme_of[row.target_type_id].get(row.target_id),
            },
        )
        for row in rows
    )


def backwards(apps, schema_editor) -> None:  # noqa: ANN001
    OldEntry = apps.get_model("core", "AuditEntry")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ours = LogEntry.objects.filter(additional_data__has_key="action", object_id__isnull=False)
    created = []
    for row in ours.order_by("timestamp", "pk"):
        entry = OldEntry(
            actor_id=row.actor_id,
            action=str(row.additional_data["action"])[:40],
            target_type_id=row.content_type_id,
            target_id=row.object_id,
            detail=row.changes_text[:300],
        )
        entry.at = row.timestamp
        created.append(entry)
    OldEntry.objects.bulk_create(created)
    # auto_now_add wrote the time of this run; put back when each step happened.
    for entry, row in zip(created, ours.order_by("timestamp", "pk"), strict=True):
        OldEntry.objects.filter(pk=entry.pk).update(at=row.timestamp)
    ours.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
