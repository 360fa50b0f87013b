# Loading while introspecting: push, diff and watch load the schema
# files on a second thread while the database is opened, locked and
# read. What the user sees must be what loading them first gave: the
# files' errors before any error of the database's (unreachable,
# locked), bad files never change the database nor leave a transaction
# open, and a locked database is waited for as before. Every check runs
# on SQLite and on the PostgreSQL server of `make test`.
. "$CLI_LIB"
need_sqlite3

W=
HOLDER=
trap '[ -n "$W" ] && kill -KILL "$W" 2>/dev/null; [ -n "$HOLDER" ] && kill -KILL "$HOLDER" 2>/dev/null; rm -rf "$TMP"' EXIT

dialects_init ss_overlap
LOCK_KEY=7563070057509470645	# FNV-1a of "schemasync" (postgres/dialect.c)

# A dump of the database, to compare.
dump() {
	case $D in
	sqlite) sqlite3 "$DBFILE" .dump ;;
	postgres) pg_dump -d "$DBNAME" 2>&1 | grep -v -e '^--' -e '^.restrict' -e '^.unrestrict' ;;
	esac
}
same_dump() {
	dump >"$TMP/.dump2"
	cmp -s "$TMP/.dump" "$TMP/.dump2" && return 0
	diff "$TMP/.dump" "$TMP/.dump2" | head -20 >"$TMP/.got"
	return 1
}
# Another connection writes at once: no transaction of ours is open.
writes_at_once() {
	case $D in
	sqlite) sqlite3 -bail -cmd ".timeout 0" "$DBFILE" "CREATE TABLE other_$1 (a); DROP TABLE other_$1;" >"$TMP/.got" 2>&1 ;;
	postgres) dual_q_is "SELECT pg_try_advisory_xact_lock($LOCK_KEY), (SELECT count(*) FROM pg_stat_activity WHERE datname = '$DBNAME' AND application_name = 'schemasync' AND state <> 'idle')" "t|0" ;;
	esac
}
# An unreachable database of the dialect.
unreachable() {
	case $D in
	sqlite) echo "sqlite:$TMP/no-such-folder/db.sqlite" ;;
	postgres) echo "postgresql:///nodb?host=$PGHOST&port=1&user=$PGUSER" ;;
	esac
}
# A file the dialect's check refuses (before connecting, until now).
refused_schema() {
	case $D in
	sqlite) printf 'views:\n  v:\n    sql: SELECT 1 AS one\n    materialized: true\n' ;;
	postgres) printf 'tables:\n  t:\n    strict: true\n    columns:\n      id: { type: bigint, primary_key: true }\n' ;;
	esac >schemas/refused.yaml
}
bad_file() {
	printf 'tables:\n  broken:\n    columns:\n      id: { type: bigintx, primary_key: true }\n' >schemas/broken.yaml
}
BAD='schemas/broken.yaml:4:19: error: unknown type '"'"'bigintx'"'"' (did you mean '"'"'bigint'"'"'?)'

# A session that holds the lock push takes until `release`.
hold() {
	rm -f "$TMP/hold.in"
	mkfifo "$TMP/hold.in"
	case $D in
	sqlite)
		sqlite3 "$DBFILE" <"$TMP/hold.in" >/dev/null 2>&1 &
		HOLDER=$!
		exec 4>"$TMP/hold.in"
		# Waits out a lock a step before may still hold on a busy
		# machine: BEGIN IMMEDIATE failing at once left no lock held.
		echo ".timeout 60000" >&4
		echo "BEGIN IMMEDIATE; INSERT INTO holder VALUES (1);" >&4
		;;
	postgres)
		psql -X -q -d "$DBNAME" <"$TMP/hold.in" >/dev/null 2>&1 &
		HOLDER=$!
		exec 4>"$TMP/hold.in"
		echo "BEGIN; SELECT pg_advisory_xact_lock($LOCK_KEY); INSERT INTO holder VALUES (1);" >&4
		;;
	esac
}
release() {
	echo "COMMIT;" >&4
	exec 4>&-
	wait "$HOLDER"
	HOLDER=
}
held() {
	case $D in
	sqlite) ! sqlite3 -cmd ".timeout 0" "$DBFILE" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1 ;;
	postgres) dual_q_is "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted" 1 ;;
	esac
}
holder_alive() { [ -n "$HOLDER" ] && kill -0 "$HOLDER" 2>/dev/null; }
# bg ARGS: the binary in the background, output in bg.*; pid in BG.
bg() {
	( "$SCHEMASYNC" "$@" >"$TMP/bg.out" 2>"$TMP/bg.err"; echo $? >"$TMP/bg.rc" ) &
	BG=$!
}
bg_done() { [ -s "$TMP/bg.rc" ]; }
bg_to_last() { cp "$TMP/bg.out" "$TMP/.out"; cp "$TMP/bg.err" "$TMP/.err"; cp "$TMP/bg.rc" "$TMP/.rc"; }

for D in $DIALECTS; do
	rm -rf schemas "$TMP"/bg.*
	dual_newdb
	valid_schema
	printf 'tables:\n  holder:\n    columns:\n      a: integer\n' >schemas/holder.yaml
	NOWHERE=$(unreachable)

	# --- an unreachable database -------------------------------------
	ss --db "$NOWHERE" push
	check "$D: good files, unreachable: the database's error, exit 1" both rc_is 1 err_has "error:"
	check "$D: good files, unreachable: not a file error" err_lacks "schemas/"
	bad_file
	for cmd in push diff; do
		ss --db "$NOWHERE" $cmd
		check "$D: bad files, unreachable, $cmd: exit 2" rc_is 2
		check "$D: bad files, unreachable, $cmd: the files' errors alone" err_is "$BAD"
		check "$D: bad files, unreachable, $cmd: nothing on stdout" out_empty
	done
	ss --db "$NOWHERE" push --rename users=people
	check "$D: bad files and a bad --rename, unreachable: the files first" both rc_is 2 err_is "$BAD"
	rm schemas/broken.yaml
	ss --db "$NOWHERE" push --rename users
	check "$D: a bad --rename, unreachable: exit 2" rc_is 2
	check "$D: a bad --rename, unreachable: says so, not the database" both err_has "--rename" err_lacks "connect"
	refused_schema
	ss --db "$NOWHERE" push
	check "$D: files the dialect refuses, unreachable: exit 2" rc_is 2
	check "$D: files the dialect refuses, unreachable: at their place" err_has "schemas/refused.yaml:"
	check "$D: files the dialect refuses, unreachable: not the database's error" err_lacks "connect"
	rm schemas/refused.yaml
	if [ "$D" = sqlite ]; then
		ss --db "sqlite:$TMP/new.sqlite" push --schema schemas/app.yaml --schema "$TMP/none.yaml"
		check "$D: bad files, a new database: exit 2" rc_is 2
		check "$D: bad files, a new database: no file made" test ! -e "$TMP/new.sqlite"
	fi

	# --- bad files and a good database -------------------------------
	ss --db "$DB" push
	check "$D: good files: applied" rc_is 0
	dump >"$TMP/.dump"
	bad_file
	sed -i 's/      title: text/      title: text\n      body: text/' schemas/app.yaml
	for cmd in push diff; do
		ss --db "$DB" $cmd
		check "$D: bad files, good database, $cmd: exit 2" rc_is 2
		check "$D: bad files, good database, $cmd: the files' errors alone" err_is "$BAD"
		check "$D: bad files, good database, $cmd: nothing on stdout" out_empty
		check "$D: bad files, good database, $cmd: database untouched" same_dump
		check "$D: bad files, good database, $cmd: another connection writes at once" writes_at_once $cmd
	done
	ss --db "$DB" --format json push
	check "$D: bad files, json: exit 2" rc_is 2
	check "$D: bad files, json: the error names the file" sh -c 'grep -q "schemas/broken.yaml" "$0/.out" "$0/.err"' "$TMP"
	check "$D: bad files, json: database untouched" same_dump

	# watch keeps its connection: after a run on bad files no
	# transaction of its is left open.
	"$SCHEMASYNC" --db "$DB" --format json watch >"$TMP/w.out" 2>"$TMP/w.err" &
	W=$!
	check "$D: watch, bad files: the first run reports them" until_ok 60 grep -q '"event":"schema_error"' "$TMP/w.out"
	check "$D: watch, bad files: names the file" until_ok 60 grep -q "schemas/broken.yaml" "$TMP/w.out"
	check "$D: watch, bad files: another connection writes at once" writes_at_once watch
	check "$D: watch, bad files: database untouched" same_dump
	kill -TERM "$W"
	wait "$W"
	W=
	if [ "$D" = sqlite ]; then
		: >"$TMP/w.out"
		"$SCHEMASYNC" --db "sqlite:$TMP/wnew.sqlite" --format json watch >"$TMP/w.out" 2>"$TMP/w.err" &
		W=$!
		check "$D: watch, bad files, a new database: reported" until_ok 60 grep -q '"event":"schema_error"' "$TMP/w.out"
		check "$D: watch, bad files, a new database: no file while it runs" until_ok 60 test ! -e "$TMP/wnew.sqlite"
		kill -TERM "$W"
		wait "$W"
		W=
	fi
	rm schemas/broken.yaml

	# --- a locked database -------------------------------------------
	# Good files: the push waits for the lock, then applies.
	hold
	check "$D: locked: held by another session" until_ok 60 held
	rm -f "$TMP"/bg.*
	bg --db "$DB" push
	case $D in
	postgres) check "$D: locked, good files: the push waits for the lock" until_ok 60 dual_q_is "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DBNAME' AND application_name = 'schemasync' AND wait_event_type = 'Lock'" 1 ;;
	esac
	release
	wait "$BG"
	bg_to_last
	check "$D: locked, good files: then applies" both rc_is 0 out_has "+ add column posts.body"
	check "$D: locked, good files: after the other transaction" dual_q_is "SELECT count(*) FROM holder" 1

	# Good files, a lock held past the time push waits: today's error.
	sed -i 's/      body: text/      body: text\n      more: text/' schemas/app.yaml
	hold
	check "$D: locked again: held" until_ok 60 held
	case $D in
	sqlite)
		ss --db "$DB" push
		check "$D: locked too long: exit 1" rc_is 1
		check "$D: locked too long: the message of before" err_is "schemasync: error: starting the transaction: statement failed: database is locked
  statement: BEGIN IMMEDIATE"
		;;
	postgres)
		ss --db "$DB&options=-c%20lock_timeout%3D1s" push
		check "$D: locked too long: exit 1" rc_is 1
		check "$D: locked too long: the message of before" err_has "waited 1s for another schemasync push"
		;;
	esac
	check "$D: locked too long: nothing applied" dual_q_is "SELECT count(*) FROM holder" 1

	# Bad files: their errors at once, without waiting for the lock
	# (PostgreSQL would wait up to 10 minutes here).
	bad_file
	rm -f "$TMP"/bg.*
	case $D in
	sqlite) bg --db "$DB" push ;;
	postgres) bg --db "$DB&options=-c%20lock_timeout%3D600s" push ;;
	esac
	check "$D: locked, bad files: the push ends while the lock is held" until_ok 60 bg_done
	check "$D: locked, bad files: the lock was held all along" holder_alive
	release
	wait "$BG"
	bg_to_last
	check "$D: locked, bad files: exit 2" rc_is 2
	check "$D: locked, bad files: the files' errors alone" err_is "$BAD"
	check "$D: locked, bad files: the other transaction committed" dual_q_is "SELECT count(*) FROM holder" 2
	rm schemas/broken.yaml
	ss --db "$DB" push
	check "$D: good files again: applied" both rc_is 0 out_has "+ add column posts.more"
done
