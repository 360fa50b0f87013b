#!/bin/sh
# tests/stress/run.sh: kill -9 a push at random moments, and check after
# every kill that the push was all or nothing (make stress; not part of
# make test, it takes minutes).
#
#   make stress                     100 SQLite rounds, 50 PostgreSQL
#   STRESS_ROUNDS=N make stress     N SQLite rounds, N/2 PostgreSQL
#   SCHEMASYNC=./schemasync sh tests/stress/run.sh   (PGHOST etc. set
#                                   by tests/pg/with-server.sh, else
#                                   SQLite only)
#
# SQLite: a parent table with rows and a child table whose foreign key
# is ON DELETE CASCADE; the two schema versions differ by a CHECK on the
# parent, so every push is a 12-step rebuild of the parent under the
# child: with 30,000 parent rows (copy, drop, rename), then with 1,000
# (through a TEMP copy: copy aside, drop, create, copy back).
# PostgreSQL: the same tables; the versions differ by an index, a CHECK
# and a column. Each round starts a push to
# the other version in the background, kills it with SIGKILL after a
# random delay (from 0 to a little more than a whole push takes), and
# then checks:
#   - the schema is exactly the old version's or the new one's;
#   - every parent row and every child row is there, values unchanged;
#   - the database is sound (SQLite: integrity_check, foreign_key_check);
#   - a push then converges: the next diff --exit-code finds nothing.
# Every wait is bounded. Exits 1 at the first round that fails, naming
# it; prints one line a dialect with the rounds run.
set -u
: "${SCHEMASYNC:?set SCHEMASYNC to the binary under test}"
command -v sqlite3 >/dev/null 2>&1 || { echo "stress: the sqlite3 shell is missing (make deps)" >&2; exit 1; }

ROUNDS=${STRESS_ROUNDS:-100}
case $ROUNDS in '' | *[!0-9]*) echo "stress: STRESS_ROUNDS=$ROUNDS is not a number" >&2; exit 2 ;; esac
PG_ROUNDS=$((ROUNDS / 2))
[ "$PG_ROUNDS" -ge 1 ] || PG_ROUNDS=1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ss-stress.XXXXXX") || exit 1
P=
trap '[ -n "$P" ] && kill -KILL "$P" 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
cd "$TMP" || exit 1

fail() {
	echo "stress: $*" >&2
	exit 1
}

# now_ms: a clock in milliseconds (GNU date).
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# delay MAX_MS: a random pause from 0 to MAX_MS milliseconds.
delay() {
	sleep "$(awk -v m="$1" -v s="$$$(date +%N)" 'BEGIN { srand(s % 2147483647); printf "%.3f", rand() * m / 1000 }')"
}

# kill_push MAX_MS URL DIR: starts a push of DIR to URL, kills it with
# SIGKILL after up to MAX_MS ms (it may have finished by then), and
# waits for it.
kill_push() {
	"$SCHEMASYNC" --db "$2" --schema "$3" push -q >/dev/null 2>&1 &
	P=$!
	delay "$1"
	kill -KILL "$P" 2>/dev/null
	wait "$P" 2>/dev/null
	P=
}

# until_ok SECONDS COMMAND...: bounded polling.
until_ok() {
	_end=$(($(date +%s) + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.05
	done
}

# The two versions. A: parent p, child c (ON DELETE CASCADE).
versions() {
	mkdir -p "$1/A" "$1/B"
	cat >"$1/A/s.yaml" <<'YAML'
tables:
  p:
    columns:
      id: { type: integer, primary_key: true }
      v: { type: integer, nullable: false }
      label: text
  c:
    columns:
      id: { type: integer, primary_key: true }
      p_id: { type: integer, nullable: false, references: p.id, on_delete: cascade }
      w: integer
YAML
	{
		sed -n '1,6p' "$1/A/s.yaml"
		[ "$2" = pg ] && printf '      note: text\n'
		printf '    checks:\n      p_v_positive: "v >= 0"\n'
		[ "$2" = pg ] && printf '    indexes:\n      p_v_idx: { columns: [v] }\n'
		sed -n '7,$p' "$1/A/s.yaml"
	} >"$1/B/s.yaml"
}

# --- SQLite ---------------------------------------------------------------
sqlite_round_checks() {
	# $1 round, $2 the version pushed to
	db=sq/db.sqlite
	got=$(sqlite3 "$db" "SELECT sql FROM sqlite_schema WHERE name IN ('p', 'c') ORDER BY name")
	[ "$got" = "$SQ_A" ] || [ "$got" = "$SQ_B" ] ||
	    fail "sqlite round $1: the schema is neither the old nor the new one:
$got"
	got=$(sqlite3 "$db" "SELECT count(*), sum(id), sum(v), sum(length(label)) FROM p")
	[ "$got" = "$SQ_P" ] || fail "sqlite round $1: parent rows lost or changed: $got (want $SQ_P)"
	got=$(sqlite3 "$db" "SELECT count(*), sum(id), sum(p_id), sum(w) FROM c")
	[ "$got" = "$SQ_C" ] || fail "sqlite round $1: child rows lost or changed: $got (want $SQ_C)"
	got=$(sqlite3 "$db" "PRAGMA integrity_check; PRAGMA foreign_key_check;")
	[ "$got" = ok ] || fail "sqlite round $1: the database is not sound: $got"
	"$SCHEMASYNC" --db "$db" --schema "sq/$2" push -q >/dev/null 2>&1 ||
	    fail "sqlite round $1: the push after the kill failed"
	"$SCHEMASYNC" --db "$db" --schema "sq/$2" diff --exit-code >/dev/null 2>&1 ||
	    fail "sqlite round $1: diff after the push does not converge"
}

stress_sqlite() {
	# $1: parent rows (a rebuild renames above 1,000, and goes through
	# a TEMP copy at 1,000 or fewer: src/sqlite/dialect.c note 9)
	rm -rf sq
	versions sq sqlite
	db=sq/db.sqlite
	# Each version's schema as a rebuild leaves it.
	"$SCHEMASYNC" --db "$db" --schema sq/A push -q >/dev/null || fail "sqlite: setup push (A)"
	"$SCHEMASYNC" --db "$db" --schema sq/B push -q >/dev/null || fail "sqlite: setup push (B)"
	SQ_B=$(sqlite3 "$db" "SELECT sql FROM sqlite_schema WHERE name IN ('p', 'c') ORDER BY name")
	"$SCHEMASYNC" --db "$db" --schema sq/A push -q >/dev/null || fail "sqlite: setup push (A again)"
	SQ_A=$(sqlite3 "$db" "SELECT sql FROM sqlite_schema WHERE name IN ('p', 'c') ORDER BY name")
	[ "$SQ_A" != "$SQ_B" ] || fail "sqlite: the two versions look the same"
	sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
	    INSERT INTO p SELECT i, i % 1000, 'row ' || i FROM n;
	    INSERT INTO c SELECT id, id, id * 2 FROM p;
	    INSERT INTO c SELECT id + $1, id, 1 FROM p;" || fail "sqlite: setup rows"
	SQ_P=$(sqlite3 "$db" "SELECT count(*), sum(id), sum(v), sum(length(label)) FROM p")
	SQ_C=$(sqlite3 "$db" "SELECT count(*), sum(id), sum(p_id), sum(w) FROM c")
	# How long a whole push takes, to kill anywhere within one.
	t0=$(now_ms)
	"$SCHEMASYNC" --db "$db" --schema sq/B push -q >/dev/null || fail "sqlite: a timed push"
	t1=$(now_ms)
	max=$(((t1 - t0) * 12 / 10 + 5))
	cur=B
	r=1
	got_a=0
	while [ $r -le "$ROUNDS" ]; do
		[ $cur = A ] && to=B || to=A
		kill_push "$max" "$db" "sq/$to"
		[ "$(sqlite3 "$db" "SELECT sql FROM sqlite_schema WHERE name IN ('p', 'c') ORDER BY name")" = "$SQ_A" ] &&
		    got_a=$((got_a + 1))
		sqlite_round_checks $r $to
		cur=$to
		r=$((r + 1))
	done
	echo "stress: sqlite: $ROUNDS rounds, kills within ${max} ms of a rebuild of $1 parent and $(($1 * 2)) cascading child rows: all or nothing ($got_a left version A, $((ROUNDS - got_a)) version B), no row lost"
}

# --- PostgreSQL -----------------------------------------------------------
pgq() { psql -X -qAt -v ON_ERROR_STOP=1 -d "$PGDB" -c "$1"; }
pg_shape() {
	pgq "SELECT string_agg(x, ' | ' ORDER BY x) FROM (
	    SELECT 'col ' || table_name || '.' || column_name || ' ' || data_type AS x
	      FROM information_schema.columns WHERE table_schema = 'public'
	    UNION ALL SELECT 'idx ' || indexname FROM pg_indexes WHERE schemaname = 'public'
	    UNION ALL SELECT 'con ' || conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
	      WHERE n.nspname = 'public') s"
}
no_session_left() {
	[ "$(pgq "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'schemasync'")" = 0 ]
}

pg_round_checks() {
	until_ok 60 no_session_left || fail "postgres round $1: the killed push's session did not end"
	got=$(pg_shape)
	[ "$got" = "$PG_A" ] || [ "$got" = "$PG_B" ] ||
	    fail "postgres round $1: the schema is neither the old nor the new one:
$got"
	got=$(pgq "SELECT count(*), sum(id), sum(v), sum(length(label)) FROM p")
	[ "$got" = "$PG_P" ] || fail "postgres round $1: parent rows lost or changed: $got (want $PG_P)"
	got=$(pgq "SELECT count(*), sum(id), sum(p_id), sum(w) FROM c")
	[ "$got" = "$PG_C" ] || fail "postgres round $1: child rows lost or changed: $got (want $PG_C)"
	"$SCHEMASYNC" --db "$PGURL" --schema "pg/$2" push -q >/dev/null 2>&1 ||
	    fail "postgres round $1: the push after the kill failed"
	"$SCHEMASYNC" --db "$PGURL" --schema "pg/$2" diff --exit-code >/dev/null 2>&1 ||
	    fail "postgres round $1: diff after the push does not converge"
}

stress_pg() {
	if [ -z "${PGHOST:-}" ] || ! command -v psql >/dev/null 2>&1; then
		echo "stress: postgres: not run (no server: make stress starts one)"
		return
	fi
	PGDB=ss_stress_$$
	psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB" >/dev/null ||
	    fail "postgres: cannot create the database"
	PGURL="postgresql:///$PGDB?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}"
	versions pg pg
	"$SCHEMASYNC" --db "$PGURL" --schema pg/B push -q >/dev/null || fail "postgres: setup push (B)"
	PG_B=$(pg_shape)
	"$SCHEMASYNC" --db "$PGURL" --schema pg/A push -q >/dev/null || fail "postgres: setup push (A)"
	PG_A=$(pg_shape)
	[ "$PG_A" != "$PG_B" ] || fail "postgres: the two versions look the same"
	pgq "INSERT INTO p SELECT i, i % 1000, 'row ' || i FROM generate_series(1, 100000) i;
	    INSERT INTO c SELECT id, id, id * 2 FROM p;
	    INSERT INTO c SELECT id + 100000, id, 1 FROM p;" >/dev/null || fail "postgres: setup rows"
	PG_P=$(pgq "SELECT count(*), sum(id), sum(v), sum(length(label)) FROM p")
	PG_C=$(pgq "SELECT count(*), sum(id), sum(p_id), sum(w) FROM c")
	t0=$(now_ms)
	"$SCHEMASYNC" --db "$PGURL" --schema pg/B push -q >/dev/null || fail "postgres: a timed push"
	t1=$(now_ms)
	max=$(((t1 - t0) * 12 / 10 + 5))
	cur=B
	r=1
	got_a=0
	while [ $r -le "$PG_ROUNDS" ]; do
		[ $cur = A ] && to=B || to=A
		kill_push "$max" "$PGURL" "pg/$to"
		until_ok 60 no_session_left || fail "postgres round $r: the killed push's session did not end"
		[ "$(pg_shape)" = "$PG_A" ] && got_a=$((got_a + 1))
		pg_round_checks $r $to
		cur=$to
		r=$((r + 1))
	done
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1
	echo "stress: postgres: $PG_ROUNDS rounds, kills within ${max} ms of a push (index, check, column) over 100,000 parent and 200,000 child rows: all or nothing ($got_a left version A, $((PG_ROUNDS - got_a)) version B), no row lost"
}

stress_sqlite 30000
stress_sqlite 1000
stress_pg
