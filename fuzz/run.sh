#!/bin/sh
# run.sh SECONDS BUILD TARGET...: runs each libFuzzer target for SECONDS,
# seeded from fuzz/seeds/TARGET, schemas/ and tests/fixtures/ (and, for
# sqlparse, tests/golden/). The corpus grows in BUILD/corpus/TARGET and
# is kept between runs; a crash is written to BUILD/crash/TARGET-* and
# makes the run fail. Run from the top of the tree.
set -u
secs=$1 build=$2
shift 2
status=0
for t in "$@"; do
	corpus=$build/corpus/$t
	mkdir -p "$corpus" "$build/crash"
	seeds="fuzz/seeds/$t schemas tests/fixtures"
	[ "$t" = sqlparse ] && seeds="$seeds tests/golden"
	dict=
	[ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
	echo "  FUZZ    $t for ${secs}s"
	# shellcheck disable=SC2086
	if ! "$build/fuzz-$t" -max_total_time="$secs" -timeout=20 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$build/crash/$t-" $dict "$corpus" $seeds \
	    >"$build/$t.log" 2>&1; then
		echo "FAIL fuzz $t: see $build/$t.log and $build/crash/" >&2
		tail -40 "$build/$t.log" >&2
		status=1
	else
		grep -E '^stat::(number_of_executed_units|new_units_added)' \
		    "$build/$t.log" | sed 's/^/          /'
	fi
done
exit $status
