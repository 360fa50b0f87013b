# watch: a save that finds the watcher idle starts its run at once and
# the run waits, before COMMIT, for the debounce to end; a save before
# then rolls it back, and it prints nothing. What must hold however
# fast or slow the machine is: every run reported opens with its
# "FILE changed" line (a prepared run that was rolled back shows no
# line and no outcome), the last save wins, no older save is applied
# after it, and a signal never leaves a transaction half done. On
# SQLite and on PostgreSQL.
. "$CLI_LIB"

. "$(dirname "$CLI_LIB")/watch-lib.sh"

check "the sqlite3 shell is there (the checks read the database)" sh -c "command -v sqlite3 >/dev/null"

# Outcome lines of a text watcher, one a run.
outcome='^(applied [0-9]|in sync:|held:|blocked:|failed:)'
# Every run after the first opens with exactly one "changed" line.
opened_once() {
	awk -v o="$outcome" '
		$0 ~ o { if (runs++ > 0 && opened != 1) bad++; opened = 0; next }
		/ changed$/ { opened++ }
		END { exit !(runs > 1 && bad == 0 && opened == 0) }' "$TMP/.out"
}

# A text watcher on $WATCH_URL, else the SQLite file $DB.
start_text() {
	: >"$TMP/.out"
	"$SCHEMASYNC" --db "${WATCH_URL:-sqlite:$DB}" watch "$@" >"$TMP/.out" 2>"$TMP/.err" &
	W=$!
	until_ok 10 grep -q "for saves" "$TMP/.out"
}

# burst N TABLE: N saves back to back by rename, each adding a column
# (c1 ... cN) to TABLE; prints the columns of the last one.
burst() {
	_i=1
	_cs=
	while [ "$_i" -le "$1" ]; do
		_cs="$_cs c$_i: integer;"
		{
			printf 'tables:\n  %s:\n    columns:\n      id: { type: integer, primary_key: true }\n' "$2"
			printf '%s' "$_cs" | tr ';' '\n' | sed 's/^ /      /'
		} >schemas/.burst.tmp
		mv schemas/.burst.tmp "schemas/$2.yaml"
		_i=$((_i + 1))
	done
	_i=1
	printf id
	while [ "$_i" -le "$1" ]; do printf ',c%d' "$_i"; _i=$((_i + 1)); done
}

# one DIALECT: the checks, on the database set up before.
one() {
	rm -rf schemas
	mkdir schemas
	write_table schemas/app.yaml users "email: text"
	start_text
	check "$1: the first push creates the table" wait_cols users "id,email"

	# Saves spread out: each is its own run.
	save schemas/app.yaml users "email: text" "age: integer"
	check "$1: a save to an idle watcher is applied" wait_cols users "id,email,age"
	check "$1: ...and reported once, after its changed line" until_ok 10 opened_once
	save schemas/app.yaml users "email: text"
	check "$1: a save dropping a column is applied" wait_cols users "id,email"

	# A burst: runs prepared and rolled back print nothing.
	want=$(burst 40 burst)
	check "$1: a burst of 40 saves ends in the last save's state" wait_cols burst "$want"
	save schemas/zz.yaml zz
	check "$1: a save after the burst is applied" wait_cols zz "id"
	check "$1: every run after the burst's is reported" until_ok 10 grep -q "create table zz" "$TMP/.out"
	check "$1: the burst's state stays (no older save after it)" cols_are burst "$want"
	check "$1: no run dropped a column of the burst" sh -c "! grep -q 'drop column burst' '$TMP/.out'"
	check "$1: each run reported opens with one changed line" opened_once
	check "$1: no error" sh -c "! grep -q 'error' '$TMP/.err'"

	# SIGTERM right after a save: exit 0; the save is applied whole or
	# not at all, and the database is free.
	save schemas/app.yaml users "email: text" "last: text"
	kill -TERM "$W"
	reap "$W"
	echo $? >"$TMP/.rc"
	W=
	check "$1: SIGTERM right after a save exits 0" rc_is 0
	c=$(cols users)
	check "$1: ...and the save is applied whole or not at all ($c)" \
	    sh -c "[ '$c' = id,email ] || [ '$c' = id,email,last ]"
	check "$1: ...and the database is free after" free
	check "$1: no sanitizer reports" no_sanitizer_reports
}

free() { sqlite3 -cmd ".timeout 0" "$DB" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; }
one sqlite

if [ -z "${PGHOST:-}" ] || [ -z "${PGPORT:-}" ] || [ -z "${PGUSER:-}" ]; then
	echo "FAIL $T: PGHOST/PGPORT/PGUSER are not set; run through make test" >>"$RESULTS"
	exit 0
fi
use_pg
newdb
free() { q_is "SET lock_timeout = '1s'; LOCK TABLE users IN ACCESS EXCLUSIVE MODE; SELECT 1" 1; }
one postgresql
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DBNAME" >/dev/null 2>&1

# What the database says of a run rolled back is not said: an event
# trigger warns once a DDL command, so the warnings printed can never
# outnumber the changes the runs reported applied (a rolled-back run's
# would come on top).
newdb
rm -rf schemas
mkdir schemas
q "CREATE FUNCTION ss_warn() RETURNS event_trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE WARNING 'ddl'; END\$\$; CREATE EVENT TRIGGER ss_warn ON ddl_command_end EXECUTE FUNCTION ss_warn()" >/dev/null
write_table schemas/app.yaml users "email: text"
start_text
check "notices: the first push creates the table" wait_cols users "id,email"
want=$(burst 40 burst)
check "notices: a burst of 40 saves ends in the last save's state" wait_cols burst "$want"
save schemas/zz.yaml zz
check "notices: a save after the burst is applied" wait_cols zz "id"
check "notices: ...and reported" until_ok 10 grep -q "create table zz" "$TMP/.out"
stop
check "notices: SIGTERM exits 0" rc_is 0
said=$(grep -c 'the database says: WARNING: *ddl\|the database says: ddl' "$TMP/.err")
changes=$(grep -c '^  [+~!-] ' "$TMP/.out")
check "notices: some were said (the trigger works: $said)" [ "$said" -gt 0 ]
check "notices: no more than the changes applied ($said <= $changes)" [ "$said" -le "$changes" ]
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DBNAME" >/dev/null 2>&1
