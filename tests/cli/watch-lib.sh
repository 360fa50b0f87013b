# Sourced by tests/cli/t-watch*.sh after lib.sh: starting and stopping a
# watcher in the background, and bounded polling of its output and of
# the database. Whatever was started is killed on exit, by process id.
WATCH_URL=	# set by use_pg: the watcher's database, else sqlite:$DB
W=		# the watcher
LOCKER=		# a sqlite3 shell holding a lock
S=		# script(1), whose child is the watcher W (start_tty)
watch_cleanup() {
	[ -n "$W" ] && kill -KILL "$W" 2>/dev/null
	[ -n "$LOCKER" ] && kill -KILL "$LOCKER" 2>/dev/null
	[ -n "$S" ] && kill -KILL "$S" 2>/dev/null
	rm -rf "$TMP"
}
trap watch_cleanup EXIT
trap 'exit 1' INT TERM HUP

DB=$TMP/w.db
q() { sqlite3 -cmd ".timeout 3000" "$DB" "$1" 2>/dev/null; }
cols() { q "SELECT group_concat(name, ',') FROM pragma_table_info('$1')"; }
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

# settle: a barrier, instead of a sleep. It saves SETTLE_FILE (default
# schemas/zz_settle.yaml) the way editors do, a file renamed over (one
# event; never read half-written), with one more empty table, and waits
# for the run that creates it. Every save made before has then been
# run, and no run for them is pending: runs() counted after settle is
# exact, and a count taken before and after it tells whether something
# started a run of its own. The tables are empty, so dropping them when
# the file goes is safe.
SETTLE_N=0
settle() {
	SETTLE_N=$((SETTLE_N + 1))
	_sf=${SETTLE_FILE:-schemas/zz_settle.yaml}
	_i=1
	{
		printf 'tables:\n'
		while [ $_i -le $SETTLE_N ]; do
			printf '  ss_settle_%d:\n    columns:\n      id: { type: integer, primary_key: true }\n' $_i
			_i=$((_i + 1))
		done
	} >"$(dirname "$_sf")/.settle.tmp"
	mv "$(dirname "$_sf")/.settle.tmp" "$_sf"
	until_ok 60 grep -q "\"op\":\"create_table\",\"table\":\"ss_settle_$SETTLE_N\"" "$TMP/.out"
}
# save FILE TABLE COLUMN...: write_table the way editors save, to a
# temporary file renamed over FILE: one event, never read half-written.
save() {
	_sv=$1
	shift
	write_table "$(dirname "$_sv")/.save.tmp" "$@"
	mv "$(dirname "$_sv")/.save.tmp" "$_sv"
}
# since LINE: the watcher's output after its first LINE lines.
since() { tail -n +$(($1 + 1)) "$TMP/.out"; }
lines() { wc -l <"$TMP/.out"; }

# start [ARGS...]: a JSON watcher on $WATCH_URL if set (PostgreSQL),
# else on the SQLite file $DB; returns once it is ready and its first
# run has reported (ready comes first, before the first plan).
start() {
	: >"$TMP/.out"
	"$SCHEMASYNC" --db "${WATCH_URL:-sqlite:$DB}" --format json watch "$@" \
	    >"$TMP/.out" 2>"$TMP/.err" &
	W=$!
	until_ok 10 grep -q '"event":"ready"' "$TMP/.out"
	until_ok 10 runs_at_least 1
}
runs_at_least() { [ "$(runs)" -ge "$1" ]; }
# reap PID [SECONDS]: waits for PID, a child of this shell, and returns
# its exit status; after SECONDS (default 120) it is killed, so that a
# watcher that does not stop fails the test instead of hanging it.
reap() {
	( sleep "${2:-120}" && kill -KILL "$1" ) </dev/null >/dev/null 2>&1 &
	_dog=$!
	wait "$1"
	_rc=$?
	kill "$_dog" 2>/dev/null
	return $_rc
}
# stop: SIGTERM, and the exit status into .rc for rc_is.
stop() {
	kill -TERM "$W"
	reap "$W"
	echo $? >"$TMP/.rc"
	W=
}
# start_tty FD ARGS...: a text watcher on $WATCH_URL (else the SQLite
# file $DB) under script(1), which gives it a pseudo-terminal; whatever
# is written to FD is typed at it. S is script, W the watcher itself
# (its process id written by the shell that script starts: no ps).
start_tty() {
	_fd=$1
	shift
	rm -f "$TMP/tty.in" "$TMP/tty.pid"
	mkfifo "$TMP/tty.in"
	: >"$TMP/.out"
	script -qefc "echo \$\$ >'$TMP/tty.pid'; exec '$SCHEMASYNC' --db '${WATCH_URL:-sqlite:$DB}' $* watch" \
	    /dev/null <"$TMP/tty.in" >"$TMP/.out" 2>"$TMP/.err" &
	S=$!
	eval "exec $_fd>\"\$TMP/tty.in\""
	until_ok 10 test -s "$TMP/tty.pid" && W=$(cat "$TMP/tty.pid")
}
# stop_tty SIGNAL: sends SIGNAL to the watcher on the terminal, and
# script's exit status (the watcher's) into .rc.
stop_tty() {
	kill -"$1" "$W"
	reap "$S"
	echo $? >"$TMP/.rc"
	S=
	W=
}
# state PID: its one-letter process state (T: stopped), from /proc.
state() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1; }

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
