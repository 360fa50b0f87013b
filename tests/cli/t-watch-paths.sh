# watch: schema paths that are files, a schema folder deleted and made
# again, the debounce setting, and the text output.
. "$CLI_LIB"
. "$(dirname "$CLI_LIB")/watch-lib.sh"

# A schema path that is a file, in the folder the database is in: the
# database's own writes there start no run; the file's saves do, however
# the editor saves it.
write_table one.yaml one "a: text"
write_table two.yaml two "a: text"
write_table other.yaml other "a: text"
printf 'tables: {}\n' >sync.yaml
SETTLE_FILE=sync.yaml
start --schema one.yaml --schema two.yaml --schema sync.yaml
check "a file schema path is pushed" wait_cols one "id,a"
check "...and so is the second" wait_cols two "id,a"
# Between two barriers (each a save of the schema path sync.yaml, and a
# write to the database), only the second barrier's own run.
settle
before=$(runs)
write_table other.yaml other "a: text" "b: text"
settle
check "a file beside it that is not a schema path starts no run" [ "$(runs)" = $((before + 1)) ]
settle
check "...and its own writes to the database start none" [ "$(runs)" = $((before + 2)) ]
SETTLE_FILE=
write_table one.yaml.tmp one "a: text" "b: text"
mv one.yaml.tmp one.yaml
check "a file schema path replaced by rename is applied" wait_cols one "id,a,b"
write_table two.yaml two "a: text" "b: text"
check "a second file schema path in the same folder is applied" wait_cols two "id,a,b"
stop
check "SIGTERM exits 0 (file paths)" rc_is 0

# The schema folder itself deleted and made again (a branch switch).
rm -f "$DB"
mkdir schemas
write_table schemas/app.yaml app "a: text"
start
check "setup: app" wait_cols app "id,a"
rm -r schemas
check "the schema folder gone is a schema error" out_waits '"event":"schema_error"'
mkdir schemas.new
write_table schemas.new/app.yaml app "a: text" "b: text"
mv schemas.new schemas
check "the schema folder made again is read" wait_cols app "id,a,b"
write_table schemas/app.yaml app "a: text" "b: text" "c: text"
check "...and watched" wait_cols app "id,a,b,c"
mkdir schemas/sub
write_table schemas/sub/more.yaml more "a: text"
check "...with its new sub-folders" wait_cols more "id,a"
stop
check "SIGTERM exits 0 (folder made again)" rc_is 0

# The debounce: --debounce, then the config's watch.debounce_ms; the
# time reported runs from the save, so it includes the debounce.
printf 'watch: { debounce_ms: 150 }\n' >schemasync.yaml
start
check "the config's debounce_ms is used" grep -q '"debounce_ms":150' "$TMP/.out"
stop
start --debounce 400
check "--debounce beats the config" grep -q '"debounce_ms":400' "$TMP/.out"
before=$(runs)
t0=$(date +%s)
save schemas/app.yaml app "a: text" "b: text" "c: text" "d: text"
check "a save is applied" wait_cols app "id,a,b,c,d"
until_ok 60 [ "$(runs)" -gt "$before" ]
t1=$(date +%s)
ms=$(grep '"event":"applied"' "$TMP/.out" | tail -1 | sed 's/.*"elapsed_ms":\([0-9]*\).*/\1/')
# At least the debounce, and no more than the test itself waited: a
# bound that holds however slow the machine is.
check "the time is counted from the save, debounce included ($ms ms)" [ "$ms" -ge 400 -a "$ms" -le $(((t1 - t0 + 1) * 1000)) ]
stop
rm schemasync.yaml

# Text output: one compact block a run, then the watcher's own lines.
"$SCHEMASYNC" --db "sqlite:$DB" watch >"$TMP/.out" 2>"$TMP/.err" &
W=$!
check "text: says it is watching" out_waits "watching 2 folders for saves (debounce 20 ms); Ctrl-C stops"
write_table schemas/app.yaml app "a: text" "b: text" "c: text" "d: text" "e: text"
check "text: a run's block names the file saved" out_waits "schemas/app.yaml changed"
check "text: ...the change" out_waits "  + add column app.e"
check "text: ...and what was applied, with the time" out_waits "applied 1 change ("
check "text: no header after the first run" count_is ": 2 files, 2 tables" 1
write_table schemas/gone.yaml gone "a: text"
check "text: a new file is applied" out_waits "  + create table gone"
rm schemas/gone.yaml
check "text: a deleted file is reported as deleted" out_waits "schemas/gone.yaml deleted"
check "text: ...and its table dropped" out_waits "  - drop table gone (no rows)"
printf 'tables: [\n' >schemas/app.yaml
check "text: a schema error goes to stderr" until_ok 10 grep -q "schemas/app.yaml:2:1: error:" "$TMP/.err"
check "text: ...and the watcher waits" out_waits "nothing applied; waiting for the next save"
check "text: no colour when not a terminal" sh -c '! grep -q "$(printf "\033")" "$0"' "$TMP/.out"
stop
check "text: SIGTERM exits 0" rc_is 0

# A schema path that does not exist: exit 2, nothing touched.
ss --db "sqlite:$DB" watch --schema nowhere
check "a missing schema path exits 2" rc_is 2
check "a missing schema path is named" err_has "cannot watch 'nowhere'"

# git checkout: many files change at once; the run ends in the branch's
# state.
if command -v git >/dev/null; then
	rm -rf schemas "$DB"
	mkdir schemas
	git init -q .
	git config user.email t@example.com
	git config user.name t
	for i in 1 2 3 4 5 6; do write_table schemas/t$i.yaml t$i "a: text"; done
	git add schemas && git commit -qm one
	first=$(git symbolic-ref --short HEAD)
	git checkout -qb two
	for i in 1 2 3 4 5 6; do write_table schemas/t$i.yaml t$i "a: text" "b$i: integer"; done
	mkdir schemas/extra
	write_table schemas/extra/x.yaml x "a: text"
	git add schemas && git commit -qm two
	git checkout -q "$first"
	start
	check "git: setup on the first branch" wait_cols t6 "id,a"
	git checkout -q two
	all_two() {
		for i in 1 2 3 4 5 6; do cols_are t$i "id,a,b$i" || return 1; done
		cols_are x "id,a"
	}
	check "git checkout of another branch is applied, every file" until_ok 10 all_two
	stop
	check "SIGTERM exits 0 (git)" rc_is 0
else
	check "git is there" false
fi
