import datetime
import hashlib

from django.db import migrations, models


def fill(apps, schema_editor):
    """Tokens made before expiry existed run 90 days from their creation (already expired if
    older), and are tied to their owner's password as it is now."""
    ApiToken = apps.get_model("people", "ApiToken")
    for token in ApiToken.objects.select_related("user"):
        token.expires_at = token.created_at + datetime.timedelta(days=90)
        token.password_stamp = hashlib.sha256(str(token.user.password).encode()).hexdigest()[:16]
        token.save(update_fields=["expires_at", "password_stamp"])


class Migration(migrations.Migration):
    dependencies = [("people", "0002_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="read_only",
            field=models.BooleanField(
                default=False, help_text="Only reads (GET); anything that changes data is refused."
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="password_stamp",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
