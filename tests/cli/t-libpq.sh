# libpq is loaded only for PostgreSQL: the binary does not link it, a
# SQLite run never maps it, and when it cannot be loaded a PostgreSQL
# URL fails with a clear error (SCHEMASYNC_LIBPQ names the library to
# load instead of libpq.so.5).
. "$CLI_LIB"

need_sqlite3
valid_schema

# --- the binary does not need libpq ---------------------------------
if command -v readelf >/dev/null 2>&1; then
	readelf -d "$SCHEMASYNC" >dynamic.txt 2>&1
	check "readelf reads the binary's dynamic section" grep -q NEEDED dynamic.txt
	check "the binary does not have libpq as NEEDED" \
	    sh -c '! grep NEEDED "$0" | grep -q libpq' dynamic.txt
else
	echo "FAIL $T: readelf is missing (binutils)" >>"$RESULTS"
fi

# --- a SQLite push never maps libpq -----------------------------------
# The dynamic loader names every library it loads (LD_DEBUG=files),
# dlopen()ed ones included.
LD_DEBUG=files ss --db sqlite:db.sqlite push
check "SQLite push under LD_DEBUG exits 0" rc_is 0
check "the loader's trace is there" err_has "file=libsqlite3.so"
check "a SQLite push never loads libpq" err_lacks "libpq"
LD_DEBUG=files ss --db sqlite:db.sqlite push
check "a SQLite no-op push never loads libpq" err_lacks "libpq"
LD_DEBUG=files ss --db sqlite:db.sqlite diff
check "a SQLite diff never loads libpq" err_lacks "libpq"

# --- libpq cannot be loaded -------------------------------------------
# The exit status of a connection failure, for comparison: nothing
# listens on port 1.
ss --db "postgresql://127.0.0.1:1/x?connect_timeout=5" push
refused=$(cat "$TMP/.rc")
check "a refused connection is a connection failure" err_has "cannot connect to"

for cmd in push diff "pull --out pulled"; do
	SCHEMASYNC_LIBPQ=/nonexistent/libpq.so.5 \
	    ss --db "postgresql://127.0.0.1:1/x" $cmd
	check "$cmd, libpq missing: exit status of a connection failure ($refused)" \
	    rc_is "$refused"
	check "$cmd, libpq missing: says it cannot load libpq" \
	    err_has "schemasync: error: cannot load libpq.so.5: "
	check "$cmd, libpq missing: says why" \
	    err_has "/nonexistent/libpq.so.5: cannot open shared object file"
	check "$cmd, libpq missing: says what to install" err_has "; install libpq5"
	check "$cmd, libpq missing: nothing on stdout" out_empty
done

# A library that is not libpq: a function is missing.
SCHEMASYNC_LIBPQ=libsqlite3.so.0 ss --db "postgresql://127.0.0.1:1/x" push
check "not libpq: exit status of a connection failure" rc_is "$refused"
check "not libpq: names the missing function" \
    err_has "cannot load libpq.so.5: libsqlite3.so.0 has no function PQ"
check "not libpq: nothing on stdout" out_empty

# SQLite does not care.
SCHEMASYNC_LIBPQ=/nonexistent/libpq.so.5 ss --db sqlite:db.sqlite diff
check "libpq missing: SQLite still works" rc_is 0

# --version works either way and says which libpq a PostgreSQL run uses.
SCHEMASYNC_LIBPQ=/nonexistent/libpq.so.5 ss --version
check "--version, libpq missing: exits 0" rc_is 0
check "--version, libpq missing: says so" out_has "libpq not found"
check "--version, libpq missing: still names the program" out_has "schemasync 0."
ss --version
check "--version names libpq's version" sh -c 'grep -Eq "libpq [0-9]+," "$0"' "$TMP/.out"

# --- PostgreSQL loads it -----------------------------------------------
# The same trace sees libpq when the URL is PostgreSQL: the SQLite
# checks above can see it.
pg_ready || exit 0
pg_newdb ss_libpq
LD_DEBUG=files ss --db "$DB" --schema schemas push
check "PostgreSQL push under LD_DEBUG exits 0" rc_is 0
check "a PostgreSQL push loads libpq" err_has "file=libpq.so.5"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DBNAME" >/dev/null 2>&1
