# Migration files: generate, migrate, status, rollback, and the journal
# table that push, diff, pull and watch never see. Every check runs on
# SQLite and on the PostgreSQL server of `make test`.
. "$CLI_LIB"
need_sqlite3

if [ -z "${PGHOST:-}" ] || [ -z "${PGPORT:-}" ] || [ -z "${PGUSER:-}" ]; then
	echo "FAIL $T: PGHOST/PGPORT/PGUSER are not set; run through make test" >>"$RESULTS"
	DIALECTS=sqlite
else
	DIALECTS="sqlite postgres"
fi

n=0
# newdb: a fresh empty database of dialect $D in DB (a URL).
newdb() {
	n=$((n + 1))
	case $D in
	sqlite)
		DBFILE="$TMP/db$n.sqlite"
		DB="sqlite:$DBFILE"
		;;
	postgres)
		DBNAME="ss_mig_$$_$n"
		psql -X -q -d postgres -c "CREATE DATABASE $DBNAME" >/dev/null 2>&1 ||
			echo "FAIL $T: cannot create database $DBNAME" >>"$RESULTS"
		DB="postgresql:///$DBNAME?host=$PGHOST&port=$PGPORT&user=$PGUSER"
		;;
	esac
}
# q SQL: runs SQL in the database, rows as a|b.
q() {
	case $D in
	sqlite) sqlite3 -bail "$DBFILE" "$1" 2>&1 ;;
	postgres) psql -X -qAt -v ON_ERROR_STOP=1 -d "$DBNAME" -c "$1" 2>&1 ;;
	esac
}
q_is() {
	got=$(q "$1")
	[ "$got" = "$2" ] && return 0
	printf 'sql: %s\nwant: %s\ngot:  %s\n' "$1" "$2" "$got" >"$TMP/.got"
	return 1
}
# A fresh project folder for each scenario.
project() {
	cd "$TMP" || exit 1
	rm -rf proj
	mkdir -p proj/schemas
	cd proj || exit 1
}
s() { cat >schemas/app.yaml; }
sm() { ss --db "$DB" "$@"; }

for D in $DIALECTS; do
T0=$T
T="$T0 [$D]"

# 1. The journal table is schemasync's own: diff, pull and -v leave it out.
project
newdb
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
sm push
q "CREATE TABLE schemasync_migrations (name text PRIMARY KEY, checksum text NOT NULL, applied_at text NOT NULL, duration_ms integer NOT NULL)" >/dev/null
sm -v diff --exit-code
check "diff: the journal table is no change" rc_is 0
check "diff -v: the journal table is not named" out_lacks "schemasync_migrations"
sm -v pull --out pulled
check "pull: nor left alone" both rc_is 0 out_lacks "schemasync_migrations"
check "pull: the journal table is not written" eval '! grep -q schemasync_migrations pulled/schema.yaml'
sm push
check "push: the journal table stays" q_is "SELECT count(*) FROM schemasync_migrations" "0"

T=$T0
done
