"""The practice's roles as auth groups, with the model permissions each needs in the admin
site. Accounts that were staff before roles existed could do everything: they keep that,
as all three roles, until an administrator trims them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["coach", "editor", "administrator"]

# role -> {app_label.model: actions}. Coaches need none: they work on the site's own pages.
PERMISSIONS = {
    "editor": {
        "pages.page": "add change delete view",
        "pages.testimonial": "add change delete view",
        "pages.alliance": "add change delete view",
        "pages.contactmessage": "change delete view",
        "newsletter.issue": "add change delete view",
        "newsletter.article": "add change delete view",
        "newsletter.readerquestion": "change delete view",
        "newsletter.subscriber": "change view",
        "newsletter.delivery": "view",
        "stories.competency": "add change delete view",
    },
    "administrator": {"core.user": "change view"},
}


def create_groups(apps, schema_editor):
    # Permissions are made after all migrations run; make them now so the groups get them.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        for label, actions in PERMISSIONS.get(role, {}).items():
            app_label, model = label.split(".")
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions.split()],
                )
            )
    User = apps.get_model("core", "User")
    groups = list(Group.objects.filter(name__in=ROLES))
    for user in User.objects.filter(is_staff=True):
        user.groups.add(*groups)


def drop_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_user_data_version"),
        ("pages", "0002_testimonial_rejected_at_and_more"),
        ("newsletter", "0002_subscriber_confirmed_ip"),
        ("stories", "0002_default_competencies"),
    ]

    operations = [migrations.RunPython(create_groups, drop_groups)]
