# Nothing of the API is in the admin site: tokens and webhook endpoints belong to their owners
# (a member's endpoints name the tools their search feeds), who manage them under Settings.
