# undo after a drop confirmed with y on watch's terminal: the question
# says undo keeps the values, the applied run names its undo point, and
# `undo` brings the values back; then watch holds the drop again.
. "$CLI_LIB"

. "$(dirname "$CLI_LIB")/watch-lib.sh"

check "script(1) is there" sh -c "command -v script >/dev/null"

mkdir schemas
write_table schemas/acct.yaml acct "email: text" "legacy: text"
start_tty 4
check "watch on a terminal starts" has_count "watching" 1
check "setup: acct" wait_cols acct "id,email,legacy"
q "INSERT INTO acct (id, email, legacy) VALUES (1, 'a@x', 'keep'), (2, 'b@x', 'me')"

write_table schemas/acct.yaml acct "email: text"
check "the drop is asked about" has_count "\[y/N\]" 1
check "the question says undo keeps the values" grep -q "drop column acct.legacy (2 non-null values; undo keeps them)" "$TMP/.out"
printf 'y\n' >&4
check "y applies the drop" wait_cols acct "id,email"
check "the run names its undo point" out_waits "undo point 1 keeps what it removed"

"$SCHEMASYNC" --db "sqlite:$DB" undo >"$TMP/undo.out" 2>&1
check "undo restores while watch runs" grep -q "restored undo point 1" "$TMP/undo.out"
check "the values are back" q_is "SELECT group_concat(legacy, '|') FROM acct" "keep|me"
# A save makes watch plan again: the drop is held and asked about again.
write_table schemas/other.yaml other "x: text"
check "watch holds the drop again" has_count "\[y/N\]" 2
check "the values are still there" q_is "SELECT group_concat(legacy, '|') FROM acct" "keep|me"
stop_tty TERM
check "watch exits 0 on SIGTERM" rc_is 0
