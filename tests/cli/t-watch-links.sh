# watch with symbolic links in the schema folder that make cycles (links
# back to the folder itself, one up from a sub-folder): the watcher
# starts, watches each folder once, applies saves, and exits on SIGTERM,
# with inotify and when polling. The waits are bounded: a watcher that
# loops fails the checks, and is killed on exit.
. "$CLI_LIB"
. "$(dirname "$CLI_LIB")/watch-lib.sh"

mkdir schemas schemas/sub
write_table schemas/app.yaml app "a: text"
ln -s . schemas/l1
ln -s . schemas/l2
ln -s .. schemas/sub/up
start
check "links: a watcher with link cycles says ready" grep -q '"event":"ready"' "$TMP/.out"
check "links: ...watching each folder once" grep -q '"event":"ready".*"folders":2,' "$TMP/.out"
check "links: the first push is applied" wait_cols app "id,a"
write_table schemas/app.yaml app "a: text" "b: text"
check "links: a save is applied" wait_cols app "id,a,b"
write_table schemas/sub/more.yaml more "a: text"
check "links: a new file in a sub-folder is applied" wait_cols more "id,a"
ln -s . schemas/l3
ln -s ../sub schemas/sub/again
write_table schemas/app.yaml app "a: text" "b: text" "c: text"
check "links: after new links are made, a save is applied" wait_cols app "id,a,b,c"
stop
check "links: SIGTERM exits 0" rc_is 0
check "links: no sanitizer reports" no_sanitizer_reports

SCHEMASYNC_WATCH_POLL=40 start
check "links, polling: the watcher says ready" grep -q '"event":"ready".*"poll_ms":40' "$TMP/.out"
write_table schemas/sub/more.yaml more "a: text" "b: text"
check "links, polling: a save is applied" wait_cols more "id,a,b"
stop
check "links, polling: SIGTERM exits 0" rc_is 0
check "links, polling: no sanitizer reports" no_sanitizer_reports
