"""City-scale data (``manage.py seed_scale``), incidents: about eight a year at an average
institution (more where care is poorer), of every kind, each with its initial report (some late),
follow-ups, a final report once it is over (some late, a few still missing), now and then an
amendment; police records where the rules ask for one; the alerts the supervising bodies received
and read; their acknowledgements and closures.

Leaves ``world["incident_months"]``: {(institution pk, first day of month): {"deaths", "missing"}}
as the incident records give them, for the monthly reports to agree with (or not).
"""

import datetime
from decimal import Decimal

from audit_portal.core.scale import at, day_between
from incidents import scale_texts as texts
from incidents.grading import Grade, grade_for
from incidents.models import Alert, Incident, Kind, Note, PoliceRecord, Report, Stage, minutes_late
from incidents.services.alerts import CITY_KINDS

MINUTE, DAY = datetime.timedelta(minutes=1), datetime.timedelta(days=1)
PER_YEAR = 7.2
KINDS = {
    Kind.INJURY: 35,
    Kind.HEALTH: 20,
    Kind.MISSING: 15,
    Kind.DEATH: 12,
    Kind.OTHER: 9,
    Kind.FOOD_SAFETY: 4,
    Kind.FIRE: 3,
    Kind.ABUSE: 2,
}
POLICE = {
    Kind.MISSING: PoliceRecord.Kind.MISSING_PERSON,
    Kind.DEATH: PoliceRecord.Kind.DEATH,
    Kind.ABUSE: PoliceRecord.Kind.ABUSE_REFERRAL,
}


def _figures(rng, kind: str) -> dict:
    figures = {"deaths": 0, "serious_injuries": 0, "direct_loss": Decimal(0), "missing_count": 0}
    if kind == Kind.DEATH:
        figures["deaths"] = 2 if rng.random() < 0.02 else 1
    elif kind == Kind.MISSING:
        figures["missing_count"] = 1
    elif kind in (Kind.INJURY, Kind.HEALTH):
        figures["serious_injuries"] = rng.choices((0, 1, 2), (60, 35, 5))[0]
    elif kind == Kind.FOOD_SAFETY:
        figures["serious_injuries"] = rng.choice((0, 0, 1, 2, 3, 12))
    elif kind == Kind.FIRE:
        big = rng.random() < 0.03
        figures["direct_loss"] = Decimal(
            rng.randint(12, 30) * 1_000_000 if big else rng.randint(2, 800) * 1000
        )
    elif kind == Kind.OTHER:
        figures["direct_loss"] = Decimal(rng.randint(0, 50) * 1000)
    return figures


def seed(world: dict) -> None:
    rng = world["random"]("incidents")
    today, start = world["today"], world["start"]
    now = at(today, 8)  # the records end this morning
    world["incident_months"] = months = {}
    writer = _Writer(world, rng, now)
    stations = list(world["stations"])
    for inst in world["institutions"]:
        first, last = max(inst.registered, start), inst.last_day(today) - DAY
        years = max((last - first).days, 0) / 365.25
        expected = PER_YEAR * years * inst.quality * (inst.beds / 150) ** 0.5
        for _ in range(int(expected) + (rng.random() < expected % 1)):
            incident = writer.incident(day_between(rng, first, last), inst=inst)
            key = (inst.pk, incident["occurred_at"].date().replace(day=1))
            figures = months.setdefault(key, {"deaths": 0, "missing": 0})
            figures["deaths"] += incident["deaths"]
            found = incident["resident_found_at"]
            if incident["kind"] == Kind.MISSING and (
                found is None or found.date().replace(day=1) > key[1]
            ):
                figures["missing"] += incident["missing_count"]
    # Incidents at the rescue stations themselves: a few a year each.
    for station in stations:
        for _ in range(int(2 * world["years"])):
            writer.incident(day_between(rng, start, today - DAY), station=station)


class _Writer:
    def __init__(self, world, rng, now):
        self.world, self.rng, self.now = world, rng, now
        self.writer, self.staff, self.city = world["writer"], world["staff"], world["city"]

    def incident(self, day: datetime.date, *, inst=None, station=None) -> dict:
        rng, now = self.rng, self.now
        kind = rng.choices(list(KINDS), list(KINDS.values()))[0]
        if station is not None:
            kind = rng.choice((Kind.INJURY, Kind.HEALTH, Kind.MISSING, Kind.OTHER))
        occurred = at(day, rng.randint(0, 23), rng.randint(0, 59))
        discovered = occurred + MINUTE * rng.randint(0, 90 if kind == Kind.MISSING else 30)
        delay = rng.randint(5, 60) if rng.random() < 0.88 else rng.randint(61, 480)
        reported = min(discovered + MINUTE * delay, now)
        reporter = inst.account if inst else self.staff[station][0]
        pk = self.writer.reserve(Incident)
        stages = [(Stage.INITIAL, reported, _figures(rng, kind))]
        found = None
        if kind == Kind.MISSING and rng.random() < 0.8:
            found = min(discovered + MINUTE * rng.randint(20, 900), now)
        police = self._police(pk, kind, stages[0][2], discovered, reported, found, reporter)
        window = occurred + DAY * (7 if kind == Kind.FIRE else 30)
        # Follow-ups while it lasts; the final report once it is over (by the window, or late).
        # (Suspected abuse waits for its police referral.) Old incidents almost all have it.
        age, final_at = now - occurred, None
        filed = (
            0.995 if age > DAY * 120 else 0.93 if age > DAY * 45 else 0.4 if age > DAY * 3 else 0
        )
        if (kind != Kind.ABUSE or police) and rng.random() < filed:
            if age > DAY * 45:
                final_at = occurred + DAY * rng.randint(2, (window - occurred).days - 1)
                if rng.random() < 0.12:
                    final_at = window + DAY * rng.randint(1, 20)
            else:
                final_at = reported + (now - reported) * rng.uniform(0.5, 1)
            final_at = min(final_at, now)
        until = final_at or now
        for _ in range(rng.choices((0, 1, 2, 3), (40, 38, 16, 6))[0]):
            when = reported + (until - reported) * rng.uniform(0.1, 0.9)
            figures = dict(stages[-1][2])
            if kind == Kind.MISSING and found is not None and when > found:
                figures["missing_count"] = 0
            stages.append((Stage.FOLLOWUP, when, figures))
        stages.sort(key=lambda stage: stage[1])
        if final_at:
            figures = dict(stages[-1][2])
            if kind == Kind.MISSING and found is not None:
                figures["missing_count"] = 0
            stages.append((Stage.FINAL, final_at, figures))
        current = self._reports(pk, kind, inst, station, stages, reporter, occurred, found)
        status, closed_at, closer = Incident.Status.OPEN, None, None
        county = inst.county if inst else self.world["stations"][station]
        if final_at:
            status = Incident.Status.FINAL
            if now - final_at > DAY * 10 and rng.random() < 0.85:
                status, closed_at = Incident.Status.CLOSED, final_at + DAY * rng.randint(3, 10)
                closer = rng.choice(self.staff[county])
        # Declared over (事态平息) a few days before its final report (a few over a week: late),
        # or, for some still open, a while ago: their final report due or overdue.
        over_at = None
        if final_at:
            days = rng.randint(8, 20) if rng.random() < 0.1 else rng.uniform(0, 5)
            over_at = max(final_at - DAY * days, reported)
        elif age > DAY * 3 and rng.random() < 0.3:
            over_at = reported + (now - reported) * rng.uniform(0.3, 0.9)
        row = {
            "id": pk,
            "institution_id": inst.pk if inst else None,
            "station_id": station,
            "kind": kind,
            "occurred_at": occurred,
            "discovered_at": discovered,
            "status": status,
            "reported_at": reported,
            "reported_by_id": reporter,
            "late_minutes": minutes_late(discovered, reported),
            **current,
            "grade": grade_for(
                deaths=current["deaths"],
                serious_injuries=current["serious_injuries"],
                direct_loss=current["direct_loss"],
            ),
            "resident_found_at": found,
            "over_at": over_at,
            "over_by_id": reporter if over_at else None,
            "over_reason": "事态已平息" if over_at else "",
            # Seven calendar days stand in for five working days: no calendar read per row.
            "final_due_on": (over_at + DAY * 7).date() if over_at else None,
            "closed_at": closed_at,
            "closed_by_id": closer,
        }
        self.writer.add(Incident, **row)
        self._notes(pk, county, reported, closed_at, closer)
        return row

    def _police(self, incident, kind, figures, discovered, reported, found, reporter) -> bool:
        """The police record the rules ask for: at once for a death, after an hour for a
        resident still missing, a referral for suspected abuse (most made, a few owed)."""
        rng = self.rng
        if kind == Kind.MISSING:
            due = discovered + MINUTE * 60
            if found is not None and found <= due:
                return False
            called, recorded = due + MINUTE * rng.randint(0, 20), None
        elif kind == Kind.DEATH:
            called = discovered + MINUTE * rng.randint(1, 15)
            recorded = reported
        elif kind == Kind.ABUSE and rng.random() < 0.9:
            called = reported + MINUTE * rng.randint(30, 2880)
            recorded = None
        else:
            return False
        called = min(called, self.now)
        self.writer.add(
            PoliceRecord,
            incident_id=incident,
            kind=POLICE[kind],
            reported_at=called,
            police_station=f"{rng.choice(('城关', '新桥', '东关', '梅村'))}派出所",
            case_number=f"J{called:%Y%m%d}{rng.randint(1000, 9999)}",
            recorded_by_id=reporter,
            recorded_at=recorded or min(called + MINUTE * rng.randint(5, 60), self.now),
        )
        return True

    def _reports(self, incident, kind, inst, station, stages, reporter, occurred, found) -> dict:
        """The stage reports and their alerts; returns the figures in force."""
        rng, writer = self.rng, self.writer
        previous = None
        for stage, when, figures in stages:
            if stage == Stage.INITIAL:
                fields = texts.initial(rng, kind)
            elif stage == Stage.FOLLOWUP:
                fields = texts.followup(rng, kind, found is not None and when > found)
            else:
                injured = figures["serious_injuries"] + rng.randint(0, 1)
                fields = {"event_time": occurred, **texts.final(rng, kind, injured)}
            previous = writer.add(
                Report,
                incident_id=incident,
                stage=stage,
                submitted_by_id=reporter,
                submitted_at=when,
                **fields,
                **figures,
            )
            self._alerts(incident, previous, kind, figures, inst, station, when)
        current = stages[-1][2]
        if rng.random() < 0.03 and self.now - stages[-1][1] > DAY:
            # The latest report corrected: the amendment is in force, the original stays.
            stage, when, figures = stages[-1]
            current = {**figures, "serious_injuries": figures["serious_injuries"] + 1}
            when = when + (self.now - when) * rng.uniform(0.1, 0.5)
            fields = {
                Stage.INITIAL: lambda: texts.initial(rng, kind),
                Stage.FOLLOWUP: lambda: texts.followup(rng, kind, False),
                Stage.FINAL: lambda: {"event_time": occurred, **texts.final(rng, kind, 1)},
            }[stage]()
            amendment = writer.add(
                Report,
                incident_id=incident,
                stage=stage,
                amends_id=previous,
                amendment_reason="更正重伤人数",
                submitted_by_id=reporter,
                submitted_at=when,
                **fields,
                **current,
            )
            self._alerts(incident, amendment, kind, current, inst, station, when)
        return current

    def _alerts(self, incident, report, kind, figures, inst, station, when) -> None:
        """Who the services alert: the county bureau and the placing station (a station's own
        incident: the bureau above it), and the city for deaths, the missing and grave grades."""
        rng = self.rng
        if inst is not None:
            recipients = [inst.county]
            agreement = inst.agreement_on(when.date())
            if agreement is not None:
                recipients.append(agreement.station)
        else:
            recipients = [self.world["stations"][station]]
        grade = grade_for(
            deaths=figures["deaths"],
            serious_injuries=figures["serious_injuries"],
            direct_loss=figures["direct_loss"],
        )
        if kind in CITY_KINDS or figures["deaths"] > 0 or grade >= Grade.LARGER:
            recipients.append(self.city)
        recent = self.now - when < DAY * 3
        for organisation in dict.fromkeys(recipients):
            read = rng.random() < (0.4 if recent else 0.95)
            read_at = min(when + MINUTE * rng.randint(10, 600), self.now) if read else None
            self.writer.add(
                Alert,
                incident_id=incident,
                report_id=report,
                recipient_id=organisation,
                created_at=when,
                read_at=read_at,
                read_by_id=rng.choice(self.staff[organisation]) if read else None,
            )

    def _notes(self, incident, county, reported, closed_at, closer) -> None:
        rng = self.rng
        if rng.random() < 0.85:
            self.writer.add(
                Note,
                incident_id=incident,
                kind=Note.Kind.ACKNOWLEDGEMENT,
                author_id=rng.choice(self.staff[county]),
                organisation_id=county,
                created_at=min(reported + MINUTE * rng.randint(30, 300), self.now),
            )
        if closed_at is not None:
            self.writer.add(
                Note,
                incident_id=incident,
                kind=Note.Kind.CLOSURE,
                text="整改措施已落实，同意结案",
                author_id=closer,
                organisation_id=county,
                created_at=closed_at,
            )
