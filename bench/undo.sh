#!/bin/sh
# bench/undo.sh BINARY: what an undo point costs.
#
#   make bench                    (runs this after bench/run.sh)
#   RUNS=9 sh bench/undo.sh ./schemasync
#
# A push that drops a column of a 100,000-row table (every row has a
# value), with its undo point and with --no-undo: the median of RUNS
# timed runs each (after one untimed warm-up), and the ratio. The fresh
# database each run starts from is made outside the timed part (a file
# copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL). PostgreSQL
# is measured when PGHOST/PGPORT/PGUSER are set (make bench starts a
# throwaway server). Figures only: nothing passes or fails, but a run
# that fails or does not say what it should stops the bench (exit 1).
set -u

die() {
	echo "bench undo: $*" >&2
	exit 1
}

[ $# -eq 1 ] || { echo "usage: sh bench/undo.sh BINARY" >&2; exit 2; }
case $1 in
/*) bin=$1 ;;
*) bin=$(pwd)/$1 ;;
esac
[ -x "$bin" ] || die "$1: no such executable (run make first)"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is needed (Debian: sqlite3)"
RUNS=${RUNS:-5}
case $RUNS in
'' | *[!0-9]* | 0) die "RUNS=$RUNS: give a whole number of runs, at least 1" ;;
esac
ROWS=100000

work=$(mktemp -d "${TMPDIR:-/tmp}/ss-bench-undo.XXXXXX") || die "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
cd "$work" || exit 1
mkdir v1 v2
cat >v1/app.yaml <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      email: { type: text, nullable: false }
      bio: text
YAML
cat >v2/app.yaml <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      email: { type: text, nullable: false }
YAML
fill="WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $ROWS) INSERT INTO users (id, email, bio) SELECT i, 'user' || i || '@example.com', 'a short biography of user number ' || i FROM c"

# median FILE
median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.1f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# timed PREPARE ARGS...: PREPARE (untimed), then one push, in ms to $ms.
timed() {
	$1
	shift
	t0=$(date +%s%N)
	"$bin" --db "$url" --schema v2 push --accept-data-loss "$@" >out 2>&1 ||
		{ cat out >&2; die "push $* failed"; }
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 100000 ))
	ms=$(echo "$ms" | awk '{ printf "%.1f", $1 / 10 }')
	case " $* " in
	*" --no-undo "*) grep -q "undo point" out && die "--no-undo made a point" ;;
	*) grep -q "undo point 1 keeps" out || { cat out >&2; die "no undo point made"; } ;;
	esac
}

# figure NAME PREPARE: median with and without the point, and the ratio.
figure() {
	name=$1 prep=$2
	: >with
	: >without
	timed "$prep"
	timed "$prep" --no-undo
	i=0
	while [ $i -lt "$RUNS" ]; do
		timed "$prep"
		echo "$ms" >>with
		timed "$prep" --no-undo
		echo "$ms" >>without
		i=$((i + 1))
	done
	w=$(median with)
	wo=$(median without)
	printf '  %-10s drop column of %d rows: %8s ms with an undo point, %8s ms with --no-undo: x%s\n' \
	    "$name" "$ROWS" "$w" "$wo" "$(echo "$w $wo" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }')"
}

echo "undo points (median of $RUNS runs):"

# SQLite: a base file, copied before every run.
"$bin" --db sqlite:base.db --schema v1 push >/dev/null 2>&1 || die "cannot create the SQLite base"
sqlite3 base.db "$fill" || die "cannot fill the SQLite base"
sq_prep() { cp base.db run.db; rm -f run.db-wal run.db-shm; }
url=sqlite:run.db
figure sqlite sq_prep

# PostgreSQL: a template database, copied before every run.
if [ -n "${PGHOST:-}" ] && [ -n "${PGPORT:-}" ] && [ -n "${PGUSER:-}" ]; then
	base=ss_undo_base_$$
	psql -X -q -d postgres -c "CREATE DATABASE $base" >/dev/null || die "cannot create $base"
	"$bin" --db "postgresql:///$base?host=$PGHOST&port=$PGPORT&user=$PGUSER" --schema v1 push >/dev/null 2>&1 ||
		die "cannot create the PostgreSQL base"
	psql -X -q -d "$base" -c "$fill" >/dev/null || die "cannot fill the PostgreSQL base"
	pg_prep() {
		PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ss_undo_run_$$" -c "CREATE DATABASE ss_undo_run_$$ TEMPLATE $base" >/dev/null ||
			die "cannot copy the PostgreSQL base"
	}
	url="postgresql:///ss_undo_run_$$?host=$PGHOST&port=$PGPORT&user=$PGUSER"
	figure postgres pg_prep
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ss_undo_run_$$" -c "DROP DATABASE $base" >/dev/null
fi
