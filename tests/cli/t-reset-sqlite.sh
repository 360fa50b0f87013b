# push --force-reset on SQLite: without a terminal it needs
# --accept-data-loss; with it every managed table is recreated empty,
# while what schemasync does not manage is left alone (SPEC 1, 3).
#
# Views and triggers are not managed, so a reset keeps them: a view over
# a recreated table reads the new, empty table; a trigger on a recreated
# table is recreated with it (SQLite drops a table's triggers with the
# table, so keeping them means putting them back).
. "$CLI_LIB"
need_sqlite3
DB=db.sqlite

schema <<'YAML'
tables:
  parents:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      name: text
  children:
    columns:
      id: { type: integer, primary_key: true }
      parent_id: { type: integer, references: parents.id, on_delete: cascade }
  log:
    columns:
      msg: text
YAML
ss --db $DB push -q
check "setup: applied" rc_is 0
sql "INSERT INTO parents (name) VALUES ('a'), ('b');
INSERT INTO children VALUES (1, 1), (2, 2);
CREATE VIEW parent_names AS SELECT name FROM parents;
CREATE TRIGGER parents_ai AFTER INSERT ON parents BEGIN INSERT INTO log VALUES ('new ' || new.name); END;
CREATE TABLE _keep (x); INSERT INTO _keep VALUES (1);
CREATE TRIGGER parents_ai2 AFTER INSERT ON PARENTS BEGIN INSERT INTO _keep VALUES (new.id + 100); END;
CREATE VIRTUAL TABLE docs USING fts5(body); INSERT INTO docs VALUES ('hello');"
printf 'ignore_tables: ["_*"]\n' >schemasync.yaml

snapshot
ss --db $DB push --force-reset
check "no terminal, no --accept-data-loss: exit 3" rc_is 3
check "no terminal: says what it needs" out_has "--force-reset needs --accept-data-loss when there is no terminal to ask"
check "no terminal: nothing dropped" unchanged
ss --db $DB push --force-reset --dry-run
check "--dry-run: exit 0" rc_is 0
check "--dry-run: shows the drops" out_line "  ! drop table parents (2 rows; undo keeps its rows)"
check "--dry-run: shows the creates" out_line "  + create table parents"
check "--dry-run: changes nothing" unchanged

ss --db $DB push --force-reset --accept-data-loss
check "reset: exit 0" rc_is 0
check "reset: drops with counts" out_line "  ! drop table children (2 rows; undo keeps its rows)"
check "reset: recreates" out_line "  + create table children"
check "reset: every managed table is empty" sql_is "0|0|0" "SELECT (SELECT count(*) FROM parents), (SELECT count(*) FROM children), (SELECT count(*) FROM log)"
check "reset: the AUTOINCREMENT counter starts again" sql_is 1 "INSERT INTO parents (name) VALUES ('c') RETURNING id"
check "reset: the trigger on a recreated table is kept and fires" sql_is "new c" "SELECT msg FROM log"
check "reset: the view is kept and reads the new table" sql_is "c" "SELECT * FROM parent_names"
check "reset: a trigger naming its table in another case is kept too" sql_is 101 "SELECT x FROM _keep WHERE x > 100"
check "reset: an ignored table is left with its rows" sql_is 1 "SELECT x FROM _keep WHERE x < 100"
check "reset: the virtual table is left with its rows" sql_is "hello" "SELECT body FROM docs"
check "reset: the foreign key is there" sql_is "parents|cascade" "SELECT \"table\", lower(on_delete) FROM pragma_foreign_key_list('children')"
ss --db $DB push
check "reset: then in sync" both rc_is 0 out_has "in sync: nothing to do"

# JSON: the reset's changes and exit.
ss --db $DB push --force-reset --format json
check "json is valid: blocked reset" json_valid
check "json reset without --accept-data-loss: exit 3" both rc_is 3 out_has '"exit":3}'
check "json reset: nothing dropped" sql_is 1 "SELECT count(*) FROM parents"

# A reset whose files drop the column a kept trigger uses: SQLite would
# take the trigger back and then refuse every insert into the table, so
# the reset fails, names the trigger's table, and changes nothing.
schema <<'YAML'
tables:
  parents:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
  children:
    columns:
      id: { type: integer, primary_key: true }
      parent_id: { type: integer, references: parents.id, on_delete: cascade }
  log:
    columns:
      msg: text
YAML
snapshot
ss --db $DB push --force-reset --accept-data-loss
check "reset breaking a trigger: exit 1" rc_is 1
check "reset breaking a trigger: says which table and why" err_has "'parents' was dropped and made again, and a trigger on it no longer compiles: no such column: new.name"
check "reset breaking a trigger: nothing changed" unchanged
