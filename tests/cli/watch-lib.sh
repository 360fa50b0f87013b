# Sourced by tests/cli/t-watch*.sh after lib.sh: starting and stopping a
# watcher in the background, and bounded polling of its output and of
# the database. Whatever was started is killed on exit, by process id.
WATCH_URL=	# set by use_pg: the watcher's database, else sqlite:$DB
W=		# the watcher
LOCKER=		# a sqlite3 shell holding a lock
S=		# script(1), whose child is a watcher
watch_cleanup() {
	[ -n "$W" ] && kill -KILL "$W" 2>/dev/null
	[ -n "$LOCKER" ] && kill -KILL "$LOCKER" 2>/dev/null
	if [ -n "$S" ]; then
		for p in $(ps -o pid= --ppid "$S" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		kill -KILL "$S" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap watch_cleanup EXIT
trap 'exit 1' INT TERM HUP

DB=$TMP/w.db
q() { sqlite3 -cmd ".timeout 3000" "$DB" "$1" 2>/dev/null; }
cols() { q "SELECT group_concat(name, ',') FROM pragma_table_info('$1')"; }
# until_ok SECONDS COMMAND...: polls every 50 ms; fails after SECONDS.
until_ok() {
	_n=$(($1 * 20))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		_n=$((_n - 1))
	done
	return 1
}
cols_are() { [ "$(cols "$1")" = "$2" ]; }
wait_cols() { until_ok 10 cols_are "$1" "$2"; }
q_is() { [ "$(q "$1")" = "$2" ]; }
# Runs reported so far (every run prints exactly one of these).
runs() { grep -cE '"event":"(applied|held|plan|schema_error|error)"' "$TMP/.out"; }
count_is() { [ "$(grep -c -- "$1" "$TMP/.out")" = "$2" ]; }
has_count() { until_ok 10 count_is "$1" "$2"; }
alive() { kill -0 "$W" 2>/dev/null; }
out_waits() { until_ok 10 grep -q -- "$1" "$TMP/.out"; }
no_sanitizer_reports() { ! grep -qE 'Sanitizer|runtime error' "$TMP/.err"; }

# start [ARGS...]: a JSON watcher on $WATCH_URL if set (PostgreSQL),
# else on the SQLite file $DB; returns once it is ready.
start() {
	: >"$TMP/.out"
	"$SCHEMASYNC" --db "${WATCH_URL:-sqlite:$DB}" --format json watch "$@" \
	    >"$TMP/.out" 2>"$TMP/.err" &
	W=$!
	until_ok 10 grep -q '"event":"ready"' "$TMP/.out"
}
# stop: SIGTERM, and the exit status into .rc for rc_is.
stop() {
	kill -TERM "$W"
	wait "$W"
	echo $? >"$TMP/.rc"
	W=
}

# write_table FILE TABLE COLUMN...: a schema of one table (id, COLUMN...).
write_table() {
	_f=$1
	_t=$2
	shift 2
	{
		printf 'tables:\n  %s:\n    columns:\n' "$_t"
		printf '      id: { type: integer, primary_key: true }\n'
		for _c in "$@"; do printf '      %s\n' "$_c"; done
	} >"$_f"
}

# PostgreSQL (tests/cli/t-watch-pg.sh): newdb makes a fresh database on
# the throwaway server and points the watcher (WATCH_URL) and the
# inspection helpers (q, cols and those built on them) at it.
pg_n=0
newdb() {
	pg_n=$((pg_n + 1))
	DBNAME="ss_watch_$$_$pg_n"
	psql -X -q -d postgres -c "CREATE DATABASE $DBNAME" >/dev/null 2>&1 ||
		echo "FAIL $T: cannot create database $DBNAME" >>"$RESULTS"
	WATCH_URL="postgresql:///$DBNAME?host=$PGHOST&port=$PGPORT&user=$PGUSER"
}
use_pg() {
	q() { psql -X -qAt -v ON_ERROR_STOP=1 -d "$DBNAME" -c "$1" 2>&1; }
	# cols TABLE: its column names in order, through information_schema.
	cols() {
		q "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$1'"
	}
}
