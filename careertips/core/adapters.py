"""django-allauth adapters: where Career Tips' sign-in rules plug into allauth."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from careertips.core.http import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """Sign-in limits count the same address as every other limit on the site."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address.")
        return address


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """A practice account keeps at least one second factor (recovery codes alone are not
        one); anyone else may turn two-factor sign-in off."""
        if not authenticator.user.is_staff:
            return True
        others = (
            Authenticator.objects.filter(user_id=authenticator.user_id)
            .exclude(pk=authenticator.pk)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
        )
        return others.exists()
