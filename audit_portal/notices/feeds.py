"""The personal calendar feed: the dated duties in a person's scope as an iCalendar file, from
every app's ``calendar_sources`` (see ``registry``), read by their calendar program through a
secret address (``CalendarFeed``)."""

import datetime
import urllib.parse

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from audit_portal.accounts.models import User
from audit_portal.notices import registry
from audit_portal.notices.models import CalendarFeed, token_hash

# The feed covers the days from this many days back to this many ahead.
DAYS_BEFORE = 30
DAYS_AFTER = 365
# A feed read more often than this (calendar programs poll) records its last use only once.
LAST_USED_EVERY = datetime.timedelta(hours=1)


def feed_owner(token: str, *, now: datetime.datetime | None = None) -> User | None:
    """The active user whose calendar address carries ``token`` (recording the use, at most
    hourly), or ``None``."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    now = now or timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at >= LAST_USED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user


def _absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def calendar_for(user: User, *, on: datetime.date | None = None) -> bytes:
    """The iCalendar file of ``user``'s duties around day ``on`` (today by default): one
    all-day event per duty."""
    on = on or timezone.localdate()
    start = on - datetime.timedelta(days=DAYS_BEFORE)
    end = on + datetime.timedelta(days=DAYS_AFTER)
    domain = urllib.parse.urlsplit(settings.SITE_URL).hostname or "localhost"
    stamp = timezone.now().astimezone(datetime.UTC)
    with translation.override(settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", "-//Custody institution audit system//calendar//ZH")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("Custody institution audit: my deadlines"))
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        for source in registry.sources("calendar_sources"):
            for item in source(user, start=start, end=end):
                event = Event()
                event.add("uid", f"{item.uid}@{domain}")
                event.add("dtstamp", stamp)
                event.add("dtstart", item.day)
                event.add("dtend", item.day + datetime.timedelta(days=1))
                event.add("summary", str(item.summary))
                event.add("transp", "TRANSPARENT")
                if item.url:
                    event.add("url", _absolute(item.url))
                description = "\n\n".join(
                    part for part in (str(item.description), _absolute(item.url)) if part
                )
                if description:
                    event.add("description", description)
                calendar.add_component(event)
    return calendar.to_ical()
