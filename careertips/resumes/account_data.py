"""What of a member's data the résumé holds, for their archive (see core.account_data).
Deleting the account removes it all through the owner (and story) foreign keys."""

from careertips.core.account_data import Restore, Rows
from careertips.resumes.models import (
    Bullet,
    CoverLetter,
    Credential,
    Position,
    Profile,
    ResumeVersion,
    VersionBullet,
)

# Restoring: positions name organizations, bullets stories, versions opportunities.
RESTORE_AFTER = ("network", "pipeline", "stories")

EXPORTS = [
    Rows("resumes/profile.json", lambda user: Profile.objects.filter(owner=user)),
    Rows("resumes/positions.json", lambda user: Position.objects.filter(owner=user)),
    Rows("resumes/credentials.json", lambda user: Credential.objects.filter(owner=user)),
    Rows("resumes/bullets.json", lambda user: Bullet.objects.filter(story__owner=user)),
    Rows("resumes/versions.json", lambda user: ResumeVersion.objects.filter(owner=user)),
    Rows(
        "resumes/version-bullets.json",
        lambda user: VersionBullet.objects.filter(version__owner=user),
        restore=Restore(id_lists={"covers": "stories.Requirement"}),
    ),
    Rows("resumes/cover-letters.json", lambda user: CoverLetter.objects.filter(owner=user)),
]
