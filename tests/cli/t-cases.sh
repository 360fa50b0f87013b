# One table of end-to-end cases, run against both dialects: every
# tests/cli/cases/*.case is written once, in the dialect-neutral words
# below, and runs on a fresh SQLite file and on a fresh PostgreSQL
# database of the throwaway server `make test` starts. A check is
# recorded as "t-cases DIALECT/CASE: NAME", so a failure says which.
#
# The words a case may use (with lib.sh's check, rc_is, out_has,
# out_line, out_lacks, err_has, both):
#   schema <<'YAML'        schemas/app.yaml, the only schema file
#   seed "SQL"             runs portable SQL (a failure is a FAIL)
#   push ARGS / diff ARGS  the binary with --db and --schema for the dialect
#   pull ARGS              pull into schemas/ (replacing the files there)
#   validate               schemasync check of schemas/
#   file_has / file_lacks FILE TEXT   the file holds TEXT, or does not
#   rows_are "SQL" "ROWS"  the rows, as a|b lines (NULL is empty)
#   cols_are TABLE "a,b"   the table's columns, in order
#   tables_are "a,b"       the tables of the database, by name (not the
#                          undo store, which PostgreSQL keeps elsewhere)
#   sql_fails "SQL"        the statement is refused by the database
#   snapshot / unchanged   the whole database (schema and rows) is as it
#                          was at the last snapshot
#   in_sync                diff --exit-code exits 0 and says "in sync"
#   only DIALECT CMD...    CMD on that dialect alone: only where SPEC or
#                          README says the dialects differ, commented
# On both dialects foreign keys are enforced for the SQL a case runs
# (SQLite: PRAGMA foreign_keys = ON), and stdin is not a terminal.
#
# SS_CASES="a b" runs only those cases (file names without .case).
. "$CLI_LIB"
need_sqlite3
SCRIPT=$T
CASES_DIR=$(dirname "$CLI_LIB")/cases
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-5}"

dialects="sqlite postgres"
if [ -z "${PGHOST:-}" ] || [ -z "${PGPORT:-}" ] || [ -z "${PGUSER:-}" ]; then
	echo "FAIL $SCRIPT: PGHOST/PGPORT/PGUSER are not set, the postgres half of the cases cannot run; run through make test" >>"$RESULTS"
	dialects=sqlite
elif ! command -v psql >/dev/null 2>&1 || ! command -v pg_dump >/dev/null 2>&1; then
	echo "FAIL $SCRIPT: psql or pg_dump is missing, the postgres half of the cases cannot run (make deps installs them)" >>"$RESULTS"
	dialects=sqlite
fi

# sqlq SQL: runs SQL on the case's database, prints rows as a|b lines.
sqlq() {
	case $DIALECT in
	sqlite) sqlite3 -bail -cmd "PRAGMA foreign_keys = ON" db.sqlite "$1" ;;
	postgres) psql -X -qAt -v ON_ERROR_STOP=1 -d "$DBNAME" -c "$1" ;;
	esac
}

seed() {
	sqlq "$1" >"$TMP/.seed" 2>&1 && return 0
	{
		echo "FAIL $T: seed failed: $1"
		sed 's/^/  /' "$TMP/.seed"
	} >>"$RESULTS"
	return 1
}

push() { ss --db "$DBURL" --schema schemas push "$@"; }
diff() { ss --db "$DBURL" --schema schemas diff "$@"; }
in_sync() { diff --exit-code && rc_is 0 && out_has "in sync: nothing to do"; }
pull() { rm -rf schemas; ss --db "$DBURL" pull --out schemas "$@"; }
validate() { ss --schema schemas check; }
file_has() {
	grep -qF -- "$2" "$1" && return 0
	{ echo "$1 lacks: $2"; sed 's/^/  /' "$1"; } >"$TMP/.got" 2>&1
	return 1
}
file_lacks() {
	grep -qF -- "$2" "$1" || return 0
	{ echo "$1 holds: $2"; sed 's/^/  /' "$1"; } >"$TMP/.got" 2>&1
	return 1
}

only() {
	[ "$DIALECT" = "$1" ] || return 0
	shift
	"$@"
}

# is_got SQL WANT GOT: WANT = GOT, or says both in the check's report.
is_got() {
	[ "$2" = "$3" ] && return 0
	printf 'sql: %s\nwant: %s\ngot:  %s\n' "$1" "$2" "$3" >"$TMP/.got"
	return 1
}

rows_are() { is_got "$1" "$2" "$(sqlq "$1" 2>&1)"; }

sql_fails() {
	if sqlq "$1" >"$TMP/.seed" 2>&1; then
		printf 'sql: %s\nwant: an error\ngot:  success\n' "$1" >"$TMP/.got"
		return 1
	fi
}

cols_are() {
	case $DIALECT in
	sqlite) q="SELECT name FROM pragma_table_info('$1') ORDER BY cid" ;;
	postgres) q="SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$1' ORDER BY ordinal_position" ;;
	esac
	is_got "$q" "$2" "$(sqlq "$q" 2>&1 | paste -sd, -)"
}

tables_are() {
	case $DIALECT in
	sqlite) q="SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'schemasync_undo%'" ;;
	postgres) q="SELECT tablename FROM pg_tables WHERE schemaname = 'public'" ;;
	esac
	is_got "$q" "$1" "$(sqlq "$q" 2>&1 | LC_ALL=C sort | paste -sd, -)"
}

# dump FILE: the whole database, schema and rows. pg_dump 17.6, 16.10
# and later write a random key in \restrict lines: those go.
dump() {
	case $DIALECT in
	sqlite) sqlite3 -bail db.sqlite .dump >"$1" 2>&1 ;;
	postgres)
		pg_dump --no-owner --no-privileges -d "$DBNAME" >"$1.raw" 2>&1 &&
			sed '/^\\\(un\)\{0,1\}restrict /d' "$1.raw" >"$1"
		;;
	esac
}
snapshot() {
	dump "$TMP/.dump" && return 0
	{
		echo "FAIL $T: snapshot: cannot dump the database"
		sed 's/^/  /' "$TMP/.dump" "$TMP/.dump.raw" 2>/dev/null | head -5
	} >>"$RESULTS"
	return 1
}
unchanged() {
	if ! dump "$TMP/.dump2"; then
		{ echo "cannot dump the database:"; head -5 "$TMP/.dump2.raw" "$TMP/.dump2" 2>/dev/null; } >"$TMP/.got"
		return 1
	fi
	cmp -s "$TMP/.dump" "$TMP/.dump2" && return 0
	command diff "$TMP/.dump" "$TMP/.dump2" | head -20 | sed 's/^/diff: /' >"$TMP/.got"
	return 1
}

# newdb: a fresh, empty database for the dialect; sets DBURL (and DBNAME).
n=0
newdb() {
	case $DIALECT in
	sqlite)
		DBURL=sqlite:db.sqlite
		;;
	postgres)
		n=$((n + 1))
		DBNAME="ss_cases_$$_$n"
		DBURL="postgresql:///$DBNAME?host=$PGHOST&port=$PGPORT&user=$PGUSER"
		psql -X -q -d postgres -c "CREATE DATABASE $DBNAME" >"$TMP/.seed" 2>&1 || {
			echo "FAIL $T: cannot create database $DBNAME: $(cat "$TMP/.seed")" >>"$RESULTS"
			return 1
		}
		;;
	esac
}

set -- "$CASES_DIR"/*.case
[ -f "$1" ] || { echo "FAIL $SCRIPT: no cases in $CASES_DIR" >>"$RESULTS"; exit 0; }
for DIALECT in $dialects; do
	for file in "$@"; do
		CASE=$(basename "$file" .case)
		if [ -n "${SS_CASES:-}" ]; then
			case " $SS_CASES " in *" $CASE "*) ;; *) continue ;; esac
		fi
		T="$SCRIPT $DIALECT/$CASE"
		mkdir "$TMP/$DIALECT-$CASE" && cd "$TMP/$DIALECT-$CASE" || exit 1
		newdb || continue
		before=$(grep -c '^PASS\|^FAIL' "$RESULTS")
		# A subshell, so that a case that stops half way (set -u, exit)
		# is a failure of that case, not the end of the run.
		(. "$file"; exit 0)
		status=$?
		[ "$status" -eq 0 ] || echo "FAIL $T: the case stopped with status $status" >>"$RESULTS"
		[ "$(grep -c '^PASS\|^FAIL' "$RESULTS")" -gt "$before" ] ||
			echo "FAIL $T: the case checked nothing" >>"$RESULTS"
		cd "$TMP" || exit 1
	done
done
