# Migration files: generate, migrate, status, rollback, and the journal
# table that push, diff, pull and watch never see. Every check runs on
# SQLite and on the PostgreSQL server of `make test`.
. "$CLI_LIB"
need_sqlite3

dialects_init ss_mig
newdb() { dual_newdb; }
q() { dual_q "$1"; }
q_is() { dual_q_is "$1" "$2"; }
# A fresh project folder for each scenario.
project() {
	cd "$TMP" || exit 1
	rm -rf proj
	mkdir -p proj/schemas
	cd proj || exit 1
}
s() { cat >schemas/app.yaml; }
sm() { ss --db "$DB" "$@"; }
# file_has FILE PATTERN (grep -E).
file_has() { grep -qE -- "$2" "$1"; }
# body FILE: a snapshot without its header comments.
body() { grep -v '^#' "$1"; }

for D in $DIALECTS; do
T0=$T
T="$T0 [$D]"

# 1. The journal table is schemasync's own: diff, pull and -v leave it out.
project
newdb
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
sm push
q "CREATE TABLE schemasync_migrations (name text PRIMARY KEY, checksum text NOT NULL, applied_at text NOT NULL, duration_ms integer NOT NULL)" >/dev/null
sm -v diff --exit-code
check "diff: the journal table is no change" rc_is 0
check "diff -v: the journal table is not named" out_lacks "schemasync_migrations"
sm -v pull --out pulled
check "pull: nor left alone" both rc_is 0 out_lacks "schemasync_migrations"
check "pull: the journal table is not written" eval '! grep -q schemasync_migrations pulled/schema.yaml'
sm push
check "push: the journal table stays" q_is "SELECT count(*) FROM schemasync_migrations" "0"

# 1b. A file generate wrote for the other dialect is refused before it
# runs: its types would mean other things here.
case $D in
sqlite) other=postgres ;;
*) other=sqlite ;;
esac
project
newdb
s <<'YAML'
tables:
  flags:
    columns:
      id: { type: integer, primary_key: true }
      active: { type: boolean, default: false }
YAML
ss generate --name init --dialect $other
sm migrate
check "migrate: a file for the other dialect exits 2" both rc_is 2 err_has "migrations/0001_init.sql was written for $other, and this database is $D; nothing was run"
check "migrate: ...and nothing ran" eval '! q "SELECT count(*) FROM flags" 2>/dev/null | grep -qx 0'
sm migrate --fake 0001
sm rollback
check "rollback: a file for the other dialect exits 2" both rc_is 2 err_has "nothing was rolled back"

T=$T0
done

for D in $DIALECTS; do
T0=$T
T="$T0 [$D]"

# 2. generate: no database; the plan as comments, up and down, snapshots.
project
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      email: { type: text, nullable: false }
YAML
ss generate --dialect $D
check "generate: needs --name" both rc_is 2 err_has "--name"
ss generate --name init --dialect $D
check "generate: writes 0001" both rc_is 0 out_has "wrote migrations/0001_init.sql"
check "generate: the plan as comments" grep -qF -- "--   + create table users" migrations/0001_init.sql
check "generate: up section" grep -q "^-- schemasync:up$" migrations/0001_init.sql
check "generate: down drops, saying the data cannot come back" grep -q "drop table users.*cannot come back" migrations/0001_init.sql
check "generate: a snapshot beside" test -f migrations/0001_init.snapshot.yaml
ss generate --name nothing --dialect $D
check "generate: nothing to do" both rc_is 0 out_is "no changes"
check "generate: nothing to do writes no file" test ! -e migrations/0002_nothing.sql
ss generate --name by_hand --empty --dialect $D
check "generate --empty: exit 0" rc_is 0
check "generate --empty: writes both sections" file_has migrations/0002_by_hand.sql "^-- schemasync:down$"
check "generate --empty: carries the snapshot forward" eval '[ "$(body migrations/0001_init.snapshot.yaml)" = "$(body migrations/0002_by_hand.snapshot.yaml)" ]'
# A rename: unanswered is exit 3 and no file; answered it is a RENAME.
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      mail: { type: text, nullable: false }
YAML
ss generate --name rename --dialect $D
check "generate: unanswered rename exits 3" both rc_is 3 err_has "--rename users.email=mail"
check "generate: unanswered rename writes nothing" test ! -e migrations/0003_rename.sql
ss generate --name rename --dialect $D --rename users.email=mail
check "generate --rename: exit 0" rc_is 0
check "generate --rename: renames" file_has migrations/0003_rename.sql 'RENAME COLUMN "email" TO "mail"'
check "generate --rename: down renames back" grep -q 'RENAME COLUMN "mail" TO "email"' migrations/0003_rename.sql
# Files that do not check: refused with the diagnostics.
echo "tables: { users: { columns: { id: { type: intger } } } }" >schemas/app.yaml
ss generate --name broken --dialect $D
check "generate: files that do not check are refused" both rc_is 2 err_has "app.yaml:1:"
check "generate: ...and nothing is written" test ! -e migrations/0004_broken.sql
T=$T0
done

# The dialect from the URL's kind, never connected to.
project
s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
YAML
ss --db "postgresql://nobody@nohost.invalid/x" generate --name init
check "generate: PostgreSQL from the URL, no connection" rc_is 0
check "generate: ...writes PostgreSQL's SQL" file_has migrations/0001_init.sql "GENERATED BY DEFAULT AS IDENTITY"
rm -rf migrations
ss --db "sqlite:never.db" generate --name init
check "generate: SQLite from the URL" rc_is 0
check "generate: ...file not created" test ! -e never.db
ss generate --name other
check "generate: no dialect at all" both rc_is 2 err_has "--dialect"
# Two branches each added 0002: generate names both and how to renumber.
cp migrations/0001_init.sql migrations/0002_a.sql
cp migrations/0001_init.sql migrations/0002_b.sql
cp migrations/0001_init.snapshot.yaml migrations/0002_b.snapshot.yaml
ss generate --name next --dialect sqlite
check "generate: a shared number is refused" both rc_is 2 err_has "migrations/0002_a.sql and migrations/0002_b.sql share the number 0002"
check "generate: ...saying how to renumber" err_has "it becomes 0003_b"
ss check
check "check: a shared number is refused too" both rc_is 2 err_has "migrations/0002_a.sql and migrations/0002_b.sql share the number 0002"

for D in $DIALECTS; do
T0=$T
T="$T0 [$D]"

# 3. migrate: apply in order, the journal, --dry-run, --to, --fake,
# edited files, a failing statement.
project
newdb
s <<'YAML'
enums:
  role: [admin, member]
tables:
  users:
    columns:
      id: { type: bigint, primary_key: true, autoincrement: true }
      email: { type: text, nullable: false, unique: true }
      role: { type: role, nullable: false, default: member }
YAML
ss generate --name init --dialect $D
cat >>schemas/app.yaml <<'YAML'
  posts:
    columns:
      id: { type: bigint, primary_key: true, autoincrement: true }
      user_id: { type: bigint, nullable: false, references: users.id, on_delete: cascade }
      title: text
    indexes:
      posts_user: { columns: [user_id] }
YAML
ss generate --name posts --dialect $D
sm migrate --dry-run
check "migrate --dry-run: says what would run" both rc_is 0 out_has "would apply migrations/0002_posts.sql:"
if [ "$D" = sqlite ]; then
	# Nothing written: the file a dry run opened is not left behind.
	check "migrate --dry-run: the database is still empty" [ ! -e "$DBFILE" ]
else
	sm diff --exit-code
	check "migrate --dry-run: the database is still empty" rc_is 4
fi
sm migrate --to 0001
check "migrate --to: applies up to it" both rc_is 0 out_has "applied 0001_init ("
check "migrate --to: ...and no further" out_lacks "0002"
sm migrate
check "migrate: applies the rest" both rc_is 0 out_has "applied 0002_posts"
check "migrate: the journal has each" q_is "SELECT name FROM schemasync_migrations ORDER BY name" "0001_init
0002_posts"
check "migrate: the journal has a checksum, a time and a duration" eval 'q "SELECT checksum, applied_at, duration_ms FROM schemasync_migrations WHERE name = '"'0001_init'"'" | grep -qE "^[0-9a-f]{16}\|20[0-9-]+T[0-9:]+Z\|[0-9]+$"'
sm diff --exit-code
check "migrate then diff: in sync, as push would be" both rc_is 0 out_has "in sync"
sm migrate
check "migrate: nothing pending" both rc_is 0 out_has "nothing to migrate"
# A failing statement: rolled back, journal unchanged, FILE:LINE named.
ss generate --name bad --empty --dialect $D
cat >migrations/0003_bad.sql <<'SQL'
-- schemasync:up
CREATE TABLE extra (id integer);

INSERT INTO nosuchtable VALUES (1);
-- schemasync:down
DROP TABLE extra;
SQL
sm migrate
check "migrate: a failing statement exits 1" rc_is 1
check "migrate: names the file and line" err_has "migrations/0003_bad.sql:4:"
check "migrate: the failed migration is rolled back" eval '! q "SELECT count(*) FROM extra" | grep -qx 0'
check "migrate: the journal is unchanged" q_is "SELECT count(*) FROM schemasync_migrations" "2"
# Line endings converted (a checkout with CRLF) edit nothing.
cp migrations/0001_init.sql "$TMP/0001.lf"
sed 's/$/\r/' "$TMP/0001.lf" >migrations/0001_init.sql
sm status
check "status: a file with CRLF line endings is still applied" both rc_is 0 out_has "applied  0001_init.sql"
check "status: ...not edited" out_lacks "edited"
sm migrate --dry-run
check "migrate: a file with CRLF line endings is not edited" both rc_is 0 err_lacks "edited"
cp "$TMP/0001.lf" migrations/0001_init.sql
# An applied file edited: exit 2 before anything runs.
cat >migrations/0003_bad.sql <<'SQL'
-- schemasync:up
CREATE TABLE extra (id integer);
-- schemasync:down
DROP TABLE extra;
SQL
echo "-- edited" >>migrations/0001_init.sql
sm migrate
check "migrate: an edited file exits 2" both rc_is 2 err_has "migrations/0001_init.sql was edited after it was applied"
check "migrate: ...before anything runs" eval '! q "SELECT count(*) FROM extra" | grep -qx 0'
# A mistyped down marker is refused, not read as a comment that would
# run the down statements with the up ones.
sed -i '/^-- edited$/d' migrations/0001_init.sql
cat >migrations/0003_bad.sql <<'SQL'
-- schemasync:up
CREATE TABLE extra (id integer);
-- schemasync: down
DROP TABLE extra;
SQL
sm migrate
check "migrate: a mistyped marker exits 2" both rc_is 2 err_has "migrations/0003_bad.sql:3:1: error: '-- schemasync: down' is not a section marker"
check "migrate: ...before anything runs" eval '! q "SELECT count(*) FROM extra" | grep -qx 0'
check "migrate: ...and the journal is unchanged" q_is "SELECT count(*) FROM schemasync_migrations" "2"
sed -i 's/^-- schemasync: down$/-- schemasync:down/' migrations/0003_bad.sql
# --fake: a database made by push adopts the migrations.
newdb
sm push
sm migrate --fake 0002
check "migrate --fake: records" both rc_is 0 out_has "recorded 0002_posts"
check "migrate --fake: in the journal" q_is "SELECT count(*) FROM schemasync_migrations" "2"
T=$T0
done

for D in $DIALECTS; do
T0=$T
T="$T0 [$D]"

# 4. status: applied, pending, edited, missing, drift.
project
newdb
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
ss generate --name init --dialect $D
cat >>schemas/app.yaml <<'YAML'
      email: text
YAML
ss generate --name email --dialect $D
sm migrate --to 0001
sm status --exit-code
check "status: pending exits 4" rc_is 4
check "status: lists applied" out_has "applied  0001_init.sql"
check "status: lists pending" out_has "pending  0002_email.sql"
check "status: no drift" out_has "no drift"
sm migrate
sm status --exit-code
check "status: all applied, no drift: exit 0" rc_is 0
q "CREATE TABLE handmade (id integer)" >/dev/null
sm status --exit-code
check "status: drift exits 4" rc_is 4
check "status: names the drift" out_has "handmade"
q "DROP TABLE handmade" >/dev/null
echo "-- edited" >>migrations/0002_email.sql
mv migrations/0001_init.sql migrations/0001_init.sql.gone
sm status --exit-code
check "status: edited exits 4" rc_is 4
check "status: lists edited" out_has "edited   0002_email.sql"
check "status: lists missing" out_has "missing  0001_init.sql"
T=$T0
done

for D in $DIALECTS; do
T0=$T
T="$T0 [$D]"

# 5. rollback: down sections newest first, each with its journal row;
# data loss held (exit 3) unless accepted; the database ends as the
# snapshot before; --steps, --to, --dry-run; refusals before anything runs.
project
newdb
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
ss generate --name init --dialect $D
cat >>schemas/app.yaml <<'YAML'
      bio: text
YAML
ss generate --name bio --dialect $D
sm migrate
q "INSERT INTO users (id, bio) VALUES (1, 'a'), (2, 'b'), (3, NULL)" >/dev/null
sm rollback </dev/null
check "rollback: a down that loses data exits 3 without a terminal" rc_is 3
check "rollback: ...shows the loss with its count, as push does" out_has "! drop column users.bio (2 non-null values)"
check "rollback: ...says how to accept it" out_has "--accept-data-loss"
check "rollback: ...nothing changed" q_is "SELECT count(bio) FROM users" "2"
check "rollback: ...the journal is unchanged" q_is "SELECT name FROM schemasync_migrations ORDER BY name" "0001_init
0002_bio"
sm rollback --dry-run
check "rollback --dry-run: says what would run" both rc_is 0 out_has "would roll back migrations/0002_bio.sql:"
check "rollback --dry-run: ...and what it would lose" out_has "! drop column users.bio (2 non-null values)"
check "rollback --dry-run: ...running nothing" q_is "SELECT count(*) FROM schemasync_migrations" "2"
sm rollback --accept-data-loss
check "rollback --accept-data-loss: rolls back the newest" both rc_is 0 out_has "rolled back 0002_bio (1 statement)"
check "rollback: the journal lost its row" q_is "SELECT name FROM schemasync_migrations" "0001_init"
sm --schema migrations/0001_init.snapshot.yaml diff --exit-code
check "rollback: the database is as the snapshot before describes" both rc_is 0 out_has "in sync"
sm status --exit-code
check "rollback: status: 0002 is pending again" both rc_is 4 out_has "pending  0002_bio.sql"
check "rollback: status: no drift" out_has "no drift"
# --steps and --to; no data: nothing to confirm.
q "DELETE FROM users" >/dev/null
sm migrate
sm rollback --steps 3
check "rollback --steps: more than applied is refused" both rc_is 2 err_has "only 2 migrations are applied"
check "rollback --steps: ...before anything runs" q_is "SELECT count(*) FROM schemasync_migrations" "2"
sm rollback --steps 2
check "rollback --steps 2: both, newest first" both rc_is 0 out_is "rolled back 0002_bio (1 statement)
rolled back 0001_init (1 statement)"
check "rollback --steps 2: the journal is empty" q_is "SELECT count(*) FROM schemasync_migrations" "0"
sm rollback
check "rollback: nothing applied" both rc_is 0 out_has "nothing to roll back"
sm migrate
sm rollback --to 0001
check "rollback --to: rolls back what came after" both rc_is 0 out_is "rolled back 0002_bio (1 statement)"
check "rollback --to: ...and keeps it" q_is "SELECT name FROM schemasync_migrations" "0001_init"
sm rollback --to 0001
check "rollback --to: nothing after it" both rc_is 0 out_has "nothing to roll back"
sm rollback --to 0000
check "rollback --to 0000: everything" both rc_is 0 out_has "rolled back 0001_init"
check "rollback --to 0000: ...no table left" eval '! q "SELECT count(*) FROM users" | grep -qx 0'
sm rollback --to 0001 --steps 1
check "rollback: --to and --steps together are refused" both rc_is 2 err_has "--to and --steps"
# A failing down statement: rolled back, journal unchanged, FILE:LINE.
sm migrate
ss generate --name bad --empty --dialect $D
cat >migrations/0003_bad.sql <<'SQL'
-- schemasync:up
CREATE TABLE extra (id integer);
-- schemasync:down
DROP TABLE extra;

DROP TABLE nosuchtable;
SQL
sm migrate
sm rollback
check "rollback: a failing down statement exits 1" rc_is 1
check "rollback: ...names the file and line" err_has "migrations/0003_bad.sql:6:"
check "rollback: ...its migration is rolled back" q_is "SELECT count(*) FROM extra" "0"
check "rollback: ...the journal is unchanged" q_is "SELECT count(*) FROM schemasync_migrations" "3"
# Edited or missing files: exit 2 before anything runs.
echo "-- edited" >>migrations/0003_bad.sql
sm rollback --steps 2
check "rollback: an edited file exits 2" both rc_is 2 err_has "migrations/0003_bad.sql was edited after it was applied"
check "rollback: ...before anything runs" q_is "SELECT count(*) FROM schemasync_migrations" "3"
mv migrations/0003_bad.sql "$TMP/0003_bad.sql.gone"
sm rollback
check "rollback: a missing file exits 2" both rc_is 2 err_has "0003_bad.sql is applied (in the journal) but its file is missing"
check "rollback: ...before anything runs" q_is "SELECT count(*) FROM schemasync_migrations" "3"
# Renames: a down section that renames back keeps the rows, so there is
# no loss to count or confirm; two renames of one table compose. A down
# section that drops and creates instead still counts its loss, and a
# rename it does not make is no question (rollback takes no --rename).
project
newdb
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      email: text
YAML
ss generate --name init --dialect $D
s <<'YAML'
tables:
  people:
    renamed_from: users
    columns:
      id: { type: integer, primary_key: true }
      mail: { type: text, renamed_from: email }
YAML
ss generate --name people --dialect $D
s <<'YAML'
tables:
  members:
    renamed_from: people
    columns:
      id: { type: integer, primary_key: true }
      mail: text
YAML
ss generate --name members --dialect $D
sm migrate
q "INSERT INTO members (id, mail) VALUES (1, 'a'), (2, 'b'), (3, 'c')" >/dev/null
sm rollback --dry-run --steps 2
check "rollback renames: the dry run finds no loss" both rc_is 0 out_lacks "lose data"
sm rollback </dev/null
check "rollback renames: a rename back needs no confirming" both rc_is 0 out_has "rolled back 0003_members"
check "rollback renames: ...no drop reported" eval '! grep -q "drop table" "$TMP/.out"'
sm rollback --steps 1 </dev/null
check "rollback renames: the second rollback applies too" rc_is 0
check "rollback renames: the table and the column renamed back" q_is "SELECT id || ':' || email FROM users ORDER BY id" "1:a
2:b
3:c"
sm migrate
sm rollback --steps 2 --dry-run
check "rollback renames: two renames of one table compose" both rc_is 0 out_lacks "lose data"
# A down section that drops a table, then renames another onto its name
# (and a column likewise): the loss is the dropped table's rows and the
# dropped column's values, never those of the table renamed.
project
newdb
s <<'YAML'
tables:
  a:
    columns:
      id: { type: integer, primary_key: true }
      x: text
YAML
ss generate --name init --dialect $D
ss generate --name swap --dialect $D --empty
cat >migrations/0002_swap.sql <<'SQL'
-- schemasync:up
ALTER TABLE a RENAME TO b;
CREATE TABLE a (id INTEGER PRIMARY KEY, z TEXT);
ALTER TABLE b ADD COLUMN w TEXT;
ALTER TABLE b RENAME COLUMN x TO v;
ALTER TABLE b RENAME COLUMN w TO x;
-- schemasync:down
DROP TABLE a;
ALTER TABLE b RENAME COLUMN x TO w;
ALTER TABLE b RENAME COLUMN v TO x;
ALTER TABLE b DROP COLUMN w;
ALTER TABLE b RENAME TO a;
SQL
sm migrate
q "INSERT INTO a (id, z) VALUES (1, 'z1'), (2, 'z2'), (3, 'z3')" >/dev/null
q "INSERT INTO b (id, v, x) VALUES (1, 'kept', 'lost')" >/dev/null
sm rollback </dev/null
check "rollback drop+rename: the loss is held (exit 3)" both rc_is 3 out_has "! drop table a (3 rows)"
check "rollback drop+rename: ...and the dropped column's values" out_has "! drop column a.x (1 non-null value)"
check "rollback drop+rename: ...not the renamed table's rows" out_lacks "drop table b"
check "rollback drop+rename: ...nor the kept column" out_lacks "a.z"
sm rollback --accept-data-loss
check "rollback drop+rename: accepted, rolls back" both rc_is 0 out_has "rolled back 0002_swap (5 statements)"
check "rollback drop+rename: the renamed table's rows are kept" q_is "SELECT id || ':' || x FROM a" "1:kept"
# A table renamed onto a dropped name, then dropped in turn and made
# again: its rows are lost too, and so are a column's values the same
# way (each checked on its own migration).
project
newdb
s <<'YAML'
tables:
  a:
    columns:
      id: { type: integer, primary_key: true }
      x: text
      y: text
YAML
ss generate --name init --dialect $D
ss generate --name twice --dialect $D --empty
cat >migrations/0002_twice.sql <<'SQL'
-- schemasync:up
ALTER TABLE a RENAME TO b;
CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT, y TEXT);
-- schemasync:down
DROP TABLE a;
ALTER TABLE b RENAME TO a;
DROP TABLE a;
CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT, y TEXT);
SQL
sm migrate
q "INSERT INTO b (id, x) VALUES (1, 'important')" >/dev/null
sm rollback </dev/null
check "rollback: a table renamed onto a dropped name, then dropped: its rows count" both rc_is 3 out_has "! drop table b (1 row)"
sm rollback --accept-data-loss
check "rollback: ...accepted, rolled back" rc_is 0
rm migrations/0002_twice.sql migrations/0002_twice.snapshot.yaml
ss generate --name cols --dialect $D --empty
cat >migrations/0002_cols.sql <<'SQL'
-- schemasync:up
ALTER TABLE a RENAME COLUMN y TO z;
ALTER TABLE a ADD COLUMN y TEXT;
-- schemasync:down
ALTER TABLE a DROP COLUMN y;
ALTER TABLE a RENAME COLUMN z TO y;
ALTER TABLE a ADD COLUMN w TEXT;
ALTER TABLE a DROP COLUMN x;
ALTER TABLE a RENAME COLUMN w TO x;
SQL
sm migrate
q "INSERT INTO a (id, x, y, z) VALUES (1, 'lost', 'lost too', 'kept')" >/dev/null
sm rollback </dev/null
check "rollback: a column dropped and its name taken: its values count" both rc_is 3 out_has "! drop column a.x (1 non-null value)"
check "rollback: ...and those of the one dropped first" out_has "! drop column a.y (1 non-null value)"
check "rollback: ...not those of the column renamed" out_lacks "drop column a.z"
sm rollback --accept-data-loss
check "rollback: ...accepted, the renamed column's values kept" q_is "SELECT y FROM a" "kept"
# Two tables swapped through a third name: the plan cannot order the
# swap, so it compares them by name (a loss counted that the renames
# keep, never one missed); the rollback runs.
project
newdb
s <<'YAML'
tables:
  a:
    columns:
      id: { type: integer, primary_key: true }
      x: text
  b:
    columns:
      id: { type: integer, primary_key: true }
      y: integer
YAML
ss generate --name init --dialect $D
ss generate --name swap --dialect $D --empty
cat >migrations/0002_swap.sql <<'SQL'
-- schemasync:up
ALTER TABLE a RENAME TO t;
ALTER TABLE b RENAME TO a;
ALTER TABLE t RENAME TO b;
-- schemasync:down
ALTER TABLE a RENAME TO t;
ALTER TABLE b RENAME TO a;
ALTER TABLE t RENAME TO b;
SQL
sm migrate
q "INSERT INTO a (id, y) VALUES (1, 5)" >/dev/null
q "INSERT INTO b (id, x) VALUES (1, 'x1')" >/dev/null
sm rollback --dry-run
check "rollback swap: planned, no cycle error" both rc_is 0 out_has "would roll back migrations/0002_swap.sql"
sm rollback --accept-data-loss
check "rollback swap: rolls back" both rc_is 0 out_has "rolled back 0002_swap (3 statements)"
check "rollback swap: the rows back under their names" q_is "SELECT x FROM a" "x1"
project
newdb
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
ss generate --name init --dialect $D
s <<'YAML'
tables:
  people:
    renamed_from: users
    columns:
      id: { type: integer, primary_key: true }
YAML
ss generate --name people --dialect $D
sed -i '/^-- schemasync:down/,$d' migrations/0002_people.sql
cat >>migrations/0002_people.sql <<'SQL'
-- schemasync:down
DROP TABLE people;
CREATE TABLE users (id integer PRIMARY KEY);
SQL
sm migrate
q "INSERT INTO people (id) VALUES (1)" >/dev/null
sm rollback </dev/null
check "rollback: a down that drops and creates counts the loss" both rc_is 3 out_has "drop table people (1 row)"
check "rollback: ...and asks no rename question" out_lacks "rename"
check "rollback: ...nothing changed" q_is "SELECT count(*) FROM people" 1
# A rename to a name neither side has (a copy's temporary table) and a
# bare name in another case (PostgreSQL folds it) refuse nothing.
sm rollback --accept-data-loss
check "rollback: the dropping down section runs with --accept-data-loss" rc_is 0
sm migrate
cat >migrations/0003_bio.sql <<'SQL'
-- schemasync:up
ALTER TABLE people ADD COLUMN bio text;
-- schemasync:down
ALTER TABLE People RENAME TO people_old;
CREATE TABLE people (id integer PRIMARY KEY);
INSERT INTO people (id) SELECT id FROM people_old;
DROP TABLE people_old;
SQL
cp migrations/0002_people.snapshot.yaml migrations/0003_bio.snapshot.yaml
sm migrate
q "INSERT INTO people (id, bio) VALUES (1, 'x')" >/dev/null
sm rollback </dev/null
check "rollback: a rename to a temporary table is no error" both rc_is 3 out_has "drop column people.bio (1 non-null value)"
sm rollback --accept-data-loss
check "rollback: ...and the copy runs" both rc_is 0 out_has "rolled back 0003_bio"
check "rollback: ...every row kept" q_is "SELECT count(*) FROM people" 1
# A bare name in another letter case names the same table (SQLite: one
# name; PostgreSQL: folded to lower case).
project
newdb
s <<'YAML'
tables:
  a:
    columns:
      id: { type: integer, primary_key: true }
YAML
ss generate --name init --dialect $D
s <<'YAML'
tables:
  b:
    renamed_from: a
    columns:
      id: { type: integer, primary_key: true }
YAML
ss generate --name b --dialect $D
sed -i '/^-- schemasync:down/,$d' migrations/0002_b.sql
printf -- '-- schemasync:down\nALTER TABLE B RENAME TO a;\n' >>migrations/0002_b.sql
sm migrate
q "INSERT INTO b (id) VALUES (1)" >/dev/null
sm rollback </dev/null
check "rollback: a rename written in another case is no loss" both rc_is 0 out_has "rolled back 0002_b"
check "rollback: ...the rows kept" q_is "SELECT count(*) FROM a" 1
T=$T0
done

# 5b. SQLite: a migration that rebuilds a table keeps its triggers, as
# its "-- triggers kept" line says (DROP TABLE takes them with it), and
# so does its down section; a trigger the file makes itself wins.
D=sqlite
project
newdb
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      name: text
      n: integer
YAML
ss generate --name init --dialect $D
sm migrate
q "CREATE TRIGGER users_n AFTER INSERT ON users BEGIN UPDATE users SET n = 1 WHERE id = NEW.id; END" >/dev/null
q "INSERT INTO users (id, name) VALUES (1, 'a')" >/dev/null
sed 's/^      name: text$/      name: { type: text, nullable: false, default: x }/' schemas/app.yaml >schemas/app.yaml.new
mv schemas/app.yaml.new schemas/app.yaml
ss generate --name strict --dialect $D
check "migrate sqlite: the migration rebuilds the table" file_has migrations/0002_strict.sql '^ALTER TABLE "users__ss_new" RENAME TO "users"'
check "migrate sqlite: ...renaming with legacy_alter_table, as push does" file_has migrations/0002_strict.sql '^PRAGMA legacy_alter_table = ON;$'
# A view the files do not declare reads the table: without the PRAGMA,
# SQLite re-parses it at the RENAME while the table is dropped, and fails.
q "CREATE VIEW uv AS SELECT id, name FROM users" >/dev/null
sm migrate
check "migrate sqlite: a rebuild applied" rc_is 0
check "migrate sqlite: ...under a view outside the files, which still reads it" q_is "SELECT count(*) FROM uv" "1"
q "DROP VIEW uv" >/dev/null
check "migrate sqlite: ...keeps the table's trigger" q_is "SELECT name FROM sqlite_master WHERE type = 'trigger'" "users_n"
q "INSERT INTO users (id) VALUES (2)" >/dev/null
check "migrate sqlite: ...which still fires" q_is "SELECT n FROM users WHERE id = 2" "1"
sm rollback --dry-run
check "rollback sqlite: a rebuild copies the rows: no loss" both rc_is 0 out_lacks "lose data"
sm rollback --accept-data-loss
check "rollback sqlite: the down section rebuilds the table" rc_is 0
check "rollback sqlite: ...and keeps the trigger too" q_is "SELECT name FROM sqlite_master WHERE type = 'trigger'" "users_n"
ss generate --name own --empty --dialect $D
awk '/^-- schemasync:up$/ { print; print "CREATE TABLE t2 (id integer PRIMARY KEY);"; print "CREATE TABLE \"users__new\" (id integer PRIMARY KEY, name text, n integer);"; print "INSERT INTO \"users__new\" SELECT id, name, n FROM users;"; print "DROP TABLE users;"; print "ALTER TABLE \"users__new\" RENAME TO users;"; print "CREATE TRIGGER users_n AFTER INSERT ON users BEGIN UPDATE users SET n = 7 WHERE id = NEW.id; END;"; next } { print }' migrations/0003_own.sql >migrations/0003_own.sql.new
mv migrations/0003_own.sql.new migrations/0003_own.sql
sm migrate
check "migrate sqlite: a hand-written rebuild that makes its own trigger" rc_is 0
q "INSERT INTO users (id) VALUES (3)" >/dev/null
check "migrate sqlite: ...keeps the file's trigger, not the old one" q_is "SELECT n FROM users WHERE id = 3" "7"
# A rebuild that drops the column the trigger uses: SQLite would take
# the trigger back and refuse every insert after, so migrate fails.
q "UPDATE users SET name = 'x' WHERE name IS NULL" >/dev/null
grep -v '^      n: integer$' schemas/app.yaml >schemas/app.yaml.new
mv schemas/app.yaml.new schemas/app.yaml
cat >>schemas/app.yaml <<'YAML'
    checks:
      users_name: "name <> ''"
YAML
ss generate --name no_n --dialect $D
sm migrate
check "migrate sqlite: a rebuild that breaks the kept trigger fails" both rc_is 1 err_has "'users' was dropped and made again, and a trigger on it no longer compiles: no such column: n"
check "migrate sqlite: ...and changes nothing" q_is "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'n'" "1"
check "migrate sqlite: ...not even the journal" q_is "SELECT count(*) FROM schemasync_migrations" "3"

# 5b'. SQLite: a column renamed back, then its table rebuilt (a type
# change): the copy has the column under its old name, nothing is lost.
project
newdb
s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      b: integer
      a: text
YAML
ss generate --name init --dialect $D
sm migrate
q "INSERT INTO t VALUES (1, 2, 'x'), (2, 3, 'y')" >/dev/null
s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      b: text
      aa: { type: text, renamed_from: a }
YAML
ss generate --name ren --dialect $D
sm migrate
sm rollback --dry-run
check "rollback sqlite: a rename and a rebuild: no loss" both rc_is 0 out_lacks "lose data"
sm rollback </dev/null
check "rollback sqlite: ...rolled back without asking" rc_is 0
check "rollback sqlite: ...the values under the old name" q_is "SELECT group_concat(a) FROM t" "x,y"

# 5c. SQLite: a migration that rebuilds an AUTOINCREMENT table keeps its
# counter, as push does: an id deleted at the end is not handed out
# again, after migrate nor after rollback.
project
newdb
s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      a: text
YAML
ss generate --name init --dialect sqlite
sm migrate
q "INSERT INTO t (a) VALUES ('x'), ('y'), ('z'); DELETE FROM t WHERE id = 3" >/dev/null
sed -i 's/      a: text/      a: integer/' schemas/app.yaml
ss generate --name retype --dialect sqlite
check "migrate sqlite: the rebuild carries the counter" file_has migrations/0002_retype.sql "INSERT INTO sqlite_sequence"
sm migrate
check "migrate sqlite: an AUTOINCREMENT rebuild applies" both rc_is 0 out_has "applied 0002_retype"
check "migrate sqlite: the counter is kept" q_is "SELECT seq FROM sqlite_sequence WHERE name = 't'" 3
sm rollback --accept-data-loss
check "rollback sqlite: an AUTOINCREMENT rebuild rolls back" both rc_is 0 out_has "rolled back 0002_retype"
check "rollback sqlite: the counter is kept" q_is "SELECT seq FROM sqlite_sequence WHERE name = 't'" 3
q "DELETE FROM t" >/dev/null
sm migrate
check "migrate sqlite: an empty AUTOINCREMENT table keeps its counter too" q_is "SELECT seq FROM sqlite_sequence WHERE name = 't'" 3

# 6. rollback on a terminal asks before losing data (SQLite).
if command -v script >/dev/null 2>&1; then
D=sqlite
project
newdb
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
ss generate --name init --dialect $D
cat >>schemas/app.yaml <<'YAML'
      bio: text
YAML
ss generate --name bio --dialect $D
sm migrate
q "INSERT INTO users (id, bio) VALUES (1, 'a')" >/dev/null
# rb_tty ANSWERS: rollback on a terminal, ANSWERS typed.
rb_tty() {
	printf "$1" | timeout 20 script -qec "$SCHEMASYNC --color never --db $DB rollback" /dev/null >"$TMP/.raw" 2>&1
	echo $? >"$TMP/.rc"
	tr -d '\r' <"$TMP/.raw" >"$TMP/.out"
}
rb_tty 'n\n'
check "rollback on a terminal: asks, with the count" both out_has "! drop column users.bio (1 non-null value)" out_has "apply the changes marked ! and lose that data? [y/N]"
check "rollback on a terminal: no is exit 3" both rc_is 3 out_has "not confirmed"
check "rollback on a terminal: ...nothing changed" q_is "SELECT count(*) FROM schemasync_migrations" "2"
rb_tty 'y\n'
check "rollback on a terminal: yes rolls back" both rc_is 0 out_has "rolled back 0002_bio"
check "rollback on a terminal: ...the journal lost its row" q_is "SELECT count(*) FROM schemasync_migrations" "1"
else
	echo "FAIL $T: 'script' (util-linux) is missing: cannot test rollback on a terminal" >>"$RESULTS"
fi

# 7. --format json: generate, migrate and status print one object each,
# for scripts and editors; errors are an "error" event.
for D in $DIALECTS; do
T0=$T
T="$T0 [$D]"
project
newdb
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
ss --format json generate --name init --dialect $D
check "json generate: one valid object" rc_is 0
check "json generate: one valid object: valid JSON" json_valid
check "json generate: the file, the snapshot and the plan" both out_has '{"file":"migrations/0001_init.sql","snapshot":"migrations/0001_init.snapshot.yaml","changes":[{"op":"create_table","table":"users"' out_has ',"exit":0}'
ss --format json generate --name again --dialect $D
check "json generate: nothing to do" both rc_is 0 out_is '{"file":null,"snapshot":null,"changes":[],"exit":0}'
sed 's/^  users:$/  people:/' schemas/app.yaml >schemas/app.yaml.new && mv schemas/app.yaml.new schemas/app.yaml
ss --format json generate --name people --dialect $D
check "json generate: an unanswered rename is exit 3 with the reason" both rc_is 3 out_has '"reason":"renames not answered","exit":3}'
check "json generate: ...and the candidate among the changes" out_has '"op":"rename_table","table":"people","from":"users"'
sed 's/^  people:$/  users:/' schemas/app.yaml >schemas/app.yaml.new && mv schemas/app.yaml.new schemas/app.yaml
cat >>schemas/app.yaml <<'YAML'
      bio: text
YAML
ss generate --name bio --dialect $D
sm --format json migrate --dry-run
check "json migrate --dry-run: both, with their SQL, nothing run" rc_is 0
check "json migrate --dry-run: both, with their SQL, nothing run: valid JSON" json_valid
check "json migrate --dry-run: ...the entries" both out_has '"id":"0001_init","file":"migrations/0001_init.sql","statements":1,"run":true,"sql":["CREATE TABLE' out_has '"dry_run":true,"already_applied":0,"exit":0}'
sm --format json migrate --to 0001
check "json migrate: the one applied" both rc_is 0 out_is '{"migrations":[{"id":"0001_init","file":"migrations/0001_init.sql","statements":1,"run":true}],"dry_run":false,"already_applied":0,"exit":0}'
sm --format json status --exit-code
check "json status: applied and pending, no drift, exit 4" rc_is 4
check "json status: applied and pending, no drift, exit 4: valid JSON" json_valid
check "json status: ...the entries" both out_has '{"migrations":[{"id":"0001_init","file":"0001_init.sql","state":"applied","applied_at":"' out_has '{"id":"0002_bio","file":"0002_bio.sql","state":"pending","applied_at":null}],"drift":{"snapshot":"migrations/0001_init.snapshot.yaml","changes":[]},"exit":4}'
q "ALTER TABLE users ADD COLUMN extra integer" >/dev/null
sm --format json status
check "json status: drift carries the changes" both rc_is 0 out_has '"changes":[{"op":"drop_column","table":"users","column":"extra"'
sed 's/^-- schemasync:down$/SELECT no_such_function();\n&/' migrations/0002_bio.sql >migrations/0002_bio.sql.new
mv migrations/0002_bio.sql.new migrations/0002_bio.sql
sm --format json migrate
check "json migrate: a failing statement is an error event, exit 1" rc_is 1
check "json migrate: a failing statement is an error event, exit 1: valid JSON" json_valid
check "json migrate: ...naming what failed and what was applied before" both out_has '{"event":"error","error":"migrations/0002_bio.sql:' out_has '"migrations":[],"dry_run":false,"already_applied":1,"exit":1}'
sm --format json rollback --dry-run
check "json rollback --dry-run: exit 0" rc_is 0
check "json rollback --dry-run: valid JSON" json_valid
check "json rollback --dry-run: the down SQL and the changes" both out_has '{"migrations":[{"id":"0001_init","file":"migrations/0001_init.sql","statements":1,"sql":["DROP TABLE' out_has '"dry_run":true,"changes":[{"op":"drop_table","table":"users"'
sm --format json rollback --accept-data-loss
check "json rollback: what was rolled back" both rc_is 0 out_has '{"migrations":[{"id":"0001_init","file":"migrations/0001_init.sql","statements":1}],"dry_run":false,"changes":['
check "json rollback: ...the journal lost its row" q_is "SELECT count(*) FROM schemasync_migrations" "0"
sm --format json rollback
check "json rollback: nothing to roll back" both rc_is 0 out_is '{"migrations":[],"dry_run":false,"changes":[],"exit":0}'
T=$T0
done

# PostgreSQL's E'...' strings: a backslash escapes a quote, so the ';'
# inside one ends no statement.
for D in $DIALECTS; do
[ "$D" = postgres ] || continue
T0=$T
T="$T0 [$D]"
project
newdb
mkdir -p migrations
cat >migrations/0001_notes.sql <<'SQL'
-- schemasync:up
CREATE TABLE notes (body text);
INSERT INTO notes VALUES (E'it\'s; ok\\'), ('plain\');
-- schemasync:down
DROP TABLE notes;
SQL
sm migrate
check "E'...': applied as two statements" both rc_is 0 out_has "(2 statements)"
check "E'...': the values" q_is "SELECT body FROM notes ORDER BY body" "it's; ok\\
plain\\"
T=$T0
done

# An array of an enum named in mixed case (Mood[]): the migration names
# the enum's own type, quoted, and applies; the database is then in sync.
for D in $DIALECTS; do
[ "$D" = postgres ] || continue
T0=$T
T="$T0 [$D]"
project
newdb
s <<'YAML'
enums:
  Mood: [happy, sad]
tables:
  people:
    columns:
      id: { type: integer, primary_key: true }
      moods: Mood[]
YAML
ss generate --name init --dialect $D
check "mixed-case enum array: generated" both rc_is 0 out_has "wrote migrations/0001_init.sql"
check "mixed-case enum array: the quoted type" file_has migrations/0001_init.sql '"moods" "Mood"\[\]'
sm migrate
check "mixed-case enum array: migrated" rc_is 0
sm diff --exit-code
check "mixed-case enum array: in sync after migrate" both rc_is 0 out_has "in sync"
T=$T0
done
