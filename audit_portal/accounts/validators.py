import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class CharacterClassValidator:
    """Requires characters from at least ``min_classes`` of: upper case, lower case, digits,
    symbols (GB/T 22239 password complexity)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password: str) -> int:
        checks = (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or (not c.isalnum() and not c.isspace()) for c in password),
        )
        return sum(checks)

    def validate(self, password: str, user=None) -> None:
        if self.classes_in(password) < self.min_classes:
            raise ValidationError(
                _(
                    "This password must mix at least %(min)d of: upper-case letters, lower-case "
                    "letters, digits and symbols."
                ),
                code="password_too_simple",
                params={"min": self.min_classes},
            )

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(min)d kind of character.",
            "Your password must mix at least %(min)d of: upper-case letters, lower-case letters, "
            "digits and symbols.",
            self.min_classes,
        ) % {"min": self.min_classes}
