# SQLite's 12-step table rebuild on tables with rows: children that
# reference a rebuilt parent with ON DELETE CASCADE keep every row (and
# so do grandchildren), triggers are recreated and fire, views still
# work, AUTOINCREMENT never hands out a deleted id (SPEC sections 3, 4).
. "$CLI_LIB"
need_sqlite3
DB=db.sqlite

family() { # $1: extra lines for parents' columns; $2: for children's
	schema <<YAML
tables:
  parents:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      name: { type: text, nullable: false }
$1
  children:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      parent_id: { type: integer, nullable: false, references: parents.id, on_delete: cascade }
$2
  grandchildren:
    columns:
      id: { type: integer, primary_key: true }
      child_id: { type: integer, nullable: false, references: children.id, on_delete: cascade }
  audit:
    columns:
      id: { type: integer, primary_key: true }
      msg: text
YAML
}

family "" ""
ss --db $DB push
check "family: created" rc_is 0
sql "INSERT INTO parents (name) VALUES ('p1'), ('p2'), ('p3'), ('p4');
DELETE FROM parents WHERE id IN (3, 4);
INSERT INTO children (parent_id) VALUES (1), (1), (2);
INSERT INTO grandchildren VALUES (1, 1), (2, 2), (3, 3), (4, 3);
CREATE TRIGGER parents_ai AFTER INSERT ON parents
  BEGIN INSERT INTO audit (msg) VALUES ('new ' || new.name); END;
CREATE TRIGGER children_ad AFTER DELETE ON children
  BEGIN INSERT INTO audit (msg) VALUES ('gone ' || old.id); END;
CREATE VIEW family_sizes AS
  SELECT p.name, count(c.id) AS n FROM parents p LEFT JOIN children c ON c.parent_id = p.id GROUP BY p.id;"
check "family: AUTOINCREMENT counter is 4" sql_is 4 "SELECT seq FROM sqlite_sequence WHERE name = 'parents'"

# A rebuild of the parent (a check, and a column narrowed to NOT NULL).
family "      note: { type: text, nullable: false, default: none }
    checks:
      parents_name_nonempty: \"length(name) > 0\"" ""
ss --db $DB push -v
check "parent rebuild: exit 0" rc_is 0
check "parent rebuild: the plan names the change" out_line "  + add check parents_name_nonempty on parents"
check "parent rebuild: it is a rebuild" out_has 'CREATE TEMP TABLE "parents__ss_old"'
check "parent rebuild: parents kept" sql_is "1|p1|none
2|p2|none" "SELECT id, name, note FROM parents ORDER BY id"
check "parent rebuild: every child survives" sql_is "1|1
2|1
3|2" "SELECT id, parent_id FROM children ORDER BY id"
check "parent rebuild: every grandchild survives" sql_is 4 "SELECT count(*) FROM grandchildren"
check "parent rebuild: no ON DELETE action fired (no delete trigger ran)" sql_is 0 "SELECT count(*) FROM audit"
check "parent rebuild: the trigger still exists" sql_is "parents_ai" "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'parents'"
check "parent rebuild: the view still works" sql_is "p1|2
p2|1" "SELECT * FROM family_sizes ORDER BY name"
check "parent rebuild: no foreign key violation" sql_is "" "PRAGMA foreign_key_check"
check "parent rebuild: the check is enforced" sh -c '! sqlite3 db.sqlite "INSERT INTO parents (name) VALUES ('"''"')" 2>/dev/null'
check "parent rebuild: AUTOINCREMENT does not reuse a deleted id" sql_is 5 "INSERT INTO parents (name) VALUES ('p5') RETURNING id"
check "parent rebuild: the recreated trigger fires" sql_is "new p5" "SELECT msg FROM audit"
check "parent rebuild: the foreign keys still cascade" sql_is "0|0" \
	"PRAGMA foreign_keys = ON; DELETE FROM parents WHERE id = 1; SELECT (SELECT count(*) FROM children WHERE parent_id = 1), (SELECT count(*) FROM grandchildren WHERE child_id IN (1, 2))"
sql "DELETE FROM audit"
ss --db $DB push
check "parent rebuild: second push in sync" both rc_is 0 out_has "in sync: nothing to do"

# A rebuild of the middle table, a parent and a child at once; a view of
# the user's that was broken before (over a table long gone) is not the
# rebuild's business.
sql "INSERT INTO children (parent_id) VALUES (2), (5); INSERT INTO grandchildren VALUES (5, 4), (6, 5);
CREATE VIEW stale AS SELECT * FROM long_gone;"
family "      note: { type: text, nullable: false, default: none }
    checks:
      parents_name_nonempty: \"length(name) > 0\"" "      label: { type: text, nullable: false, default: x }
    checks:
      children_label: \"label <> ''\""
ss --db $DB push
check "middle rebuild: exit 0, a view broken before does not block it" rc_is 0
check "middle rebuild: the broken view is left as it was" sql_is 1 "SELECT count(*) FROM sqlite_schema WHERE name = 'stale'"
check "middle rebuild: children kept" sql_is "3|2|x
4|2|x
5|5|x" "SELECT id, parent_id, label FROM children ORDER BY id"
check "middle rebuild: grandchildren kept" sql_is "3|3
4|3
5|4
6|5" "SELECT id, child_id FROM grandchildren ORDER BY id"
check "middle rebuild: the delete trigger still exists" sql_is "children_ad" "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'children'"
check "middle rebuild: no delete trigger ran" sql_is 0 "SELECT count(*) FROM audit"
check "middle rebuild: AUTOINCREMENT of children goes on" sql_is 6 "INSERT INTO children (parent_id) VALUES (2) RETURNING id"
sql "DELETE FROM children WHERE id = 6"
check "middle rebuild: the delete trigger fires" sql_is "gone 6" "SELECT msg FROM audit"
sql "DELETE FROM audit"
ss --db $DB push
check "middle rebuild: second push in sync" both rc_is 0 out_has "in sync: nothing to do"

# A rebuild that would break a view (it uses a dropped column): exit 1,
# the view named, nothing changed.
sql "CREATE VIEW parent_notes AS SELECT name, note FROM parents"
family "    checks:
      parents_name_nonempty: \"length(name) > 1\"" "      label: { type: text, nullable: false, default: x }
    checks:
      children_label: \"label <> ''\""
snapshot
ss --db $DB push --accept-data-loss
check "broken view: exit 1" rc_is 1
check "broken view: names the view" err_has "view 'parent_notes'"
check "broken view: nothing changed" unchanged
sql "DROP VIEW parent_notes; DROP VIEW stale"
# The same for a trigger that uses the dropped column, on the table
# itself or on another one: exit 1, the trigger's table named, nothing
# changed (SQLite would compile it only when it next fires, and fail).
sql "CREATE TRIGGER parents_au AFTER UPDATE ON parents BEGIN INSERT INTO audit (msg) VALUES (new.note); END;"
snapshot
ss --db $DB push --accept-data-loss
check "broken trigger: exit 1" rc_is 1
check "broken trigger: names its table" err_has "rebuilding 'parents' breaks a trigger on 'parents': no such column: new.note"
check "broken trigger: nothing changed" unchanged
sql "DROP TRIGGER parents_au;
CREATE TRIGGER audit_ai AFTER INSERT ON audit BEGIN UPDATE parents SET note = 'x' WHERE 0; END;"
snapshot
ss --db $DB push --accept-data-loss
check "broken trigger elsewhere: exit 1" rc_is 1
check "broken trigger elsewhere: names its table" err_has "breaks a trigger on 'audit': no such column: note"
check "broken trigger elsewhere: nothing changed" unchanged
sql "DROP TRIGGER audit_ai"
ss --db $DB push --accept-data-loss
check "broken view: without the view, the push applies" both rc_is 0 out_has "  ! drop column parents.note (2 non-null values; undo keeps them)"
check "broken view: the rows are kept" sql_is "2|p2
5|p5" "SELECT id, name FROM parents ORDER BY id"
check "broken view: the children are kept" sql_is 3 "SELECT count(*) FROM children"

# Unexecutable on the data: a foreign key over orphans, a check the rows
# break. Held whatever the flags; nothing applied.
sql "INSERT INTO audit (id, msg) VALUES (100, 'x')"
schema <<'YAML'
tables:
  parents:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      name: { type: text, nullable: false }
    checks:
      parents_name_nonempty: "length(name) > 1"
  children:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      parent_id: { type: integer, nullable: false, references: parents.id, on_delete: cascade }
      label: { type: text, nullable: false, default: x }
    checks:
      children_label: "label <> ''"
  grandchildren:
    columns:
      id: { type: integer, primary_key: true }
      child_id: { type: integer, nullable: false, references: children.id, on_delete: cascade }
  audit:
    columns:
      id: { type: integer, primary_key: true, references: parents.id }
      msg: text
    checks:
      audit_small: "id < 50"
YAML
snapshot
ss --db $DB push --accept-data-loss
check "orphans: exit 3" rc_is 3
check "orphans: the foreign key says how many rows" out_line "  ✗ add foreign key audit_id_fkey on audit (id) → parents (id) (1 row references no row of parents)"
check "orphans: the check says how many rows" out_line "  ✗ add check audit_small on audit (1 row violates the check)"
check "orphans: nothing applied" unchanged

# Table options (STRICT, WITHOUT ROWID) written in the files are kept by
# a rebuild: the new table is made with the files' options.
DB=opts.db
sql "CREATE TABLE s (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;
CREATE TABLE w (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID;
CREATE TABLE b (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID, STRICT;
INSERT INTO s VALUES (1, 'a'); INSERT INTO w VALUES ('k', 1); INSERT INTO b VALUES ('k', 2);"
schema <<'YAML'
tables:
  s:
    strict: true
    columns:
      id: { type: integer, primary_key: true }
      name: { type: text, nullable: false }
    checks:
      s_c: "id > 0"
  w:
    without_rowid: true
    columns:
      k: { type: text, primary_key: true }
      v: integer
    checks:
      w_c: "v > 0"
  b:
    strict: true
    without_rowid: true
    columns:
      k: { type: text, primary_key: true }
      v: integer
    checks:
      b_c: "v > 0"
YAML
ss --db $DB push
check "table options: the rebuilds apply" both rc_is 0 out_line "  + add check b_c on b"
check "table options: kept" sql_is "b|1|1
s|0|1
w|1|0" "SELECT name, wr, strict FROM pragma_table_list WHERE schema = 'main' AND name IN ('s', 'w', 'b') ORDER BY name"
check "table options: rows kept" sql_is "1|a|k|1|k|2" "SELECT * FROM s, w, b"
check "table options: STRICT still refuses a wrong type" sh -c '! sqlite3 opts.db "INSERT INTO s VALUES (2, x'"'00'"')" 2>/dev/null'
ss --db $DB push
check "table options: then in sync" both rc_is 0 out_has "in sync: nothing to do"

# Generated columns are in the schema files; a rebuild keeps them
# generated (not plain columns of frozen values) and does not copy into
# them.
DB=gen.db
sql "CREATE TABLE g (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) STORED, v INTEGER AS (a + 1));
INSERT INTO g (id, a) VALUES (1, 5);"
schema <<'YAML'
tables:
  g:
    columns:
      id: { type: integer, primary_key: true }
      a: integer
      b: { type: integer, generated: { sql: "a * 2", stored: true } }
      v: { type: integer, generated: { sql: "a + 1" } }
    checks:
      g_a: "a > 0"
YAML
ss --db $DB push
check "generated column: the rebuild applies" both rc_is 0 out_line "  + add check g_a on g"
check "generated column: the row kept" sql_is "1|5|10|6" "SELECT * FROM g"
check "generated column: still generated" sql_is "b|3
v|2" "SELECT name, hidden FROM pragma_table_xinfo('g') WHERE hidden > 0 ORDER BY name"
check "generated column: still computed" sql_is 14 "UPDATE g SET a = 7 RETURNING b"

# A column's COLLATE, which the schema files say, is kept by a rebuild:
# the unique email stays case-insensitive.
DB=coll.db
sql "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT COLLATE NOCASE UNIQUE, n TEXT COLLATE RTRIM NOT NULL DEFAULT 'it''s');
INSERT INTO t (id, email) VALUES (1, 'A@x');"
schema <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      email: { type: text, unique: true, collation: NOCASE }
      n: { type: text, nullable: false, default: "it's", collation: RTRIM }
    checks:
      t_c: "id > 0"
YAML
ss --db $DB push
check "collate: the rebuild applies" both rc_is 0 out_line "  + add check t_c on t"
check "collate: still case-insensitive" sql_is "1|it's" "SELECT id, n FROM t WHERE email = 'a@X'"
check "collate: the unique constraint still folds case" sh -c '! sqlite3 coll.db "INSERT INTO t (id, email) VALUES (2, '"'a@x'"')" 2>/dev/null'
check "collate: RTRIM kept" sql_is 1 "SELECT count(*) FROM t WHERE n = 'it''s   '"
ss --db $DB push
check "collate: then in sync" both rc_is 0 out_has "in sync: nothing to do"

# A trigger written with its table's name in another case (ON users for
# "Users": SQLite matches names without case) is kept by a rebuild too;
# it was dropped with the old table and never recreated.
DB=case.db
sql 'CREATE TABLE "Users" (id INTEGER PRIMARY KEY, a INT);
CREATE TABLE log (x INT);
CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN INSERT INTO log VALUES (new.a); END;'
schema <<'YAML'
tables:
  Users:
    columns:
      id: { type: integer, primary_key: true }
      a: integer
    checks:
      users_a: "a > 0"
  log:
    columns:
      x: integer
YAML
ss --db $DB push
check "trigger on another case: the rebuild applies" both rc_is 0 out_line "  + add check users_a on Users"
check "trigger on another case: still there" sql_is "users_ai" "SELECT name FROM sqlite_schema WHERE type = 'trigger'"
check "trigger on another case: still fires" sql_is 5 "INSERT INTO \"Users\" (a) VALUES (5); SELECT x FROM log"

# The two ways of a rebuild (src/sqlite/dialect.c note 9): a table of at
# most 1,000 rows goes through a TEMP copy, a bigger one is renamed; both
# keep every row and value as it was (its type too, in columns without
# affinity), the AUTOINCREMENT counter, the triggers and the children.
for rows in 1000 1001; do
DB=ways$rows.db
sql "CREATE TABLE p (id INTEGER PRIMARY KEY AUTOINCREMENT, n NUMERIC, b BLOB, t TEXT);
CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id) ON DELETE CASCADE);
CREATE TABLE log (x INT);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < $rows + 1)
  INSERT INTO p (id, n, b, t) SELECT i, CASE i % 4 WHEN 0 THEN 'abc' WHEN 1 THEN i WHEN 2 THEN i + 0.5 ELSE NULL END,
  CASE i % 3 WHEN 0 THEN x'00ff' WHEN 1 THEN '12' ELSE 7 END, 't' || i FROM r;
DELETE FROM p WHERE id = $rows + 1;
INSERT INTO c VALUES (1, 1), (2, 2);
CREATE TRIGGER p_ai AFTER INSERT ON p BEGIN INSERT INTO log VALUES (new.id); END;"
before=$(sqlite3 "$DB" "SELECT group_concat(id || typeof(n) || quote(n) || typeof(b) || quote(b) || quote(t), ',') FROM p")
schema <<'YAML'
tables:
  p:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      n: numeric
      b: blob
      t: text
    checks:
      p_t: "length(t) > 0"
  c:
    columns:
      id: { type: integer, primary_key: true }
      p_id: { type: integer, references: p.id, on_delete: cascade }
  log:
    columns:
      x: integer
YAML
ss --db $DB push -v
check "$rows rows: the rebuild applies" both rc_is 0 out_line "  + add check p_t on p"
if [ "$rows" -le 1000 ]; then
	check "$rows rows: through a TEMP copy" both out_has 'CREATE TEMP TABLE "p__ss_old" ("id", "n", "b", "t")' out_lacks 'RENAME TO'
	check "$rows rows: ...dropped in the transaction" out_has 'DROP TABLE temp."p__ss_old"'
else
	check "$rows rows: renamed" both out_has 'ALTER TABLE "p__ss_new" RENAME TO "p"' out_lacks 'TEMP TABLE'
fi
check "$rows rows: every value and its type kept" sql_is "$before" "SELECT group_concat(id || typeof(n) || quote(n) || typeof(b) || quote(b) || quote(t), ',') FROM p"
check "$rows rows: the children kept" sql_is 2 "SELECT count(*) FROM c"
check "$rows rows: no deleted id handed out again" sql_is "$((rows + 1))" "SELECT seq FROM sqlite_sequence WHERE name = 'p'"
check "$rows rows: the trigger fires" sql_is "$((rows + 2))" "INSERT INTO p (t) VALUES ('x'); SELECT x FROM log"
ss --db $DB diff --exit-code
check "$rows rows: then in sync" rc_is 0
done

# A rebuild that copies no column (every old column dropped, every new
# one added, one of them stored-generated so the table is rebuilt) still
# keeps the rows, with the new columns' defaults: it used to insert
# nothing and empty the table, though the plan said only "drop column".
for rows in 3 1500; do
DB=nocol$rows.db
sql "CREATE TABLE t (a TEXT);
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < $rows) INSERT INTO t SELECT 'x' || i FROM r;"
schema <<'YAML'
tables:
  t:
    columns:
      b: { type: text, default: none }
      g: { type: integer, generated: { sql: "1", stored: true } }
YAML
ss --db $DB push --accept-data-loss -v
check "no column copied, $rows rows: applied" both rc_is 0 out_has "! drop column t.a"
check "no column copied, $rows rows: every row kept, with the defaults" sql_is "$rows|$rows|$rows" "SELECT count(*), count(*) FILTER (WHERE b = 'none'), sum(g) FROM t"
done

# A table schemasync did not create, pulled: a rebuild keeps the types
# its columns declare when the plan leaves them alone. TIMESTAMP is
# the files' timestamp, but rebuilt as TEXT it turned 1700000000 into
# text; BOOLEAN is boolean, but rebuilt with its CHECK it refused a 2.
for rows in 2 1500; do
DB=pulled$rows.db
sql "CREATE TABLE t (id INTEGER PRIMARY KEY, at TIMESTAMP, b BOOLEAN, n integer);
WITH RECURSIVE r(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM r WHERE i < $rows) INSERT INTO t SELECT i, '2024-01-01', 0, i FROM r;
INSERT INTO t VALUES (1, 1700000000, 2, 1), (2, '2024-01-01', 1, 2);"
rm -rf schemas
ss --db $DB pull
check "pulled, $rows rows: pull" rc_is 0
sed -i 's/n: integer/n: text/' schemas/schema.yaml
ss --db $DB push --accept-data-loss
check "pulled, $rows rows: the rebuild applies" both rc_is 0 out_has "rebuild table t"
check "pulled, $rows rows: a number in TIMESTAMP stays a number" sql_is "integer|1700000000" "SELECT typeof(at), at FROM t WHERE id = 1"
check "pulled, $rows rows: the 2 in BOOLEAN is kept" sql_is "2" "SELECT b FROM t WHERE id = 1"
check "pulled, $rows rows: the declared types stay" sql_is 1 "SELECT count(*) FROM sqlite_master WHERE name = 't' AND sql LIKE '%\"at\" TIMESTAMP%' AND sql LIKE '%\"b\" BOOLEAN%'"
ss --db $DB diff --exit-code
check "pulled, $rows rows: in sync after" rc_is 0
done

# Made STRICT, the table takes the files' types: STRICT knows no other.
DB=pulledstrict.db
sql "CREATE TABLE ev (id INTEGER PRIMARY KEY, at TIMESTAMP, ok BOOLEAN, vc VARCHAR(5));
INSERT INTO ev VALUES (1, '2024-01-01', 1, 'abc');"
rm -rf schemas
ss --db $DB pull
sed -i 's/^  ev:/  ev:\n    strict: true/' schemas/schema.yaml
ss --db $DB push
check "pulled, made strict: applies" both rc_is 0 out_has "strict"
check "pulled, made strict: the convention's types" sql_is 1 "SELECT count(*) FROM sqlite_master WHERE name = 'ev' AND sql LIKE '%\"at\" TEXT%' AND sql LIKE '%STRICT'"
ss --db $DB diff --exit-code
check "pulled, made strict: in sync after" rc_is 0
# ...a BOOLEAN holding 2 gets the boolean's CHECK there: counted first.
DB=pulledstrict2.db
sql "CREATE TABLE ev (id INTEGER PRIMARY KEY, ok BOOLEAN);
INSERT INTO ev VALUES (1, 2), (2, 1);"
rm -rf schemas
ss --db $DB pull
sed -i 's/^  ev:/  ev:\n    strict: true/' schemas/schema.yaml
ss --db $DB push
check "pulled, made strict, a BOOLEAN holding 2: unexecutable, exit 3" both rc_is 3 out_has "1 row holds a value that STRICT column types refuse"

# SQLite lets a key column that is not a rowid alias hold NULL; a
# rebuild writes the key NOT NULL, so its copy would fail: the plan
# says so before anything runs (unexecutable, exit 3), with the rows.
DB=nullkey.db
sql "CREATE TABLE t (id TEXT PRIMARY KEY, n integer);
INSERT INTO t VALUES (NULL, 1), ('x', 2), (NULL, 3);"
rm -rf schemas
ss --db $DB pull
sed -i 's/n: integer/n: text/' schemas/schema.yaml
ss --db $DB push --accept-data-loss
check "NULL key: unexecutable, exit 3" both rc_is 3 out_has "2 rows have NULL in the primary key (id)"
check "NULL key: the fix names the rows" out_has 'fix: give those rows a key or delete them first (SELECT * FROM "t" WHERE "id" IS NULL)'
check "NULL key: nothing applied" sql_is "INTEGER" "SELECT type FROM pragma_table_info('t') WHERE name = 'n'"
ss --db $DB push --dry-run
check "NULL key: dry run says so too" both rc_is 0 out_has "NULL in the primary key"
sql "UPDATE t SET id = 'k' || n WHERE id IS NULL;"
ss --db $DB push --accept-data-loss
check "NULL key: with keys given, the rebuild applies" rc_is 0
check "NULL key: every row kept" sql_is 3 "SELECT count(*) FROM t"
# INTEGER PRIMARY KEY DESC is no rowid alias: it holds NULL too.
DB=nullkeydesc.db
sql "CREATE TABLE k (id INTEGER PRIMARY KEY DESC, v integer);
INSERT INTO k VALUES (NULL, 1), (NULL, 2);"
rm -rf schemas
ss --db $DB pull
sed -i 's/v: integer/v: text/' schemas/schema.yaml
ss --db $DB push --accept-data-loss
check "NULL key, INTEGER PRIMARY KEY DESC: unexecutable, not renumbered" both rc_is 3 out_has "2 rows have NULL in the primary key (id)"
check "NULL key, INTEGER PRIMARY KEY DESC: the keys still NULL" sql_is 2 "SELECT count(*) FROM k WHERE id IS NULL"
