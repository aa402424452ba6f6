"""One place that decides who may act: a policy per model.

A policy answers "may this user do this action to this object, now?" from everything that
decides it: the role's permission, the user's part in the object (its team, its institution),
the object's state and the time. Each action is a method returning ``None`` when allowed or a
``Refusal`` saying why not. Everyone asks the same policy:

- the service calls ``policy.require(action, user, obj)`` and refuses (``PermissionDenied`` for
  who the user is, ``ValidationError`` with the reason for the object's state);
- the view calls ``policy.require_role(action, user, obj)`` for its 403 (a state refusal is left
  to the service, whose message the user then reads), and passes ``policy.allowed(user, obj)``
  to the template;
- the template reads the allowed actions (``{% if "finalise" in actions %}``), never a status.

Scope is not a policy's question: an object outside the user's scope was never found (the
selectors filter first, and the view answers 404).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from audit_portal.core.facts import FactStore


@dataclass(frozen=True)
class Refusal:
    """Why an action is not allowed: ``role`` for who the user is (a 403), otherwise the
    object's state or the time (the action may become possible later)."""

    message: str = ""
    role: bool = False


def deny(message: str = "") -> Refusal:
    """Refused for who the user is."""
    return Refusal(str(message), role=True)


def not_now(message: str) -> Refusal:
    """Refused for the object's state or the time."""
    return Refusal(str(message))


_facts = FactStore("policy_facts")
# A fact several actions ask for (is the object in the user's scope? is a request pending?),
# read once while ``Policy.allowed`` checks every action of one object; outside it, read each
# time (a service must see the state as it is now).
once = _facts.read


class Policy:
    """Subclass per model; ``actions`` names the methods, each ``(user, obj) -> Refusal | None``."""

    actions: tuple[str, ...] = ()

    def check(self, action: str, user, obj) -> Refusal | None:
        if action not in self.actions:
            raise ValueError(f"{type(self).__name__} has no action {action!r}")
        return getattr(self, action)(user, obj)

    def allows(self, action: str, user, obj) -> bool:
        return self.check(action, user, obj) is None

    def allowed(self, user, obj) -> frozenset[str]:
        """The actions the user may take on the object now, for the page to offer."""
        with _facts.scope():
            return frozenset(action for action in self.actions if self.allows(action, user, obj))

    def require_role(self, action: str, user, obj) -> None:
        refusal = self.check(action, user, obj)
        if refusal is not None and refusal.role:
            raise PermissionDenied(refusal.message)

    def require(self, action: str, user, obj) -> None:
        refusal = self.check(action, user, obj)
        if refusal is None:
            return
        if refusal.role:
            raise PermissionDenied(refusal.message)
        raise ValidationError(refusal.message)
