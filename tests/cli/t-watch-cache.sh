# watch keeps the database's model between runs and introspects only
# when the dialect's fingerprint (SQLite's schema cookie, PostgreSQL's
# catalog row versions) changed. A schema change made by another
# connection between two saves must always be seen: after a run that
# applied something (the model is read again after it), and after a run
# that applied nothing (the model it used is kept). On SQLite and, with
# the throwaway server of make test, on PostgreSQL.
. "$CLI_LIB"

. "$(dirname "$CLI_LIB")/watch-lib.sh"

# runs_after N: a run has reported since there were N.
runs_after() { until_ok 60 runs_at_least $(($1 + 1)); }

# scenario LABEL: one watcher on $WATCH_URL (or the SQLite file $DB);
# `other SQL` is another connection.
scenario() {
	L=$1
	rm -rf schemas
	mkdir schemas
	write_table schemas/app.yaml users "email: text"
	start
	check "$L: the first push creates the table" wait_cols users "id,email"

	# A run that applies something; then another connection adds a
	# column the files do not have; then a save that does not touch
	# users. The run must see the column (and plan to drop it).
	settle
	other "ALTER TABLE users ADD COLUMN sneaky text"
	n=$(lines)
	settle
	check "$L: a change by another connection after an applied run is seen" \
	    sh -c "tail -n +$((n + 1)) '$TMP/.out' | grep -q sneaky"

	# Runs that apply nothing: the same files saved again (a comment
	# added). Then another change by another connection, then such a
	# save again: seen.
	r=$(runs)
	{ echo "# saved again"; cat schemas/app.yaml; } >schemas/.tmp && mv schemas/.tmp schemas/app.yaml
	runs_after "$r"
	r=$(runs)
	{ echo "# and again"; cat schemas/app.yaml; } >schemas/.tmp && mv schemas/.tmp schemas/app.yaml
	runs_after "$r"
	other "ALTER TABLE users ADD COLUMN sneaky2 text"
	n=$(lines)
	r=$(runs)
	{ echo "# once more"; cat schemas/app.yaml; } >schemas/.tmp && mv schemas/.tmp schemas/app.yaml
	runs_after "$r"
	check "$L: a change by another connection after a run that applied nothing is seen" \
	    sh -c "tail -n +$((n + 1)) '$TMP/.out' | grep -q sneaky2"

	# A table made by another connection: the files do not have it,
	# so the next run plans to drop it. (A save of the same files: a
	# new table would make the drop a rename candidate.)
	other "CREATE TABLE intruder (id integer PRIMARY KEY)"
	n=$(lines)
	r=$(runs)
	{ echo "# last"; cat schemas/app.yaml; } >schemas/.tmp && mv schemas/.tmp schemas/app.yaml
	runs_after "$r"
	check "$L: a table made by another connection is seen" \
	    sh -c "tail -n +$((n + 1)) '$TMP/.out' | grep -q intruder"
	stop
	check "$L: SIGTERM exits 0" rc_is 0
	check "$L: JSON events, one valid object a line" json_valid
	check "$L: no sanitizer reports" no_sanitizer_reports
}

need_sqlite3
other() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }
scenario "sqlite"

if [ -z "${PGHOST:-}" ] || [ -z "${PGPORT:-}" ] || [ -z "${PGUSER:-}" ]; then
	echo "FAIL $T: PGHOST/PGPORT/PGUSER are not set; run through make test" >>"$RESULTS"
	exit 0
fi
use_pg
newdb
other() { psql -X -q -v ON_ERROR_STOP=1 -d "$DBNAME" -c "$1" >/dev/null; }
SETTLE_N=0
scenario "postgres"
