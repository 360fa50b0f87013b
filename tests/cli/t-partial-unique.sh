# A unique index whose WHERE uses a column the same push adds: nothing
# can be counted before the push, so it is not held as "unknown" (it was,
# for ever); duplicates make CREATE UNIQUE INDEX fail and roll back.
. "$CLI_LIB"

mkdir s
cat >s/a.yaml <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      email: text
YAML
ss --db t.db --schema s push
check "setup: table created" rc_is 0
sqlite3 t.db "INSERT INTO t VALUES (1, 'a'), (2, 'a')"

cat >s/a.yaml <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      email: text
      live: { type: boolean, nullable: false, default: false }
    indexes:
      t_live_email: { columns: [email], unique: true, where: "live = 1" }
YAML
ss --db t.db --schema s push
check "a partial unique index over a new column is applied" rc_is 0
check "the index exists" sh -c '[ "$(sqlite3 t.db "SELECT count(*) FROM sqlite_schema WHERE name = '"'"'t_live_email'"'"'")" = 1 ]'
ss --db t.db --schema s push
check "then in sync" out_has "in sync: nothing to do"

# The same over duplicates that the predicate selects: the push fails
# at CREATE UNIQUE INDEX and everything rolls back.
rm t.db
cat >s/a.yaml <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      email: text
YAML
ss --db t.db --schema s push
sqlite3 t.db "INSERT INTO t VALUES (1, 'a'), (2, 'a')"
cat >s/a.yaml <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      email: text
      live: { type: boolean, nullable: false, default: true }
    indexes:
      t_live_email: { columns: [email], unique: true, where: "live = 1" }
YAML
ss --db t.db --schema s push
check "duplicates under the new predicate: exit 1" rc_is 1
check "and the column was rolled back" sh -c '! sqlite3 t.db "PRAGMA table_info(t)" | grep -q live'
