"""Running counts behind the reports, kept by PostgreSQL triggers.

Scanning a million claims, two million attributions and their history for
every page view cannot answer in a second on two cores; these counts can. The
triggers only ever INSERT a +1 or -1 row (never UPDATE a counter), so
concurrent writers never queue on a hot row and no deadlock can come from here;
readers SUM(n) per key, which is exact at every moment. `compact()` folds the
rows into one per key (Celery beat, every few minutes) to keep the tables small.

The reports fall back to the live queries (figures.py) on SQLite, and whenever a
filter asks for something the counts do not hold (dates, tag, language, source).

The triggers sit on claims' and sources' tables, so their SQL is frozen into the
migration that installs it (0002_rollups holds the first version). This module
generates the same text from today's code. Changing the triggers: edit here, then
`manage.py freeze_rollups NAME` writes a new reports migration holding the new
INSTALL/UNINSTALL/REBUILD text literally (forward: the previous UNINSTALL, the new
INSTALL and REBUILD; backward: the reverse). tests/test_reports_triggers.py fails
until that migration exists, and checks that every table and column the installed
SQL names is there.
"""

from __future__ import annotations

from django.db import connection, transaction

from claims.models import OPEN_STATUSES, VERDICTS, Role, Status
from sources.models import LinkHealth


def _sql_list(values: tuple[Status, ...]) -> str:
    return "(" + ", ".join(f"'{v.value}'" for v in values) + ")"


VERDICTS_SQL = _sql_list(VERDICTS)
BROKEN = LinkHealth.BROKEN.value
WEEK = "date_trunc('week', ({at}) AT TIME ZONE 'UTC')::date"
# Whole quarter-days, in hours: fine enough for "days to verdict", and few rows.
WAIT_HOURS = "floor(extract(epoch FROM ({at}) - ({created})) / 21600)::int * 6"

# reports_sourcecount's counters: one per role, one per verdict of the claims a
# source made, and the claims it made that are still open.
SOURCE_COLUMNS = [f"as_{r.value}" for r in Role] + [v.value for v in VERDICTS] + ["open"]
QUANTITY_POINT = "coalesce({q}.value, {q}.lower, {q}.upper)"
TABLES = {
    "reports_claimdaycount": ["day", "status", "published"],
    "reports_verdictweekcount": ["week", "verdict", "published"],
    "reports_linkhostcount": ["host", "health", "archived"],
}


def _source_values(role: str, status: str, sign: str) -> str:
    """The sources row one attribution adds: its role, and the verdict if it made the claim."""
    made = f"{role} = '{Role.CLAIMANT.value}'"
    parts = [f"({role} = '{r.value}')::int * {sign}" for r in Role]
    parts += [f"({made} AND {status} = '{v.value}')::int * {sign}" for v in VERDICTS]
    parts.append(f"({made} AND {status} IN {_sql_list(OPEN_STATUSES)})::int * {sign}")
    return ", ".join(parts)


# Quoted: "false" and "open" are SQL words.
SOURCE_COLUMNS_SQL = ", ".join(f'"{c}"' for c in SOURCE_COLUMNS)
SOURCE_INSERT = f"INSERT INTO reports_sourcecount (source_id, published, {SOURCE_COLUMNS_SQL})"


def _claim_part(rec: str, sign: int) -> str:
    """The rows one claim contributes, signed: itself, its attributions, its verdicts."""
    return f"""
    INSERT INTO reports_claimdaycount (day, status, published, n)
    VALUES (({rec}.created_at AT TIME ZONE 'UTC')::date, {rec}.status, {rec}.published, {sign});
    {SOURCE_INSERT}
    SELECT a.source_id, {rec}.published, {_source_values("a.role", f"{rec}.status", str(sign))}
    FROM claims_attribution a WHERE a.claim_id = {rec}.id;
    IF TG_OP <> 'UPDATE' OR OLD.published IS DISTINCT FROM NEW.published
       OR OLD.created_at IS DISTINCT FROM NEW.created_at THEN
        INSERT INTO reports_verdictweekcount (week, verdict, published, n)
        SELECT {WEEK.format(at="sc.at")}, sc.to_status, {rec}.published, {sign}
        FROM claims_statuschange sc
        WHERE sc.claim_id = {rec}.id AND sc.to_status IN {VERDICTS_SQL};
        INSERT INTO reports_waitcount (week, wait_hours, n, n_published)
        SELECT {WEEK.format(at="sc.at")},
               {WAIT_HOURS.format(at="sc.at", created=f"{rec}.created_at")},
               {sign}, {sign} * {rec}.published::int
        FROM claims_statuschange sc
        WHERE sc.claim_id = {rec}.id AND sc.to_status IN {VERDICTS_SQL};
        {_quantity_insert("q", f"{rec}.published", str(sign),
                          f"FROM claims_quantity q WHERE q.claim_id = {rec}.id")}
    END IF;"""


def _quantity_insert(q: str, published: str, sign: str, source: str) -> str:
    point = QUANTITY_POINT.format(q=q)
    return f"""
        INSERT INTO reports_quantitycount (thing, unit, qualifier, published, n, sum_p, sum_p2)
        SELECT lower({q}.counted), {q}.unit, {q}.qualifier, {published}, {sign},
               {sign} * {point}, {sign} * {point} * {point}
        {source};"""


def _verdict_part(rec: str, sign: int) -> str:
    return f"""
        INSERT INTO reports_verdictweekcount (week, verdict, published, n)
        SELECT {WEEK.format(at=f"{rec}.at")}, {rec}.to_status, c.published, {sign}
        FROM claims_claim c WHERE c.id = {rec}.claim_id;
        INSERT INTO reports_waitcount (week, wait_hours, n, n_published)
        SELECT {WEEK.format(at=f"{rec}.at")},
               {WAIT_HOURS.format(at=f"{rec}.at", created="c.created_at")},
               {sign}, {sign} * c.published::int
        FROM claims_claim c WHERE c.id = {rec}.claim_id;"""


INSTALL = f"""
CREATE OR REPLACE FUNCTION reports_count_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN {_claim_part("OLD", -1)}
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN {_claim_part("NEW", 1)}
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION reports_count_attribution() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A claim deleted first has already taken its attributions out of the counts.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {SOURCE_INSERT}
        SELECT OLD.source_id, c.published, {_source_values("OLD.role", "c.status", "-1")}
        FROM claims_claim c WHERE c.id = OLD.claim_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {SOURCE_INSERT}
        SELECT NEW.source_id, c.published, {_source_values("NEW.role", "c.status", "1")}
        FROM claims_claim c WHERE c.id = NEW.claim_id;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION reports_count_verdict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.to_status IN {VERDICTS_SQL} THEN {_verdict_part("NEW", 1)}
    ELSIF TG_OP = 'DELETE' AND OLD.to_status IN {VERDICTS_SQL} THEN {_verdict_part("OLD", -1)}
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION reports_count_quantity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_quantity_insert("OLD", "c.published", "-1",
                          "FROM claims_claim c WHERE c.id = OLD.claim_id")}
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {_quantity_insert("NEW", "c.published", "1",
                          "FROM claims_claim c WHERE c.id = NEW.claim_id")}
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION reports_count_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO reports_linkhostcount (host, health, archived, n)
        VALUES (OLD.host, OLD.health, OLD.archive_url <> '', -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO reports_linkhostcount (host, health, archived, n)
        VALUES (NEW.host, NEW.health, NEW.archive_url <> '', 1);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION reports_recheck_evidence(claim bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    total int;
    working int;
BEGIN
    SELECT count(*), count(*) FILTER (WHERE l.health <> '{BROKEN}') INTO total, working
    FROM claims_evidence e JOIN sources_link l ON l.id = e.link_id WHERE e.claim_id = claim;
    IF total > 0 AND working = 0 THEN
        INSERT INTO reports_deadevidenceclaim (claim_id, created_at, published, evidence_links)
        SELECT c.id, c.created_at, c.published, total FROM claims_claim c WHERE c.id = claim
        ON CONFLICT (claim_id) DO UPDATE SET evidence_links = EXCLUDED.evidence_links;
    ELSE
        DELETE FROM reports_deadevidenceclaim WHERE claim_id = claim;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION reports_check_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM reports_recheck_evidence(OLD.claim_id); END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM reports_recheck_evidence(NEW.claim_id); END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION reports_check_link_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports_recheck_evidence(e.claim_id) FROM claims_evidence e WHERE e.link_id = NEW.id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION reports_claim_dead_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM reports_deadevidenceclaim WHERE claim_id = OLD.id;
    ELSE
        UPDATE reports_deadevidenceclaim SET created_at = NEW.created_at, published = NEW.published
        WHERE claim_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER reports_check_evidence AFTER INSERT OR DELETE OR UPDATE OF claim_id, link_id
    ON claims_evidence FOR EACH ROW EXECUTE FUNCTION reports_check_evidence();
CREATE TRIGGER reports_check_link_evidence AFTER UPDATE OF health ON sources_link FOR EACH ROW
    WHEN ((OLD.health = '{BROKEN}') IS DISTINCT FROM (NEW.health = '{BROKEN}'))
    EXECUTE FUNCTION reports_check_link_evidence();
CREATE TRIGGER reports_claim_dead_evidence AFTER DELETE OR UPDATE OF published, created_at
    ON claims_claim FOR EACH ROW EXECUTE FUNCTION reports_claim_dead_evidence();

CREATE TRIGGER reports_count_claim AFTER INSERT OR DELETE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION reports_count_claim();
CREATE TRIGGER reports_count_claim_update AFTER UPDATE OF status, published, created_at
    ON claims_claim FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.published IS DISTINCT FROM NEW.published
          OR OLD.created_at IS DISTINCT FROM NEW.created_at)
    EXECUTE FUNCTION reports_count_claim();
CREATE TRIGGER reports_count_attribution AFTER INSERT OR DELETE ON claims_attribution
    FOR EACH ROW EXECUTE FUNCTION reports_count_attribution();
CREATE TRIGGER reports_count_attribution_update
    AFTER UPDATE OF claim_id, source_id, role ON claims_attribution FOR EACH ROW
    WHEN (OLD.claim_id IS DISTINCT FROM NEW.claim_id OR OLD.source_id IS DISTINCT FROM NEW.source_id
          OR OLD.role IS DISTINCT FROM NEW.role)
    EXECUTE FUNCTION reports_count_attribution();
CREATE TRIGGER reports_count_verdict AFTER INSERT OR DELETE ON claims_statuschange
    FOR EACH ROW EXECUTE FUNCTION reports_count_verdict();
CREATE TRIGGER reports_count_quantity AFTER INSERT OR DELETE OR UPDATE ON claims_quantity
    FOR EACH ROW EXECUTE FUNCTION reports_count_quantity();
CREATE TRIGGER reports_count_link AFTER INSERT OR DELETE ON sources_link
    FOR EACH ROW EXECUTE FUNCTION reports_count_link();
CREATE TRIGGER reports_count_link_update AFTER UPDATE OF host, health, archive_url
    ON sources_link FOR EACH ROW
    WHEN (OLD.host IS DISTINCT FROM NEW.host OR OLD.health IS DISTINCT FROM NEW.health
          OR (OLD.archive_url <> '') IS DISTINCT FROM (NEW.archive_url <> ''))
    EXECUTE FUNCTION reports_count_link();
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS reports_count_claim ON claims_claim;
DROP TRIGGER IF EXISTS reports_count_claim_update ON claims_claim;
DROP TRIGGER IF EXISTS reports_count_attribution ON claims_attribution;
DROP TRIGGER IF EXISTS reports_count_attribution_update ON claims_attribution;
DROP TRIGGER IF EXISTS reports_count_verdict ON claims_statuschange;
DROP TRIGGER IF EXISTS reports_count_link ON sources_link;
DROP TRIGGER IF EXISTS reports_count_link_update ON sources_link;
DROP TRIGGER IF EXISTS reports_check_evidence ON claims_evidence;
DROP TRIGGER IF EXISTS reports_check_link_evidence ON sources_link;
DROP TRIGGER IF EXISTS reports_claim_dead_evidence ON claims_claim;
DROP FUNCTION IF EXISTS reports_check_evidence();
DROP FUNCTION IF EXISTS reports_check_link_evidence();
DROP FUNCTION IF EXISTS reports_claim_dead_evidence();
DROP FUNCTION IF EXISTS reports_recheck_evidence(bigint);
DROP TRIGGER IF EXISTS reports_count_quantity ON claims_quantity;
DROP FUNCTION IF EXISTS reports_count_quantity();
DROP FUNCTION IF EXISTS reports_count_claim();
DROP FUNCTION IF EXISTS reports_count_attribution();
DROP FUNCTION IF EXISTS reports_count_verdict();
DROP FUNCTION IF EXISTS reports_count_link();
"""

# The counts recomputed from the tables themselves (install, repair, bulk loads).
REBUILD = f"""
TRUNCATE reports_claimdaycount, reports_sourcecount, reports_verdictweekcount,
         reports_waitcount, reports_linkhostcount, reports_deadevidenceclaim,
         reports_quantitycount;
INSERT INTO reports_quantitycount (thing, unit, qualifier, published, n, sum_p, sum_p2)
SELECT lower(q.counted), q.unit, q.qualifier, c.published, count(*),
       sum({QUANTITY_POINT.format(q="q")}), sum({QUANTITY_POINT.format(q="q")} ^ 2)
FROM claims_quantity q JOIN claims_claim c ON c.id = q.claim_id GROUP BY 1, 2, 3, 4;
INSERT INTO reports_deadevidenceclaim (claim_id, created_at, published, evidence_links)
SELECT c.id, c.created_at, c.published, e.total
FROM (SELECT e.claim_id, count(*) AS total FROM claims_evidence e
      JOIN sources_link l ON l.id = e.link_id
      GROUP BY e.claim_id HAVING bool_and(l.health = '{BROKEN}')) e
JOIN claims_claim c ON c.id = e.claim_id;
INSERT INTO reports_claimdaycount (day, status, published, n)
SELECT (created_at AT TIME ZONE 'UTC')::date, status, published, count(*)
FROM claims_claim GROUP BY 1, 2, 3;
{SOURCE_INSERT}
SELECT source_id, published, {", ".join(f'sum("{c}")' for c in SOURCE_COLUMNS)}
FROM (SELECT a.source_id, c.published, {_source_values("a.role", "c.status", "1")}
      FROM claims_attribution a JOIN claims_claim c ON c.id = a.claim_id)
     AS t(source_id, published, {SOURCE_COLUMNS_SQL})
GROUP BY 1, 2;
INSERT INTO reports_verdictweekcount (week, verdict, published, n)
SELECT {WEEK.format(at="sc.at")}, sc.to_status, c.published, count(*)
FROM claims_statuschange sc JOIN claims_claim c ON c.id = sc.claim_id
WHERE sc.to_status IN {VERDICTS_SQL} GROUP BY 1, 2, 3;
INSERT INTO reports_waitcount (week, wait_hours, n, n_published)
SELECT {WEEK.format(at="sc.at")}, {WAIT_HOURS.format(at="sc.at", created="c.created_at")},
       count(*), count(*) FILTER (WHERE c.published)
FROM claims_statuschange sc JOIN claims_claim c ON c.id = sc.claim_id
WHERE sc.to_status IN {VERDICTS_SQL} GROUP BY 1, 2;
INSERT INTO reports_linkhostcount (host, health, archived, n)
SELECT host, health, archive_url <> '', count(*) FROM sources_link GROUP BY 1, 2, 3;
"""


def _compact_sql(table: str, keys: list[str], values: list[str]) -> str:
    cols = ", ".join(keys)
    values = [f'"{v}"' for v in values]
    sums = ", ".join(f"sum({v})" for v in values)
    # Rows another transaction adds meanwhile are not in this statement's snapshot,
    # so they are neither deleted nor counted twice; they wait for the next pass.
    return f"""
    WITH gone AS (DELETE FROM {table} RETURNING {cols}, {", ".join(values)})
    INSERT INTO {table} ({cols}, {", ".join(values)})
    SELECT {cols}, {sums} FROM gone GROUP BY {cols}
    HAVING {" OR ".join(f"sum({v}) <> 0" for v in values)}"""


COMPACT = [_compact_sql(table, keys, ["n"]) for table, keys in TABLES.items()] + [
    _compact_sql("reports_sourcecount", ["source_id", "published"], SOURCE_COLUMNS),
    _compact_sql("reports_waitcount", ["week", "wait_hours"], ["n", "n_published"]),
    _compact_sql("reports_quantitycount", ["thing", "unit", "qualifier", "published"],
                 ["n", "sum_p", "sum_p2"]),
]


def available() -> bool:
    """Whether the counts exist here (PostgreSQL; SQLite reads the live queries)."""
    return connection.vendor == "postgresql"


def compact() -> None:
    """Fold each table's +1/-1 rows into one row per key."""
    if not available():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in COMPACT:
            cursor.execute(statement)


def rebuild() -> None:
    """Recompute every count from the claims, attributions, history and links."""
    if not available():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE claims_claim, claims_attribution, claims_statuschange, "
                       "claims_evidence, claims_quantity, sources_link IN SHARE MODE")
        cursor.execute(REBUILD)
