#!/bin/sh
# Runs every tests/cli/t-*.sh against the binary in $SCHEMASYNC, each in a
# fresh temporary folder, and prints a line per script (checks, seconds),
# one line per failure and the total:
# "cli: N passed, N failed". Exits 1 if anything failed or nothing ran.
set -u
: "${SCHEMASYNC:?set SCHEMASYNC to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
results=$(mktemp)
trap 'rm -f "$results"' EXIT
export SCHEMASYNC RESULTS="$results" CLI_LIB="$here/lib.sh" REPO="$(cd "$here/../.." && pwd)"
# Every SQLite introspection also reads the pragmas and fails on any
# difference from what the CREATE texts say (src/sqlite/introspect.c).
export SCHEMASYNC_VERIFY_INTROSPECT=1
# A script that runs longer than CLI_TIMEOUT seconds (default 600) is
# killed with everything it started, and counts as a failure: a hang
# must fail the run, never stall it.
limit=${CLI_TIMEOUT:-600}
# CLI_ONLY="t-watch t-cases" runs only the scripts named (development).
for t in "$here"/t-*.sh; do
	name=$(basename "$t" .sh)
	case " ${CLI_ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac
	before=$(grep -c '^PASS\|^FAIL' "$results")
	start=$(date +%s)
	T=$name timeout -k 10 "$limit" sh "$t" </dev/null
	status=$?
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		echo "FAIL $name: timed out after $limit s (killed)" >>"$results"
	elif [ "$status" -ne 0 ]; then
		echo "FAIL $name: script exited $status" >>"$results"
	fi
	printf '  CLI     %-22s %4d checks %4d s\n' "$name" \
	    $(($(grep -c '^PASS\|^FAIL' "$results") - before)) $(($(date +%s) - start))
done
grep '^FAIL' "$results"
pass=$(grep -c '^PASS' "$results")
fail=$(grep -c '^FAIL' "$results")
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
