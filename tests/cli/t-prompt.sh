# Questions on a terminal (SPEC 1, 4): a destructive push asks [y/N],
# a rename candidate asks, --force-reset asks. `script` (util-linux) runs
# schemasync on a pseudo-terminal and types the answers. Without a
# terminal nothing is ever asked and nothing waits for input.
. "$CLI_LIB"
need_sqlite3
DB=db.sqlite
if ! command -v script >/dev/null 2>&1; then
	echo "FAIL $T: 'script' (util-linux) is missing: cannot test questions on a terminal" >>"$RESULTS"
	exit 1
fi

# on_tty ANSWERS ARGS...: schemasync ARGS on a terminal, ANSWERS typed
# (printf format, e.g. 'y\n'); its terminal output lands in .out. Type
# only answers that will be read: script waits two seconds for a program
# that exits with input left unread.
on_tty() {
	answers=$1
	shift
	printf "$answers" | timeout 120 script -qec "$SCHEMASYNC --color never $*" /dev/null >"$TMP/.raw" 2>&1
	echo $? >"$TMP/.rc"
	tr -d '\r' <"$TMP/.raw" >"$TMP/.out"
	: >"$TMP/.err"
}

# asked N: waits (120 s at most) until the terminal output in .raw holds
# N questions, so that answers are typed when they are asked.
asked() {
	i=0
	while [ "$(grep -o '\[y/N\]' "$TMP/.raw" 2>/dev/null | wc -l)" -lt "$1" ] &&
	    [ $i -lt 2400 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

# count_is N TEXT: TEXT is on exactly N lines of the output.
count_is() { [ "$(grep -cF -- "$2" "$TMP/.out")" = "$1" ]; }
# before A B: the first line holding A comes before the first holding B.
before() {
	a=$(grep -nF -- "$1" "$TMP/.out" | head -n 1 | cut -d: -f1)
	b=$(grep -nF -- "$2" "$TMP/.out" | head -n 1 | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}

base() {
	schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      email: { type: text, nullable: false }
      legacy: integer
YAML
	rm -f $DB
	ss --db $DB push -q
	sql "INSERT INTO users (email, legacy) VALUES ('a@x', 1), ('b@x', 2), ('c@x', NULL)"
}
drop_legacy() {
	schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      email: { type: text, nullable: false }
YAML
}
rename_email() {
	schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      user_email: text
      legacy: integer
YAML
}

# --- Destructive: asks; y applies, n and EOF hold with exit 3.
base
drop_legacy
snapshot
on_tty 'n\n' --db $DB push
check "destructive n: asks [y/N]" out_has "apply the changes marked ! and lose that data? [y/N]"
check "destructive n: shows what it asks about" out_has "  ! drop column users.legacy (2 non-null values; undo keeps them)"
check "destructive n: exit 3" rc_is 3
check "destructive n: nothing applied" unchanged
on_tty '' --db $DB push
check "destructive EOF: exit 3" rc_is 3
check "destructive EOF: nothing applied" unchanged
on_tty 'y\n' --db $DB push
check "destructive y: exit 0" rc_is 0
check "destructive y: applied" out_has "applied 1 change"
check "destructive y: the column is gone, rows kept" sql_is "1|a@x
2|b@x
3|c@x" "SELECT * FROM users ORDER BY id"
on_tty '' --db $DB push
check "destructive y: then in sync, nothing asked" both rc_is 0 out_lacks "[y/N]"

# The count grows while the question waits: the plan is made again in
# the transaction, differs, and the question is asked again with the new
# count (SPEC 4); n then holds everything.
base
drop_legacy
: >"$TMP/.raw"
( asked 1; sqlite3 $DB "INSERT INTO users (email, legacy) VALUES ('z@x', 9)"
  printf 'y\n'; asked 2; printf 'n\n' ) |
	timeout 120 script -qec "$SCHEMASYNC --color never --db $DB push" /dev/null >"$TMP/.raw" 2>&1
echo $? >"$TMP/.rc"
tr -d '\r' <"$TMP/.raw" >"$TMP/.out"
check "count grew: first asked with 2 values" out_has "  ! drop column users.legacy (2 non-null values; undo keeps them)"
check "count grew: says it plans again" out_has "the database changed while you answered; planning again"
check "count grew: asked again with 3 values" out_has "  ! drop column users.legacy (3 non-null values; undo keeps them)"
check "count grew: n the second time, exit 3" rc_is 3
check "count grew: nothing applied" sql_is "1,2,9" "SELECT group_concat(legacy) FROM users"

# It keeps growing, every answer is for a stale plan: after the last
# attempt nothing is applied, exit 3 (not 0).
base
drop_legacy
: >"$TMP/.raw"
( for i in 1 2 3; do asked $i; sqlite3 $DB "INSERT INTO users (email, legacy) VALUES ('z$i@x', 9)"; printf 'y\n'; done ) |
	timeout 120 script -qec "$SCHEMASYNC --color never --db $DB push" /dev/null >"$TMP/.raw" 2>&1
echo $? >"$TMP/.rc"
tr -d '\r' <"$TMP/.raw" >"$TMP/.out"
check "count kept growing: exit 3" rc_is 3
check "count kept growing: says why" out_has "blocked: the database changed each time while you answered; nothing was applied"
check "count kept growing: nothing applied" sql_is 5 "SELECT count(legacy) FROM users"

# --- A rename candidate: the plan first, then a choice: r renames
# (keeping the data), c adds the new column and drops the old one (the
# loss named in the choice), s (or nothing) holds it.
CHOICE="column users.email → users.user_email: r = rename it (keeps its values), c = add user_email and drop email (3 non-null values lost), s = skip (hold the column)? [r/c/S]"
base
rename_email
snapshot
on_tty 'r\n' --db $DB push
check "rename r: offers the choice" out_has "$CHOICE"
check "rename r: the plan line" out_line "  ? rename column users.email → users.user_email"
check "rename r: the plan is shown once" count_is 1 "rename column users.email"
check "rename r: the plan is above the question" before "  ? rename column users.email" "$CHOICE"
check "rename r: exit 0" rc_is 0
check "rename r: renamed, data kept" sql_is "a@x,b@x,c@x" "SELECT group_concat(user_email) FROM (SELECT user_email FROM users ORDER BY id)"
check "rename r: no second question" out_lacks "lose that data"
check "rename r: the outcome last" out_has "applied 2 changes"
on_tty '' --db $DB push
check "rename r: then in sync" both rc_is 0 out_has "in sync: nothing to do"

base
rename_email
snapshot
on_tty 's\n' --db $DB push
check "rename s: exit 3" rc_is 3
check "rename s: says so" out_has "blocked: 1 rename was not answered; nothing was applied"
check "rename s: nothing applied" unchanged
on_tty '' --db $DB push
check "rename EOF: exit 3" rc_is 3
check "rename EOF: nothing applied" unchanged

on_tty 'c\n' --db $DB push
check "rename c: exit 0" rc_is 0
check "rename c: the choice named the loss, no second question" out_lacks "lose that data"
check "rename c: email dropped, user_email added empty" sql_is "1||1
2||2
3||" "SELECT id, user_email, legacy FROM users ORDER BY id"
check "rename c: email is gone" sql_is 0 "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'email'"

# Two candidates for one new column: an answer settles the other.
base
schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      contact: text
YAML
sql "UPDATE users SET legacy = NULL"
sql "ALTER TABLE users ADD COLUMN note TEXT"
on_tty 'r\n' --db $DB push
check "two candidates: the first is asked" out_has "column users.email → users.contact: r = rename it"
check "two candidates: the second is not asked after r" out_lacks "column users.note → users.contact:"
check "two candidates: exit 0" rc_is 0
check "two candidates: email became contact" sql_is "a@x,b@x,c@x" "SELECT group_concat(contact) FROM (SELECT contact FROM users ORDER BY id)"

# --- --force-reset asks.
base
snapshot
on_tty 'n\n' --db $DB push --force-reset
check "reset n: asks" out_has "--force-reset drops every managed table and all their data; continue? [y/N]"
check "reset n: exit 3" rc_is 3
check "reset n: nothing dropped" unchanged
on_tty 'y\n' --db $DB push --force-reset
check "reset y: exit 0" rc_is 0
check "reset y: the table is empty" sql_is 0 "SELECT count(*) FROM users"

# --- Safe changes on a terminal: nothing to ask.
base
schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      email: { type: text, nullable: false }
      legacy: integer
      extra: text
YAML
on_tty '' --db $DB push
check "safe on a terminal: exit 0" rc_is 0
check "safe on a terminal: no question" out_lacks "[y/N]"
check "safe on a terminal: applied" sql_is 1 "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'extra'"

# --- Output redirected away from the terminal: the question could not
# be seen, so it is not asked.
base
drop_legacy
snapshot
printf '' | timeout 120 script -qec "$SCHEMASYNC --db $DB push >redirected.txt" /dev/null >"$TMP/.raw" 2>&1
echo $? >"$TMP/.rc"
cp redirected.txt "$TMP/.out"
check "stdout redirected: exit 3" rc_is 3
check "stdout redirected: no question" out_lacks "[y/N]"
check "stdout redirected: the hint instead" out_has "would lose data (pass --accept-data-loss"
check "stdout redirected: nothing applied" unchanged

# --- JSON on a terminal never asks.
base
drop_legacy
on_tty '' --db $DB push --format json
check "json on a terminal: exit 3" rc_is 3
check "json on a terminal: no question" out_lacks "[y/N]"
check "json on a terminal: nothing applied" sql_is 2 "SELECT count(legacy) FROM users"

# --- Without a terminal: nothing asked, nothing hangs, even with input
# waiting on stdin.
base
drop_legacy
snapshot
timeout 120 "$SCHEMASYNC" --db $DB push </dev/null >"$TMP/.out" 2>"$TMP/.err"
echo $? >"$TMP/.rc"
check "no terminal, destructive: exit 3 without waiting" rc_is 3
check "no terminal, destructive: no question" out_lacks "[y/N]"
printf 'y\ny\ny\n' | timeout 120 "$SCHEMASYNC" --db $DB push >"$TMP/.out" 2>"$TMP/.err"
echo $? >"$TMP/.rc"
check "piped y, destructive: not read as an answer, exit 3" rc_is 3
check "piped y, destructive: nothing applied" unchanged
rename_email
printf 'y\n' | timeout 120 "$SCHEMASYNC" --db $DB push >"$TMP/.out" 2>"$TMP/.err"
echo $? >"$TMP/.rc"
check "piped y, rename: exit 3" rc_is 3
check "piped y, rename: no question, the hint instead" both out_lacks "[y/N]" out_has "or pass --rename users.email=user_email"
check "piped y, rename: nothing applied" unchanged
timeout 120 "$SCHEMASYNC" --db $DB push --force-reset </dev/null >"$TMP/.out" 2>"$TMP/.err"
echo $? >"$TMP/.rc"
check "no terminal, --force-reset: exit 3" rc_is 3
check "no terminal, --force-reset: nothing dropped" unchanged

# --- The same choice and confirmation on PostgreSQL.
pg_ready || exit 0
pg_newdb ss_prompt
PGDB=$DBNAME
PURL=$DB
pq() { pg_q "$1"; }
# is_pg WANT SQL: the rows of SQL are WANT.
is_pg() { [ "$(pq "$2")" = "$1" ]; }
schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      email: { type: text, nullable: false }
      legacy: integer
YAML
ss --db "$PURL" push -q
pq "INSERT INTO users VALUES (1, 'a@x', 1), (2, 'b@x', NULL)" >/dev/null
rename_email
on_tty 'r\n' --db "'$PURL'" push
check "postgres rename r: offers the choice" out_has "column users.email → users.user_email: r = rename it (keeps its values), c = add user_email and drop email (2 non-null values lost), s = skip (hold the column)? [r/c/S]"
check "postgres rename r: exit 0" rc_is 0
check "postgres rename r: data kept" is_pg "a@x,b@x" "SELECT string_agg(user_email, ',' ORDER BY id) FROM users"
drop_legacy_pg() {
	schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      user_email: text
YAML
}
drop_legacy_pg
on_tty 'n\n' --db "'$PURL'" push
check "postgres destructive n: the plan, then the question" before "  ! drop column users.legacy (1 non-null value; undo keeps them)" "apply the changes marked ! and lose that data? [y/N]"
check "postgres destructive n: exit 3" rc_is 3
check "postgres destructive n: nothing applied" is_pg "1" "SELECT count(legacy) FROM users"
on_tty 'y\n' --db "'$PURL'" push
check "postgres destructive y: exit 0" rc_is 0
check "postgres destructive y: the column is gone" is_pg "0" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'legacy'"
psql -X -q -d postgres -c "DROP DATABASE $PGDB" >/dev/null 2>&1
