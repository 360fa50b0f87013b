# push and diff against real SQLite files with rows in them: every class
# of change (SPEC section 4), exit codes (section 2), output (section 5),
# and the data afterwards.
. "$CLI_LIB"
need_sqlite3
DB=db.sqlite

# --- The bundled example: applies, then is in sync, rows or not.
cp -R "$REPO/schemas" schemas
ss --db $DB push
check "example: first push exits 0" rc_is 0
check "example: first push creates the tables" out_has "  + create table post_tags"
check "example: says it applied" out_has "applied 12 changes"
check "example: six tables" sql_is 6 "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
ss --db $DB push
check "example: second push is in sync" both rc_is 0 out_has "in sync: nothing to do"
sql "INSERT INTO organisations (slug, name) VALUES ('acme', 'Acme');
INSERT INTO users (organisation_id, email) VALUES (1, 'a@acme.test');
INSERT INTO posts (organisation_id, author_id, title, slug, body) VALUES (1, 1, 'T', 't', 'B'), (1, 1, 'U', 'u', 'C');
INSERT INTO comments (post_id, author_id, parent_id, body) VALUES (1, 1, NULL, 'c1'), (1, 1, 1, 'c2'), (2, NULL, NULL, 'c3');
INSERT INTO tags (organisation_id, name) VALUES (1, 'news');
INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1), (2, 1);"
check "example: defaults and checks hold for new rows" sql_is "free|5|draft|#888888" \
	"SELECT o.plan, o.seats, p.status, t.colour FROM organisations o, posts p, tags t WHERE p.id = 1"
ss --db $DB diff --exit-code
check "example: with rows, still in sync" both rc_is 0 out_has "in sync: nothing to do"
# Changed checks and new columns rebuild organisations, posts (which
# comments and post_tags reference with ON DELETE CASCADE) and comments
# (which references itself): every row stays.
sed -i 's/"seats > 0"/"seats > 0 AND seats < 1000"/' schemas/accounts.yaml
sed -i 's/"view_count >= 0"/"view_count >= 0 AND view_count < 1000000"/; s/"length(body) > 0"/"length(body) > 1"/' schemas/content.yaml
sed -i 's/^      body:      { type: text, nullable: false }$/&\n      score:     { type: integer, nullable: false, default: 0 }/' schemas/content.yaml
ss --db $DB push
check "example: rebuilds with rows, exit 0" rc_is 0
check "example: the self-referencing table is rebuilt" out_line "  + add check comments_body_not_empty on comments"
check "example: every row stays" sql_is "1|1|2|3|2" \
	"SELECT (SELECT count(*) FROM organisations), (SELECT count(*) FROM users), (SELECT count(*) FROM posts), (SELECT count(*) FROM comments), (SELECT count(*) FROM post_tags)"
check "example: the comment thread stays" sql_is "1|
2|1
3|" "SELECT id, parent_id FROM comments ORDER BY id"
check "example: no foreign key violation" sql_is "" "PRAGMA foreign_key_check"
ss --db $DB push
check "example: after the rebuilds, in sync" both rc_is 0 out_has "in sync: nothing to do"
rm -rf schemas $DB

# --- A table with rows to change.
schema <<'YAML'
tables:
  orgs:
    columns:
      id: { type: integer, primary_key: true }
      name: text
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      email: { type: text, nullable: false }
      age: integer
      org_id: integer
      legacy: text
      blank: text
      code: text
  old_stuff:
    columns:
      id: { type: integer, primary_key: true }
  empty_t:
    columns:
      id: { type: integer, primary_key: true }
YAML
ss --db $DB push -q
check "base schema applies" rc_is 0
sql "INSERT INTO orgs VALUES (1, 'o');
INSERT INTO users (email, age, org_id, legacy, blank, code) VALUES
  ('a@x', 1, 1, 'l1', NULL, 'a'), ('b@x', 2, 1, 'l2', NULL, 'b'), ('c@x', NULL, NULL, NULL, NULL, NULL);
INSERT INTO old_stuff VALUES (1), (2);"
ROWS="1|a@x|1|1|l1||a
2|b@x|2|1|l2||b
3|c@x|||||"

# --- Safe: ALTER TABLE path (create table, add columns, indexes).
schema <<'YAML'
tables:
  orgs:
    columns:
      id: { type: integer, primary_key: true }
      name: text
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      email: { type: text, nullable: false }
      age: integer
      org_id: integer
      legacy: text
      blank: text
      code: text
      nick: text
      karma: { type: integer, nullable: false, default: 7 }
      motto: { type: text, nullable: false, default: "it's'); DROP TABLE users; --" }
    indexes:
      users_age_idx: { columns: [age] }
      users_email_uq: { columns: [email], unique: true }
      users_adult_idx: { columns: [age], where: "age >= 18" }
  old_stuff:
    columns:
      id: { type: integer, primary_key: true }
  empty_t:
    columns:
      id: { type: integer, primary_key: true }
  tags:
    columns:
      id: { type: integer, primary_key: true }
      label: { type: text, nullable: false }
YAML
ss --db $DB push
check "safe adds: exit 0" rc_is 0
check "safe adds: create table line" out_line "  + create table tags"
check "safe adds: nullable column line" out_line "  + add column users.nick"
check "safe adds: NOT NULL column with default line" out_line "  + add column users.karma"
check "safe adds: index line" out_line "  + create index users_age_idx on users (age)"
check "safe adds: unique index line" out_line "  + create unique index users_email_uq on users (email)"
check "safe adds: partial index line" out_line "  + create index users_adult_idx on users (age) where age >= 18"
check "safe adds: applied line" out_has "applied 7 changes"
check "safe adds: rows kept, defaults filled in" sql_is "1|a@x|1|1|l1||a||7|it's'); DROP TABLE users; --
2|b@x|2|1|l2||b||7|it's'); DROP TABLE users; --
3|c@x|||||||7|it's'); DROP TABLE users; --" "SELECT * FROM users ORDER BY id"
check "safe adds: the indexes exist" sql_is "users_adult_idx|1
users_age_idx|0
users_email_uq|1" "SELECT name, sql LIKE '%WHERE age >= 18' OR sql LIKE 'CREATE UNIQUE%' FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'users' ORDER BY name"
check "safe adds: the unique index is enforced" sh -c '! sqlite3 db.sqlite "INSERT INTO users (email) VALUES ('"'a@x'"')" 2>/dev/null'
check "safe adds: the new table exists" sql_is 0 "SELECT count(*) FROM tags"
ss --db $DB push
check "safe adds: second push in sync" both rc_is 0 out_has "in sync: nothing to do"

# --- Safe: rebuild path (check, foreign key, drop not null) and safe drops.
schema <<'YAML'
tables:
  orgs:
    columns:
      id: { type: integer, primary_key: true }
      name: text
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      email: text
      age: integer
      org_id: { type: integer, references: orgs.id, on_delete: set null }
      legacy: text
      code: text
      nick: text
      karma: { type: integer, nullable: false, default: 7 }
      motto: { type: text, nullable: false, default: "it's'); DROP TABLE users; --" }
    indexes:
      users_age_idx: { columns: [age] }
      users_email_uq: { columns: [email], unique: true }
      users_adult_idx: { columns: [age], where: "age >= 18" }
    checks:
      users_karma_pos: "karma > 0"
  old_stuff:
    columns:
      id: { type: integer, primary_key: true }
  tags:
    columns:
      id: { type: integer, primary_key: true }
      label: { type: text, nullable: false }
YAML
ss --db $DB push -v
check "safe rebuild: exit 0" rc_is 0
check "safe rebuild: drop not null line" out_line "  ~ alter column users.email: drop not null"
check "safe rebuild: foreign key line" out_line "  + add foreign key users_org_id_fkey on users (org_id) → orgs (id)"
check "safe rebuild: check line" out_line "  + add check users_karma_pos on users"
check "safe drop: all-NULL column is safe" out_line "  - drop column users.blank (no data)"
check "safe drop: empty table is safe" out_line "  - drop table empty_t (no rows)"
check "safe rebuild: -v shows the rebuild SQL" out_has 'INSERT INTO temp."users__ss_old"'
check "safe rebuild: rows kept" sql_is "1|a@x|1|1|l1|a|7
2|b@x|2|1|l2|b|7
3|c@x|||||7" "SELECT id, email, age, org_id, legacy, code, karma FROM users ORDER BY id"
check "safe rebuild: the check is enforced" sh -c '! sqlite3 db.sqlite "INSERT INTO users (karma) VALUES (0)" 2>/dev/null'
check "safe rebuild: the foreign key is declared" sql_is "orgs|org_id|id|SET NULL" \
	"SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('users')"
check "safe rebuild: the indexes were recreated" sql_is 3 "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'users' AND name NOT LIKE 'sqlite_%'"
check "safe drop: the empty table is gone" sql_is 0 "SELECT count(*) FROM sqlite_schema WHERE name = 'empty_t'"
check "safe rebuild: AUTOINCREMENT goes on" sql_is 4 "INSERT INTO users (email) VALUES ('d@x') RETURNING id"
sql "DELETE FROM users WHERE id = 4"
ss --db $DB push
check "safe rebuild: second push in sync" both rc_is 0 out_has "in sync: nothing to do"

# --- Destructive: blocked with nothing applied, then applied with
# --accept-data-loss. The same push carries a safe change (all or nothing).
DESTRUCTIVE=$(cat <<'YAML'
tables:
  orgs:
    columns:
      id: { type: integer, primary_key: true }
      name: text
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      email: text
      age: integer
      org_id: { type: integer, references: orgs.id, on_delete: set null }
      code: integer
      nick: text
      karma: { type: integer, nullable: false, default: 7 }
      motto: { type: text, nullable: false, default: "it's'); DROP TABLE users; --" }
      extra: real
    indexes:
      users_age_idx: { columns: [age] }
      users_email_uq: { columns: [email], unique: true }
      users_adult_idx: { columns: [age], where: "age >= 18" }
    checks:
      users_karma_pos: "karma > 0"
  tags:
    columns:
      id: { type: integer, primary_key: true }
      label: { type: text, nullable: false }
  brand_new:
    columns:
      id: { type: integer, primary_key: true }
      name: text
YAML
)
echo "$DESTRUCTIVE" | schema
sql "CREATE VIEW old_view AS SELECT id FROM old_stuff"
snapshot
ss --db $DB push
check "destructive: blocked, exit 3" rc_is 3
check "destructive: drop column says how many values" out_line "  ! drop column users.legacy (2 non-null values; undo keeps them)"
check "destructive: drop table says how many rows" out_line "  ! drop table old_stuff (2 rows; undo keeps its rows)"
# SQLite keeps 'a' and 'b' as text in an integer column: nothing lost.
check "destructive: a type change that keeps every value is safe" out_line "  ~ alter column users.code: type text → integer"
check "destructive: the safe changes are listed" out_line "  + create table brand_new"
check "destructive: says why and how to go on" out_has "blocked: 2 changes would lose data (pass --accept-data-loss, or answer y on a terminal); nothing was applied"
check "destructive: nothing applied, safe changes neither" unchanged
ss --db $DB push --dry-run
check "destructive: --dry-run exits 0" rc_is 0
check "destructive: --dry-run shows the held SQL" out_has '      DROP TABLE "old_stuff"'
check "destructive: --dry-run changes nothing" unchanged
ss --db $DB push --accept-data-loss
check "destructive: --accept-data-loss applies, exit 0" rc_is 0
check "destructive: --accept-data-loss says it applied" out_has "applied 5 changes"
check "destructive: the column is gone, rows kept" sql_is "1|a@x|a|
2|b@x|b|
3|c@x||" "SELECT id, email, code, extra FROM users ORDER BY id"
check "destructive: legacy column dropped" sql_is 0 "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'legacy'"
check "destructive: the table is dropped" sql_is 0 "SELECT count(*) FROM sqlite_schema WHERE name = 'old_stuff'"
check "destructive: a view over the dropped table is left alone" sql_is 1 "SELECT count(*) FROM sqlite_schema WHERE name = 'old_view'"
check "destructive: the safe table is created" sql_is 1 "SELECT count(*) FROM sqlite_schema WHERE name = 'brand_new'"
ss --db $DB push
check "destructive: second push in sync" both rc_is 0 out_has "in sync: nothing to do"

# --- Unexecutable: never applied, whatever the flags.
BASE=$(sed -n '/^tables:/,$p' schemas/app.yaml)
unexec() { # NAME LINE: the last schema() must be held as LINE
	snapshot
	ss --db $DB push --accept-data-loss
	check "unexecutable $1: exit 3 even with --accept-data-loss" rc_is 3
	check "unexecutable $1: says why and how many" out_line "$2"
	check "unexecutable $1: blocked line" out_has "cannot run on the data there; nothing was applied"
	check "unexecutable $1: nothing applied" unchanged
}
echo "$BASE" | sed 's/^      extra: real$/      extra: real\n      must: { type: text, nullable: false }/' | schema
unexec "NOT NULL column without default" "  ✗ add column users.must (NOT NULL without a default, and the table has 3 rows)"
echo "$BASE" | sed 's/^      age: integer$/      age: { type: integer, nullable: false }/' | schema
unexec "set NOT NULL over NULLs" "  ✗ alter column users.age: set not null (1 row has NULL)"
sql "UPDATE users SET nick = 'same' WHERE id < 3"
echo "$BASE" | sed 's/^    indexes:$/    indexes:\n      users_nick_uq: { columns: [nick], unique: true }/' | schema
unexec "unique index over duplicates" "  ✗ create unique index users_nick_uq on users (nick) (2 rows share their values with others)"
ss --db $DB push --accept-data-loss --format json
check "json is valid: unexecutable" json_valid
check "unexecutable: json exit 3" both rc_is 3 out_has '"class":"unexecutable"'
check "unexecutable: json names the count" out_has '"detail":"2 rows share their values with others","count":2,"held":true'
check "unexecutable: json, the held change carries its SQL" out_has '"held":true,"sql":["CREATE UNIQUE INDEX \"users_nick_uq\" ON \"users\" (\"nick\")"]'
echo "$BASE" | sed 's/^      age: integer$/      age: { type: integer, nullable: false }/; s/^      code: integer$/      code: text/' | schema
ss --db $DB push --accept-data-loss --format json
check "json is valid: unexecutable and destructive" json_valid
check "unexecutable and destructive: json exit 3" rc_is 3
check "unexecutable and destructive: the rebuild SQL is shown for both" sh -c '[ "$(grep -o "\"sql\":\[\"CREATE TEMP TABLE \\\\\"users__ss_old" .out | wc -l)" -eq 2 ]'
check "unexecutable and destructive: nothing applied" unchanged
echo "$BASE" | schema
ss --db $DB push
check "unexecutable: back to in sync" both rc_is 0 out_has "in sync: nothing to do"

# --- --dry-run, --exit-code and diff.
echo "$BASE" | sed 's/^      extra: real$/      extra: real\n      extra2: integer/' | schema
snapshot
ss --db $DB push --dry-run
check "dry-run: exit 0" rc_is 0
check "dry-run: prints the SQL" out_line '      ALTER TABLE "users" ADD COLUMN "extra2" INTEGER'
check "dry-run: says nothing was applied" out_has "dry run: 1 change, nothing applied"
check "dry-run: changes nothing" unchanged
sed 's/ ([0-9]* ms)$//' .out >dry.txt
ss --db $DB push --dry-run --exit-code
check "dry-run --exit-code: 4 when there are changes" rc_is 4
ss --db $DB diff
check "diff: exit 0" rc_is 0
check "diff: the same as push --dry-run" sh -c 'sed "s/ ([0-9]* ms)$//" .out | cmp -s - dry.txt'
ss --db $DB diff --exit-code
check "diff --exit-code: 4 when there are changes" rc_is 4
check "diff: changes nothing" unchanged
ss --db $DB push --exit-code
check "push --exit-code without --dry-run: usage error" both rc_is 2 err_has "--exit-code goes with --dry-run"
ss --db $DB push -q
check "-q push: exit 0, silent" rc_is 0
check "-q push: silent" out_empty
check "-q push: applied" sql_is 1 "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'extra2'"
ss --db $DB push --dry-run --exit-code
check "dry-run --exit-code: 0 when in sync" both rc_is 0 out_has "in sync: nothing to do"
ss --db $DB diff --exit-code
check "diff --exit-code: 0 when in sync" rc_is 0

# --- JSON.
sql "UPDATE users SET extra2 = 5 WHERE id = 1"
BASE=$(sed -n '/^tables:/,$p' schemas/app.yaml)
echo "$BASE" | sed '/^      extra2: integer$/d' | schema
ss --db $DB push --format json
check "json is valid: blocked" json_valid
check "json: blocked exit 3" rc_is 3
check "json: one line" sh -c '[ "$(wc -l <.out)" -eq 1 ]'
check "json: an object from database to exit" sh -c 'grep -qx "{\"database\":\"db.sqlite\",\"changes\":\[.*\],\"reason\":\"[^\"]*\",\"applied\":false,\"blocked\":1,\"elapsed_ms\":[0-9.]*,\"exit\":3}" .out'
check "json: the held change carries its SQL" out_has '{"op":"drop_column","table":"users","column":"extra2","class":"destructive","summary":"drop column users.extra2 (1 non-null value)","detail":"1 non-null value","count":1,"held":true,"sql":["CREATE TEMP TABLE \"users__ss_old\"'
ss --db $DB push --format json --dry-run --exit-code
check "json is valid: dry run" json_valid
check "json: dry-run --exit-code exit 4" both rc_is 4 out_has '"exit":4}'
check "json: dry-run carries SQL" out_has '"INSERT INTO temp.\"users__ss_old\" (\"id\", \"email\"'
ss --db $DB push --format json --accept-data-loss
check "json is valid: applied" json_valid
check "json: applied exit 0" both rc_is 0 out_has '"applied":true,"blocked":0,'
check "json: applied says exit 0" out_has '"exit":0}'
ss --db $DB push --format json
check "json is valid: in sync" json_valid
check "json: in sync" both rc_is 0 out_has '{"database":"db.sqlite","changes":[],"applied":false,"blocked":0,'

# --- A failing statement: exit 1, everything rolled back, the statement shown.
echo "$BASE" | sed '/^      extra2: integer$/d' >base.yaml
{ cat base.yaml; cat <<'YAML'
  another:
    columns:
      id: { type: integer, primary_key: true }
      a: text
  broken:
    columns:
      id: { type: integer, primary_key: true }
      b: blob
    checks:
      broken_bad: "no_such_column > 0"
YAML
} | schema
snapshot
ss --db $DB push
check "failing statement: exit 1" rc_is 1
check "failing statement: says what failed" err_has "no such column: no_such_column"
check "failing statement: prints the statement" err_has 'CONSTRAINT "broken_bad" CHECK (no_such_column > 0)'
check "failing statement: everything rolled back" unchanged
ss --db $DB push --format json
check "json is valid: a failing statement" json_valid
check "failing statement: json exit 1" rc_is 1
check "failing statement: json error object" out_has '{"event":"error","error":"statement failed: no such column: no_such_column\n  statement: CREATE TABLE'
check "failing statement: json says exit 1" out_has '"exit":1}'
check "failing statement: json, still nothing applied" unchanged

# --- The database file: push creates it when missing; diff and pull,
# which only read, fail on it; a missing folder is an error.
schema <base.yaml
ss --db new.db diff --exit-code
check "missing file: diff fails, exit 1" both rc_is 1 err_has "opening SQLite database 'new.db': no such file (only push, watch and migrate create one)"
check "missing file: diff does not create it" test ! -e new.db
ss --db new.db push --dry-run
check "missing file: push --dry-run plans against an empty database" both rc_is 0 out_line "  + create table users"
check "missing file: push --dry-run does not create it" test ! -e new.db
ss --db new.db pull --out pulled
check "missing file: pull fails, exit 1" rc_is 1
check "missing file: pull does not create it, nor write a schema" sh -c "test ! -e new.db && test ! -e pulled"
ss --db new.db push -q
check "missing file: created, exit 0" rc_is 0
DB=new.db
check "missing file: the tables are there" sql_is 1 "SELECT count(*) FROM sqlite_schema WHERE name = 'users'"
DB=db.sqlite
ss --db sqlite:no/such/dir/x.db push
check "missing folder: exit 1" rc_is 1
check "missing folder: says which folder is missing" err_has "opening SQLite database 'no/such/dir/x.db': folder 'no/such/dir' does not exist"
check "missing folder: nothing created" test ! -e no

# --- Another writer holds the database: the push waits for it (BEGIN
# IMMEDIATE with a busy timeout) instead of failing, and applies on top.
{ cat base.yaml; printf '  waited:\n    columns:\n      id: { type: integer, primary_key: true }\n'; } | schema
# The writer holds its transaction until told (a sqlite3 shell reading a
# fifo), and is seen holding the lock before the push starts; the pause
# before it commits only makes the push wait (well under its 5 s busy
# timeout), nothing asserted depends on its length. The writer waits for
# the lock itself (.timeout): the check that it holds the lock takes it
# for an instant, and a writer that met that instant without waiting
# never held it (seen once under load).
mkfifo lock.in
sqlite3 -cmd ".timeout 60000" $DB <lock.in >/dev/null 2>&1 &
locker=$!
exec 4>lock.in
echo "BEGIN IMMEDIATE; INSERT INTO tags VALUES (77, 'locker');" >&4
locked() { ! sqlite3 -cmd ".timeout 0" $DB "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; }
i=0
while ! locked && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
check "another writer: it holds the write lock" locked
"$SCHEMASYNC" --db $DB push >"$TMP/.out" 2>"$TMP/.err" &
pusher=$!
sleep 0.5
echo "COMMIT;" >&4
exec 4>&-
wait $locker
wait $pusher
echo $? >"$TMP/.rc"
check "another writer: the push waits and applies" both rc_is 0 out_line "  + create table waited"
check "another writer: its row and the new table are both there" sql_is "locker|0" "SELECT label, (SELECT count(*) FROM waited) FROM tags WHERE id = 77"
schema <base.yaml
ss --db $DB push -q
check "another writer: back to base" rc_is 0

# --- ignore_tables: never dropped.
sql "CREATE TABLE _private (a); INSERT INTO _private VALUES (1);
CREATE TABLE keep_me (b); INSERT INTO keep_me VALUES (2);"
printf 'ignore_tables: ["_*", keep_me]\n' >schemasync.yaml
ss --db $DB push --accept-data-loss
check "ignore_tables: in sync" both rc_is 0 out_has "in sync: nothing to do"
check "ignore_tables: the tables are left" sql_is "1|2" "SELECT a, b FROM _private, keep_me"
rm schemasync.yaml
ss --db $DB push
check "ignore_tables: without the config they are managed" both rc_is 3 out_line "  ! drop table keep_me (1 row; undo keeps its rows)"
sql "DROP TABLE _private; DROP TABLE keep_me;"

# --- Unmanaged objects: views, triggers, virtual tables are left alone.
sql "CREATE VIEW user_emails AS SELECT email FROM users;
CREATE TABLE log (msg TEXT);
CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN INSERT INTO log VALUES (new.email); END;
CREATE VIRTUAL TABLE docs USING fts5(body);
INSERT INTO docs VALUES ('hello world');"
{ cat base.yaml; cat <<'YAML'
  log:
    columns:
      msg: text
YAML
} | schema
ss --db $DB push -v --accept-data-loss
check "unmanaged: in sync" both rc_is 0 out_has "in sync: nothing to do"
check "unmanaged: -v counts them as SPEC 3 says" out_line "left alone: 2 views, 1 trigger, 1 virtual table, 5 shadow tables"
check "unmanaged: -v names the view" out_line "  view 'user_emails'"
check "unmanaged: -v names the trigger" out_has "trigger 'users_ai'"
check "unmanaged: -v names the virtual table" out_has "virtual table 'docs'"
check "unmanaged: no FTS shadow table is a change" out_lacks "drop table docs"
echo "$BASE" | sed '/^      extra2: integer$/d' | sed 's/^      extra: real$/      extra: integer/' | sed '/^  log:/,$d' >base2.yaml
{ cat base2.yaml; cat <<'YAML'
  log:
    columns:
      msg: text
YAML
} | schema
ss --db $DB push --accept-data-loss
check "unmanaged: a rebuild of users applies" rc_is 0
check "unmanaged: the view is kept and works" sql_is "a@x
b@x
c@x" "SELECT * FROM user_emails ORDER BY 1"
check "unmanaged: the virtual table is kept" sql_is "hello world" "SELECT body FROM docs WHERE docs MATCH 'hello'"
sql "INSERT INTO users (email) VALUES ('t@x')"
check "unmanaged: the trigger is kept and fires" sql_is "t@x" "SELECT msg FROM log"
ss --db $DB push
check "unmanaged: second push in sync" both rc_is 0 out_has "in sync: nothing to do"

# --- Identifiers and defaults that look like SQL inject nothing.
DB=odd.db
schema <<'YAML'
tables:
  'x"; DROP TABLE users; --':
    columns:
      id: { type: integer, primary_key: true }
      'c"; DROP TABLE users; --': { type: text, default: "'); DROP TABLE users; --" }
    indexes:
      'i"; DROP INDEX x; --': { columns: ['c"; DROP TABLE users; --'] }
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
ss --db $DB push
check "odd names: exit 0" rc_is 0
check "odd names: the line names the table" out_line '  + create table x"; DROP TABLE users; --'
sql "INSERT INTO users VALUES (1); INSERT INTO \"x\"\"; DROP TABLE users; --\" (id) VALUES (1);"
check "odd names: the default is a string" sql_is "1|'); DROP TABLE users; --" 'SELECT * FROM "x""; DROP TABLE users; --"'
check "odd names: all three objects" sql_is "i\"; DROP INDEX x; --
users
x\"; DROP TABLE users; --" "SELECT name FROM sqlite_schema ORDER BY name"
ss --db $DB push
check "odd names: second push in sync" both rc_is 0 out_has "in sync: nothing to do"
schema <<'YAML'
tables:
  'x"; DROP TABLE users; --':
    columns:
      id: { type: integer, primary_key: true }
      'c"; DROP TABLE users; --': { type: text, default: "'); DROP TABLE users; --" }
      'd"; --': { type: integer, nullable: false, default: 0 }
    checks:
      'k"; DROP TABLE users; --': "id > 0"
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
ss --db $DB push --dry-run --format json
check "odd names: json dry run" rc_is 0
check "json is valid: odd names" json_valid
check "odd names: json escapes the name" out_has '"table":"x\"; DROP TABLE users; --"'
ss --db $DB push
check "odd names: a rebuild works" rc_is 0
check "odd names: rows kept, users intact" sql_is "1|'); DROP TABLE users; --|0|1" 'SELECT x.*, u.id FROM "x""; DROP TABLE users; --" x, users u'
ss --db $DB push
check "odd names: in sync after the rebuild" both rc_is 0 out_has "in sync: nothing to do"

# --- Enums on SQLite (TEXT with CHECK): values added and removed.
DB=enum.db
enum_schema() { # $1: the enum's values; $2: the type of mood
	schema <<YAML
enums:
  role: [$1]
tables:
  members:
    columns:
      id: { type: integer, primary_key: true }
      role: { type: role, nullable: false, default: member }
      alt: role
      mood: $2
YAML
}
enum_schema "admin, member, guest" text
ss --db $DB push -q
sql "INSERT INTO members VALUES (1, 'admin', 'guest', 'happy'), (2, 'guest', 'admin', NULL), (3, 'member', NULL, 'sad');"
enum_schema "admin, member, guest, owner" text
ss --db $DB push
check "enum value added: safe, exit 0" both rc_is 0 out_has "  ~ alter column members.role"
check "enum value added: usable" sql_is "owner" "UPDATE members SET alt = 'owner' WHERE id = 3 RETURNING alt"
check "enum value added: rows kept" sql_is "1|admin|guest
2|guest|admin
3|member|owner" "SELECT id, role, alt FROM members ORDER BY id"
enum_schema "admin, member, owner" "{ type: role }"
snapshot
ss --db $DB push
check "enum value removed: in use, destructive" both rc_is 3 out_line "  ! alter column members.role: type role → role (1 row uses removed values; undo keeps them)"
check "enum value removed: the nullable column too" out_has "  ! alter column members.alt: type role → role (1 row uses removed values; undo keeps them)"
check "text to enum: values outside it are lost" out_has "  ! alter column members.mood: type text → role"
check "enum value removed: nothing applied" unchanged
ss --db $DB push --accept-data-loss
check "enum value removed: --accept-data-loss applies" rc_is 0
check "enum value removed: a removed value becomes the default, or NULL" sql_is "1|admin||
2|member|admin|
3|member|owner|" "SELECT id, role, alt, mood FROM members ORDER BY id"
check "enum value removed: the new CHECK holds" sh -c '! sqlite3 enum.db "UPDATE members SET role = '"'guest'"'" 2>/dev/null'
ss --db $DB push
check "enum value removed: then in sync" both rc_is 0 out_has "in sync: nothing to do"
DB=db.sqlite

# --- Type changes lose only what the new affinity rewrites (README,
# SQLite specifics): a REAL that TEXT cannot hold exactly, an INTEGER
# beyond 2^53 as REAL (bigint reads back as integer: one affinity), a
# value outside a boolean's 0 and 1. Integers become text unchanged.
DB=affinity.db
schema <<'YAML'
tables:
  m:
    columns:
      id: { type: integer, primary_key: true }
      r: double
      big: bigint
      flag: integer
YAML
ss --db $DB push -q
sql "INSERT INTO m VALUES (1, 0.1 + 0.2, 9007199254740993, 1), (2, 1.5, 5, 0), (3, NULL, NULL, 7)"
schema <<'YAML'
tables:
  m:
    columns:
      id: { type: integer, primary_key: true }
      r: text
      big: double
      flag: boolean
YAML
snapshot
ss --db $DB push
check "affinity: blocked, exit 3" rc_is 3
check "affinity: a real TEXT cannot hold" out_line "  ! alter column m.r: type double → text (2 non-null values, 1 would not survive the type change; undo keeps them)"
check "affinity: an integer REAL cannot hold" out_line "  ! alter column m.big: type integer → double (2 non-null values, 1 would not survive the type change; undo keeps them)"
check "affinity: a value outside 0 and 1" out_line "  ! alter column m.flag: type integer → boolean (3 non-null values, 1 would not survive the type change; undo keeps them)"
check "affinity: nothing applied" unchanged
schema <<'YAML'
tables:
  m:
    columns:
      id: { type: integer, primary_key: true }
      r: double
      big: text
      flag: text
YAML
ss --db $DB push
check "affinity: integers as text are kept, safe" both rc_is 0 out_lacks "  ! "
check "affinity: the values as text" sql_is "1|9007199254740993|text|1
2|5|text|0
3||null|7" "SELECT id, big, typeof(big), flag FROM m ORDER BY id"
DB=db.sqlite

# A unique index on a column whose name is not a plain identifier: its
# duplicates are counted (not "unknown"), none here, so it is made.
DB=spaced.db
cat >spaced.yaml <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      "grp id": integer
YAML
ss --db $DB --schema spaced.yaml push
sql_to() { sqlite3 "$DB" "$1"; }
sql_to "INSERT INTO t VALUES (1, 1), (2, 2)"
cat >>spaced.yaml <<'YAML'
    indexes:
      t_g: { columns: ["grp id"], unique: true }
YAML
ss --db $DB --schema spaced.yaml push
check "unique index on a spaced column name: made" both rc_is 0 out_has "+ create unique index t_g"
sql_to "DROP INDEX t_g; INSERT INTO t VALUES (3, 1)"
ss --db $DB --schema spaced.yaml push
check "unique index on a spaced column name: its duplicates counted" both rc_is 3 out_has "(2 rows share their values with others)"
