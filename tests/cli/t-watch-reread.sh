# watch re-reads only the schema files whose bytes changed: the others'
# parsed form is kept from one save to the next, and the result is the
# one a full load gives (tables of files edited, deleted, added and
# broken then mended). SCHEMASYNC_DEBUG_LOAD makes the loader say each
# file it parses.
. "$CLI_LIB"
. "$(dirname "$CLI_LIB")/watch-lib.sh"

# reads NAME: how many times a file called NAME was parsed.
reads() { grep -c "^schemasync: read .*/$1\$" "$TMP/.err"; }
reads_are() { [ "$(reads "$1")" = "$2" ]; }
no_table() { [ -z "$(cols "$1")" ]; }

mkdir schemas
write_table schemas/a.yaml a "x: text"
write_table schemas/b.yaml b "x: text"
write_table schemas/c.yaml c "x: text"
export SCHEMASYNC_DEBUG_LOAD=1
start
check "the first push" wait_cols c "id,x"
check "the first load parses every file once: a" reads_are a.yaml 1
check "...b" reads_are b.yaml 1
check "...c" reads_are c.yaml 1

save schemas/b.yaml b "x: text" "y: text"
check "an edit is applied" wait_cols b "id,x,y"
check "the edited file is parsed again" [ "$(reads b.yaml)" -ge 2 ]
check "the others are not: a" reads_are a.yaml 1
check "...c" reads_are c.yaml 1

rm schemas/c.yaml
check "a deleted file's table is dropped" until_ok 10 no_table c
save schemas/d.yaml d "x: integer"
check "an added file's table is created" wait_cols d "id,x"
check "the files not edited are still not parsed again" reads_are a.yaml 1
check "...a file gone is not read" reads_are c.yaml 1

# A file with an error is parsed on every load, so that its error is
# reported every time; mended, it is applied.
save schemas/b.yaml b "x: intger" "y: text"
check "an error is reported" out_waits '"event":"schema_error"'
errors_at_least() { [ "$(grep -c '"event":"schema_error"' "$TMP/.out")" -ge "$1" ]; }
save schemas/d.yaml d "x: integer" "z: text"
check "a save of another file reports the error again" until_ok 10 errors_at_least 2
save schemas/b.yaml b "x: text" "y: text" "z: text"
check "the mended file is applied" wait_cols b "id,x,y,z"
check "...with the other file's save" wait_cols d "id,x,z"
check "a is never parsed again" reads_are a.yaml 1
check "the tables of the files kept are untouched" wait_cols a "id,x"
stop
check "SIGTERM exits 0" rc_is 0
check "no sanitizer reports" no_sanitizer_reports
