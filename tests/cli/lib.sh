# Sourced by every tests/cli/t-*.sh. Each test script runs in its own
# temporary folder with no database variables set; `ss ARGS` runs the
# binary and keeps its stdout, stderr and exit status for the checks.
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1
unset DATABASE_URL SCHEMASYNC_DATABASE_URL NO_COLOR
export TERM=dumb

ss() {
	"$SCHEMASYNC" "$@" >"$TMP/.out" 2>"$TMP/.err"
	echo $? >"$TMP/.rc"
}

# check NAME COMMAND...: records PASS or FAIL (with the output) for NAME.
check() {
	name=$1
	shift
	if "$@"; then
		echo "PASS $T: $name" >>"$RESULTS"
	else
		{
			echo "FAIL $T: $name"
			echo "  exit: $(cat "$TMP/.rc" 2>/dev/null)"
			sed 's/^/  stdout: /' "$TMP/.out" 2>/dev/null | head -20
			sed 's/^/  stderr: /' "$TMP/.err" 2>/dev/null | head -20
			sed 's/^/  /' "$TMP/.got" 2>/dev/null
		} >>"$RESULTS"
	fi
	rm -f "$TMP/.got"
}

rc_is() { [ "$(cat "$TMP/.rc")" = "$1" ]; }
out_has() { grep -qF -- "$1" "$TMP/.out"; }
err_has() { grep -qF -- "$1" "$TMP/.err"; }
out_lacks() { ! grep -qF -- "$1" "$TMP/.out"; }
err_lacks() { ! grep -qF -- "$1" "$TMP/.err"; }
out_is() { printf '%s\n' "$1" | cmp -s - "$TMP/.out"; }
err_is() { printf '%s\n' "$1" | cmp -s - "$TMP/.err"; }
out_empty() { [ ! -s "$TMP/.out" ]; }
err_empty() { [ ! -s "$TMP/.err" ]; }
both() { "$1" "$2" && "$3" "$4"; }

# until_ok SECONDS COMMAND...: polls every 50 ms until COMMAND succeeds;
# fails after SECONDS of wall-clock time, never fewer than 60: a loaded
# machine may make the binary slow, which must not fail a test (only one
# that never gets there must). Waits end as soon as the command succeeds.
until_ok() {
	_s=$1
	[ "$_s" -ge 60 ] || _s=60
	_end=$(($(date +%s) + _s))
	shift
	while :; do
		"$@" && return 0
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.05
	done
}

# A small valid schema in schemas/.
valid_schema() {
	mkdir -p schemas
	cat >schemas/app.yaml <<'YAML'
enums:
  role: [admin, member]
tables:
  users:
    columns:
      id: { type: bigint, primary_key: true, autoincrement: true }
      email: { type: text, nullable: false, unique: true }
      role: { type: role, nullable: false, default: member }
  posts:
    columns:
      id: { type: bigint, primary_key: true, autoincrement: true }
      user_id: { type: bigint, nullable: false, references: users.id, on_delete: cascade }
      title: text
YAML
}

# SQLite: the tests seed rows and read them back with the sqlite3 shell
# (a dependency of `make test`). Without it a test cannot tell whether
# data survived, so it fails loudly instead of passing.
need_sqlite3() {
	if ! command -v sqlite3 >/dev/null 2>&1; then
		echo "FAIL $T: the sqlite3 shell is missing (make deps installs it)" >>"$RESULTS"
		exit 1
	fi
}

# sql [SQL...]: runs SQL on $DB (default db.sqlite), stopping at an error.
sql() { sqlite3 -bail "${DB:-db.sqlite}" "$@"; }

# sql_is EXPECTED SQL...: the output of SQL (rows as a|b, one a line).
sql_is() {
	want=$1
	shift
	got=$(sqlite3 -bail "${DB:-db.sqlite}" "$@" 2>&1)
	[ "$got" = "$want" ] && return 0
	printf 'sql: %s\nwant: %s\ngot:  %s\n' "$*" "$want" "$got" >"$TMP/.got"
	return 1
}

# snapshot / unchanged: the whole database, schema and rows, is what it
# was at the last snapshot.
snapshot() { sqlite3 "${DB:-db.sqlite}" .dump >"$TMP/.dump"; }
unchanged() {
	sqlite3 "${DB:-db.sqlite}" .dump >"$TMP/.dump2"
	cmp -s "$TMP/.dump" "$TMP/.dump2" && return 0
	diff "$TMP/.dump" "$TMP/.dump2" | head -20 | sed 's/^/diff: /' >"$TMP/.got"
	return 1
}

# schema: schemas/app.yaml from stdin (the only schema file).
schema() {
	rm -rf schemas
	mkdir -p schemas
	cat >schemas/app.yaml
}

# out_line LINE: stdout has exactly this line.
out_line() { grep -qxF -- "$1" "$TMP/.out"; }

# json_valid: stdout is JSON, one value a line, checked strictly by
# tests/cli/json.awk (no python or jq needed), in valid UTF-8 (RFC 8259
# section 8.1; glibc's iconv refuses any invalid byte).
json_valid() {
	LC_ALL=C awk -f "$(dirname "$CLI_LIB")/json.awk" "$TMP/.out" 2>"$TMP/.got" &&
	    iconv -f UTF-8 -t UTF-8 "$TMP/.out" >/dev/null 2>"$TMP/.got"
}

# PostgreSQL, for the scripts that use the throwaway server make test
# starts (tests/pg/with-server.sh).
# pg_ready: its variables are set; else a FAIL is recorded and false.
pg_ready() {
	[ -n "${PGHOST:-}" ] && [ -n "${PGPORT:-}" ] && [ -n "${PGUSER:-}" ] &&
		return 0
	echo "FAIL $T: PGHOST/PGPORT/PGUSER are not set; run through make test" >>"$RESULTS"
	return 1
}
_pg_n=0
# pg_newdb PREFIX: a fresh database; sets DBNAME and DB (a URI for --db).
pg_newdb() {
	_pg_n=$((_pg_n + 1))
	DBNAME="$1_$$_$_pg_n"
	psql -X -q -d postgres -c "CREATE DATABASE $DBNAME" >/dev/null 2>&1 ||
		echo "FAIL $T: cannot create database $DBNAME" >>"$RESULTS"
	DB="postgresql:///$DBNAME?host=$PGHOST&port=$PGPORT&user=$PGUSER"
}
# pg_q SQL: runs SQL in $DBNAME, prints rows unaligned.
pg_q() { psql -X -qAt -v ON_ERROR_STOP=1 -d "$DBNAME" -c "$1" 2>&1; }

# Scripts whose every check runs on both dialects (t-migrate, t-undo):
# dialects_init PREFIX sets DIALECTS ("sqlite postgres", or sqlite with a
# FAIL when the server's variables are missing); then, for the dialect
# in $D, dual_newdb makes a fresh empty database (DB, a URL; DBFILE or
# DBNAME), dual_q SQL runs SQL there (rows as a|b) and dual_q_is SQL
# WANT compares its rows.
dialects_init() {
	_dual_prefix=$1
	_dual_n=0
	if pg_ready; then
		DIALECTS="sqlite postgres"
	else
		DIALECTS=sqlite
	fi
}
dual_newdb() {
	case $D in
	sqlite)
		_dual_n=$((_dual_n + 1))
		DBFILE="$TMP/db$_dual_n.sqlite"
		DB="sqlite:$DBFILE"
		;;
	postgres) pg_newdb "$_dual_prefix" ;;
	esac
}
dual_q() {
	case $D in
	sqlite) sqlite3 -bail "$DBFILE" "$1" 2>&1 ;;
	postgres) pg_q "$1" ;;
	esac
}
dual_q_is() {
	got=$(dual_q "$1")
	[ "$got" = "$2" ] && return 0
	printf 'sql: %s\nwant: %s\ngot:  %s\n' "$1" "$2" "$got" >"$TMP/.got"
	return 1
}
