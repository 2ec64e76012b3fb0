"""The reminder ledger moves to notifications (shared by every app): copy each key, with the
mentorship it was about as its target, then drop the old table."""

from django.db import migrations


def copy_to_shared_ledger(apps, schema_editor):
    old = apps.get_model("mentorships", "ReminderSent")
    new = apps.get_model("notifications", "ReminderSent")
    content_type = apps.get_model("contenttypes", "ContentType")
    mentorship_type, _ = content_type.objects.get_or_create(
        app_label="mentorships", model="mentorship"
    )
    # Keep when each reminder went out (this historical model is this migration's own copy).
    new._meta.get_field("sent_at").auto_now_add = False
    rows = [
        new(
            key=row.key,
            target_type=mentorship_type if row.mentorship_id else None,
            target_id=row.mentorship_id,
            sent_at=row.sent_at,
        )
        for row in old.objects.all().iterator()
    ]
    new.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    old = apps.get_model("mentorships", "ReminderSent")
    new = apps.get_model("notifications", "ReminderSent")
    content_type = apps.get_model("contenttypes", "ContentType")
    mentorship_type = content_type.objects.filter(
        app_label="mentorships", model="mentorship"
    ).first()
    old._meta.get_field("sent_at").auto_now_add = False
    rows = [
        old(
            key=row.key,
            mentorship_id=row.target_id
            if row.target_type_id == getattr(mentorship_type, "pk", None)
            else None,
            sent_at=row.sent_at,
        )
        for row in new.objects.all().iterator()
    ]
    old.objects.bulk_create(rows, batch_size=1000)
    new.objects.filter(key__in=[row.key for row in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("mentorships", "0005_meeting_note_sharing"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_shared_ledger, copy_back),
        migrations.DeleteModel(name="ReminderSent"),
    ]
