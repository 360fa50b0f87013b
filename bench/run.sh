#!/bin/sh
# bench/run.sh BINARY: the figures measured against the performance goals.
#
#   make bench                    (builds with -O2, then runs this)
#   RUNS=9 make bench             (more runs a figure; default 5)
#   sh bench/run.sh ./schemasync  (any binary, as it is)
#
# Every figure is the wall-clock time of the whole process (exec, load,
# database work, output, exit), the median of RUNS timed runs after one
# untimed warm-up run. The time the timer itself takes (two `date`
# processes) is measured at the start and subtracted. Anything a run
# needs that is not the run -- a fresh copy of a database file, a
# generated schema -- is done outside the timed part.
#
# Nothing here passes or fails: the goals are printed next to the
# figures as ratios (measured / goal). But the bench never measures
# something that went wrong: a run that exits non-zero, or does not say
# what it was expected to do (a no-op push that changes something), stops
# the bench with a message and exit 1.
#
# POSIX sh, awk and GNU date (`date +%s%N`) only, so that it runs on a
# fresh Debian machine. bench/README.md explains the figures.
set -u

die() {
	echo "bench: $*" >&2
	exit 1
}

[ $# -eq 1 ] || { echo "usage: sh bench/run.sh BINARY" >&2; exit 2; }
case $1 in
/*) bin=$1 ;;
*) bin=$(pwd)/$1 ;;
esac
[ -x "$bin" ] || die "$1: no such executable (run make first)"
here=$(cd "$(dirname "$0")" && pwd)

RUNS=${RUNS:-5}
case $RUNS in
'' | *[!0-9]*) die "RUNS=$RUNS: give a whole number of runs" ;;
esac
[ "$RUNS" -ge 1 ] || die "RUNS=$RUNS: give at least one run"
[ "$RUNS" -ge 5 ] ||
    echo "bench: RUNS=$RUNS: fewer than 5 runs; on a shared machine these medians are noise" >&2

case $(date +%s%N) in
*[!0-9]*) die "date +%s%N does not print nanoseconds: GNU date is needed (Debian: coreutils)" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/ss-bench.XXXXXX") || die "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# Measuring.

# stats FILE: the median of the numbers in FILE (one a line), and the
# smallest and largest, as "MEDIAN MIN MAX".
stats() {
	sort -n "$1" | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0)
				exit 1
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.0f %.0f %.0f\n", m, v[1], v[NR]
		}'
}

# run_once LABEL OUT CMD...: runs CMD once, stdout to OUT and stderr to
# OUT.err, and sets $ns to the time it took in nanoseconds, timer cost
# subtracted. A non-zero exit stops the bench.
run_once() {
	label=$1 out=$2
	shift 2
	t0=$(date +%s%N)
	if "$@" >"$out" 2>"$out.err"; then
		st=0
	else
		st=$?
	fi
	t1=$(date +%s%N)
	if [ "$st" -ne 0 ]; then
		echo "bench: $label: exit status $st from: $*" >&2
		tail -n 20 "$out" "$out.err" >&2
		exit 1
	fi
	ns=$((t1 - t0 - timer_ns))
}

# expect LABEL OUT EXTENDED-REGEX: stops the bench unless OUT has a line
# that matches: the run did what the figure says it measures.
expect() {
	if ! grep -Eq "$3" "$2"; then
		echo "bench: $1: expected a line matching /$3/; the run printed:" >&2
		tail -n 20 "$2" "$2.err" >&2
		exit 1
	fi
}

# measure LABEL PREPARE EXPECT CMD...: one untimed warm-up run, then RUNS
# timed runs of CMD. PREPARE (a shell command, or :) runs untimed before
# each run; EXPECT is checked on every run's output. Sets $med, $min and
# $max, in nanoseconds.
measure() {
	label=$1 prepare=$2 pattern=$3
	shift 3
	samples=$work/samples
	: >"$samples"
	i=0
	while [ "$i" -le "$RUNS" ]; do
		eval "$prepare" || die "$label: preparing a run failed: $prepare"
		run_once "$label" "$work/out" "$@"
		[ -z "$pattern" ] || expect "$label" "$work/out" "$pattern"
		[ "$i" -gt 0 ] && echo "$ns" >>"$samples"	# 0 is the warm-up
		i=$((i + 1))
	done
	set -- $(stats "$samples")
	med=$1 min=$2 max=$3
}

# ms NS [DIGITS]: nanoseconds as milliseconds.
ms() {
	awk -v ns="$1" -v d="${2:-1}" 'BEGIN { printf "%.*f", d, ns / 1e6 }'
}

# ratio A B: A / B to one decimal, or "-" when there is no B.
ratio() {
	if [ -z "$2" ] || [ "$2" = 0 ]; then
		printf -- -
	else
		awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'
	fi
}

# calibrate: the cost of the timer itself (the time between two `date`
# processes with nothing run between them), as $timer_ns; and what an
# empty process costs (/bin/true), printed so that the smallest figures
# can be read against it.
calibrate() {
	timer_ns=0
	: >"$work/samples"
	i=0
	while [ "$i" -lt $((RUNS * 4)) ]; do
		t0=$(date +%s%N)
		t1=$(date +%s%N)
		echo $((t1 - t0)) >>"$work/samples"
		i=$((i + 1))
	done
	set -- $(stats "$work/samples")
	timer_ns=$1
	measure "empty process" : '' /bin/true
	true_ns=$med
}

# gen N: generated schema of N tables in $work/sN (once).
gen() {
	[ -d "$work/s$1" ] && return 0
	sh "$here/gen-schema.sh" "$1" "$work/s$1" ||
	    die "bench/gen-schema.sh $1 failed"
}

# add_column_dir N: $work/sN-add, a copy of $work/sN with one nullable
# column more in one table.
add_column_dir() {
	n=$1
	dst=$work/s$n-add
	[ -d "$dst" ] && return 0
	mkdir -p "$dst"
	cp "$work/s$n"/*.yaml "$dst"/ || die "cannot copy $work/s$n"
	# A nullable column added to the middle table, which is in one file.
	t=$((n / 2 + 1))
	f=$(grep -l "^  [a-z]*_$t:\$" "$dst"/tables-*.yaml) ||
	    die "gen-schema.sh $n has no table number $t"
	awk -v t="$t" '
		$0 ~ "^  [a-z]*_" t ":$" { intable = 1 }
		{ print }
		intable && /^    columns:$/ {
			print "      bench_added: text"
			intable = 0
		}' "$f" >"$f.new" && mv "$f.new" "$f" ||
	    die "cannot add a column to $f"
	grep -q '^      bench_added: text$' "$f" ||
	    die "the added column is not in $f"
}

row() {
	printf '  %-22s %7s %10s %9s %9s %11s %8s\n' "$@"
}

header() {
	row "$1" tables "median ms" "min ms" "max ms" "$2" "x prev"
	row ---------------------- ------- ---------- --------- --------- \
	    ----------- --------
}

# measure_pair LABEL PREPARE EXPECT FLOOR CMD...: CMD and its floor,
# interleaved so that both see the same machine: RUNS+1 rounds (the
# first a warm-up), each running PREPARE then CMD, then PREPARE then
# FLOOR (a shell command, eval'd; it must exit 0 and print something).
# Sets $med $min $max for CMD, $fmed for FLOOR (nanoseconds), and $rmed,
# the median of the per-round ratios CMD / FLOOR (x1000, an integer):
# a round's two runs are seconds apart, so the ratio moves less with
# the load than either figure.
measure_pair() {
	label=$1 prepare=$2 pattern=$3 floor=$4
	shift 4
	: >"$work/samples"
	: >"$work/fsamples"
	: >"$work/rsamples"
	i=0
	while [ "$i" -le "$RUNS" ]; do
		eval "$prepare" || die "$label: preparing a run failed: $prepare"
		run_once "$label" "$work/out" "$@"
		[ -z "$pattern" ] || expect "$label" "$work/out" "$pattern"
		a=$ns
		eval "$prepare" || die "$label: preparing a run failed: $prepare"
		run_once "$label (floor)" "$work/fout" sh -c "$floor"
		[ -s "$work/fout" ] || { cat "$work/fout.err" >&2; die "$label: the floor printed nothing: $floor"; }
		if [ "$i" -gt 0 ]; then
			echo "$a" >>"$work/samples"
			echo "$ns" >>"$work/fsamples"
			awk -v a="$a" -v b="$ns" 'BEGIN { printf "%.0f\n", (b > 0 ? a * 1000 / b : 0) }' >>"$work/rsamples"
		fi
		i=$((i + 1))
	done
	set -- $(stats "$work/samples")
	med=$1 min=$2 max=$3
	set -- $(stats "$work/fsamples")
	fmed=$1
	set -- $(stats "$work/rsamples")
	rmed=$1
}

# peak KIB-VAR CMD...: the median peak resident memory (KiB) of three
# runs of CMD (output discarded), into the variable named KIB-VAR.
peak() {
	var=$1
	shift
	: >"$work/peaks"
	for i in 1 2 3; do
		"$peak_rss" "$work/peak" "$@" >/dev/null 2>&1 || die "peak memory: exit status $? from: $*"
		cat "$work/peak" >>"$work/peaks"
	done
	set -- $(stats "$work/peaks")
	eval "$var=\$1"
}

# goal_row GOAL MEASURED FLOOR RATIO TARGET: a line of the goals table;
# RATIO and TARGET are plain numbers, "met" when RATIO <= TARGET.
goal_row() {
	met=$(awk -v r="$4" -v t="$5" 'BEGIN { print (r <= t ? "met" : "NOT met") }')
	printf '  %-40s %12s %12s %7s %7s  %s\n' "$1" "$2" "$3" "$4" "<= $5" "$met"
	goals="$goals$(printf '  %-40s %12s %12s %7s %7s  %s' "$1" "$2" "$3" "$4" "<= $5" "$met")
"
}

goal_header() {
	printf '  %-40s %12s %12s %7s %7s  %s\n' "goal" "measured" "floor" "ratio" "goal" ""
	printf '  %-40s %12s %12s %7s %7s  %s\n' ---------------------------------------- \
	    ------------ ------------ ------- ------- ------
}

# Block 0: the goals, each measured against its floor in this run.
#
# SQLite no-op push (whole process) against `sqlite3 DB .schema` on the
# same file: what SQLite takes to open the file, read and parse the whole
# schema and print it. Interleaved runs (measure_pair), ratio = median of
# the rounds' ratios. Peak resident memory of the same push (getrusage
# of the child). Growth: the no-op median at 1,000 tables over the one
# at 100.
goals=""
bench_goals_sqlite() {
	echo
	echo "0a. Goals, SQLite: no-op push (whole process) against 'sqlite3 DB .schema'"
	shell=$(command -v sqlite3 || :)
	[ -n "$shell" ] || { echo "   not measured: no sqlite3 shell (Debian: apt-get install sqlite3)"; return; }
	header "" "floor ms"
	for n in 10 100 1000; do
		gen "$n"
		db=$work/g$n.db
		if [ ! -f "$db" ]; then
			"$bin" --db "sqlite:$db" --schema "$work/s$n" push >"$work/out" 2>&1 ||
			    { cat "$work/out" >&2; die "first push of $n tables failed"; }
		fi
		measure_pair "no-op push against .schema, $n tables" \
		    'cp "$db" "$work/run.db"' '^in sync: nothing to do' \
		    "\"$shell\" \"$work/run.db\" .schema" \
		    "$bin" --db "sqlite:$work/run.db" --schema "$work/s$n" push
		row "no-op push" "$n" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" \
		    "$(ms "$fmed")" "$(ratio "$med" "${gprev:-}")"
		gprev=$med
		eval "gsq_med$n=\$med gsq_floor$n=\$fmed gsq_ratio$n=\$rmed"
	done
	gprev=""
	cp "$work/g1000.db" "$work/run.db"
	peak gsq_rss "$bin" --db "sqlite:$work/run.db" --schema "$work/s1000" push
	peak gsq_shell_rss "$shell" "$work/run.db" .schema
	goal_header
	for n in 100 1000; do
		eval "m=\$gsq_med$n f=\$gsq_floor$n r=\$gsq_ratio$n"
		goal_row "SQLite no-op push, $(echo "$n" | sed 's/000$/,000/') tables" "$(ms "$m") ms" "$(ms "$f") ms" \
		    "$(awk -v r="$r" 'BEGIN { printf "%.2f", r / 1000 }')" 2
	done
	goal_row "SQLite no-op push, 1,000: peak RSS" "$((gsq_rss / 1024)).$(((gsq_rss % 1024) * 10 / 1024)) MB" \
	    "$((gsq_shell_rss / 1024)).$(((gsq_shell_rss % 1024) * 10 / 1024)) MB" \
	    "$(awk -v k="$gsq_rss" 'BEGIN { printf "%.2f", k / 10240 }')" 1
	goal_row "SQLite no-op growth, 100 -> 1,000" "x$(ratio "$gsq_med1000" "$gsq_med100")" \
	    "x$(ratio "$gsq_floor1000" "$gsq_floor100")" \
	    "$(awk -v a="$gsq_med1000" -v b="$gsq_med100" 'BEGIN { printf "%.2f", a / b / 10 }')" 1
	echo "   (peak RSS: the ratio is to the 10 MB goal, the floor column is the sqlite3 shell's;"
	echo "    growth: the ratio is the factor per 10x tables over 10, 1 or less is linear)"
}

# The PostgreSQL floor: one psql process running one catalog query that
# reads every column of the managed schema with its type and default.
pg_floor_sql="SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
    pg_get_expr(d.adbin, d.adrelid), a.attnotnull
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace s ON s.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p')
    AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY c.relname, a.attnum"

bench_goals_pg() {
	echo
	echo "0b. Goals, PostgreSQL: no-op push (whole process) against one psql catalog query"
	if [ -z "${PGHOST:-}" ] || ! command -v psql >/dev/null 2>&1; then
		echo "   not measured: no server (make bench runs this inside"
		echo "   tests/pg/with-server.sh, which sets PGHOST)"
		return
	fi
	pgurl() { echo "postgresql:///$1?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}"; }
	printf '%s\n' "$pg_floor_sql" >"$work/floor.sql"
	header "" "floor ms"
	for n in 10 100 1000; do
		gen "$n"
		psql -q -X -d postgres -c "DROP DATABASE IF EXISTS ss_goal_$n" \
		    -c "CREATE DATABASE ss_goal_$n" >/dev/null 2>&1 || die "cannot create ss_goal_$n"
		"$bin" --db "$(pgurl ss_goal_$n)" --schema "$work/s$n" push >"$work/out" 2>&1 ||
		    { cat "$work/out" >&2; die "PostgreSQL first push of $n tables failed"; }
		measure_pair "PostgreSQL no-op push against psql, $n tables" : \
		    '^in sync: nothing to do' \
		    "psql -X -q -A -t -d ss_goal_$n -f \"$work/floor.sql\"" \
		    "$bin" --db "$(pgurl ss_goal_$n)" --schema "$work/s$n" push
		row "no-op push" "$n" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" \
		    "$(ms "$fmed")" "$(ratio "$med" "${gprev:-}")"
		gprev=$med
		eval "gpg_med$n=\$med gpg_floor$n=\$fmed gpg_ratio$n=\$rmed"
	done
	gprev=""
	peak gpg_rss "$bin" --db "$(pgurl ss_goal_1000)" --schema "$work/s1000" push
	peak gpg_psql_rss psql -X -q -A -t -d ss_goal_1000 -f "$work/floor.sql"
	for n in 10 100 1000; do
		psql -q -X -d postgres -c "DROP DATABASE IF EXISTS ss_goal_$n" >/dev/null 2>&1 || :
	done
	goal_header
	goal_row "PostgreSQL no-op push, 1,000 tables" "$(ms "$gpg_med1000") ms" "$(ms "$gpg_floor1000") ms" \
	    "$(awk -v r="$gpg_ratio1000" 'BEGIN { printf "%.2f", r / 1000 }')" 1.5
	goal_row "PostgreSQL no-op push, 1,000: peak RSS" "$((gpg_rss / 1024)).$(((gpg_rss % 1024) * 10 / 1024)) MB" \
	    "$((gpg_psql_rss / 1024)).$(((gpg_psql_rss % 1024) * 10 / 1024)) MB" \
	    "$(awk -v k="$gpg_rss" 'BEGIN { printf "%.2f", k / 10240 }')" 1
	goal_row "PostgreSQL no-op growth, 100 -> 1,000" "x$(ratio "$gpg_med1000" "$gpg_med100")" \
	    "x$(ratio "$gpg_floor1000" "$gpg_floor100")" \
	    "$(awk -v a="$gpg_med1000" -v b="$gpg_med100" 'BEGIN { printf "%.2f", a / b / 10 }')" 1
	echo "   (peak RSS: the ratio is to the 10 MB goal, the floor column is psql's running the floor query)"
}

# The goals table again, with the watch figures, at the end of the run.
bench_goals_summary() {
	echo
	echo "Goals (this run; ratio = measured / floor, or / the goal where there is no floor)"
	goal_header
	printf '%s' "$goals"
	[ -z "${wsq_p50:-}" ] || goal_row2 "watch save -> visible, SQLite, p50" "$wsq_p50" 25
	[ -z "${wsq_floor:-}" ] || echo "  (SQLite's floor for that: $wsq_floor ms, the debounce and SQLite alone adding and dropping the column; ratio $(ratio "$wsq_p50" "$wsq_floor"))"
	[ -z "${wpg_p50:-}" ] || goal_row2 "watch save -> visible, PostgreSQL, p50" "$wpg_p50" 35
}

# goal_row2 GOAL MS GOAL-MS: a goal with no floor, only a target.
goal_row2() {
	goal_row "$1" "$2 ms" "-" "$(awk -v m="$2" -v g="$3" 'BEGIN { printf "%.2f", m / g }')" 1
}

# Block 1: loading.
bench_load() {
	echo
	echo "1. Loading: schemasync check --schema DIR"
	echo "   goal: 10,000 tables well under a second"
	header "" "us/table"
	prev=""
	for n in 1000 10000; do
		gen "$n"
		measure "check, $n tables" : "^ok: .* $n tables" \
		    "$bin" check --schema "$work/s$n"
		row "check" "$n" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" \
		    "$(awk -v ns="$med" -v n="$n" 'BEGIN { printf "%.1f", ns / n / 1e3 }')" \
		    "$(ratio "$med" "$prev")"
		prev=$med
	done
	load10k=$med
	echo "   10,000 tables: $(ms "$load10k" 0) ms = $(ratio "$load10k" 1000000000) of a second"
}

# Block 2: pushing into SQLite. Databases are files in $work;
# the copies that give each run a fresh database are not timed.
#
# Below the three scenarios come rows that are not pushes, to read them
# by: loading the same files alone (check), and -- when the sqlite3
# shell is installed -- what SQLite itself takes for the same work: the
# same CREATE statements in one transaction (the floor of a first push),
# and opening the pushed database and reading its schema (which every
# push does before it can introspect).
bench_sqlite() {
	echo
	echo "2. SQLite push, whole process"
	echo "   goals at 1,000 tables: first push under 300 ms, no-op push under"
	echo "   30 ms, cost growing linearly (x prev: 10 means linear; sizes grow 10x)"
	header "" "ms/table"
	shell=$(command -v sqlite3 || :)
	for what in first noop add load ddl open; do
		case $what in
		load) echo "  -- for comparison: not a push" ;;
		ddl | open) [ -n "$shell" ] || continue ;;
		esac
		prev=""
		for n in 10 100 1000; do
			gen "$n"
			db=$work/s$n.db
			url=sqlite:$work/run.db
			case $what in
			first)
				name="first push"
				measure "first push, $n tables" \
				    'rm -f "$work/run.db" "$work/run.db-journal"' \
				    '^applied [0-9]+ changes' \
				    "$bin" --db "$url" --schema "$work/s$n" push
				# The database the other runs start from.
				cp "$work/run.db" "$db" || die "cannot copy $work/run.db"
				;;
			noop)
				name="no-op push"
				measure "no-op push, $n tables" \
				    'cp "$db" "$work/run.db"' \
				    '^in sync: nothing to do' \
				    "$bin" --db "$url" --schema "$work/s$n" push
				;;
			add)
				name="add one column"
				add_column_dir "$n"
				measure "add a column, $n tables" \
				    'cp "$db" "$work/run.db"' \
				    '^applied 1 change ' \
				    "$bin" --db "$url" --schema "$work/s$n-add" push
				;;
			load)
				name="load only (check)"
				measure "check, $n tables" : "^ok: .* $n tables" \
				    "$bin" check --schema "$work/s$n"
				;;
			ddl)
				name="sqlite3 shell: DDL"
				ddl_script "$n"
				measure "sqlite3 shell, the DDL of $n tables" \
				    'rm -f "$work/run.db" "$work/run.db-journal"' '' \
				    "$shell" -bail "$work/run.db" ".read $work/s$n.sql"
				;;
			open)
				name="sqlite3 shell: open"
				measure "sqlite3 shell, reading the schema of $n tables" \
				    'cp "$db" "$work/run.db"' '^[0-9]+$' \
				    "$shell" "$work/run.db" "SELECT count(*) FROM sqlite_schema"
				;;
			esac
			row "$name" "$n" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" \
			    "$(awk -v ns="$med" -v n="$n" 'BEGIN { printf "%.3f", ns / n / 1e6 }')" \
			    "$(ratio "$med" "$prev")"
			prev=$med
			[ "$n" -ne 1000 ] || eval "${what}1000=\$med"
		done
	done
	[ -n "$shell" ] || echo "   (no sqlite3 shell: the rows of what SQLite itself takes are left out; Debian: apt-get install sqlite3)"
	echo "   first push, 1,000 tables: $(ms "$first1000" 0) ms = $(ratio "$first1000" 300000000) x the goal (300 ms)"
	[ -z "$shell" ] ||
	    echo "     the same CREATE statements in the sqlite3 shell: $(ms "$ddl1000" 0) ms (push / shell = $(ratio "$first1000" "$ddl1000"))"
	echo "   no-op push, 1,000 tables: $(ms "$noop1000" 0) ms = $(ratio "$noop1000" 30000000) x the goal (30 ms)"
	if [ -n "$shell" ]; then
		echo "     loading the files alone: $(ms "$load1000" 0) ms; SQLite opening the schema alone: $(ms "$open1000" 0) ms"
	else
		echo "     loading the files alone: $(ms "$load1000" 0) ms"
	fi
}

# ddl_script N: $work/sN.sql, the CREATE statements of the database the
# first push of N tables made ($work/sN.db), in the order they ran, in
# one transaction as push runs them.
ddl_script() {
	[ -f "$work/s$1.sql" ] && return 0
	{
		echo "BEGIN IMMEDIATE;"
		"$shell" "$work/s$1.db" "SELECT sql || ';' FROM sqlite_schema
		    WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite%' ORDER BY rowid" ||
		    die "cannot read the schema of $work/s$1.db"
		echo "COMMIT;"
	} >"$work/s$1.sql"
}

# Block 3: PostgreSQL -- NOT MEASURED YET.
#
# This is where the PostgreSQL figures go once the PostgreSQL dialect
# lands (ss_dialect_for() in src/dialect.c returns NULL for postgres://
# until then). The plan: the same three scenarios as bench_sqlite, at
# 10, 100 and 1,000 tables, run under tests/pg/with-server.sh (a
# throwaway server; it exports SS_TEST_PG, a libpq connection string),
# e.g. from `make bench` as
#
#   sh tests/pg/with-server.sh sh bench/run.sh ./schemasync
#
# with a fresh database per run made outside the timed part -- DROP
# DATABASE / CREATE DATABASE bench for a first push, and CREATE DATABASE
# run TEMPLATE pushed for the no-op and one-column runs, the counterpart
# of `cp` on SQLite. Until the dialect is there this prints why there is
# nothing, and never a made-up figure.
bench_postgres() {
	echo
	echo "3. PostgreSQL push, whole process"
	if [ -z "${PGHOST:-}" ] || ! command -v psql >/dev/null 2>&1; then
		echo "   not measured: no server (make bench runs this inside"
		echo "   tests/pg/with-server.sh, which sets PGHOST)"
		return
	fi
	echo "   goal at 1,000 tables: no-op push under 100 ms"
	header "" "ms/table"
	pg() { psql -q -X -v ON_ERROR_STOP=1 -d postgres -c "$1" >/dev/null 2>&1 ||
	    die "psql: $1"; }
	url() { echo "postgresql:///$1?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}"; }
	for what in first noop add; do
		prev=""
		for n in 10 100 1000; do
			gen "$n"
			case $what in
			first)
				name="first push"
				measure "PostgreSQL first push, $n tables" \
				    "psql -q -X -d postgres -c 'DROP DATABASE IF EXISTS ss_bench_run' -c 'CREATE DATABASE ss_bench_run' >/dev/null" \
				    '^applied [0-9]+ changes' \
				    "$bin" --db "$(url ss_bench_run)" --schema "$work/s$n" push
				# The database the other runs start from.
				pg "DROP DATABASE IF EXISTS ss_bench_$n"
				pg "CREATE DATABASE ss_bench_$n TEMPLATE ss_bench_run"
				;;
			noop)
				name="no-op push"
				measure "PostgreSQL no-op push, $n tables" : \
				    '^in sync: nothing to do' \
				    "$bin" --db "$(url ss_bench_$n)" --schema "$work/s$n" push
				;;
			add)
				name="add one column"
				add_column_dir "$n"
				measure "PostgreSQL add a column, $n tables" \
				    "psql -q -X -d postgres -c 'DROP DATABASE IF EXISTS ss_bench_run' -c 'CREATE DATABASE ss_bench_run TEMPLATE ss_bench_$n' >/dev/null" \
				    '^applied 1 change ' \
				    "$bin" --db "$(url ss_bench_run)" --schema "$work/s$n-add" push
				;;
			esac
			row "$name" "$n" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" \
			    "$(awk -v ns="$med" -v n="$n" 'BEGIN { printf "%.3f", ns / n / 1e6 }')" \
			    "$(ratio "$med" "$prev")"
			prev=$med
			[ "$n" -ne 1000 ] || eval "pg_${what}1000=\$med"
		done
	done
	q=$("$bin" -v --db "$(url ss_bench_1000)" --schema "$work/s1000" push |
	    sed -n 's/^introspection: \([0-9]*\) queries$/\1/p')
	echo "   no-op push, 1,000 tables: $(ms "$pg_noop1000" 0) ms = $(ratio "$pg_noop1000" 100000000) x the goal (100 ms)"
	echo "   introspection of 1,000 tables: ${q:-?} catalog queries (schemasync -v)"
	for n in 10 100 1000; do pg "DROP DATABASE IF EXISTS ss_bench_$n"; done
	pg "DROP DATABASE IF EXISTS ss_bench_run"
}

# bench_watch: save-to-applied latency of `watch` over SAVES saves (at
# least 100) of one file of a 100-table schema, written the way editors
# save (temporary file renamed over), alternately adding and removing a
# column; from just after rename() to the `applied` event, which watch
# prints after COMMIT (the change is visible to other connections then).
# Then the watcher's resident memory over 1,000 saves, every 100.
# bench/watch-latency.c does the timing, in C, so no fork of `date`
# stands between the save and the clock.
# watch_idle URL LABEL: the same saves with a pause of 300 ms before
# each, as an editor's come: the watcher is idle when a save arrives
# (the saves above come back to back, each while the run before still
# reads the model for the next). 40 saves.
watch_idle() {
	cp "$w/A.yaml" "$f"
	"$wl" "$bin" "$1" "$w/s" "$f" "$w/A.yaml" "$w/B.yaml" 40 300 >"$w/idle" ||
	    { cat "$w/idle" >&2; echo "bench: watch-latency failed (idle saves)" >&2; exit 1; }
	awk -v l="$2" '/^latency_ms/ { printf "  %-8s p50 %s ms to an idle watcher (a save 300 ms after the last was applied; %s saves)\n", l, $3, $9 }' "$w/idle"
}

bench_watch() {
	wl=$(dirname "$bin")/watch-latency
	[ -x "$wl" ] || { echo "bench: $wl is missing (make bench builds it)" >&2; exit 1; }
	w=$work/watch
	rm -rf "$w"
	mkdir -p "$w"
	sh "$here/gen-schema.sh" 100 "$w/s" >/dev/null
	f=$w/s/tables-0001.yaml
	cp "$f" "$w/A.yaml"
	awk '!d && /^      notes: text$/ { print; print "      bench_extra: text"; d = 1; next } { print }' \
	    "$w/A.yaml" >"$w/B.yaml"
	echo
	echo "4. watch: save to applied, 100-table schema, default debounce 20 ms"
	echo "   goal: p50 under 25 ms on SQLite (under 35 ms on PostgreSQL); memory flat"
	"$wl" "$bin" "sqlite:$w/w.db" "$w/s" "$f" "$w/A.yaml" "$w/B.yaml" \
	    "${SAVES:-1000}" >"$w/out" || { cat "$w/out" >&2; echo "bench: watch-latency failed" >&2; exit 1; }
	awk '/^latency_ms/ { printf "  sqlite   p50 %s ms   p99 %s ms   max %s ms   (%s saves; p50 adding the column %s, dropping it %s)\n", $3, $5, $7, $9, $11, $13 }' "$w/out"
	wsq_p50=$(awk '/^latency_ms/ { print $3 }' "$w/out")
	printf '  sqlite   resident memory, KiB, after 0, 100, ... saves:'
	awk '/^rss_kib/ { printf " %s", $3 }' "$w/out"
	echo
	watch_idle "sqlite:$w/w.db" sqlite
	# The floor: the 20 ms debounce plus what SQLite itself takes to add
	# and drop the column in a transaction, dropping it the cheaper of
	# two ways (ALTER TABLE, or a TEMP copy as schemasync's rebuild of a
	# small table does), on a copy of the database the watcher left
	# (bench/alter-floor.c).
	af=$(dirname "$bin")/alter-floor
	if [ -x "$af" ]; then
		cp "$w/w.db" "$w/floor.db"
		"$af" "$w/floor.db" account_1 bench_extra 200 >"$w/floor" ||
		    die "alter-floor failed"
		wsq_floor=$(awk '/^alter_ms/ { printf "%.1f", 20 + $3 }' "$w/floor")
		awk '/^alter_ms/ { printf "  sqlite   floor: 20 ms debounce + SQLite alone adding and dropping the column, p50 %s ms (add %s; drop %s by ALTER TABLE, %s through a TEMP copy) = %.1f ms\n", $3, $5, $7, $9, 20 + $3 }' "$w/floor"
	fi
	if [ -z "${PGHOST:-}" ] || ! command -v psql >/dev/null 2>&1; then
		echo "  postgres: not measured (no server: make bench starts one)"
		return
	fi
	psql -q -X -d postgres -c 'DROP DATABASE IF EXISTS ss_bench_watch' \
	    -c 'CREATE DATABASE ss_bench_watch' >/dev/null 2>&1 ||
	    die "cannot create the database ss_bench_watch"
	cp "$w/A.yaml" "$f"
	"$wl" "$bin" "postgresql:///ss_bench_watch?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}" \
	    "$w/s" "$f" "$w/A.yaml" "$w/B.yaml" "${SAVES:-1000}" >"$w/out" ||
	    { cat "$w/out" >&2; echo "bench: watch-latency failed on PostgreSQL" >&2; exit 1; }
	awk '/^latency_ms/ { printf "  postgres p50 %s ms   p99 %s ms   max %s ms   (%s saves; p50 adding the column %s, dropping it %s)\n", $3, $5, $7, $9, $11, $13 }' "$w/out"
	wpg_p50=$(awk '/^latency_ms/ { print $3 }' "$w/out")
	printf '  postgres resident memory, KiB, after 0, 100, ... saves:'
	awk '/^rss_kib/ { printf " %s", $3 }' "$w/out"
	echo
	watch_idle "postgresql:///ss_bench_watch?host=$PGHOST&port=${PGPORT:-5432}&user=${PGUSER:-postgres}" postgres
	psql -q -X -d postgres -c 'DROP DATABASE IF EXISTS ss_bench_watch' >/dev/null 2>&1 || :
}

# bench_burst: how many runs `watch` makes for a burst of 50 saves in
# place of one file, written back to back by the shell (RUNS bursts;
# median, smallest, largest). The tests assert only what must hold --
# the last save's state, no stale run after it -- since the count
# depends on the machine's speed; this is the figure. A burst is over
# when the database has the last save's columns and no run has been
# reported for a second.
bench_burst() {
	b=$work/burst
	rm -rf "$b"
	mkdir -p "$b/s"
	command -v sqlite3 >/dev/null 2>&1 || { echo; echo "5. watch burst: not measured (no sqlite3 shell)"; return; }
	printf 'tables:\n  t:\n    columns:\n      id: { type: integer, primary_key: true }\n' >"$b/s/t.yaml"
	"$bin" --db "sqlite:$b/w.db" --schema "$b/s" --format json watch >"$b/out" 2>"$b/err" &
	wpid=$!
	i=0
	until grep -q '"event":"ready"' "$b/out"; do
		i=$((i + 1))
		[ $i -le 1200 ] || { kill "$wpid"; die "watch did not start: $(cat "$b/err")"; }
		sleep 0.05
	done
	runs() { grep -cE '"event":"(applied|held|plan|schema_error|error)"' "$b/out"; }
	: >"$b/counts"
	r=1
	while [ $r -le "$RUNS" ]; do
		n0=$(runs)
		cs=""
		i=1
		while [ $i -le 50 ]; do
			cs="$cs      c$i: integer
"
			printf 'tables:\n  burst%d:\n    columns:\n      id: { type: integer, primary_key: true }\n%s' \
			    $r "$cs" >"$b/s/burst$r.yaml"
			i=$((i + 1))
		done
		i=0
		until [ "$(sqlite3 "$b/w.db" "SELECT count(*) FROM pragma_table_info('burst$r')" 2>/dev/null)" = 51 ]; do
			i=$((i + 1))
			[ $i -le 1200 ] || { kill "$wpid"; tail -3 "$b/out" >&2; die "watch did not apply burst $r"; }
			sleep 0.05
		done
		n=$(runs)
		sleep 1
		while [ "$(runs)" != "$n" ]; do n=$(runs); sleep 1; done
		echo $((n - n0)) >>"$b/counts"
		r=$((r + 1))
	done
	kill "$wpid"
	wait "$wpid" 2>/dev/null
	echo
	echo "5. watch: runs for a burst of 50 saves in place (default debounce 20 ms)"
	echo "   $(stats "$b/counts" | awk '{ printf "median %s runs   min %s   max %s", $1, $2, $3 }')   ($RUNS bursts)"
}

echo "schemasync bench: $($bin --version 2>/dev/null | head -n 1)," \
    "$(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo ?) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?);" \
    "median of $RUNS runs a figure (RUNS=N to change)"
calibrate
echo "timer cost $(ms "$timer_ns") ms (subtracted from every figure);" \
    "an empty process (true) takes $(ms "$true_ns") ms"
peak_rss=$work/peak-rss
${CC:-cc} -O2 -o "$peak_rss" "$here/peak-rss.c" || die "cannot compile $here/peak-rss.c"
bench_goals_sqlite
bench_goals_pg
if [ "${BENCH:-all}" = goals ]; then
	SAVES=${SAVES:-200}
	bench_watch
else
	bench_load
	bench_sqlite
	bench_postgres
	bench_watch
	bench_burst
fi
bench_goals_summary
