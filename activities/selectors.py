"""Figures on group activities for the group's yearly report, the coordinator's dashboard and the
staff's regional and national figures. Each figure is one SQL aggregate over querysets the caller
has already scoped (one group, or the groups a staff member may see): a fixed number of queries
whatever the data size. The definitions below are the ones written in docs/figures.md and carried
in every export."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Activity,
    ActivityKind,
    ActivitySignal,
    Attendance,
    BoardSeat,
    local_datetime,
    seats_overlapping,
)
from households.models import Household
from visits.models import Signal, Visit

TRAINING_KINDS = (ActivityKind.TRAINING,)
DIALOGUE_KINDS = (ActivityKind.DIALOGUE,)
ACTION_KINDS = (ActivityKind.ACTION,)

# (key, section, label, definition). Sections: "activities" and "decree" (the six criteria of
# the Flemish decree on poverty reduction of 21 March 2003).
FIGURES = [
    (
        "activities",
        "activities",
        _("groepsactiviteiten"),
        _(
            "Activiteiten die in de periode begonnen, tot nu toe: een activiteit die nog moet "
            "beginnen, telt niet mee."
        ),
    ),
    (
        "attendances",
        "activities",
        _("aanwezigheden van gezinsleden"),
        _("Geregistreerde gezinsleden per activiteit, opgeteld: wie drie keer kwam, telt drie keer."),
    ),
    (
        "unregistered",
        "activities",
        _("andere aanwezigen (niet geregistreerd)"),
        _("De mensen die bij elke activiteit zonder naam geteld werden, opgeteld."),
    ),
    (
        "unique_persons",
        "activities",
        _("verschillende gezinsleden aanwezig"),
        _("Gezinsleden die minstens één keer aanwezig waren, elk één keer geteld."),
    ),
    (
        "families_by_activities",
        "activities",
        _("gezinnen bereikt met activiteiten"),
        _("Gezinnen van wie minstens één gezinslid op een activiteit was."),
    ),
    (
        "families_only_activities",
        "activities",
        _("gezinnen alleen via activiteiten bereikt"),
        _("Gezinnen die op een activiteit waren en in de periode geen contact (bezoek, telefoon …) hadden."),
    ),
    (
        "families_both",
        "activities",
        _("gezinnen bereikt met contacten én activiteiten"),
        _("Gezinnen met minstens één contact en minstens één aanwezigheid op een activiteit in de periode."),
    ),
    (
        "co_organisers",
        "activities",
        _("deelnemers die mee organiseerden"),
        _(
            "Gezinsleden die bij minstens één activiteit ‘hielp organiseren’ aangeduid kregen "
            "(koken, onthalen, een gesprek leiden …), elk één keer geteld."
        ),
    ),
    (
        "speakers",
        "activities",
        _("deelnemers die het woord namen"),
        _(
            "Gezinsleden die bij minstens één activiteit ‘nam het woord’ aangeduid kregen (op een "
            "overleg, een actie, in het bestuur van de groep …), elk één keer geteld."
        ),
    ),
    (
        "new_families",
        "decree",
        _("1. blijven bereiken: nieuwe gezinnen"),
        _("Gezinnen die in de periode voor het eerst geregistreerd werden."),
    ),
    (
        "new_families_participations",
        "decree",
        _("1. blijven bereiken: hoe vaak de nieuwe gezinnen deelnamen"),
        _(
            "Contacten met de nieuwe gezinnen plus aanwezigheden van hun gezinsleden op "
            "activiteiten, in de periode."
        ),
    ),
    (
        "brought_together",
        "decree",
        _("2. samenbrengen: mensen in armoede samengebracht"),
        _(
            "Verschillende gezinsleden die op een activiteit aanwezig waren. Niet-geregistreerde "
            "aanwezigen staan apart, omdat ze niet één keer per persoon te tellen zijn."
        ),
    ),
    (
        "took_a_role",
        "decree",
        _("3. het woord geven: mensen die een rol opnamen"),
        _(
            "Verschillende gezinsleden die mee organiseerden (‘hielp organiseren’) of het woord "
            "namen (‘nam het woord’) bij minstens één activiteit, of die op minstens één dag van "
            "de periode in de kerngroep (het bestuur) van de groep zaten, elk één keer geteld."
        ),
    ),
    (
        "board_members",
        "decree",
        _("3. het woord geven: gezinsleden in de kerngroep"),
        _(
            "Verschillende gezinsleden die op minstens één dag van de periode in de kerngroep "
            "(het bestuur) zaten."
        ),
    ),
    (
        "training_activities",
        "decree",
        _("4. emancipatie: vormings- en infoactiviteiten"),
        _("Activiteiten van de soort ‘vorming’."),
    ),
    (
        "training_participants",
        "decree",
        _("4. emancipatie: deelnemers aan vorming"),
        _("Verschillende gezinsleden aanwezig op een vorming."),
    ),
    (
        "signals",
        "decree",
        _("5. werken aan structuren: signalen"),
        _("Signalen die in de periode vastgesteld werden."),
    ),
    (
        "signals_taken_up",
        "decree",
        _("5. werken aan structuren: signalen opgenomen in een actie of overleg"),
        _("Signalen uit de periode die aan een actie of een overleg met een instelling gekoppeld zijn."),
    ),
    ("actions", "decree", _("5. werken aan structuren: acties"), _("Activiteiten van de soort ‘actie’.")),
    (
        "dialogues",
        "decree",
        _("6. dialoog: overleg met instellingen"),
        _("Activiteiten van de soort ‘overleg met een instelling’."),
    ),
    (
        "dialogue_participants",
        "decree",
        _("6. dialoog: mensen in armoede op een overleg"),
        _("Verschillende gezinsleden aanwezig op een overleg met een instelling."),
    ),
]
SECTIONS = {"activities": _("Groepsactiviteiten"), "decree": _("Decreet armoedebestrijding: zes criteria")}


# --- What has happened: the figures never count an activity that has not started --------------


def so_far(start: date, end: date, now: datetime | None = None) -> tuple[date, datetime]:
    """The last day a period from `start` to `end` counts (`end`, or today when the period runs
    past it) and the moment up to which activities count (now): every figure here, and the
    staff's (reports.staff_figures), counts what has happened only. A period that runs past
    today (this year, the last twelve months) would otherwise count the praatcafés planned
    for next month, their attendance and the signals they are to take up."""
    now = now or timezone.now()
    return min(end, timezone.localdate(now)), now


def started(activities: QuerySet[Activity], start: date, end: date, now: datetime) -> QuerySet[Activity]:
    """The activities of `activities` that started from `start` to `end` (inclusive, local
    dates) and by `now`. From the first moment of `start` to the last of `end`, local time:
    the index on (group, starts_at) serves it, where a cast of starts_at to a date would not."""
    return activities.filter(
        starts_at__gte=local_datetime(start),
        starts_at__lt=local_datetime(end + timedelta(days=1)),
        starts_at__lte=now,
    )


def attendance_at(
    attendances: QuerySet[Attendance], activities: QuerySet[Activity], start: date, end: date
) -> QuerySet[Attendance]:
    """The rows of `attendances` at `activities` (already `started`): the date (index on
    group, date) narrows them, the activity (an IN (subquery) hashed once) leaves out an
    activity later today that someone ticked before it began."""
    return attendances.filter(date__range=(start, end), activity_id__in=activities.values("pk"))


def taken_up(now: datetime) -> Exists:
    """A signal (OuterRef "pk") that an action or a dialogue took up: linked to one that has
    started by `now` (a dialogue planned for next month has not taken it up yet)."""
    return Exists(ActivitySignal.objects.filter(signal=OuterRef("pk"), activity__starts_at__lte=now))


@dataclass
class ActivityFigures:
    start: date
    end: date
    values: dict[str, int] = field(default_factory=dict)
    by_kind: list[tuple[str, int]] = field(default_factory=list)

    def rows(self, show=lambda n: n) -> list[tuple[str, str, object, str]]:
        """(section, label, value shown, definition) for every figure, in the report's order."""
        return [
            (str(SECTIONS[section]), str(label), show(self.values[key]), str(definition))
            for key, section, label, definition in FIGURES
            if key in self.values
        ]

    def kind_rows(self, show=lambda n: n) -> list[tuple[str, object]]:
        return [(label, show(n)) for label, n in self.by_kind]


def activity_figures(
    *,
    activities: QuerySet[Activity],
    attendances: QuerySet[Attendance],
    visits: QuerySet[Visit],
    households: QuerySet[Household],
    signals: QuerySet[Signal],
    start: date,
    end: date,
    decree: bool = True,
    board_seats: QuerySet[BoardSeat] | None = None,
) -> ActivityFigures:
    """The activity figures, and with `decree` the six criteria too, for activities that started
    from `start` to `end` (inclusive, local dates), and so far only (`so_far`: nothing after
    now, whatever `end`). Two queries, five with `decree`, whatever
    the size of the data. `board_seats` (the group's, already scoped; None: none) count in
    "took a role" and "board members" for every period they overlap. Without `decree` (the
    dashboard), the decree keys are absent and `rows()` leaves their section out."""
    figures = ActivityFigures(start=start, end=end)
    values = figures.values
    end, now = so_far(start, end)
    since = local_datetime(start)
    until = local_datetime(end + timedelta(days=1))
    in_period = started(activities, start, end, now)
    kinds = {
        kind: (n, heads)
        for kind, n, heads in in_period.values_list("kind")
        .annotate(n=Count("pk"), heads=Coalesce(Sum("unregistered_count"), 0))
        .order_by()
    }
    figures.by_kind = [(str(label), kinds.get(value, (0, 0))[0]) for value, label in ActivityKind.choices]
    values["activities"] = sum(n for n, _heads in kinds.values())
    values["unregistered"] = sum(heads for _n, heads in kinds.values())

    # One pass over the period's attendance rows (index on group, date), without joins: each
    # condition on another table is an IN (subquery) that PostgreSQL hashes once.
    attended = attendance_at(attendances, in_period, start, end)
    visited = visits.filter(date__range=(start, end)).values("household_id")
    new_households = households.filter(created_at__gte=since, created_at__lt=until)
    training = in_period.filter(kind__in=TRAINING_KINDS).values("pk")
    dialogue = in_period.filter(kind__in=DIALOGUE_KINDS).values("pk")
    # The last three only count for the decree: the dashboard (decree=False) leaves them out.
    decree_counts = (
        {
            "training": Count("person_id", distinct=True, filter=Q(activity_id__in=training)),
            "dialogue": Count("person_id", distinct=True, filter=Q(activity_id__in=dialogue)),
            "new_families": Count("pk", filter=Q(household_id__in=new_households.values("pk"))),
        }
        if decree
        else {}
    )
    counts = attended.aggregate(
        attendances=Count("pk"),
        unique_persons=Count("person_id", distinct=True),
        families=Count("household_id", distinct=True),
        families_both=Count("household_id", distinct=True, filter=Q(household_id__in=visited)),
        co_organisers=Count("person_id", distinct=True, filter=Q(helped_organise=True)),
        speakers=Count("person_id", distinct=True, filter=Q(spoke=True)),
        **decree_counts,
    )
    values["attendances"] = counts["attendances"]
    values["unique_persons"] = counts["unique_persons"]
    values["families_by_activities"] = counts["families"]
    values["families_both"] = counts["families_both"]
    values["families_only_activities"] = counts["families"] - counts["families_both"]
    values["co_organisers"] = counts["co_organisers"]
    values["speakers"] = counts["speakers"]
    if not decree:
        return figures

    values["training_activities"] = sum(kinds.get(kind, (0, 0))[0] for kind in TRAINING_KINDS)
    values["dialogues"] = sum(kinds.get(kind, (0, 0))[0] for kind in DIALOGUE_KINDS)
    values["actions"] = sum(kinds.get(kind, (0, 0))[0] for kind in ACTION_KINDS)
    values["brought_together"] = counts["unique_persons"]
    roles = role_counts(
        attendances=attended,
        board_seats=board_seats if board_seats is not None else BoardSeat.objects.none(),
        start=start,
        end=end,
    )
    values["took_a_role"] = sum(took for took, _board in roles.values())
    values["board_members"] = sum(board for _took, board in roles.values())
    values["training_participants"] = counts["training"]
    values["dialogue_participants"] = counts["dialogue"]
    new_visits = visits.filter(date__range=(start, end), household_id__in=new_households.values("pk"))
    values["new_families"] = new_households.count()
    values["new_families_participations"] = new_visits.count() + counts["new_families"]
    noticed = signals.filter(noticed_on__range=(start, end))
    signal_counts = noticed.aggregate(n=Count("pk"), taken_up=Count("pk", filter=Q(taken_up(now))))
    values["signals"] = signal_counts["n"]
    values["signals_taken_up"] = signal_counts["taken_up"]
    return figures


# The decree figures that count each person or family once per period (so they do not add up
# over months): what the staff pages take per group from activity_figures_by_group. The others
# (activities by kind, signals, new families) add up over time and are counted over the whole
# year by reports.staff_figures itself.
ONCE_PER_PERIOD = (
    "unique_persons",
    "brought_together",
    "families_by_activities",
    "families_both",
    "families_only_activities",
    "co_organisers",
    "speakers",
    "training_participants",
    "dialogue_participants",
    "new_families_participations",
    "took_a_role",
    "board_members",
)


def activity_figures_by_group(*, group_ids: list[int], start: date, end: date) -> dict[int, dict]:
    """The ONCE_PER_PERIOD figures of `activity_figures`, per group in `group_ids`: {group id:
    {key: count}}. For the staff's figures (reports.staff_figures), which protect every region
    and the whole country together; a person and a household belong to one group, so the counts
    add up over groups. So far only, as `activity_figures`. Three queries, whatever the number
    of groups or the data."""
    end, now = so_far(start, end)
    since = local_datetime(start)
    until = local_datetime(end + timedelta(days=1))
    result: dict[int, dict] = {pk: dict.fromkeys(ONCE_PER_PERIOD, 0) for pk in group_ids}
    in_period = started(Activity.objects.filter(group_id__in=group_ids), start, end, now)
    attended = attendance_at(Attendance.objects.filter(group_id__in=group_ids), in_period, start, end)
    visits = Visit.objects.filter(group_id__in=group_ids, date__range=(start, end))
    new_households = Household.objects.filter(
        group_id__in=group_ids, created_at__gte=since, created_at__lt=until
    ).values("pk")
    training = in_period.filter(kind__in=TRAINING_KINDS).values("pk")
    dialogue = in_period.filter(kind__in=DIALOGUE_KINDS).values("pk")
    for row in (
        attended.values("group_id")
        .annotate(
            unique_persons=Count("person_id", distinct=True),
            families=Count("household_id", distinct=True),
            families_both=Count(
                "household_id", distinct=True, filter=Q(household_id__in=visits.values("household_id"))
            ),
            co_organisers=Count("person_id", distinct=True, filter=Q(helped_organise=True)),
            speakers=Count("person_id", distinct=True, filter=Q(spoke=True)),
            training=Count("person_id", distinct=True, filter=Q(activity_id__in=training)),
            dialogue=Count("person_id", distinct=True, filter=Q(activity_id__in=dialogue)),
            new_families=Count("pk", filter=Q(household_id__in=new_households)),
        )
        .order_by()
    ):
        values = result[row["group_id"]]
        values["unique_persons"] = values["brought_together"] = row["unique_persons"]
        values["families_by_activities"] = row["families"]
        values["families_both"] = row["families_both"]
        values["families_only_activities"] = row["families"] - row["families_both"]
        values["co_organisers"] = row["co_organisers"]
        values["speakers"] = row["speakers"]
        values["training_participants"] = row["training"]
        values["dialogue_participants"] = row["dialogue"]
        values["new_families_participations"] += row["new_families"]
    for group_id, n in (
        visits.filter(household_id__in=new_households)
        .values_list("group_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        result[group_id]["new_families_participations"] += n
    for group_id, (took, board) in role_counts(
        attendances=attended,
        board_seats=BoardSeat.objects.filter(group_id__in=group_ids),
        start=start,
        end=end,
    ).items():
        result[group_id]["took_a_role"] = took
        result[group_id]["board_members"] = board
    return result


def role_counts(
    *, attendances: QuerySet[Attendance], board_seats: QuerySet[BoardSeat], start: date, end: date
) -> dict[int, tuple[int, int]]:
    """Per group: (people who took a role, people on the board), each person once, for the
    period `start`..`end` (inclusive). A role is "hielp organiseren" or "nam het woord" on an
    attendance of `attendances` in the period, or a seat of `board_seats` held on a day of it
    (decree criterion 3, docs/figures.md). Both querysets are already scoped by the caller.

    One query, on the attendance queryset's database: the two sets of (group, person) are a
    UNION in SQL, which the ORM cannot group.
    """
    roles = (
        attendances.filter(date__range=(start, end))
        .filter(Q(helped_organise=True) | Q(spoke=True))
        .order_by()
        .values("group_id", "person_id")
    )
    seated = seats_overlapping(board_seats, start, end).order_by().values("group_id", "person_id")
    roles_sql, roles_params = _sql(roles)
    seated_sql, seated_params = _sql(seated)
    # The parts are the ORM's own SQL, with their parameters kept separate.
    sql = (
        "SELECT group_id, count(*), count(*) FILTER (WHERE board) FROM ("  # noqa: S608
        " SELECT group_id, person_id, bool_or(board) AS board FROM ("
        f"  SELECT r.group_id, r.person_id, false AS board FROM ({roles_sql}) AS r"
        f"  UNION ALL SELECT s.group_id, s.person_id, true FROM ({seated_sql}) AS s"
        " ) AS both_sets GROUP BY group_id, person_id"
        ") AS persons GROUP BY group_id"
    )
    # The attendance queryset's database: the read replica inside `rls.replica.reads`.
    with connections[attendances.db].cursor() as cursor:
        cursor.execute(sql, [*roles_params, *seated_params])
        return {group_id: (took, board) for group_id, took, board in cursor.fetchall()}


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    """The SQL of a `.values("group_id", "person_id")` queryset; an empty one (`.none()`) as a
    select of no rows, which Django cannot compile."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return "SELECT NULL::bigint AS group_id, NULL::bigint AS person_id WHERE false", ()
