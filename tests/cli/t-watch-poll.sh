# watch without file events: SCHEMASYNC_WATCH_POLL=MS, which is also
# what watch falls back to when the kernel's inotify limits are reached
# (a watcher that sees nothing must never pass for one that works).
# Every way editors save must still be seen.
. "$CLI_LIB"

. "$(dirname "$CLI_LIB")/watch-lib.sh"

export SCHEMASYNC_WATCH_POLL=40
mkdir schemas
write_table schemas/app.yaml users "email: text"
start
check "polling: ready names the interval" grep -q '"event":"ready".*"poll_ms":40' "$TMP/.out"
check "polling: the first push creates the table" wait_cols users "id,email"

write_table schemas/app.yaml users "email: text" "age: integer"
check "polling: a save in place is applied" wait_cols users "id,email,age"

write_table schemas/app.yaml.tmp users "email: text" "age: integer" "name: text"
mv schemas/app.yaml.tmp schemas/app.yaml
check "polling: a temp file renamed over is applied" wait_cols users "id,email,age,name"

rm schemas/app.yaml
write_table schemas/app.yaml users "email: text" "age: integer" "name: text" "bio: text"
check "polling: delete and recreate is applied" wait_cols users "id,email,age,name,bio"

mkdir -p schemas/sub/deep
write_table schemas/sub/deep/extra.yaml extra "note: text"
check "polling: a new file in a new sub-folder is applied" wait_cols extra "id,note"

# Files that are not schema files start no run: between two barriers,
# only the second barrier's own run.
settle
before=$(runs)
echo x >schemas/.app.yaml.swp
echo x >schemas/notes.txt
settle
check "polling: a swap file and a text file start no run" [ "$(runs)" = $((before + 1)) ]

# A burst of saves ends in the last one's state. Each save adds a
# column to the ones before: a run may see any save of the burst (how
# many fall in one poll depends on the machine), and from any of them
# the last is only additions. (Saves that replaced one column with
# another made a run that saw c11 hold c11 -> c20 as a rename to ask.)
cols="note: text"
want="id,note"
i=1
while [ $i -le 20 ]; do
	cols="$cols|c$i: text"
	want="$want,c$i"
	IFS='|'
	# shellcheck disable=SC2086
	write_table schemas/sub/deep/extra.yaml extra $cols
	unset IFS
	i=$((i + 1))
done
check "polling: a burst ends in the last save's state" wait_cols extra "$want"

# A file read for its bytes while it is recent (two seconds) and only
# stat'ed after: growing old is no save. (The sleep is a lower bound,
# not a deadline: any slower, and the files are older still.)
settle
before=$(runs)
sleep 3
settle
check "polling: files growing old start no run" [ "$(runs)" = $((before + 1)) ]

stop
check "polling: SIGTERM exits 0" rc_is 0
check "polling: no sanitizer reports" no_sanitizer_reports

# Text output says it polls.
: >"$TMP/.out"
"$SCHEMASYNC" --db "sqlite:$DB" watch >"$TMP/.out" 2>"$TMP/.err" &
W=$!
check "polling: the text output says so" out_waits "polling the schema files every 40 ms for saves (debounce 20 ms)"
stop
check "polling: text, SIGTERM exits 0" rc_is 0

# A value that is not a number of milliseconds is refused.
SCHEMASYNC_WATCH_POLL=often ss --db "sqlite:$DB" watch
check "polling: a bad SCHEMASYNC_WATCH_POLL exits 2" rc_is 2
check "polling: ...and says why" err_has "SCHEMASYNC_WATCH_POLL: 'often' is not a number of milliseconds"
