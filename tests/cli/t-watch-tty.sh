# watch on a terminal (SPEC section 6): held changes are asked about; `y`
# applies them only if the plan is unchanged; a new save replaces the
# question. The watcher runs under script(1), which gives it a
# pseudo-terminal; answers are written to script's stdin.
. "$CLI_LIB"

. "$(dirname "$CLI_LIB")/watch-lib.sh"

acct() {
	{
		printf 'tables:\n  acct:\n    columns:\n'
		printf '      id: { type: integer, primary_key: true }\n'
		for c in "$@"; do printf '      %s\n' "$c"; done
	} >schemas/acct.yaml
}

check "script(1) is there" sh -c "command -v script >/dev/null"

mkdir schemas
acct "email: text" "legacy: text"
start_tty 4
check "watch on a terminal starts" has_count "watching" 1
check "setup: acct" wait_cols acct "id,email,legacy"
q "INSERT INTO acct (id, email, legacy) VALUES (1, 'a@x', 'keep'), (2, 'b@x', 'me')"

acct "email: text" "nick: integer"
check "a held change is asked about" has_count "\[y/N\]" 1
check "the question names the data loss" grep -q "marked ! (data will be lost)" "$TMP/.out"
check "the safe part is applied before the answer" wait_cols acct "id,email,legacy,nick"

# A new save replaces the question; a late y then answers nothing.
acct "email: text" "legacy: text" "nick: integer"
check "a new save's run is printed" has_count "in sync" 1
printf 'y\n' >&4
check "a y with no question open answers nothing" has_count "nothing to answer" 1
check "the data is still there" q_is "SELECT group_concat(legacy, '|') FROM acct" "keep|me"

# Asked again; the data changes behind the question: y applies nothing
# and the new plan is asked about.
acct "email: text" "nick: integer"
check "asked again" has_count "\[y/N\]" 2
q "INSERT INTO acct (id, email, legacy) VALUES (3, 'c@x', 'new')"
printf 'y\n' >&4
check "y to a plan that changed applies nothing" has_count "the plan changed since the question" 1
check "...and asks about the new plan" has_count "\[y/N\]" 3
check "...whose count is the new one" grep -q "3 non-null values" "$TMP/.out"
check "nothing was dropped yet" cols_are acct "id,email,legacy,nick"
printf 'n\n' >&4
check "n leaves the change held" has_count "not applied; the held changes wait" 1
check "n dropped nothing" cols_are acct "id,email,legacy,nick"

acct "email: text" "nick: integer" "age: integer"
check "asked once more" has_count "\[y/N\]" 4
printf 'y\n' >&4
check "y applies the held change" wait_cols acct "id,email,nick,age"

# An ambiguous rename, answered on the terminal.
q "UPDATE acct SET email = 'e' || id"
acct "mail: text" "nick: integer" "age: integer"
check "a rename is asked about" has_count "\[y/N\]" 5
check "the question says renames are applied as shown" grep -q "marked ? (renamed as shown)" "$TMP/.out"
printf 'y\n' >&4
check "y renames the column" wait_cols acct "id,mail,nick,age"
check "the renamed column kept its data" q_is "SELECT group_concat(mail, ',') FROM acct" "e1,e2,e3"

# Renames that compete for one column cannot all be yes: no question,
# and nothing is applied.
acct "mail: text" "nick: integer" "age: integer" "p: text" "r: text"
check "setup: two more text columns" wait_cols acct "id,mail,nick,age,p,r"
q "UPDATE acct SET p = 'p' || id, r = 'r' || id"
acct "mail: text" "nick: integer" "age: integer" "s: text"
check "competing renames are not asked about" out_waits "several renames compete for one name"
check "...no new question" count_is "\[y/N\]" 5
printf 'y\n' >&4
check "...a y answers nothing" has_count "nothing to answer" 2
check "...nothing is applied" cols_are acct "id,mail,nick,age,p,r"
acct "mail: text" "nick: integer" "age: integer" "p: text" "r: text"
check "...and the next save is in sync" has_count "in sync" 2

# Ctrl-C on a terminal is SIGINT.
stop_tty INT
check "SIGINT on a terminal exits 0" rc_is 0
check "no sanitizer reports" sh -c '! grep -qE "Sanitizer|runtime error" "$0"' "$TMP/.out"

# The first run holds a change: the question comes after the watcher's
# status line and stays the last thing on the screen.
acct "mail: text" "nick: integer"
start_tty 4
check "first run held: asked" has_count "\[y/N\]" 1
before_question() {
	w=$(grep -n "watching" "$TMP/.out" | head -n 1 | cut -d: -f1)
	q=$(grep -n "\[y/N\]" "$TMP/.out" | head -n 1 | cut -d: -f1)
	[ -n "$w" ] && [ -n "$q" ] && [ "$w" -le "$q" ]
}
last_is_question() { tr -d '\r' <"$TMP/.out" | awk 'NF{l=$0} END{exit !(l ~ /\[y\/N\] *$/)}'; }
check "first run held: the status line comes before the question" before_question
check "first run held: the question is the last thing printed" last_is_question
printf 'n\n' >&4
stop_tty TERM
check "first run held: SIGTERM exits 0" rc_is 0

# In the background of an interactive shell (job control) stdin is still
# the terminal; reading it would stop the watcher (SIGTTIN). It must
# keep running and syncing, and not ask.
mkdir bg
write_table bg/t.yaml t "a: text"
mkfifo bg.in
script -qefc "sh -c 'set -m; \"$SCHEMASYNC\" --db \"sqlite:$TMP/bg.db\" --schema bg watch & echo \$! >\"$TMP/bg.pid\"; wait'" \
    /dev/null <bg.in >"$TMP/bg.out" 2>&1 &
S=$!
exec 5>bg.in
check "background: started" until_ok 10 grep -qs "watching" "$TMP/bg.out"
W=$(cat "$TMP/bg.pid")
not_stopped() { [ "$(state "$W")" != T ]; }
printf 'typed while it runs in the background\n' >&5
sleep 0.5
check "background: not stopped by the terminal" not_stopped
write_table bg/t.yaml t "a: text" "b: text"
DB=$TMP/bg.db
check "background: a save is applied" wait_cols t "id,a,b"
kill -TERM "$W"
check "background: SIGTERM ends it" until_ok 10 sh -c '! kill -0 "$0" 2>/dev/null' "$W"
W=
reap "$S"
S=
exec 5>&-
