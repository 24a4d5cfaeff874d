from django.db import migrations

DEFAULT_COMPETENCIES = [
    "Budget ownership", "Change management", "Coaching and mentoring", "Communication",
    "Conflict resolution", "Cost reduction", "Customer focus", "Data analysis",
    "Decision making", "Hiring", "Innovation", "Negotiation", "Operations",
    "Problem solving", "Process improvement", "Project management", "Revenue growth",
    "Stakeholder management", "Strategic planning", "Team leadership", "Technical depth",
    "Vendor management",
]  # fmt: skip


def add_defaults(apps, schema_editor):
    Competency = apps.get_model("stories", "Competency")
    existing = {
        name.lower()
        for name in Competency.objects.filter(owner__isnull=True).values_list("name", flat=True)
    }
    Competency.objects.bulk_create(
        [Competency(name=name) for name in DEFAULT_COMPETENCIES if name.lower() not in existing]
    )


def remove_defaults(apps, schema_editor):
    Competency = apps.get_model("stories", "Competency")
    Competency.objects.filter(owner__isnull=True, name__in=DEFAULT_COMPETENCIES).delete()


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
