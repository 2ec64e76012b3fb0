import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_one_line_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="org_manager",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="line manager on the organisation's record",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="org_manager_set_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="org_manager_set_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="role",
            field=models.CharField(
                blank=True,
                choices=[("mentor", "Mentor"), ("mentee", "Mentee")],
                help_text="With a programme: the role the person is invited to apply for.",
                max_length=12,
            ),
        ),
    ]
