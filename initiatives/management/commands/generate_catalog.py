"""Generate a synthetic catalog for benchmarks: `generate_catalog --works N --seed S`.

Works get English and Chinese titles built from pools of real words and place names (so a
two- or four-character Chinese substring, or an English word, matches a realistic share of
rows), a synopsis, one or two themes, a place or two from the gazetteer, a production company,
and a listing in one of many published batches of a synthetic initiative, with `updated_at`
spread over two and a half years, none after END (30 June 2026). The same seed gives the
same catalog.

Every generated record cites one source, SYNTHETIC_SOURCE ("Synthetic benchmark data"): that
is how `--clear` finds exactly the generated rows, and how anyone reading the database can
tell them from real ones. Rows are written in bulk (COPY on PostgreSQL, batched INSERTs on
SQLite), without history.

Public state: generated works are listed in published batches, so the rule of
core.publication makes them public; the command stores that verdict (`is_public`) as it
writes them rather than evaluating the rule per row, then lets `publication.refresh()` settle
everything else they show (themes, places, organisations, the source, the initiative) and bump
the public state. `publication.refresh()` over everything afterwards flips nothing (tested).

A database that holds works, initiatives or batches that are neither from the data sets
(fixtures) nor synthetic is refused unless `--force`.
"""

import datetime
import json
import random
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from catalog.models import (
    Organisation,
    Place,
    Source,
    Theme,
    Work,
    WorkOrganisation,
    WorkPlace,
    WorkTitle,
)
from core import publication
from core.models import PublicState
from initiatives.models import Batch, BatchThemeCount, Initiative, Recommendation, ThemeWork
from initiatives.services import batches_published_in_bulk

SYNTHETIC_SOURCE = "synthetic-benchmark-data"
SYNTHETIC_INITIATIVE = "synthetic-benchmark-programme"
SLUG_PREFIX = "synthetic-"
WORKS_PER_BATCH = 500
CHUNK = 20_000
START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
# The last date a generated record carries: fixed, so a seed gives the same rows on any day,
# and past, so no page says a record changed after the day it was served (Last-Modified).
END = datetime.datetime(2026, 6, 30, tzinfo=datetime.UTC)
# What each work's dates draw from the seed's generator: a creation within three years, then
# an update within 90 days; scaled into START..END (when).
SPAN_SECONDS = 3 * 365 * 24 * 3600
UPDATE_SECONDS = 90 * 24 * 3600

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

# Two-character words of micro-drama titles: things, crafts, landscapes, feelings.
ZH_NOUNS = [
    "茶香",
    "古镇",
    "山歌",
    "渔火",
    "非遗",
    "匠心",
    "烟火",
    "青瓷",
    "丝绸",
    "稻田",
    "乡愁",
    "星河",
    "归途",
    "灯笼",
    "戏台",
    "龙舟",
    "竹海",
    "梯田",
    "书院",
    "石桥",
    "古道",
    "绣娘",
    "茶山",
    "花海",
    "瓷都",
    "运河",
    "海岛",
    "草原",
    "雪山",
    "年味",
    "家书",
    "初心",
    "春风",
    "良田",
    "碧水",
    "木雕",
    "剪纸",
    "陶艺",
    "酱香",
    "米酒",
    "蜡染",
    "银饰",
    "渔港",
    "山村",
    "老街",
    "庙会",
    "龙灯",
    "青石",
    "红妆",
    "月光",
    "晨曦",
]
ZH_PEOPLE = [
    "少年",
    "姑娘",
    "阿婆",
    "书记",
    "医生",
    "老师",
    "工匠",
    "主播",
    "厨娘",
    "船长",
    "掌柜",
    "村长",
    "外婆",
    "兄弟",
    "姐妹",
    "新娘",
]
ZH_VERBS = ["守护", "传承", "追梦", "寻味", "重逢", "归来", "相遇", "逐梦", "奔跑", "回家"]
ZH_SUFFIXES = ["记", "传", "录", "谣", "之约", "之恋", "人家", "往事", "新篇", "物语", "情缘"]
ZH_SEASONS = {2: "第二季", 3: "第三季"}

EN_ADJECTIVES = [
    "Golden",
    "Silent",
    "Distant",
    "Little",
    "Hidden",
    "Rising",
    "Blue",
    "Crimson",
    "Ancient",
    "New",
    "Spring",
    "Autumn",
    "Misty",
    "Bright",
    "Quiet",
    "Wild",
    "Gentle",
    "Brave",
    "Lost",
    "Secret",
    "Silver",
    "Green",
    "Northern",
    "Southern",
]
EN_NOUNS = [
    "Tea",
    "Village",
    "River",
    "Bridge",
    "Kiln",
    "Silk",
    "Harbour",
    "Mountain",
    "Embroidery",
    "Opera",
    "Lantern",
    "Orchard",
    "Terrace",
    "Ferry",
    "Market",
    "Workshop",
    "Song",
    "Homecoming",
    "Journey",
    "Promise",
    "Porcelain",
    "Garden",
    "Festival",
    "Lake",
    "Island",
    "Valley",
    "Street",
    "Kitchen",
    "Loom",
    "Dragon",
    "Boat",
    "Road",
    "Moon",
    "Dawn",
    "Letter",
    "Field",
]
EN_PEOPLE = [
    "Girl",
    "Doctor",
    "Teacher",
    "Craftsman",
    "Streamer",
    "Chef",
    "Captain",
    "Grandmother",
    "Brothers",
    "Sisters",
    "Official",
    "Bride",
    "Weaver",
    "Fisherman",
    "Potter",
]
EN_PLOTS = (
    "revives a fading craft",
    "opens a guesthouse in the family home",
    "sells the village's harvest by live stream",
    "restores an old opera troupe",
    "finds a lost recipe",
    "guides visitors along an ancient road",
    "mends a quarrel between two families",
    "trains the next generation of artisans",
    "saves the river from pollution",
    "wins over a sceptical town",
)
EN_ENDINGS = (
    "and learns what home means",
    "while a festival draws near",
    "against the odds",
    "with help from unlikely friends",
    "as the seasons turn",
)
PLACE_SUFFIXES = ("特别行政区", "壮族自治区", "维吾尔自治区", "自治区", "省", "市", "县", "区")
EN_PLACE_SUFFIXES = (" Province", " City", " County", " District", " Municipality")


def short_zh(name: str) -> str:
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def short_en(name: str) -> str:
    for suffix in EN_PLACE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def fixture_slugs(model_label: str) -> set[str]:
    slugs = set()
    for path in sorted(FIXTURES.glob("*.json")):
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict) and row.get("model") == model_label:
                slug = row.get("fields", {}).get("slug")
                if slug:
                    slugs.add(slug)
    return slugs


class Command(BaseCommand):
    help = (
        "Generate N synthetic works for benchmarks (deterministic for a seed), or remove them "
        "(--clear). Refuses a database holding real data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--works", type=int, default=0, help="How many works to generate.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Remove the synthetic rows first (alone: remove them and stop).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write even into a database that holds real (non-seed) data.",
        )

    def handle(self, *args, works, seed, clear, force, **options):
        if works < 0:
            raise CommandError("--works must be 0 or more.")
        if works > 16_000_000:
            raise CommandError("--works is limited to 16,000,000 (batch numbers run out).")
        if not works and not clear:
            raise CommandError("Give --works N to generate, or --clear to remove.")
        started = time.monotonic()
        if connection.vendor == "postgresql":
            # A bulk load is no web request: the site's statement timeout (DB_STATEMENT_TIMEOUT,
            # seconds) would cut a COPY that maintains the search indexes.
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        if not force:
            real = self.real_data()
            if real:
                raise CommandError(
                    "This database holds real data ("
                    + ", ".join(real)
                    + "); generate_catalog writes only into seed or scratch databases. "
                    "Pass --force to write anyway."
                )
        if clear:
            removed = clear_synthetic()
            self.stdout.write(f"Removed {removed} synthetic works.")
        if works:
            existing = synthetic_works().count()
            if existing:
                raise CommandError(
                    f"The database already holds {existing} synthetic works; "
                    "pass --clear to replace them."
                )
            generate(works, seed, log=self.stdout.write)
            self.settle(log=self.stdout.write)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {works} synthetic works (seed {seed}) in "
                    f"{time.monotonic() - started:.1f} s."
                )
            )

    @staticmethod
    def settle(log=print) -> None:
        """After a bulk load on PostgreSQL, VACUUM (ANALYZE) the database, or only ANALYZE it
        inside a transaction (VACUUM cannot run in one): the tables written by triggers and
        rebuilds (the works' title words, initiatives.ThemeWork) had no statistics at all,
        and no table had its visibility map, so the searches' index-only scans read the
        table too. An English word at 100k works, straight after generating: 454 ms, 445
        with the statistics, 181 ms vacuumed (docs/benchmarks.md, seventeenth pass)."""
        if connection.vendor != "postgresql":
            return
        started = time.monotonic()
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(command)
        log(f"  {command} in {time.monotonic() - started:.1f} s")

    def real_data(self) -> list[str]:
        found = []
        checks = [
            (Work, "catalog.work", synthetic_works()),
            (
                Initiative,
                "initiatives.initiative",
                Initiative._base_manager.filter(slug=SYNTHETIC_INITIATIVE),
            ),
        ]
        for model, label, synthetic in checks:
            real = (
                model._base_manager.exclude(slug__in=fixture_slugs(label))
                .exclude(pk__in=synthetic.values("pk"))
                .count()
            )
            if real:
                found.append(f"{real} {model._meta.verbose_name_plural} not from the data sets")
        return found


def synthetic_source():
    return Source._base_manager.filter(slug=SYNTHETIC_SOURCE).first()


def synthetic_works():
    return Work._base_manager.filter(sources__slug=SYNTHETIC_SOURCE)


#
# Clearing
#


@transaction.atomic
def clear_synthetic() -> int:
    """Delete exactly the rows the generator wrote (what cites the synthetic source, and
    its links), then refresh what they showed. Returns the number of works removed."""
    source = synthetic_source()
    if source is None:
        return 0
    # The ids first: the links they are found by go before the rows themselves.
    work_pks = list(Work._base_manager.filter(sources=source).values_list("pk", flat=True))
    batch_pks = list(Batch._base_manager.filter(sources=source).values_list("pk", flat=True))
    initiative_pks = list(
        Initiative._base_manager.filter(sources=source).values_list("pk", flat=True)
    )
    organisation_pks = list(
        Organisation._base_manager.filter(sources=source).values_list("pk", flat=True)
    )
    touched: dict = {Theme: set(), Place: set()}
    for chunk in chunks(work_pks):
        touched[Theme].update(
            Work.themes.through._base_manager.filter(work__in=chunk).values_list(
                "theme_id", flat=True
            )
        )
        touched[Place].update(
            WorkPlace._base_manager.filter(work__in=chunk).values_list("place_id", flat=True)
        )
    touched[Place].update(
        Organisation._base_manager.filter(pk__in=organisation_pks).values_list(
            "place_id", flat=True
        )
    )
    for chunk in chunks(batch_pks):
        for qs in (
            Recommendation._base_manager.filter(batch__in=chunk),
            BatchThemeCount._base_manager.filter(batch__in=chunk),
            Batch.sources.through._base_manager.filter(batch__in=chunk),
        ):
            qs._raw_delete(qs.db)
    for chunk in chunks(work_pks):
        for qs in (
            ThemeWork._base_manager.filter(work__in=chunk),
            Recommendation._base_manager.filter(work__in=chunk),
            WorkTitle._base_manager.filter(work__in=chunk),
            WorkPlace._base_manager.filter(work__in=chunk),
            WorkOrganisation._base_manager.filter(work__in=chunk),
            Work.themes.through._base_manager.filter(work__in=chunk),
            Work.sources.through._base_manager.filter(work__in=chunk),
            Work._base_manager.filter(pk__in=chunk),
        ):
            qs._raw_delete(qs.db)
    for qs in (
        Batch._base_manager.filter(pk__in=batch_pks),
        Initiative.sources.through._base_manager.filter(initiative__in=initiative_pks),
        Initiative._base_manager.filter(pk__in=initiative_pks),
        Organisation.sources.through._base_manager.filter(organisation__in=organisation_pks),
        Organisation._base_manager.filter(pk__in=organisation_pks),
        Source._base_manager.filter(pk=source.pk),
    ):
        qs._raw_delete(qs.db)
    count = len(work_pks)
    touched = {model: {pk for pk in pks if pk is not None} for model, pks in touched.items()}
    publication.refresh(touched)
    PublicState.bump()
    return count


def chunks(pks: list[int], size: int = 10_000):
    for start in range(0, len(pks), size):
        yield pks[start : start + size]


#
# Writing in bulk
#


class Writer:
    """Rows into a table: COPY on PostgreSQL (psycopg 3), executemany INSERTs elsewhere."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                adapt = connection.ops.adapt_datetimefield_value
                rows = [
                    tuple(adapt(v) if isinstance(v, datetime.datetime) else v for v in row)
                    for row in rows
                ]
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})"
                for start in range(0, len(rows), 5000):
                    cursor.executemany(sql, rows[start : start + 5000])

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT MAX(id) FROM {table}")
            (current,) = cursor.fetchone()
        return (current or 0) + 1

    def reset_sequence(self, model) -> None:
        if self.postgres:
            table = model._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(table)}))",
                    [table],
                )


def when(rng: random.Random) -> tuple[datetime.datetime, datetime.datetime]:
    """A work's creation and last update, between START and END. The draws are the ones the
    generator always made, so a seed's titles and places stay those it gave before (the
    benchmarks' searches count their matches); they reached April 2027 before being scaled."""
    created = rng.randrange(SPAN_SECONDS)
    updated = created + rng.randrange(UPDATE_SECONDS)
    scale = (END - START).total_seconds() / (SPAN_SECONDS + UPDATE_SECONDS)
    return tuple(START + datetime.timedelta(seconds=int(s * scale)) for s in (created, updated))


def zh_title(rng, zh_places) -> str:
    pattern = rng.randrange(8)
    noun, other = rng.choice(ZH_NOUNS), rng.choice(ZH_NOUNS)
    place, person = rng.choice(zh_places), rng.choice(ZH_PEOPLE)
    if pattern == 0:
        return f"{place}{noun}"
    if pattern == 1:
        return f"{noun}{other}{rng.choice(ZH_SUFFIXES)}"
    if pattern == 2:
        return f"我在{place}当{person}"
    if pattern == 3:
        return f"{person}的{noun}"
    if pattern == 4:
        return f"{rng.choice(ZH_VERBS)}{place}"
    if pattern == 5:
        return f"{place}{person}{rng.choice(ZH_SUFFIXES)}"
    if pattern == 6:
        return f"{noun}{rng.choice(ZH_VERBS)}"
    return f"{rng.choice(ZH_VERBS)}{noun}{rng.choice(ZH_SUFFIXES)}"


def en_title(rng, en_places) -> str:
    pattern = rng.randrange(6)
    adjective, noun = rng.choice(EN_ADJECTIVES), rng.choice(EN_NOUNS)
    place, person = rng.choice(en_places), rng.choice(EN_PEOPLE)
    if pattern == 0:
        return f"The {adjective} {noun}"
    if pattern == 1:
        return f"{noun} of {place}"
    if pattern == 2:
        return f"A {person} in {place}"
    if pattern == 3:
        return f"{place} {noun} Story"
    if pattern == 4:
        return f"Return to the {adjective} {noun}"
    return f"My {adjective} {person}"


def synopsis(rng, en_places) -> str:
    return (
        f"A {rng.choice(EN_PEOPLE).lower()} returns to {rng.choice(en_places)} and "
        f"{rng.choice(EN_PLOTS)} {rng.choice(EN_ENDINGS)}."
    )


@transaction.atomic
def generate(n: int, seed: int, log=print) -> None:
    rng = random.Random(seed)
    writer = Writer()
    themes = list(Theme._base_manager.order_by("slug").values_list("pk", flat=True))
    if not themes:
        raise CommandError("No themes: load the data sets first (load_seed_data).")
    places = list(Place._base_manager.order_by("slug").values_list("pk", "name", "name_original"))
    if not places:
        raise CommandError("No places: load the data sets first (load_seed_data).")
    place_ids = [pk for pk, _, _ in places]
    zh_places = sorted({short_zh(zh) for _, _, zh in places if len(short_zh(zh)) >= 2})
    en_places = sorted({short_en(en) for _, en, _ in places if en})
    zh_places = zh_places or ["宁波"]
    en_places = en_places or ["Ningbo"]

    now = END
    source = Source._base_manager.bulk_create(
        [
            Source(
                slug=SYNTHETIC_SOURCE,
                title="Synthetic benchmark data",
                publisher="generate_catalog",
                language="en",
                notes=f"Generated by `manage.py generate_catalog --works {n} --seed {seed}`; "
                "not a real document. Every generated record cites it.",
            )
        ]
    )[0]
    initiative = Initiative._base_manager.bulk_create(
        [
            Initiative(
                slug=SYNTHETIC_INITIATIVE,
                name="Synthetic benchmark programme",
                name_original="基准测试合成计划",
                kind=Initiative.Kind.PROGRAMME,
                description="Generated for benchmarks: not a real initiative.",
            )
        ]
    )[0]
    Initiative.sources.through._base_manager.create(initiative=initiative, source=source)

    # Production companies: one for every 200 works, between 5 and 5,000.
    org_count = max(5, min(5000, n // 200))
    organisations = Organisation._base_manager.bulk_create(
        [
            Organisation(
                slug=f"{SLUG_PREFIX}producer-{i + 1}",
                name=f"{rng.choice(EN_ADJECTIVES)} {rng.choice(EN_NOUNS)} Pictures {i + 1}",
                name_original=f"{rng.choice(zh_places)}{rng.choice(ZH_NOUNS)}影视{i + 1}号",
                kind=Organisation.Kind.PRODUCER,
                place_id=rng.choice(place_ids),
            )
            for i in range(org_count)
        ],
        batch_size=1000,
    )
    org_ids = [org.pk for org in organisations]
    Organisation.sources.through._base_manager.bulk_create(
        [Organisation.sources.through(organisation_id=pk, source_id=source.pk) for pk in org_ids],
        batch_size=1000,
    )

    batch_count = (n + WORKS_PER_BATCH - 1) // WORKS_PER_BATCH
    batches = Batch._base_manager.bulk_create(
        [
            Batch(
                initiative=initiative,
                number=i + 1,
                slug=f"{SYNTHETIC_INITIATIVE}-{i + 1}",
                announced_on=(
                    START + datetime.timedelta(days=(i * (END - START).days) // max(batch_count, 1))
                ).date(),
                event="Synthetic announcement",
            )
            for i in range(batch_count)
        ],
        batch_size=1000,
    )
    batch_ids = [batch.pk for batch in batches]
    batches_published_in_bulk(Batch._base_manager.filter(pk__in=batch_ids), published_at=now)
    Batch.sources.through._base_manager.bulk_create(
        [Batch.sources.through(batch_id=pk, source_id=source.pk) for pk in batch_ids],
        batch_size=1000,
    )

    work_table = Work._meta.db_table
    work_columns = [
        "id", "created_at", "updated_at", "is_public", "published_directly", "title",
        "title_original", "slug", "synopsis", "season", "episodes", "episode_minutes", "year",
        "notes",
    ]  # fmt: skip
    themes_table = Work.themes.through._meta.db_table
    sources_table = Work.sources.through._meta.db_table
    place_table = WorkPlace._meta.db_table
    org_table = WorkOrganisation._meta.db_table
    rec_table = Recommendation._meta.db_table
    relations = [choice.value for choice in WorkPlace.Relation]
    theme_counts: dict[tuple[int, int], int] = {}

    first_id = writer.next_id(Work)
    written = 0
    chunk_started = time.monotonic()
    for chunk_start in range(0, n, CHUNK):
        work_rows, theme_rows, source_rows, place_rows, org_rows, rec_rows = [], [], [], [], [], []
        for i in range(chunk_start, min(n, chunk_start + CHUNK)):
            pk = first_id + i
            created, updated = when(rng)
            season = rng.choices((None, 2, 3), (90, 8, 2))[0]
            zh = zh_title(rng, zh_places)
            en = en_title(rng, en_places)
            if season:
                zh += ZH_SEASONS[season]
            # A work known by its Chinese title only, now and then, as in the public record.
            if rng.random() < 0.1:
                en = ""
            work_rows.append(
                (
                    pk, created, updated, True, False, en, zh, f"{SLUG_PREFIX}{i + 1}",
                    synopsis(rng, en_places), season, rng.randrange(20, 101),
                    Decimal(rng.randrange(10, 31)) / 10, rng.randrange(2022, 2027), "",
                )
            )  # fmt: skip
            work_themes = rng.sample(themes, 2 if rng.random() < 0.3 else 1)
            theme_rows.extend((pk, theme) for theme in work_themes)
            source_rows.append((pk, source.pk))
            work_places = rng.sample(place_ids, 2 if rng.random() < 0.3 else 1)
            place_rows.extend(
                (pk, place, rng.choice(relations), source.pk, "") for place in work_places
            )
            org_rows.append((pk, rng.choice(org_ids), "producer", "", source.pk, ""))
            batch = batch_ids[i // WORKS_PER_BATCH]
            theme = work_themes[0]
            theme_counts[(batch, theme)] = theme_counts.get((batch, theme), 0) + 1
            rec_rows.append((created, updated, batch, pk, theme, "stated", source.pk, ""))
        writer.write(work_table, work_columns, work_rows)
        writer.write(themes_table, ["work_id", "theme_id"], theme_rows)
        writer.write(sources_table, ["work_id", "source_id"], source_rows)
        writer.write(
            place_table, ["work_id", "place_id", "relation", "source_id", "excerpt"], place_rows
        )
        writer.write(
            org_table,
            ["work_id", "organisation_id", "role", "url", "source_id", "excerpt"],
            org_rows,
        )
        writer.write(
            rec_table,
            [
                "created_at", "updated_at", "batch_id", "work_id", "theme_id", "basis",
                "source_id", "excerpt",
            ],
            rec_rows,
        )  # fmt: skip
        written += len(work_rows)
        if n > CHUNK:
            rate = written / max(time.monotonic() - chunk_started, 1e-9)
            log(f"  {written:,} works ({rate:,.0f}/s)")
    writer.reset_sequence(Work)

    BatchThemeCount._base_manager.bulk_create(
        [
            BatchThemeCount(batch_id=batch, theme_id=theme, announced=count, source=source)
            for (batch, theme), count in sorted(theme_counts.items())
        ],
        batch_size=2000,
    )
    # The works are stored public (their batches are published); settle what they show.
    publication.refresh(
        {
            Theme: set(themes),
            Place: set(place_ids),
            Organisation: set(org_ids),
            Source: {source.pk},
            Initiative: {initiative.pk},
        }
    )
    # The works were written public, so the refresh evaluated none of them: their themes
    # (initiatives.ThemeWork) are rebuilt whole, one INSERT … SELECT (about 10 s at 1M).
    publication.rebuild_derived()
    PublicState.bump()
