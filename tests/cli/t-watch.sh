# watch (SPEC section 6): the real binary as a background process, driven
# through real file operations, checked by polling its JSON output and the
# database with bounded waits. The watcher is always killed on exit.
# Nothing here depends on the machine's speed: no sleep is a
# synchronisation (settle, in watch-lib.sh, is the barrier), no wait is
# shorter than a minute, and no count of runs is asserted where a slow
# machine could make it differ; how many runs a burst of saves takes is
# measured by make bench instead.
. "$CLI_LIB"

. "$(dirname "$CLI_LIB")/watch-lib.sh"

check "the sqlite3 shell is there (the checks read the database)" sh -c "command -v sqlite3 >/dev/null"

mkdir schemas
write_table schemas/app.yaml users "email: text"
start
check "watch starts and says ready" grep -q '"event":"ready"' "$TMP/.out"
check "the first push creates the tables" wait_cols users "id,email"
check "the first run is an applied event" grep -q '"event":"applied"' "$TMP/.out"
check "the ready event names the debounce" grep -q '"debounce_ms":20' "$TMP/.out"

# Saving in place: truncate and write the same file (same inode).
ino=$(ls -i schemas/app.yaml | cut -d' ' -f1)
write_table schemas/app.yaml users "email: text" "age: integer"
check "the in-place save kept the inode (the test does what it says)" \
    [ "$(ls -i schemas/app.yaml | cut -d' ' -f1)" = "$ino" ]
check "a save in place is applied" wait_cols users "id,email,age"

# VS Code / JetBrains / vim (writebackup): write a temp file, rename it over.
write_table schemas/app.yaml.tmp.4913 users "email: text" "age: integer" "name: text"
mv schemas/app.yaml.tmp.4913 schemas/app.yaml
check "temp file renamed over is applied" wait_cols users "id,email,age,name"

# vim's backupcopy=no: move the old file away, write a new one.
mv schemas/app.yaml schemas/app.yaml~
write_table schemas/app.yaml users "email: text" "age: integer" "name: text" "bio: text"
rm schemas/app.yaml~
check "backup rename then new file is applied" wait_cols users "id,email,age,name,bio"

# Delete and recreate.
rm schemas/app.yaml
write_table schemas/app.yaml users "email: text" "age: integer" "name: text" "bio: text" "city: text"
check "delete and recreate is applied" wait_cols users "id,email,age,name,bio,city"

# A new file in a new sub-folder, then a save of it there: the new
# folder is watched, not only read once.
mkdir -p schemas/sub/deep
printf 'tables:\n  extra:\n    columns:\n      id: { type: integer, primary_key: true }\n' >schemas/sub/deep/extra.yaml
check "a new file in a new sub-folder is applied" wait_cols extra "id"
printf '      note: text\n' >>schemas/sub/deep/extra.yaml
check "a save in the new sub-folder is applied" wait_cols extra "id,note"

# A folder moved in whole (git checkout, unpacking).
mkdir -p outside/more
printf 'tables:\n  moved:\n    columns:\n      id: { type: integer, primary_key: true }\n' >outside/more/moved.yaml
mv outside/more schemas/more
check "a folder moved in with a file is applied" wait_cols moved "id"
printf '      x: text\n' >>schemas/more/moved.yaml
check "the moved-in folder is watched" wait_cols moved "id,x"

# A deleted file: its (empty) table goes.
rm schemas/sub/deep/extra.yaml
check "a deleted file drops its empty table" until_ok 10 q_is \
    "SELECT count(*) FROM sqlite_master WHERE name = 'extra'" 0
# A removed folder, and a new one under the same name.
rm -r schemas/more
check "a removed folder drops its empty table" until_ok 10 q_is \
    "SELECT count(*) FROM sqlite_master WHERE name = 'moved'" 0
mkdir schemas/more
printf 'tables:\n  again:\n    columns:\n      id: { type: integer, primary_key: true }\n' >schemas/more/again.yaml
check "a folder re-created under an old name is watched" wait_cols again "id"

# Files that are not schema files are ignored: between two barriers,
# only the second barrier's own run.
settle
before=$(runs)
printf 'notes\n' >schemas/notes.txt
printf 'swap\n' >schemas/.app.yaml.swp
printf 'backup\n' >schemas/app.yaml~
printf 'x\n' >schemas/4913
printf 'tables: [\n' >schemas/.hidden.yaml
mkdir schemas/.git && printf 'tables: [\n' >schemas/.git/x.yaml
rm schemas/4913
settle
check "non-YAML, hidden and swap files start no run" [ "$(runs)" = $((before + 1)) ]
rm -r schemas/notes.txt schemas/.app.yaml.swp schemas/app.yaml~ schemas/.hidden.yaml schemas/.git

# A broken save keeps the last good state; the next good save applies.
# (Saved by rename: a run must not read it half-written, empty.)
printf 'tables:\n  users: [\n' >schemas/.broken.tmp
mv schemas/.broken.tmp schemas/app.yaml
check "a broken save is a schema_error event" has_count '"event":"schema_error"' 1
check "the schema error names the file and place" grep -q '"file":"schemas/app.yaml","line":' "$TMP/.out"
check "a broken save changes nothing" cols_are users "id,email,age,name,bio,city"
save schemas/app.yaml users "email: text" "age: integer" "name: text" "bio: text" "city: text" "zip: text"
check "the good save after a broken one is applied" wait_cols users "id,email,age,name,bio,city,zip"
check "the watcher is still running after a schema error" alive

# A burst of 50 saves in place: the final state is the last save's, and
# no run after the burst applies an older one.
settle
before=$(runs)
i=1
cs=""
while [ $i -le 50 ]; do
	cs="$cs c$i: integer;"
	{
		printf 'tables:\n  burst:\n    columns:\n      id: { type: integer, primary_key: true }\n'
		printf '%s' "$cs" | tr ';' '\n' | sed 's/^ /      /'
	} >schemas/burst.yaml
	i=$((i + 1))
done
burst_cols="id$(i=1; while [ $i -le 50 ]; do printf ',c%d' $i; i=$((i + 1)); done)"
check "a burst of 50 saves ends in the last save's state" wait_cols burst "$burst_cols"
settle
check "after a burst, no stale run: still the last save's state" cols_are burst "$burst_cols"
check "a burst of 50 saves ran (and the barrier once)" [ "$(runs)" -ge $((before + 2)) ]

# The same burst saved by rename: every run reads one whole save, and
# each save only adds a column, so no run may drop one or the table (a
# stale or half-read state would).
n0=$(lines)
i=1
cs=""
while [ $i -le 50 ]; do
	cs="$cs c$i: integer;"
	{
		printf 'tables:\n  burst2:\n    columns:\n      id: { type: integer, primary_key: true }\n'
		printf '%s' "$cs" | tr ';' '\n' | sed 's/^ /      /'
	} >schemas/.burst2.tmp
	mv schemas/.burst2.tmp schemas/burst2.yaml
	i=$((i + 1))
done
check "a burst of 50 saves by rename ends in the last save's state" wait_cols burst2 "$burst_cols"
settle
no_drop() { ! since "$n0" | grep -q '"op":"drop_[a-z_]*","table":"burst2"'; }
check "a burst of 50 saves by rename never applies an older save" no_drop
check "...and is in sync after it" cols_are burst2 "$burst_cols"

# A mixed save: the safe part is applied, the destructive part held,
# and the data is still there.
save schemas/acct.yaml acct "email: text" "legacy: text"
check "setup: acct created" wait_cols acct "id,email,legacy"
q "INSERT INTO acct (id, email, legacy) VALUES (1, 'a@x', 'keep me'), (2, 'b@x', 'me too')"
before=$(grep -c '"event":"held"' "$TMP/.out")
save schemas/acct.yaml acct "email: text" "nick: integer"
check "a mixed save applies the safe part" wait_cols acct "id,email,legacy,nick"
check "a mixed save is a held event" has_count '"event":"held"' $((before + 1))
check "the held event says something was applied" grep -q '"event":"held".*"op":"add_column".*"held":false.*"applied":true' "$TMP/.out"
check "the held event names the destructive change" grep -q '"op":"drop_column","table":"acct","column":"legacy","class":"destructive"' "$TMP/.out"
check "the held column's data is still there" q_is "SELECT group_concat(legacy, '|') FROM acct" "keep me|me too"
stop
check "SIGTERM exits 0" rc_is 0
check "no sanitizer reports" no_sanitizer_reports

# --accept-data-loss applies the destructive part without asking.
start --accept-data-loss
check "--accept-data-loss drops the column with data" wait_cols acct "id,email,nick"
stop
check "SIGTERM exits 0 (--accept-data-loss)" rc_is 0

# From here on: a fresh database and one schema file.
rm -rf schemas "$DB"
mkdir schemas
save schemas/acct.yaml acct "email: text" "legacy: text"
start
check "setup: a fresh acct" wait_cols acct "id,email,legacy"
q "INSERT INTO acct (id, email, legacy) VALUES (1, 'a@x', 'keep me')"

# SQLite: a table that must be rebuilt cannot leave a held change of it
# behind; the run is held, nothing applied, and the watcher goes on.
before=$(grep -c '"event":"held"' "$TMP/.out")
{
	printf 'tables:\n  acct:\n    columns:\n'
	printf '      id: { type: integer, primary_key: true }\n'
	printf '      email: text\n'
	printf '    checks:\n      acct_id_positive: "id > 0"\n'
} >schemas/.acct.tmp
mv schemas/.acct.tmp schemas/acct.yaml
check "a blocked rebuild is a held event" has_count '"event":"held"' $((before + 1))
check "a blocked rebuild names the table" grep -q "must be rebuilt" "$TMP/.out"
check "a blocked rebuild applies nothing" cols_are acct "id,email,legacy"
check "a blocked rebuild keeps the data" q_is "SELECT legacy FROM acct" "keep me"
check "the watcher goes on after a blocked rebuild" alive
save schemas/acct.yaml acct "email: text" "legacy: text"
check "a save after the blocked rebuild is in sync" out_waits '"event":"plan"'

# A run in flight (waiting for a lock another connection holds): saves
# during it are not lost, the loop stays live, and the last save wins.
# The locker waits for the write lock (.timeout): the watcher may still be
# finishing a run, and a bare BEGIN IMMEDIATE would fail at once. The
# saves are by rename, so that no run reads one half-written; the pauses
# between them only spread them out (nothing asserted depends on them).
settle
n0=$(lines)
mkfifo lock.in
sqlite3 -cmd ".timeout 60000" "$DB" <lock.in >/dev/null 2>&1 &
LOCKER=$!
exec 3>lock.in
echo "BEGIN IMMEDIATE;" >&3
locked() { ! sqlite3 -cmd ".timeout 0" "$DB" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; }
check "setup: another connection holds the write lock" until_ok 60 locked
save schemas/acct.yaml acct "email: text" "legacy: text" "s1: text"
sleep 0.4
save schemas/acct.yaml acct "email: text" "legacy: text" "s1: text" "s2: text"
sleep 0.1
save schemas/acct.yaml acct "email: text" "legacy: text" "s1: text" "s2: text" "s3: text"
check "nothing is applied while the lock is held" cols_are acct "id,email,legacy"
echo "COMMIT;" >&3
exec 3>&-
reap "$LOCKER"
LOCKER=
check "saves during a run end in the last save's state" wait_cols acct "id,email,legacy,s1,s2,s3"
settle
check "...and stay in it (no stale run after)" cols_are acct "id,email,legacy,s1,s2,s3"
no_acct_drop() { ! since "$n0" | grep -q '"op":"drop_column","table":"acct","column":"s'; }
check "saves during a run never apply an older save" no_acct_drop
stop

# SIGTERM during a run in flight: the transaction finishes, exit 0. A
# text watcher prints "FILE changed" when a run starts: that line, not
# a pause, says the run is in flight.
"$SCHEMASYNC" --db "sqlite:$DB" watch >"$TMP/.out" 2>"$TMP/.err" &
W=$!
check "setup: a text watcher" out_waits "for saves"
mkfifo lock2.in
sqlite3 -cmd ".timeout 60000" "$DB" <lock2.in >/dev/null 2>&1 &
LOCKER=$!
exec 3>lock2.in
echo "BEGIN IMMEDIATE;" >&3
check "setup: the write lock is held again" until_ok 60 locked
save schemas/acct.yaml acct "email: text" "legacy: text" "s1: text" "s2: text" "s3: text" "last: text"
check "setup: the run has started" out_waits "schemas/acct.yaml changed"
kill -TERM "$W"
check "after SIGTERM the watcher waits for the run in flight" alive
echo "COMMIT;" >&3
exec 3>&-
reap "$LOCKER"
LOCKER=
reap "$W"
echo $? >"$TMP/.rc"
W=
check "SIGTERM during a run exits 0" rc_is 0
check "the run in flight was applied" cols_are acct "id,email,legacy,s1,s2,s3,last"

# SIGINT exits 0 too.
start
kill -INT "$W"
reap "$W"
echo $? >"$TMP/.rc"
W=
check "SIGINT exits 0" rc_is 0

# The database unreachable (its folder moved away), then back: reported
# once, retried on saves and on a timer, synced when it returns.
rm -rf schemas
mkdir schemas dbdir
DB=$TMP/dbdir/w.db
save schemas/t.yaml t "a: text"
start
check "setup: a database in a folder" wait_cols t "id,a"
mv dbdir dbdir.away
save schemas/t.yaml t "a: text" "b: integer"
check "an unreachable database is an error event" has_count '"event":"error"' 1
check "the error says what could not be opened" grep -q '"event":"error","error":"opening SQLite database' "$TMP/.out"
sleep 1.5
save schemas/t.yaml t "a: text" "b: integer" "c: integer"
sleep 1.5
check "it is reported once, through retries and saves" count_is '"event":"error"' 1
check "the watcher goes on while the database is away" alive
mv dbdir.away dbdir
check "when the database is back the watcher says so" out_waits '"reconnected":true'
check "...and syncs the last save" wait_cols t "id,a,b,c"
stop
check "SIGTERM exits 0 (after an outage)" rc_is 0
check "no sanitizer reports (after an outage)" no_sanitizer_reports
