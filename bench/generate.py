"""Invented data at scale for the benchmarks: deterministic, seeded, bulk inserts.

    export BENCH_DATABASE_URL=postgres://prevent_portal@127.0.0.1/prevent_portal_bench_small
    python -m bench.generate --preset small

bench/run.py does this for you. It always uses bench.settings, whose database name must
contain "bench". The database must hold the reference data (migrations and
`load_reference_data`) and no generated rows yet. The same preset and seed give the same
rows (only the automatic `created_at` timestamps differ). Every name, place and text is
invented.
"""

import argparse
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice

BATCH = 5000


@dataclass(frozen=True)
class Preset:
    referrals: int
    sessions: int
    evaluations: int
    settings: int
    outreach: int
    incidents: int
    weeks: int
    plan_actions: int


PRESETS = {
    # What a national deployment holds after about ten years.
    "national": Preset(80_000, 200_000, 500_000, 25_000, 60_000, 50_000, 520, 2_000),
    # A fortieth of it, for quick runs while developing.
    "small": Preset(2_000, 5_000, 12_500, 625, 1_500, 1_250, 520, 200),
    # For the generator's own test.
    "tiny": Preset(40, 30, 60, 20, 20, 20, 12, 12),
}

# The data runs up to this date, whatever day the benchmark runs.
END = date(2026, 10, 31)
YEARS = 10
START = date(END.year - YEARS, END.month, END.day) + timedelta(days=1)

GIVEN = ["Jamie", "Alex", "Sam", "Robin", "Casey", "Jordan", "Morgan", "Riley", "Avery"]
GIVEN += ["Quinn", "Rowan", "Sasha", "Toby", "Ellis", "Harper", "Kit", "Drew", "Remy"]
FAMILY = ["Testwood", "Sampleton", "Exampleby", "Fictionson", "Inventley", "Madeup"]
FAMILY += ["Dummerton", "Placeholder", "Mockridge", "Fakenham-Test", "Notreal", "Specimen"]
STREETS = ["Invented Road", "Sample Street", "Example Lane", "Fiction Close", "Test Avenue"]
TOPICS = ["Online safety", "Extremism and radicalisation", "British values", "Prevent duty"]
TOPICS += ["Misinformation", "Critical thinking", "Hate crime", "Healthy relationships"]
PLACES = ["Invented Park", "Sample Street underpass", "Example bus station", "Test Library"]
PLACES += ["Fiction Road bridge", "Mockridge shopping parade", "Placeholder playing fields"]


def _batches(rows, size=BATCH):
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _day(rng: random.Random, start: date = START, end: date = END) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _next_pk(model) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


class Generator:
    def __init__(self, preset: Preset, seed: int, out=sys.stdout):
        self.preset = preset
        self.seed = seed
        self.out = out
        self.counts: dict[str, int] = {}

    def rng(self, part: str) -> random.Random:
        # One stream per part: changing one part never shifts the rows of another.
        return random.Random(f"{self.seed}:{part}")  # noqa: S311 (reproducible, not security)

    def insert(self, model, rows, label=None) -> int:
        count = 0
        for batch in _batches(rows):
            model.objects.bulk_create(batch)
            count += len(batch)
        name = label or model._meta.label
        self.counts[name] = self.counts.get(name, 0) + count
        return count

    def log(self, message: str) -> None:
        print(message, file=self.out, flush=True)

    def run(self) -> dict[str, int]:
        from django.db import transaction

        from referrals.models import Referral

        if Referral.objects.exists():
            raise SystemExit("The database already holds referrals: generate into an empty one.")
        started = time.monotonic()
        for part in (self.users, self.referrals, self.training, self.education):
            with transaction.atomic():
                part_started = time.monotonic()
                part()
                self.log(f"  {part.__name__}: {time.monotonic() - part_started:.1f} s")
        for part in (self.community, self.governance):
            with transaction.atomic():
                part()
        self.reset_sequences()
        self.log(f"Generated in {time.monotonic() - started:.1f} s")
        return self.counts

    # ----------------------------------------------------------------------------------
    def users(self):
        from prevent_portal.accounts.models import User, UserRole
        from prevent_portal.accounts.roles import Role

        staff = [("casemanager", Role.CHANNEL, 12), ("peo", Role.EDUCATION, 8)]
        staff += [("trainer", Role.COORDINATOR, 6), ("ceo", Role.COMMUNITY, 4)]
        users, roles = [], []
        for prefix, role, count in staff:
            for n in range(1, count + 1):
                user = User(
                    username=f"bench-{prefix}-{n}",
                    first_name=GIVEN[n % len(GIVEN)],
                    last_name=f"{FAMILY[n % len(FAMILY)]} {prefix.title()}",
                    password="!",  # noqa: S106 (unusable: these users never sign in)
                )
                users.append(user)
                roles.append((user, role))
        User.objects.bulk_create(users)
        UserRole.objects.bulk_create([UserRole(user=user, role=role) for user, role in roles])
        self.case_managers = [u.pk for u in users if u.username.startswith("bench-casemanager")]
        self.peos = [u.pk for u in users if u.username.startswith("bench-peo")]
        self.trainers = [u.pk for u in users if u.username.startswith("bench-trainer")]
        self.counts["accounts.User"] = len(users)

    # ----------------------------------------------------------------------------------
    def referrals(self):
        from governance.models import District
        from referrals.choices import ConcernScheme, PersonAware
        from referrals.choices import ReferralStatus as S
        from referrals.models import (
            ConcernType,
            Outcome,
            Person,
            ReferenceCounter,
            Referral,
            ReferralEvent,
            Sector,
            Sex,
        )
        from referrals.transitions import LEAVES_PROCESS, TRANSITIONS

        rng = self.rng("referrals")
        districts = list(District.objects.values_list("pk", flat=True))
        sexes = list(Sex.objects.values_list("pk", flat=True))
        sectors = list(Sector.objects.values_list("pk", flat=True))
        outcomes = list(Outcome.objects.values_list("pk", flat=True))
        concerns = {}
        for pk, scheme in ConcernType.objects.values_list("pk", "scheme"):
            concerns.setdefault(scheme, []).append(pk)

        def scheme_on(day: date) -> str:
            if day < date(2021, 4, 1):
                return ConcernScheme.TO_2020_21
            if day < date(2024, 4, 1):
                return ConcernScheme.FROM_2021_22
            return ConcernScheme.FROM_2024_25_REVISED

        # About one person in eight is referred more than once.
        people_count = max(1, self.preset.referrals * 7 // 8)
        people = []
        for _ in range(people_count):
            dob = None
            age = None
            if rng.random() < 0.85:
                dob = _day(rng, date(1950, 1, 1), date(2016, 12, 31))
            else:
                age = rng.randint(10, 70)
            people.append(
                Person(
                    id=_uuid(rng),
                    given_names=rng.choice(GIVEN),
                    family_name=rng.choice(FAMILY),
                    date_of_birth=dob,
                    approximate_age=age,
                    approximate_age_on=START if age else None,
                    sex_id=rng.choice(sexes),
                    address=f"{rng.randint(1, 300)} {rng.choice(STREETS)}, Invented Town",
                    district_id=rng.choice(districts),
                )
            )
        self.insert(Person, people)
        person_ids = [person.pk for person in people]
        del people

        counters: dict[int, int] = {}
        referrals, events, links = [], [], []
        through = Referral.concern_types.through
        received_days = sorted(_day(rng) for _ in range(self.preset.referrals))
        for received in received_days:
            counters[received.year] = counters.get(received.year, 0) + 1
            status, day, steps = S.RECEIVED, received, []
            left_on = None
            while status in TRANSITIONS and len(steps) < 12:
                options = TRANSITIONS[status]
                # Older cases have usually gone further; the newest are still open.
                if rng.random() < 0.12:
                    break
                nxt = options[0] if rng.random() < 0.6 else rng.choice(options)
                day = day + timedelta(days=rng.randint(3, 60))
                if day > END:
                    break
                steps.append((status, nxt, day))
                if nxt in LEAVES_PROCESS and left_on is None:
                    left_on = day
                status = nxt
            scheme = scheme_on(received)
            primary = rng.choice(concerns[scheme])
            referral = Referral(
                id=_uuid(rng),
                reference=f"PR-{received.year}-{counters[received.year]:04d}",
                person_id=rng.choice(person_ids),
                status=status,
                version=len(steps) + 1,
                case_manager_id=rng.choice(self.case_managers) if steps else None,
                date_received=received,
                person_aware=rng.choice(PersonAware.values),
                referrer_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                referrer_role="Designated safeguarding lead",
                referrer_organisation="Invented Academy",
                sector_id=rng.choice(sectors),
                primary_concern_id=primary,
                concerns="Invented concerns for the benchmark data set.",
                outcome_id=rng.choice(outcomes) if status in LEAVES_PROCESS and outcomes else None,
                left_process_on=left_on,
                disposal_due_on=(
                    date(left_on.year + 6, left_on.month, min(left_on.day, 28)) if left_on else None
                ),
            )
            referrals.append(referral)
            links.append(through(referral_id=referral.pk, concerntype_id=primary))
            others = [pk for pk in concerns[scheme] if pk != primary]
            if others and rng.random() < 0.3:
                links.append(through(referral_id=referral.pk, concerntype_id=rng.choice(others)))
            for from_status, to_status, occurred in steps:
                events.append(
                    ReferralEvent(
                        referral_id=referral.pk,
                        from_status=from_status,
                        to_status=to_status,
                        occurred_on=occurred,
                        actor_id=referral.case_manager_id,
                    )
                )
        self.insert(Referral, referrals)
        self.insert(through, links, "referrals.Referral_concern_types")
        self.insert(ReferralEvent, events)
        ReferenceCounter.objects.bulk_create(
            [ReferenceCounter(year=year, last=last) for year, last in counters.items()]
        )

    # ----------------------------------------------------------------------------------
    def training(self):
        from governance.models import District, Partner
        from training.choices import MetExpectations, SessionFormat, ValueToRole
        from training.models import Course, Evaluation, ReferenceCounter, TrainingSession

        rng = self.rng("training")
        courses = list(Course.objects.values_list("pk", flat=True))
        districts = list(District.objects.values_list("pk", flat=True))
        partners = list(Partner.objects.values_list("pk", flat=True))
        first_id = _next_pk(TrainingSession)
        counters: dict[int, int] = {}
        days = sorted(_day(rng) for _ in range(self.preset.sessions))
        sessions, trainers, audiences = [], [], []
        trainer_through = TrainingSession.trainers.through
        audience_through = TrainingSession.audiences.through
        for offset, day in enumerate(days):
            pk = first_id + offset
            counters[day.year] = counters.get(day.year, 0) + 1
            bespoke = not courses or rng.random() < 0.1
            sessions.append(
                TrainingSession(
                    id=pk,
                    reference=f"TS-{day.year}-{counters[day.year]:04d}",
                    date=day,
                    course_id=None if bespoke else rng.choice(courses),
                    bespoke_title=f"Bespoke input: {rng.choice(TOPICS)}" if bespoke else "",
                    format=rng.choice(SessionFormat.values),
                    district_id=rng.choice(districts) if rng.random() < 0.8 else None,
                    attendees=rng.randint(4, 60),
                )
            )
            trainer = rng.choice(self.trainers)
            trainers.append(trainer_through(trainingsession_id=pk, user_id=trainer))
            for partner in rng.sample(partners, min(len(partners), rng.randint(0, 2))):
                audiences.append(audience_through(trainingsession_id=pk, partner_id=partner))
        self.insert(TrainingSession, sessions)
        self.insert(trainer_through, trainers, "training.TrainingSession_trainers")
        self.insert(audience_through, audiences, "training.TrainingSession_audiences")
        ReferenceCounter.objects.bulk_create(
            [ReferenceCounter(year=year, last=last) for year, last in counters.items()]
        )
        session_ids = [session.pk for session in sessions]
        del sessions

        def evaluations():
            for _ in range(self.preset.evaluations):
                comment = rng.random() < 0.2
                yield Evaluation(
                    session_id=rng.choice(session_ids),
                    met_expectations=rng.choice(MetExpectations.values),
                    value_to_role=rng.choice(ValueToRole.values),
                    comment="An invented comment on the session." if comment else "",
                    quotable=comment and rng.random() < 0.5,
                )

        self.insert(Evaluation, evaluations())

    # ----------------------------------------------------------------------------------
    def education(self):
        from education.choices import SessionFormat
        from education.models import AudienceCategory, OutreachSession, Setting
        from governance.models import District

        rng = self.rng("education")
        districts = list(District.objects.values_list("pk", flat=True))
        audiences = list(AudienceCategory.objects.values_list("pk", flat=True))
        first_setting = _next_pk(Setting)
        phases = ["Primary", "Secondary", "All-through", "16 plus", "Not applicable"]
        kinds = ["Primary School", "Academy", "College", "Nursery"]
        settings = [
            Setting(
                id=first_setting + n,
                urn=900_000 + n,
                name=f"{rng.choice(FAMILY)} {rng.choice(kinds)} {n}",
                establishment_type="Invented type",
                phase=rng.choice(phases),
                local_authority="Invented Borough",
                district_id=rng.choice(districts),
                postcode=f"ZZ{rng.randint(1, 99)} {rng.randint(1, 9)}XX",
                status="Open",
                is_open=rng.random() < 0.93,
            )
            for n in range(self.preset.settings)
        ]
        self.insert(Setting, settings)
        setting_ids = [setting.pk for setting in settings]
        first_session = _next_pk(OutreachSession)
        sessions, reached = [], []
        through = OutreachSession.settings.through
        for offset, day in enumerate(sorted(_day(rng) for _ in range(self.preset.outreach))):
            pk = first_session + offset
            sessions.append(
                OutreachSession(
                    id=pk,
                    date=day,
                    peo_id=rng.choice(self.peos),
                    audience_id=rng.choice(audiences),
                    attendees=rng.randint(5, 250),
                    format=rng.choice(SessionFormat.values),
                    topic=rng.choice(TOPICS),
                    source_key=f"bench-{self.seed}-{offset}",
                )
            )
            for setting in rng.sample(setting_ids, min(len(setting_ids), rng.randint(1, 3))):
                reached.append(through(outreachsession_id=pk, setting_id=setting))
        self.insert(OutreachSession, sessions)
        self.insert(through, reached, "education.OutreachSession_settings")

    # ----------------------------------------------------------------------------------
    def community(self):
        from community.choices import Ideology, IncidentKind, SummaryStatus
        from community.models import Incident, TensionLevel, TensionSummary, Theme
        from governance.models import District, Partner

        rng = self.rng("community")
        districts = list(District.objects.values_list("pk", flat=True))
        partners = list(Partner.objects.values_list("pk", flat=True))

        def incidents():
            for _ in range(self.preset.incidents):
                day = _day(rng)
                removed = rng.random() < 0.7
                removed_on = min(END, day + timedelta(days=rng.randint(0, 14)))
                reporter = rng.choice(partners) if partners and rng.random() < 0.6 else None
                yield Incident(
                    occurred_on=day,
                    district_id=rng.choice(districts),
                    place=rng.choice(PLACES),
                    kind=rng.choice(IncidentKind.values),
                    ideology=rng.choice(Ideology.values),
                    reported_by_id=reporter,
                    removed=removed,
                    removed_on=removed_on if removed else None,
                )

        self.insert(Incident, incidents())

        levels = list(TensionLevel.objects.values_list("pk", flat=True))
        themes = list(Theme.objects.values_list("pk", flat=True))
        last_monday = END - timedelta(days=END.weekday())
        first_pk = _next_pk(TensionSummary)
        summaries, links = [], []
        through = TensionSummary.themes.through
        for week in range(self.preset.weeks):
            monday = last_monday - timedelta(weeks=week)
            pk = first_pk + week
            summaries.append(
                TensionSummary(
                    id=pk,
                    week_commencing=monday,
                    status=SummaryStatus.ISSUED,
                    level_id=rng.choice(levels),
                    narrative="An invented summary of the week online.",
                    issued_at=_noon(monday + timedelta(days=4)),
                )
            )
            for theme in rng.sample(themes, min(len(themes), rng.randint(1, 3))):
                links.append(through(tensionsummary_id=pk, theme_id=theme))
        self.insert(TensionSummary, summaries)
        self.insert(through, links, "community.TensionSummary_themes")

    # ----------------------------------------------------------------------------------
    def governance(self):
        from governance.choices import ActionStatus, Rag
        from governance.models import Partner, Plan, PlanAction, PlanHeading, ProgressUpdate

        rng = self.rng("governance")
        headings = list(PlanHeading.objects.values_list("pk", "number"))
        partners = list(Partner.objects.values_list("pk", flat=True))
        # Four yearly plans (April to March), the last one current on END.
        plans = []
        for year in range(END.year - 3, END.year + 1):
            plan, _ = Plan.objects.get_or_create(
                title=f"Bench {year}-{str(year + 1)[-2:]}",
                defaults={"starts_on": date(year, 4, 1), "ends_on": date(year + 1, 3, 31)},
            )
            plans.append(plan)
        per_plan = max(1, self.preset.plan_actions // len(plans))
        actions, updates = [], []
        first_pk = _next_pk(PlanAction)
        pk = first_pk
        for plan in plans:
            for n in range(per_plan):
                heading, number = headings[n % len(headings)]
                history = []
                for k in range(rng.randint(0, 4)):
                    dated = plan.starts_on + timedelta(days=60 * (k + 1) + rng.randint(0, 20))
                    if dated > END:
                        break
                    history.append(
                        ProgressUpdate(
                            action_id=pk,
                            dated=dated,
                            author_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                            status=rng.choice(ActionStatus.values),
                            rag=rng.choice(Rag.values),
                            narrative="Invented progress for the benchmark data set.",
                        )
                    )
                latest = history[-1] if history else None
                actions.append(
                    PlanAction(
                        id=pk,
                        plan=plan,
                        reference=f"{number}.{n // len(headings) + 1}",
                        heading_id=heading,
                        description="An invented action of the partnership plan.",
                        owner_id=rng.choice(partners) if partners else None,
                        lead="Invented lead",
                        due_on=_day(rng, plan.starts_on, plan.ends_on),
                        status=latest.status if latest else ActionStatus.NOT_STARTED,
                        rag=latest.rag if latest else "",
                    )
                )
                updates.extend(history)
                pk += 1
        self.insert(PlanAction, actions)
        self.insert(ProgressUpdate, updates)

    # ----------------------------------------------------------------------------------
    def reset_sequences(self):
        from django.apps import apps
        from django.core.management.color import no_style
        from django.db import connection

        models = list(apps.get_models(include_auto_created=True))
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


def generate(preset: str = "small", seed: int = 2026, out=sys.stdout) -> dict[str, int]:
    return Generator(PRESETS[preset], seed, out).run()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    # Always the benchmark database, whatever the environment says.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    counts = generate(args.preset, args.seed)
    for name, count in sorted(counts.items()):
        print(f"{name:45} {count:>9,}")


if __name__ == "__main__":
    main()
