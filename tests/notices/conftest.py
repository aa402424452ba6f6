"""Personas and helpers of the notification tests.

- Alice and Bob: civil-affairs staff of one county bureau (Alice has the bureau's robot);
  Charlie: staff of another county; Dora: staff without a mail address.
- ``client``, ``english_client_for``: pages in English.
- ``sources``: the inbox, reminder and calendar sources the apps contribute, replaced by the
  test's own (``sources.inbox.append(fn)``).
- ``robot_server``: a real HTTP server on 127.0.0.1 standing in for the robot services, which the
  robot settings allow for the test.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from audit_portal.accounts.models import Organisation, User
from audit_portal.notices import registry
from tests.factories import OrganisationFactory, UserFactory

OK = (200, {"errcode": 0, "errmsg": "ok"})


@pytest.fixture
def client(client, settings):
    """Pages in English, the language of the messages these tests read (whatever the Chinese
    translation says)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def english_client_for(client_for, settings):
    def make(persona: str):
        made = client_for(persona)
        made.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return made

    return make


@pytest.fixture
def city():
    return OrganisationFactory(name="江海市民政局", code="n-city", kind=Organisation.Kind.CITY)


@pytest.fixture
def county(city):
    return OrganisationFactory(
        name="东湖区民政局", code="n-county", kind=Organisation.Kind.COUNTY, parent=city
    )


@pytest.fixture
def other_county(city):
    return OrganisationFactory(
        name="西山县民政局", code="n-county-b", kind=Organisation.Kind.COUNTY, parent=city
    )


@pytest.fixture
def alice(county):
    return UserFactory(username="alice", full_name="李敏", organisation=county)


@pytest.fixture
def bob(county):
    return UserFactory(username="bob", full_name="王强", organisation=county)


@pytest.fixture
def charlie(other_county):
    return UserFactory(username="charlie", full_name="赵刚", organisation=other_county)


@pytest.fixture
def dora(county):
    return UserFactory(username="dora", full_name="孙丽", organisation=county, email="")


@pytest.fixture
def admin_user():
    return UserFactory(
        username="root", role=User.Role.ADMIN, organisation=None, is_staff=True, is_superuser=True
    )


@dataclass
class Sources:
    inbox: list = field(default_factory=list)
    reminder: list = field(default_factory=list)
    calendar: list = field(default_factory=list)

    def __call__(self, attribute: str) -> tuple:
        return tuple(getattr(self, attribute.removesuffix("_sources")))


@pytest.fixture
def sources(monkeypatch) -> Sources:
    """No app's sources, only the test's."""
    from audit_portal.notices import reminders

    replaced = Sources()
    monkeypatch.setattr(registry, "sources", replaced)
    monkeypatch.setattr(reminders, "sources", replaced)
    return replaced


@dataclass
class RobotServer:
    """What the robot service received, and how it answers next: ``answers`` are taken in
    order (``(status, json body)`` or ``"hang"`` for no answer in time), then ``OK``."""

    url: str
    received: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def path(self, flavour: str = "wecom") -> str:
        if flavour == "dingtalk":
            return f"{self.url}/robot/send?access_token=secret-token"
        return f"{self.url}/cgi-bin/webhook/send?key=secret-key"


@pytest.fixture
def robot_server(settings, monkeypatch):
    from audit_portal.notices import channels

    settings.NOTICES_ROBOT_HOSTS = frozenset({"127.0.0.1"})
    settings.NOTICES_ROBOT_HTTP_HOSTS = frozenset({"127.0.0.1"})
    # A robot that hangs is given up on quickly in the tests.
    monkeypatch.setattr(channels, "WEBHOOK_TIMEOUT_SECONDS", 0.5)
    state = RobotServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(
                {
                    "path": self.path,
                    "content_type": self.headers["Content-Type"],
                    "json": json.loads(body),
                }
            )
            answer = state.answers.pop(0) if state.answers else OK
            if answer == "hang":
                state.released.wait(5)
                return
            status, payload = answer
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    state.released.set()
    time.sleep(0.01)
    server.shutdown()
    server.server_close()
    thread.join(5)
