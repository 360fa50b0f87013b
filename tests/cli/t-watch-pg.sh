# watch (SPEC section 6) on PostgreSQL: the real binary in the background
# against the throwaway server that `make test` starts, driven through
# real file operations and checked by polling its JSON output and the
# database (psql, information_schema) with bounded waits. Every test has
# its own database and its own watcher.
. "$CLI_LIB"

. "$(dirname "$CLI_LIB")/watch-lib.sh"

if [ -z "${PGHOST:-}" ] || [ -z "${PGPORT:-}" ] || [ -z "${PGUSER:-}" ]; then
	echo "FAIL $T: PGHOST/PGPORT/PGUSER are not set; run through make test" >>"$RESULTS"
	exit 0
fi
use_pg

# fresh NAME: ends the watcher before (SIGTERM, exit 0 checked), then a
# new database and an empty schemas/ folder.
fresh() {
	if [ -n "$W" ]; then
		stop
		check "$prev: SIGTERM exits 0" rc_is 0
		check "$prev: JSON events, one valid object a line" json_valid
		check "$prev: no sanitizer reports" no_sanitizer_reports
	fi
	prev=$1
	newdb
	rm -rf schemas
	mkdir schemas
}
prev=
not_in_out() { ! grep -q -- "$1" "$TMP/.out"; }
table_is() { q_is "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '$1'" "$2"; }
wait_gone() { until_ok 10 table_is "$1" 0; }

# --- editor save patterns ----------------------------------------------
fresh "in place"
write_table schemas/app.yaml users "email: text"
start
check "in place: ready" grep -q '"event":"ready"' "$TMP/.out"
check "in place: the first push creates the table" wait_cols users "id,email"
check "in place: the first run is an applied event" grep -q '"event":"applied"' "$TMP/.out"
ino=$(ls -i schemas/app.yaml | cut -d' ' -f1)
write_table schemas/app.yaml users "email: text" "age: integer"
check "in place: the save kept the inode" [ "$(ls -i schemas/app.yaml | cut -d' ' -f1)" = "$ino" ]
check "in place: the save is applied" wait_cols users "id,email,age"
check "in place: the column's type is the schema's" q_is "SELECT data_type FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'age'" "integer"

fresh "temp renamed over"
write_table schemas/app.yaml users "email: text"
start
check "temp renamed over: setup" wait_cols users "id,email"
write_table schemas/app.yaml.tmp.4913 users "email: text" "name: text"
mv schemas/app.yaml.tmp.4913 schemas/app.yaml
check "temp renamed over: applied" wait_cols users "id,email,name"
# vim's backupcopy=no: the old file moved away, a new one written.
mv schemas/app.yaml schemas/app.yaml~
write_table schemas/app.yaml users "email: text" "name: text" "bio: text"
rm schemas/app.yaml~
check "backup renamed away, new file: applied" wait_cols users "id,email,name,bio"

fresh "delete and recreate"
write_table schemas/app.yaml users "email: text"
start
check "delete and recreate: setup" wait_cols users "id,email"
q "INSERT INTO users VALUES (1, 'a@x')" >/dev/null
rm schemas/app.yaml
write_table schemas/app.yaml users "email: text" "city: text"
check "delete and recreate: applied" wait_cols users "id,email,city"
check "delete and recreate: the rows survive" q_is "SELECT email FROM users" "a@x"

fresh "new sub-folder"
write_table schemas/app.yaml users "email: text"
start
check "new sub-folder: setup" wait_cols users "id,email"
mkdir -p schemas/sub/deep
write_table schemas/sub/deep/extra.yaml extra "note: text"
check "new sub-folder: a new file in it is applied" wait_cols extra "id,note"
write_table schemas/sub/deep/extra.yaml extra "note: text" "more: text"
check "new sub-folder: a save in it is applied" wait_cols extra "id,note,more"

fresh "deleted file"
write_table schemas/app.yaml users "email: text"
write_table schemas/gone.yaml gone "a: text"
start
check "deleted file: setup" wait_cols gone "id,a"
rm schemas/gone.yaml
check "deleted file: its empty table is dropped" wait_gone gone
check "deleted file: the other table stays" cols_are users "id,email"
# A table with rows is not dropped without asking: held, data kept.
write_table schemas/kept.yaml kept "a: text"
check "deleted file: setup of a table with rows" wait_cols kept "id,a"
q "INSERT INTO kept VALUES (1, 'stay')" >/dev/null
before=$(grep -c '"event":"held"' "$TMP/.out")
rm schemas/kept.yaml
check "deleted file with rows: held" has_count '"event":"held"' $((before + 1))
check "deleted file with rows: the drop is destructive" grep -q '"op":"drop_table","table":"kept","class":"destructive"' "$TMP/.out"
check "deleted file with rows: the rows are still there" q_is "SELECT a FROM kept" "stay"

# --- a burst of 50 saves -------------------------------------------------
fresh "burst"
write_table schemas/app.yaml users "email: text"
start
check "burst: setup" wait_cols users "id,email"
settle
before=$(runs)
i=1
cs=""
while [ $i -le 50 ]; do
	cs="$cs c$i: integer;"
	{
		printf 'tables:\n  burst:\n    columns:\n      id: { type: integer, primary_key: true }\n'
		printf '%s' "$cs" | tr ';' '\n' | sed 's/^ /      /'
	} >schemas/burst.yaml
	i=$((i + 1))
done
burst_cols="id$(i=1; while [ $i -le 50 ]; do printf ',c%d' $i; i=$((i + 1)); done)"
check "burst: 50 saves end in the last save's state" wait_cols burst "$burst_cols"
# How many runs a burst takes depends on the machine (make bench
# measures it); what must hold is the last save's state, and no run
# after the burst applying an older one.
settle
check "burst: no stale run after it: still the last save's state" cols_are burst "$burst_cols"
check "burst: no run failed" count_is '"event":"error"' 0

# --- a broken save, then a good one ---------------------------------------
fresh "broken save"
write_table schemas/app.yaml users "email: text"
start
check "broken save: setup" wait_cols users "id,email"
printf 'tables:\n  users: [\n' >schemas/app.yaml
check "broken save: a schema_error event" has_count '"event":"schema_error"' 1
check "broken save: it names the file and place" grep -q '"file":"schemas/app.yaml","line":' "$TMP/.out"
check "broken save: nothing changed" cols_are users "id,email"
check "broken save: the watcher goes on" alive
write_table schemas/app.yaml users "email: text" "zip: text"
check "broken save: the good save after it is applied" wait_cols users "id,email,zip"
# A valid file whose table is not valid for the server is an error of
# the run, not of the watcher.
check "broken save: still one schema_error" count_is '"event":"schema_error"' 1

# --- a mixed save: safe part applied, destructive part held ---------------
fresh "mixed save"
write_table schemas/acct.yaml acct "email: text" "legacy: text"
start
check "mixed save: setup" wait_cols acct "id,email,legacy"
q "INSERT INTO acct (id, email, legacy) VALUES (1, 'a@x', 'keep me'), (2, 'b@x', 'me too')" >/dev/null
before=$(grep -c '"event":"held"' "$TMP/.out")
write_table schemas/acct.yaml acct "email: text" "nick: integer"
check "mixed save: the safe part is applied" wait_cols acct "id,email,legacy,nick"
check "mixed save: a held event" has_count '"event":"held"' $((before + 1))
check "mixed save: the held event says the safe part was applied" grep -q '"event":"held".*"op":"add_column".*"held":false.*"applied":true' "$TMP/.out"
check "mixed save: the destructive change is named, with its count" grep -q '"op":"drop_column","table":"acct","column":"legacy","class":"destructive",.*"detail":"2 non-null values"' "$TMP/.out"
check "mixed save: the data is still there" q_is "SELECT string_agg(legacy, '|' ORDER BY id) FROM acct" "keep me|me too"
stop
check "mixed save: SIGTERM exits 0" rc_is 0
start --accept-data-loss
check "mixed save: --accept-data-loss drops the column" wait_cols acct "id,email,nick"
check "mixed save: ...and keeps the rows" q_is "SELECT string_agg(email, '|' ORDER BY id) FROM acct" "a@x|b@x"

# --- a held drop while its enum is recreated ------------------------------
# The column whose drop is held still uses the enum, with a value the
# files remove: the removal (a recreation) waits for the held drops and
# is held with them, so no value is taken from the held column. The safe
# part is applied: the new value (the enum made again with every old
# value, each column converted) and the default that uses it.
fresh "held drop, enum recreated"
cat >schemas/e.yaml <<'YAML'
enums:
  e: [a, b, z]
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: e, default: a }
      o: e
  old:
    columns:
      id: { type: integer, primary_key: true }
      s: e
YAML
start
check "held drop, enum recreated: setup" wait_cols old "id,s"
q "INSERT INTO t VALUES (1, 'b', 'z'); INSERT INTO old VALUES (1, 'z')" >/dev/null
cat >schemas/e.yaml <<'YAML'
enums:
  e: [a, b, d]
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: e, default: d }
YAML
check "held drop, enum recreated: held, not failed" until_ok 10 grep -q '"event":"held"' "$TMP/.out"
check "...no error" not_in_out '"event":"error"'
check "...the removal held with the drops" grep -q '"op":"drop_enum_value","object":"z".*"held":true' "$TMP/.out"
check "...the new value applied, the old kept" q_is "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'e'::regtype" "a,b,z,d"
check "...the default applied" q_is "SELECT column_default FROM information_schema.columns WHERE table_name = 't' AND column_name = 's'" "'d'::e"
check "...the held table and column keep their values" q_is "SELECT (SELECT o::text FROM t) || (SELECT s::text FROM old)" "zz"

# --- a held change confirmed on a terminal ---------------------------------
fresh "terminal"
check "terminal: script(1) is there" sh -c "command -v script >/dev/null"
write_table schemas/acct.yaml acct "email: text" "legacy: text"
start_tty 4
check "terminal: watch starts" has_count "watching" 1
check "terminal: setup" wait_cols acct "id,email,legacy"
q "INSERT INTO acct (id, email, legacy) VALUES (1, 'a@x', 'keep'), (2, 'b@x', 'me')" >/dev/null
write_table schemas/acct.yaml acct "email: text" "nick: integer"
check "terminal: a held change is asked about" has_count "\[y/N\]" 1
check "terminal: the question names the data loss" grep -q "marked ! (data will be lost)" "$TMP/.out"
check "terminal: the safe part is applied before the answer" wait_cols acct "id,email,legacy,nick"
check "terminal: the data is there before the answer" q_is "SELECT string_agg(legacy, '|' ORDER BY id) FROM acct" "keep|me"
# The data changes behind the question: y applies nothing, asks again.
q "INSERT INTO acct (id, email, legacy) VALUES (3, 'c@x', 'new')" >/dev/null
printf 'y\n' >&4
check "terminal: y to a plan that changed applies nothing" has_count "the plan changed since the question" 1
check "terminal: ...and asks about the new plan" has_count "\[y/N\]" 2
check "terminal: ...nothing dropped yet" cols_are acct "id,email,legacy,nick"
printf 'n\n' >&4
check "terminal: n leaves the change held" has_count "not applied; the held changes wait" 1
check "terminal: n dropped nothing" cols_are acct "id,email,legacy,nick"
write_table schemas/acct.yaml acct "email: text" "nick: integer" "age: integer"
check "terminal: asked once more" has_count "\[y/N\]" 3
printf 'y\n' >&4
check "terminal: y applies the held change" wait_cols acct "id,email,nick,age"
check "terminal: the rows are still there" q_is "SELECT string_agg(email, '|' ORDER BY id) FROM acct" "a@x|b@x|c@x"
# A rename asked about, answered y: the data follows the column.
write_table schemas/acct.yaml acct "mail: text" "nick: integer" "age: integer"
check "terminal: a rename is asked about" has_count "\[y/N\]" 4
printf 'y\n' >&4
check "terminal: y renames the column" wait_cols acct "id,mail,nick,age"
check "terminal: the renamed column kept its data" q_is "SELECT string_agg(mail, '|' ORDER BY id) FROM acct" "a@x|b@x|c@x"
stop_tty INT
exec 4>&-
check "terminal: SIGINT exits 0" rc_is 0
check "terminal: no sanitizer reports" sh -c '! grep -qE "Sanitizer|runtime error" "$0"' "$TMP/.out"

# --- the database unreachable, then back ------------------------------------
# The watcher keeps its connection between runs: the rename ends that
# session first (as a server restart would), and the next run must
# notice and connect again. A rename fails while a run is connected,
# so it is retried.
fresh "unreachable"
write_table schemas/t.yaml t "a: text"
start
check "unreachable: setup" wait_cols t "id,a"
rename_db() {
	psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	    -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$1' AND pid <> pg_backend_pid()" \
	    -c "ALTER DATABASE $1 RENAME TO $2" >/dev/null 2>&1
}
check "unreachable: the database is renamed away" until_ok 10 rename_db "$DBNAME" "${DBNAME}_away"
write_table schemas/t.yaml t "a: text" "b: integer"
check "unreachable: an error event" has_count '"event":"error"' 1
check "unreachable: the error says it cannot connect" grep -q '"event":"error","error":"cannot connect to ' "$TMP/.out"
check "unreachable: the error names the database" grep -q "$DBNAME" "$TMP/.out"
sleep 1.5
write_table schemas/t.yaml t "a: text" "b: integer" "c: integer"
sleep 1.5
check "unreachable: reported once, through retries and saves" count_is '"event":"error"' 1
check "unreachable: the watcher goes on" alive
check "unreachable: the database is renamed back" until_ok 10 rename_db "${DBNAME}_away" "$DBNAME"
# No save from here on: the retry timer finds it (its delay doubles
# from 1 s, at most 16 s).
check "unreachable: back, the watcher says so" until_ok 30 grep -q '"reconnected":true' "$TMP/.out"
check "unreachable: ...and syncs the last save" wait_cols t "id,a,b,c"
check "unreachable: still one error event" count_is '"event":"error"' 1
# A second outage is reported again.
check "unreachable: renamed away again" until_ok 10 rename_db "$DBNAME" "${DBNAME}_away"
write_table schemas/t.yaml t "a: text" "b: integer" "c: integer" "d: integer"
check "unreachable: a second outage is a second error event" has_count '"event":"error"' 2
check "unreachable: renamed back again" until_ok 10 rename_db "${DBNAME}_away" "$DBNAME"
write_table schemas/t.yaml t "a: text" "b: integer" "c: integer" "d: integer" "e: integer"
check "unreachable: a save when it is back syncs" wait_cols t "id,a,b,c,d,e"

# --- a run in flight: saves queue one run; SIGTERM waits for it -------------
fresh "in flight"
write_table schemas/acct.yaml acct "email: text"
start
check "in flight: setup" wait_cols acct "id,email"
# lock_table: a psql session in the background holds ACCESS EXCLUSIVE
# on acct until `unlock`; the watcher's ALTER TABLE waits for it (well
# under its 10 s lock_timeout).
lock_table() {
	rm -f lock.in
	mkfifo lock.in
	psql -X -q -d "$DBNAME" <lock.in >/dev/null 2>&1 &
	LOCKER=$!
	exec 3>lock.in
	echo "BEGIN; LOCK TABLE acct IN ACCESS EXCLUSIVE MODE;" >&3
}
unlock() {
	echo "COMMIT;" >&3
	exec 3>&-
	reap "$LOCKER"
	LOCKER=
}
locked() { q_is "SELECT count(*) FROM pg_locks WHERE relation = 'acct'::regclass AND mode = 'AccessExclusiveLock' AND granted" 1; }
# waiting: the watcher's session waits for a lock.
waiting() { q_is "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'schemasync' AND wait_event_type = 'Lock'" 1; }
settle
lock_table
check "in flight: setup: another session holds the lock" until_ok 10 locked
before=$(runs)
n0=$(lines)
save schemas/acct.yaml acct "email: text" "s1: text"
check "in flight: the run waits for the lock" until_ok 10 waiting
# The run in flight has read s1; these saves come during it.
save schemas/acct.yaml acct "email: text" "s1: text" "s2: text"
save schemas/acct.yaml acct "email: text" "s1: text" "s2: text" "s3: text"
check "in flight: no run finished while the lock is held" [ "$(runs)" = "$before" ]
unlock
check "in flight: saves during a run end in the last save's state" wait_cols acct "id,email,s1,s2,s3"
settle
first_run() { since "$n0" | grep -E '"event":"(applied|held|plan|schema_error|error)"' | head -n 1; }
check "in flight: the run in flight applied what it had read (s1 alone)" \
    sh -c 'printf "%s" "$0" | grep -q "\"column\":\"s1\"" && ! printf "%s" "$0" | grep -q "\"column\":\"s2\""' "$(first_run)"
check "in flight: the saves during it were applied by a run after it" [ "$(runs)" -ge $((before + 3)) ]
no_acct_drop() { ! since "$n0" | grep -q '"op":"drop_column","table":"acct"'; }
check "in flight: no run applied an older save" no_acct_drop

lock_table
check "in flight: the lock is held again" until_ok 10 locked
save schemas/acct.yaml acct "email: text" "s1: text" "s2: text" "s3: text" "last: text"
check "in flight: the run waits again" until_ok 10 waiting
kill -TERM "$W"
sleep 0.3
check "in flight: after SIGTERM the watcher waits for the run" alive
check "in flight: ...which has applied nothing yet" cols_are acct "id,email,s1,s2,s3"
unlock
reap "$W"
echo $? >"$TMP/.rc"
W=
check "in flight: SIGTERM during a run exits 0" rc_is 0
check "in flight: the run in flight was applied" cols_are acct "id,email,s1,s2,s3,last"
check "in flight: ...and reported" grep -q '"event":"applied".*"column":"last"' "$TMP/.out"
check "in flight: no session is left behind" q_is "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'schemasync'" 0

# The server ends the watcher's session while its run waits: that is
# an outage too; the retry timer syncs the save with no other save.
# (The watcher starts first: it must not inherit the locker's pipe.)
start
check "connection lost: setup" wait_cols acct "id,email,s1,s2,s3,last"
lock_table
check "connection lost: the lock is held" until_ok 10 locked
before=$(grep -c '"event":"error"' "$TMP/.out")
write_table schemas/acct.yaml acct "email: text" "s1: text" "s2: text" "s3: text" "last: text" "after: text"
check "connection lost: the run waits for the lock" until_ok 10 waiting
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'schemasync'" >/dev/null
check "connection lost: an error event" has_count '"event":"error"' $((before + 1))
unlock
check "connection lost: the retry timer reconnects" until_ok 30 grep -q '"reconnected":true' "$TMP/.out"
check "connection lost: ...and applies the save" wait_cols acct "id,email,s1,s2,s3,last,after"
check "connection lost: the watcher goes on" alive

# --- JSON events -------------------------------------------------------------
# Every kind a run can print, in one watcher's output, each a valid line.
fresh "events"
write_table schemas/e.yaml e "a: text" "b: text"
start
check "events: setup" wait_cols e "id,a,b"
q "INSERT INTO e VALUES (1, 'x', 'y')" >/dev/null
write_table schemas/e.yaml e "a: text"
check "events: held" has_count '"event":"held"' 1
printf 'tables: [\n' >schemas/e.yaml
check "events: schema_error" has_count '"event":"schema_error"' 1
write_table schemas/e.yaml e "a: text" "b: text"
check "events: plan (in sync)" has_count '"event":"plan"' 1
until_ok 10 rename_db "$DBNAME" "${DBNAME}_away"
write_table schemas/e.yaml e "a: text" "b: text" "c: text"
check "events: error" has_count '"event":"error"' 1
until_ok 10 rename_db "${DBNAME}_away" "$DBNAME"
check "events: ready again, reconnected" until_ok 30 grep -q '"event":"ready".*"reconnected":true' "$TMP/.out"
check "events: applied after the outage" wait_cols e "id,a,b,c"
for ev in ready applied held error schema_error plan; do
	check "events: a $ev event" grep -q "^{\"event\":\"$ev\"" "$TMP/.out"
done
check "events: the database is named without its password" grep -q '"event":"ready","database":"postgresql:' "$TMP/.out"
stop
check "events: SIGTERM exits 0" rc_is 0
check "events: JSON events, one valid object a line" json_valid
check "events: no sanitizer reports" no_sanitizer_reports

# --- what the server says besides results, in JSON mode ----------------
# An event trigger (left alone by schemasync) raises a WARNING on every
# DDL statement, and the server ends the watcher's session between two
# saves. libpq would print "WARNING:  audit: ..." raw on stderr; the
# watcher makes each warning a "notice" event, so every line on stdout
# is JSON and stderr holds nothing but the diagnostics the README names
# (folders the kernel will not watch).
fresh "notices"
q "CREATE FUNCTION audit() RETURNS event_trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE WARNING 'audit: % ran', tg_tag; END\$\$; CREATE EVENT TRIGGER audit ON ddl_command_end EXECUTE FUNCTION audit()" >/dev/null
write_table schemas/n.yaml n "a: text"
start
check "notices: setup" wait_cols n "id,a"
check "notices: the warning is a notice event" out_waits '^{"event":"notice","severity":"warning","message":"audit: CREATE TABLE ran"}$'
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'schemasync'" >/dev/null
write_table schemas/n.yaml n "a: text" "b: text"
check "notices: applied after the session was ended" wait_cols n "id,a,b"
check "notices: ...with its warning" has_count '"event":"notice"' 2
check "notices: the watcher goes on" alive
stop
check "notices: SIGTERM exits 0" rc_is 0
check "notices: every line on stdout is a JSON event" json_valid
check "notices: no raw server message on stderr" sh -c '! grep -v "^schemasync: warning: cannot watch " "$0"' "$TMP/.err"
