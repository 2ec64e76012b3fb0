from __future__ import annotations

from django.core.exceptions import ValidationError


class TransitionError(ValidationError):
    """A state change that the rules do not allow, with a message for the person who tried it."""
