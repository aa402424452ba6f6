"""Sending outside the application: mail and group robots (enterprise WeChat, DingTalk).

Each sender raises ``DeliveryError`` with a short reason when the message did not arrive; the
caller records it and retries later.
"""

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# A robot that does not answer within this many seconds is taken as failed (and retried).
WEBHOOK_TIMEOUT_SECONDS = 5


class DeliveryError(Exception):
    pass


def send_mail_message(*, address: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except Exception as error:  # any mail failure is retried, whatever its type
        raise DeliveryError(f"{type(error).__name__}: {error}"[:500]) from error


def robot_url_check(url: str) -> None:
    """Refuse a robot address that is not one of the robot services' (``NOTICES_ROBOT_HOSTS``):
    the server posts to it, so it must not be made to post anywhere else on the network."""
    parts = urllib.parse.urlsplit(url)
    allowed = settings.NOTICES_ROBOT_HOSTS
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise ValidationError(_("Enter the robot's full web address, starting with https://."))
    if parts.scheme != "https" and host not in settings.NOTICES_ROBOT_HTTP_HOSTS:
        raise ValidationError(_("The robot's address must start with https://."))
    if host not in allowed:
        raise ValidationError(
            _("This is not a group robot's address. Allowed hosts: %(hosts)s.")
            % {"hosts": ", ".join(sorted(allowed))}
        )


def robot_payload(flavour: str, *, subject: str, text: str, link: str) -> dict:
    """The Markdown message of each robot service's documented format."""
    parts = [f"**{subject}**", text.strip()]
    if link:
        parts.append("[{label}]({link})".format(label=pgettext("notification", "Open"), link=link))
    body = "\n\n".join(part for part in parts if part)
    if flavour == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": subject, "text": body}}
    return {"msgtype": "markdown", "markdown": {"content": body}}


def send_robot_message(*, url: str, payload: dict) -> None:
    request = urllib.request.Request(  # noqa: S310 - the scheme and host are checked on save
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = response.read(4096)
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}"[:500]) from error
    # Both services answer 200 with {"errcode": 0} on success and a non-zero code otherwise.
    try:
        code = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0
    if code not in (0, "0"):
        raise DeliveryError(f"errcode {code}: {answer[:200].decode(errors='replace')}")


def robot_target(url: str) -> str:
    """What the log shows of a robot's address: its host, never the secret key in the query."""
    return urllib.parse.urlsplit(url).hostname or "?"
