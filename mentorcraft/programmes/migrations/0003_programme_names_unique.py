import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


def unique_names(names: list[str]) -> list[str]:
    """Each name trimmed; a name that an earlier one already has (any case) gets a number,
    "Leadership (2)", so that nothing is lost and the constraint can be added."""
    taken: set[str] = set()
    out = []
    for original in names:
        name = original.strip()
        candidate, n = name, 2
        while candidate.lower() in taken:
            suffix = f" ({n})"
            candidate, n = name[: 140 - len(suffix)] + suffix, n + 1
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def rename_duplicates(apps, schema_editor):
    # The oldest programme keeps its name; later ones of the same name are numbered.
    Programme = apps.get_model("programmes", "Programme")
    programmes = list(Programme.objects.order_by("created_at", "pk"))
    for programme, name in zip(programmes, unique_names([p.name for p in programmes]), strict=True):
        if name != programme.name:
            Programme.objects.filter(pk=programme.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0002_plausible_dates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(rename_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="programme",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower(django.db.models.functions.text.Trim("name")),
                name="programme_name_unique",
                violation_error_message="A programme with this name already exists.",
            ),
        ),
    ]
