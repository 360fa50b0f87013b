# watch's memory stays flat over many saves. A watcher on a 100-table
# schema (bench/gen-schema.sh), pushed before it starts so that its
# first run reads, diffs and keeps a whole model as every later run
# does, gets SAVES (default 200) saves of one file, each adding or
# removing a column, each waited for (its `applied` event): the count
# of saves never depends on time. The peak resident memory (VmHWM in
# /proc/PID/status, which no reading can miss) after the last save may
# exceed the one after the first run by at most 6 MB (one more model
# and plan in flight than a no-op run holds: about 3.5 MB), and the
# one after save 20 by at most 2 MB. The watcher used to run its jobs
# on any of libuv's four pool threads, each with a malloc arena of its
# own, and grew by ~10 MB over the first saves (13 -> 23 MB). On
# SQLite and, with the throwaway server of make test, on PostgreSQL.
. "$CLI_LIB"

. "$(dirname "$CLI_LIB")/watch-lib.sh"

# A sanitized binary (make SANITIZE=...) holds freed memory in its
# quarantine on purpose: the saves run and are checked for reports,
# fewer of them, and memory is not measured.
SANITIZED=false
ldd "$SCHEMASYNC" 2>/dev/null | grep -qE 'lib(a|ub|t)san' && SANITIZED=true
if $SANITIZED; then SAVES=${SAVES:-40}; else SAVES=${SAVES:-200}; fi

# kib FIELD: FIELD (VmRSS, VmHWM) of the watcher, in KiB.
kib() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$W/status"; }
applied() { grep -c '"event":"applied"' "$TMP/.out"; }
applied_at_least() { [ "$(applied)" -ge "$1" ]; }

# scenario LABEL URL: push, then watch SAVES saves on URL.
scenario() {
	L=$1
	rm -rf schemas
	sh "$REPO/bench/gen-schema.sh" 100 schemas >/dev/null
	f=schemas/tables-0001.yaml
	cp "$f" A.yaml
	awk '!d && /^      notes: text$/ { print; print "      mem_extra: text"; d = 1; next } { print }' \
	    A.yaml >B.yaml
	ss --db "$2" push
	check "$L: the first push applies" rc_is 0
	WATCH_URL=$2
	start
	check "$L: the first run finds nothing to do" out_has '"changes":[],"applied":false'
	hwm0=$(kib VmHWM)
	i=1
	ok=true
	while [ $i -le "$SAVES" ]; do
		if [ $((i % 2)) -eq 1 ]; then cp B.yaml schemas/.m.tmp; else cp A.yaml schemas/.m.tmp; fi
		mv schemas/.m.tmp "$f"
		until_ok 60 applied_at_least $i || { ok=false; break; }
		[ $i -ne 20 ] || hwm20=$(kib VmHWM)
		i=$((i + 1))
	done
	check "$L: every save applied ($SAVES)" $ok
	hwm=$(kib VmHWM)
	rss=$(kib VmRSS)
	if ! $SANITIZED; then
		echo "VmHWM after the first run $hwm0 KiB, after save 20 ${hwm20:-?}, after save $SAVES $hwm (VmRSS $rss)" >"$TMP/.got"
		check "$L: peak memory after $SAVES saves within 6 MB of the first run's" \
		    test $((hwm - hwm0)) -lt 6144
		echo "VmHWM after save 20 ${hwm20:-?} KiB, after save $SAVES $hwm" >"$TMP/.got"
		check "$L: peak memory after $SAVES saves within 2 MB of save 20's" \
		    test $((hwm - ${hwm20:-0})) -lt 2048
	fi
	stop
	check "$L: SIGTERM exits 0" rc_is 0
	check "$L: no sanitizer reports" no_sanitizer_reports
	WATCH_URL=
}

DB=$TMP/w.db
scenario sqlite "sqlite:$DB"

if [ -z "${PGHOST:-}" ] || [ -z "${PGPORT:-}" ] || [ -z "${PGUSER:-}" ]; then
	echo "FAIL $T: PGHOST/PGPORT/PGUSER are not set; run through make test" >>"$RESULTS"
	exit 0
fi
use_pg
newdb
scenario postgres "$WATCH_URL"
