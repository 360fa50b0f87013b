#!/bin/sh
# Runs every tests/cli/t-*.sh against the binary in $SCHEMASYNC, each in a
# fresh temporary folder, and prints one line per failure and the total:
# "cli: N passed, N failed". Exits 1 if anything failed or nothing ran.
set -u
: "${SCHEMASYNC:?set SCHEMASYNC to the binary under test}"
here=$(cd "$(dirname "$0")" && pwd)
results=$(mktemp)
trap 'rm -f "$results"' EXIT
export SCHEMASYNC RESULTS="$results" CLI_LIB="$here/lib.sh" REPO="$(cd "$here/../.." && pwd)"
for t in "$here"/t-*.sh; do
	T=$(basename "$t" .sh) sh "$t" </dev/null
	status=$?
	if [ "$status" -ne 0 ]; then
		echo "FAIL $(basename "$t" .sh): script exited $status" >>"$results"
	fi
done
grep '^FAIL' "$results"
pass=$(grep -c '^PASS' "$results")
fail=$(grep -c '^FAIL' "$results")
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
