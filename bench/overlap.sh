#!/bin/sh
# Two binaries side by side: the median wall-clock time of a no-op push
# at 100 and 1,000 tables (bench/gen-schema.sh), runs interleaved
# (old, new, floor, old, new, ...) so that the machine's load falls on
# both alike; SQLite with its floor (`sqlite3 DB .schema`), and
# PostgreSQL when PGHOST is set (run it under tests/pg/with-server.sh).
#
#   sh tests/pg/with-server.sh sh bench/overlap.sh OLD NEW [RUNS]
set -u
OLD=$1
NEW=$2
RUNS=${3:-9}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# us CMD...: wall-clock microseconds of CMD, on stdout.
us() {
	_s=$(date +%s%N)
	"$@" >/dev/null 2>&1 || echo "failed: $*" >&2
	_e=$(date +%s%N)
	echo $(((_e - _s) / 1000))
}
median() {
	sort -n | awk '{ a[NR] = $1 } END {
		m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.1f", m / 1000 }'
}
for n in 100 1000; do
	sh "$here/gen-schema.sh" $n "$work/s$n" >/dev/null
	urls="sqlite:$work/db$n"
	if [ -n "${PGHOST:-}" ]; then
		psql -q -X -d postgres -c "DROP DATABASE IF EXISTS ss_overlap_$n" \
		    -c "CREATE DATABASE ss_overlap_$n" >/dev/null 2>&1
		urls="$urls postgresql:///ss_overlap_$n?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}"
	fi
	for u in $urls; do
		"$NEW" --db "$u" --schema "$work/s$n" push >/dev/null
		: >"$work/old"
		: >"$work/new"
		: >"$work/floor"
		for i in $(seq "$RUNS"); do
			us "$OLD" --db "$u" --schema "$work/s$n" push >>"$work/old"
			us "$NEW" --db "$u" --schema "$work/s$n" push >>"$work/new"
			case $u in
			sqlite:*) us sqlite3 "$work/db$n" .schema >>"$work/floor" ;;
			esac
		done
		printf '%-10s %5d tables: old %7s ms  new %7s ms' "${u%%:*}" $n \
		    "$(median <"$work/old")" "$(median <"$work/new")"
		case $u in
		sqlite:*) printf '  floor %6s ms' "$(median <"$work/floor")" ;;
		esac
		echo
	done
	[ -n "${PGHOST:-}" ] && psql -q -X -d postgres \
	    -c "DROP DATABASE IF EXISTS ss_overlap_$n" >/dev/null 2>&1
done
