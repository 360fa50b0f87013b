#!/bin/sh
# with-server.sh CMD...: runs CMD with a throwaway PostgreSQL server.
#
# The server lives in a fresh temporary folder (initdb, trust
# authentication, UTF8, fsync off) and listens only on a Unix socket in
# that folder; the port number only names the socket. When run as root,
# initdb and the server run as the `postgres` system user. CMD sees
# PGHOST, PGPORT, PGUSER=postgres and SS_TEST_PG (a libpq connection
# string for the `postgres` database). Whatever CMD does, the server is
# stopped and the folder removed on exit, and the script exits with
# CMD's status. If the server cannot start, its log is printed and the
# script fails: the PostgreSQL tests are never skipped.
set -u

[ $# -gt 0 ] || { echo "usage: with-server.sh CMD..." >&2; exit 2; }

die() {
	echo "with-server: $*" >&2
	exit 1
}

# SS_PG_OPTIONS adds server options (make bench: a larger lock table,
# since a first push of 1,000 tables is one transaction).

# The directory holding initdb and pg_ctl: PATH first, else the newest
# /usr/lib/postgresql/*/bin.
bindir=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
	bindir=$(dirname "$(command -v pg_ctl)")
else
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && bindir=$d
	done
fi
[ -n "$bindir" ] || die "cannot find initdb and pg_ctl (not in PATH, nor in /usr/lib/postgresql/*/bin); install the Debian package postgresql (make deps)"

PORT=${SS_TEST_PG_PORT:-54329}
dir=$(mktemp -d "${TMPDIR:-/tmp}/ss-pg.XXXXXX") || die "cannot create a temporary folder"
data=$dir/data
log=$dir/server.log
started=0

# as_owner CMD...: runs CMD as the user that owns the cluster.
if [ "$(id -u)" -eq 0 ]; then
	id postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' system user to run the server as"
	chown postgres "$dir" || die "cannot chown $dir to postgres"
	chmod 700 "$dir"
	as_owner() {
		if command -v runuser >/dev/null 2>&1; then
			runuser -u postgres -- "$@"
		else
			su postgres -s /bin/sh -c '"$0" "$@"' -- "$@"
		fi
	}
else
	as_owner() { "$@"; }
fi

cleanup() {
	if [ "$started" -eq 1 ]; then
		[ ! -f "$data/postmaster.pid" ] ||
		as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 ||
			echo "with-server: could not stop the server in $dir" >&2
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if ! as_owner "$bindir/initdb" -D "$data" -A trust -U postgres -E UTF8 \
	--locale=C --no-sync >"$dir/initdb.log" 2>&1; then
	cat "$dir/initdb.log" >&2
	die "initdb failed (output above)"
fi

started=1
if ! as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 \
	-o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $PORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50 ${SS_PG_OPTIONS:-}" \
	start >"$dir/pg_ctl.log" 2>&1; then
	cat "$dir/pg_ctl.log" "$log" >&2 2>/dev/null
	die "the PostgreSQL server did not start (log above)"
fi

export PGHOST="$dir" PGPORT="$PORT" PGUSER=postgres
export SS_TEST_PG="host=$dir port=$PORT user=postgres dbname=postgres"
unset PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS

"$@"
status=$?
exit $status
