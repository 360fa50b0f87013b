# Undo points: what push, watch and --force-reset remove is kept in the
# same transaction, and `undo` brings it back. Every check runs on
# SQLite and on the PostgreSQL server of `make test`.
. "$CLI_LIB"
need_sqlite3

W=
trap '[ -n "$W" ] && kill -KILL "$W" 2>/dev/null; [ -n "${LOCKER:-}" ] && kill -KILL "$LOCKER" 2>/dev/null; rm -rf "$TMP"' EXIT

dialects_init ss_undo
newdb() { dual_newdb; }
q() { dual_q "$1"; }
q_is() { dual_q_is "$1" "$2"; }
# The undo store's points, counted (0 when it does not exist yet).
points() {
	case $D in
	sqlite) t=schemasync_undo ;;
	postgres) t=schemasync_undo.schemasync_undo ;;
	esac
	q "SELECT count(*) FROM $t" 2>/dev/null | grep -E '^[0-9]+$' || echo 0
}
points_is() {
	got=$(points)
	[ "$got" = "$1" ] && return 0
	printf 'points: want %s, got %s\n' "$1" "$got" >"$TMP/.got"
	return 1
}
# An index of that name on the table is there.
has_index() {
	case $D in
	sqlite) q_is "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '$1'" 1 ;;
	postgres) q_is "SELECT count(*) FROM pg_indexes WHERE indexname = '$1'" 1 ;;
	esac
}
# A dump of everything schemasync manages and keeps, to compare.
dump() {
	case $D in
	sqlite) sqlite3 "$DBFILE" .dump ;;
	postgres) pg_dump -d "$DBNAME" 2>&1 | grep -v -e '^--' -e '^.restrict' -e '^.unrestrict' ;;
	esac
}
project() {
	cd "$TMP" || exit 1
	rm -rf proj
	mkdir -p proj/schemas
	cd proj || exit 1
}
s() { cat >schemas/app.yaml; }
sm() { ss --db "$DB" "$@"; }

users_v1() {
	s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      email: { type: text, nullable: false }
      bio: { type: text, nullable: false, default: "" }
    indexes:
      users_bio_idx: { columns: [bio] }
YAML
}
users_v2() {
	s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      email: { type: text, nullable: false }
YAML
}

for D in $DIALECTS; do
T0=$T
T="$T0 [$D]"

# 1. A dropped column: its values back on the same rows.
project
newdb
users_v1
sm push
q "INSERT INTO users (id, email, bio) VALUES (1, 'a@x', 'likes tea'), (2, 'b@x', 'it''s me'), (3, 'c@x', '')" >/dev/null
users_v2
sm diff
check "diff: the plan line says undo keeps the values" out_has "! drop column users.bio (3 non-null values; undo keeps them)"
sm push --accept-data-loss
check "push: applied" rc_is 0
check "push: the plan line says undo keeps the values" out_has "! drop column users.bio (3 non-null values; undo keeps them)"
check "push: the last line names the undo point" out_has "undo point 1 keeps what it removed (schemasync undo)"
check "push: the column is gone" q_is "SELECT count(*) FROM users" 3
check "push: one undo point" points_is 1
sm -v diff --exit-code
check "diff: the store is not a change" rc_is 0
check "diff -v: the store is never named" out_lacks "schemasync_undo"
sm -v pull --out pulled
check "pull: the store is not pulled" both rc_is 0 out_lacks "schemasync_undo"
check "pull: the store is not written" eval '! grep -q schemasync_undo pulled/*.yaml'
sm undo --list
check "undo --list: the point, its command and rows" both rc_is 0 out_has "push"
check "undo --list: what it holds" out_has "drop column users.bio"
check "undo --list: rows" eval 'grep -E "^1 .* push +3 " "$TMP/.out" >/dev/null'
sm --format json undo --list
check "undo --list --format json: valid" json_valid
check "undo --list --format json: the point" out_has '"id":1,'
sm undo
check "undo: restored" both rc_is 0 out_has "restored undo point 1"
check "undo: the same values on the same rows" q_is "SELECT id || ':' || bio FROM users ORDER BY id" "1:likes tea
2:it's me
3:"
check "undo: the index is back" has_index users_bio_idx
check "undo: the point is removed" points_is 0
check "undo: NOT NULL is back" eval '! q "INSERT INTO users (id, email, bio) VALUES (9, '"'"'z'"'"', NULL)" >/dev/null 2>&1 || false; q_is "SELECT count(*) FROM users WHERE id = 9" 0'
sm diff --exit-code
check "undo: diff shows the files ahead again" both rc_is 4 out_has "! drop column users.bio"
sm undo
check "undo with no point: exit 2, says so" both rc_is 2 err_has "no undo point"

# 2. A dropped table: rows, indexes and the foreign key to it back.
project
newdb
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
  posts:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      user_id: { type: integer, references: users.id }
      title: { type: text, nullable: false }
    indexes:
      posts_title_idx: { columns: [title] }
YAML
sm push
q "INSERT INTO users (id) VALUES (1), (2)" >/dev/null
q "INSERT INTO posts (user_id, title) VALUES (1, 'one'), (2, 'two'), (NULL, 'three')" >/dev/null
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
sm --format json push --accept-data-loss
check "push json: valid" json_valid
check "push json: carries the undo point" out_has '"undo_point":1,'
check "push json: the change says undo keeps it" out_has '"undo":true'
check "drop table: gone" eval '! q "SELECT 1 FROM posts" >/dev/null 2>&1'
sm undo
check "undo table: restored" rc_is 0
check "undo table: the rows back" q_is "SELECT id || ':' || coalesce(user_id, 0) || ':' || title FROM posts ORDER BY id" "1:1:one
2:2:two
3:0:three"
check "undo table: the index back" has_index posts_title_idx
sm diff --exit-code
check "undo table: diff wants to drop it again" both rc_is 4 out_has "! drop table posts (3 rows"
q "INSERT INTO posts (user_id, title) VALUES (1, 'four')" >/dev/null
check "undo table: the autoincrement goes on after the restored ids" q_is "SELECT max(id) FROM posts" 4
check "undo table: the foreign key is back" eval '! q "INSERT INTO posts (user_id, title) VALUES (99, '"'"'bad'"'"')" >/dev/null 2>&1 || [ "$D" = sqlite ]'
# The counter is kept too: ids deleted before the drop, above the rows
# kept, are not handed out again.
q "INSERT INTO posts (user_id, title) VALUES (1, 'probe')" >/dev/null
P=$(q "SELECT max(id) FROM posts")
q "DELETE FROM posts WHERE id >= 3" >/dev/null
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
sm push --accept-data-loss
sm undo
check "undo counter: restored" rc_is 0
q "INSERT INTO posts (user_id, title) VALUES (1, 'next')" >/dev/null
check "undo counter: an id deleted before the drop is not handed out again" q_is "SELECT max(id) FROM posts" $((P + 1))
# An empty table dropped in the same run as a table with rows: the
# point keeps its counter too.
q "INSERT INTO posts (user_id, title) VALUES (1, 'gone')" >/dev/null
P=$(q "SELECT max(id) FROM posts")
q "DELETE FROM posts" >/dev/null
s <<'YAML'
tables: {}
YAML
sm push --accept-data-loss
check "undo counter: an empty table dropped beside one with rows" both rc_is 0 out_has "undo point"
sm undo
check "undo counter: ...restored" rc_is 0
q "INSERT INTO posts (user_id, title) VALUES (1, 'after')" >/dev/null
check "undo counter: ...its counter goes on" q_is "SELECT max(id) FROM posts" $((P + 1))

# 3. A lossy type change: the old values back.
project
newdb
s <<'YAML'
tables:
  m:
    columns:
      id: { type: integer, primary_key: true }
      v: { type: varchar(20) }
YAML
sm push
q "INSERT INTO m (id, v) VALUES (1, '007'), (2, '7'), (3, NULL)" >/dev/null
s <<'YAML'
tables:
  m:
    columns:
      id: { type: integer, primary_key: true }
      v: { type: integer }
YAML
sm push --accept-data-loss
check "type change: applied with an undo point" both rc_is 0 out_has "undo point 1"
check "type change: the plan line says undo keeps them" out_has "undo keeps them"
sm undo
check "undo type change: restored" rc_is 0
check "undo type change: the old values" q_is "SELECT id || ':' || coalesce(v, 'null') FROM m ORDER BY id" "1:007
2:7
3:null"
sm diff --exit-code
check "undo type change: diff shows the change again" rc_is 4

# 3b. Rows the point keeps nothing of (written since, or NULL when the
# run ran) keep their values too: what the type going back would take
# from them is a conflict, and nothing is changed.
project
newdb
if [ "$D" = postgres ]; then
	s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      n: { type: "numeric(12,2)", nullable: false, default: 0 }
      b: integer
      f: boolean
YAML
	sm push
	q "INSERT INTO t VALUES (1, 1.5, 5, true), (2, 2.5, NULL, NULL)" >/dev/null
	s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      n: { type: bigint, nullable: false, default: 0 }
      b: text
      f: integer
YAML
	sm push --accept-data-loss
	check "written since a type change: applied" both rc_is 0 out_has "undo point 1"
	q "INSERT INTO t VALUES (3, 1000000000000000, 'abc', 7); UPDATE t SET b = 'hello', f = 42 WHERE id = 2" >/dev/null
	sm undo
	check "written since a type change: a conflict" both rc_is 3 err_has "restoring would lose data written since: alter column t.n: type bigint → numeric(12,2)"
	check "written since a type change: each column named" both err_has "alter column t.b: type text → integer" err_has "alter column t.f: type integer → boolean"
	check "written since a type change: nothing changed" q_is "SELECT id || ':' || n || ':' || coalesce(b, '') || ':' || coalesce(f::text, '') FROM t ORDER BY id" "1:2:5:1
2:3:hello:42
3:1000000000000000:abc:7"
else
	s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      r: text
YAML
	sm push
	q "INSERT INTO t VALUES (1, '1.50')" >/dev/null
	s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      r: real
YAML
	sm push --accept-data-loss
	check "written since a type change: applied" both rc_is 0 out_has "undo point 1"
	q "INSERT INTO t VALUES (2, 0.1 + 0.2)" >/dev/null
	sm undo
	check "written since a type change: a conflict" both rc_is 3 err_has "restoring would lose data written since: alter column t.r: type double → text"
	check "written since a type change: nothing changed" q_is "SELECT id || ':' || typeof(r) FROM t ORDER BY id" "1:real
2:real"
fi
check "written since a type change: the point is kept" points_is 1

# 3d. The values the point keeps may not fit the column's type going
# back as the run left them (999.99 rounded to 1000 for numeric(5,2)):
# the cast back leaves them to the refill, and a value written since
# that fits is kept. A type the run widened goes back as it was.
project
newdb
s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      a: "numeric(5,2)"
      n: integer
      x: text
YAML
sm push
q "INSERT INTO t VALUES (1, 999.99, 5, 'x'), (2, NULL, 6, NULL)" >/dev/null
s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      a: integer
      n: bigint
YAML
sm push --accept-data-loss
check "kept values past the old type: applied" both rc_is 0 out_has "undo point 1"
q "UPDATE t SET a = 5 WHERE id = 2" >/dev/null
sm undo
check "kept values past the old type: restored" both rc_is 0 out_has "restored undo point 1"
case $D in
postgres) check "kept values past the old type: the values" q_is "SELECT id || ':' || a || ':' || n || ':' || coalesce(x, '') FROM t ORDER BY id" "1:999.99:5:x
2:5.00:6:" ;;
sqlite) check "kept values past the old type: the values" q_is "SELECT id || ':' || a || ':' || n || ':' || coalesce(x, '') FROM t ORDER BY id" "1:999.99:5:x
2:5:6:" ;;
esac

# 3c. A key the run retyped may read another way back ('007', 7, then
# '7'): a kept value that would find no row is never dropped quietly.
project
newdb
s <<'YAML'
tables:
  t:
    columns:
      id: { type: text, primary_key: true }
      x: text
YAML
sm push
q "INSERT INTO t VALUES ('007', 'keep me'), ('9', 'keep me too')" >/dev/null
s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
YAML
sm push --accept-data-loss
check "key read otherwise: applied" both rc_is 0 out_has "undo point 1"
sm undo
if [ "$D" = postgres ]; then
	# The keys do not compare (integer = text): compared as text, '007'
	# is not '7'.
	check "key read otherwise: a conflict" both rc_is 3 err_has "table t: 1 row whose x values are kept was deleted since (or its key reads otherwise now)"
else
	check "key read otherwise: a conflict" both rc_is 3 err_has "table t: 1 kept value of column x found no row to go back to"
fi
case $D in
sqlite) check "key read otherwise: nothing changed" q_is "SELECT group_concat(name) FROM pragma_table_info('t')" "id" ;;
postgres) check "key read otherwise: nothing changed" q_is "SELECT string_agg(column_name, ',') FROM information_schema.columns WHERE table_name = 't'" "id" ;;
esac
check "key read otherwise: the point is kept" points_is 1

# 4. An enum value removed: the rows that had it get it back.
project
newdb
s <<'YAML'
enums:
  status: [draft, published, archived]
tables:
  posts:
    columns:
      id: { type: integer, primary_key: true }
      status: { type: status }
YAML
sm push
q "INSERT INTO posts (id, status) VALUES (1, 'draft'), (2, 'archived'), (3, 'published'), (4, 'archived')" >/dev/null
s <<'YAML'
enums:
  status: [draft, published]
tables:
  posts:
    columns:
      id: { type: integer, primary_key: true }
      status: { type: status }
YAML
sm push --accept-data-loss
check "enum value: applied with an undo point" both rc_is 0 out_has "undo point 1"
check "enum value: the plan line says undo keeps them" out_has "undo keeps them"
check "enum value: the rows lost it" q_is "SELECT count(*) FROM posts WHERE status IS NULL" 2
sm undo
check "undo enum value: restored" rc_is 0
check "undo enum value: the values back" q_is "SELECT id || ':' || status FROM posts ORDER BY id" "1:draft
2:archived
3:published
4:archived"
sm diff --exit-code
check "undo enum value: diff shows the removal again" rc_is 4

# 5. --force-reset keeps what it drops, and keeps the store itself.
project
newdb
users_v1
sm push
q "INSERT INTO users (id, email, bio) VALUES (1, 'a@x', 'one'), (2, 'b@x', 'two')" >/dev/null
users_v2
sm push --accept-data-loss
check "reset: first point" points_is 1
users_v1
sm push --force-reset --accept-data-loss
check "force-reset: applied" both rc_is 0 out_has "undo point 2"
check "force-reset: the store is kept" points_is 2
check "force-reset: the table is empty" q_is "SELECT count(*) FROM users" 0
sm undo
check "undo force-reset: restored" rc_is 0
check "undo force-reset: the rows back, without bio as before the reset" q_is "SELECT id || ':' || email FROM users ORDER BY id" "1:a@x
2:b@x"
sm undo
check "undo again: the older point brings bio back" both rc_is 0 out_has "restored undo point 1"
check "undo again: bio values" q_is "SELECT id || ':' || bio FROM users ORDER BY id" "1:one
2:two"

# 6. Conflicts: nothing changes, exit 3, each conflict named.
project
newdb
users_v1
sm push
q "INSERT INTO users (id, email, bio) VALUES (1, 'a@x', 'one'), (2, 'b@x', 'two'), (3, 'c@x', 'three')" >/dev/null
users_v2
sm push --accept-data-loss
q "DELETE FROM users WHERE id = 2" >/dev/null
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      email: { type: text, nullable: false }
      bio: text
YAML
sm push
q "UPDATE users SET bio = 'new'" >/dev/null
dump >"$TMP/before"
sm undo
check "conflict: exit 3" rc_is 3
check "conflict: the name taken" err_has "column users.bio: the name is taken by a column with 2 values"
check "conflict: the rows deleted since" err_has "table users: 1 row whose bio values are kept was deleted since"
check "conflict: nothing was changed" err_has "nothing was changed"
dump >"$TMP/after"
check "conflict: the database is as it was" cmp -s "$TMP/before" "$TMP/after"
check "conflict: the point stays" points_is 1
sm --format json undo
check "conflict json: valid" json_valid
check "conflict json: exit 3" both rc_is 3 out_has '"restored":false'
check "conflict json: the conflicts" out_has '"conflicts":["'

# 6b. A generated column: a dropped table's rows come back without
# it (it is computed again); a dropped generated column keeps nothing.
project
newdb
s <<'YAML'
tables:
  keep:
    columns:
      id: { type: integer, primary_key: true }
  t:
    columns:
      id: { type: integer, primary_key: true }
      n: integer
      g: { type: integer, generated: { sql: "n * 2", stored: true } }
YAML
sm push
q "INSERT INTO t (id, n) VALUES (1, 5), (2, 7)" >/dev/null
s <<'YAML'
tables:
  keep:
    columns:
      id: { type: integer, primary_key: true }
YAML
sm push --accept-data-loss
check "generated: the dropped table keeps its point" both rc_is 0 out_has "undo point 1 keeps"
sm undo
check "generated: undo restores" both rc_is 0 out_has "restored undo point 1"
check "generated: the rows and the computed values are back" q_is "SELECT id || ':' || n || ':' || g FROM t ORDER BY id" "1:5:10
2:7:14"
s <<'YAML'
tables:
  keep:
    columns:
      id: { type: integer, primary_key: true }
  t:
    columns:
      id: { type: integer, primary_key: true }
      n: integer
YAML
sm push --accept-data-loss
check "generated: dropping the generated column applies" both rc_is 0 out_has "drop column t.g"
check "generated: the generated column's values are not kept" out_lacks "undo keeps"

# 6c. A value written since a type change or a lost enum value is not
# overwritten: a conflict. Rows the run left as they were restore.
project
newdb
s <<'YAML'
enums:
  status: [draft, published, archived]
tables:
  m:
    columns:
      id: { type: integer, primary_key: true }
      v: { type: varchar(20) }
      status: { type: status }
YAML
sm push
q "INSERT INTO m (id, v, status) VALUES (1, '007', 'archived'), (2, '7', 'draft'), (3, '08', NULL)" >/dev/null
s <<'YAML'
enums:
  status: [draft, published]
tables:
  m:
    columns:
      id: { type: integer, primary_key: true }
      v: { type: integer }
      status: { type: status }
YAML
sm push --accept-data-loss
check "changed since: the type change applied" both rc_is 0 out_has "undo point 1"
q "UPDATE m SET v = 99 WHERE id = 2" >/dev/null
q "UPDATE m SET status = 'published' WHERE id = 1" >/dev/null
dump >"$TMP/before"
sm undo
check "changed since: exit 3" rc_is 3
check "changed since: the new value named" err_has "table m: 1 row whose v value changed since; restoring would overwrite it"
check "changed since: the enum value written since named" err_has "table m: 1 row whose status value changed since"
dump >"$TMP/after"
check "changed since: nothing was changed" cmp -s "$TMP/before" "$TMP/after"
check "changed since: the point stays" points_is 1
q "UPDATE m SET v = 7 WHERE id = 2" >/dev/null
q "UPDATE m SET status = NULL WHERE id = 1" >/dev/null
sm undo
check "changed since: with the values as the run left them, undo restores" rc_is 0
check "changed since: the old values" q_is "SELECT id || ':' || v || ':' || coalesce(CAST(status AS text), '-') FROM m ORDER BY id" "1:007:archived
2:7:draft
3:08:-"

# 6c2. What is no change since: a value the same after a later safe
# type change (7 is 7.0 as REAL), a table named like the store's alias
# once was (s), an enum recreated later while a point keeps its values.
project
newdb
s <<'YAML'
enums:
  st: [a, b, c]
tables:
  s:
    columns:
      id: { type: integer, primary_key: true }
      v: { type: varchar(20) }
      e: { type: st }
YAML
sm push
q "INSERT INTO s (id, v, e) VALUES (1, '007', 'a'), (2, '8', 'c')" >/dev/null
s <<'YAML'
enums:
  st: [a, b]
tables:
  s:
    columns:
      id: { type: integer, primary_key: true }
      v: { type: integer }
      e: { type: st }
YAML
sm push --accept-data-loss
check "no change since: a table named s takes a type change with its point" both rc_is 0 out_has "undo point 1"
# double on SQLite (7 becomes 7.0); bigint on PostgreSQL, where double
# would lose precision.
wide=bigint
[ "$D" = sqlite ] && wide=double
s <<YAML
enums:
  st: [b, a]
tables:
  s:
    columns:
      id: { type: integer, primary_key: true }
      v: { type: $wide }
      e: { type: st }
YAML
sm push
check "no change since: a later safe change applies over the point" rc_is 0
sm undo
check "no change since: 7 as 7.0 is no conflict, undo restores" both rc_is 0 out_has "restored undo point 1"
check "no change since: the old values" q_is "SELECT id || ':' || v || ':' || CAST(e AS text) FROM s ORDER BY id" "1:007:a
2:8:c"

# A key retyped in the same run still finds the rows: a value written
# since is a conflict.
project
newdb
s <<'YAML'
tables:
  t:
    columns:
      id: { type: bigint, primary_key: true }
      v: { type: varchar(10) }
YAML
sm push
q "INSERT INTO t VALUES (1, '010'), (2, '20')" >/dev/null
s <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      v: { type: integer }
YAML
sm push --accept-data-loss
q "UPDATE t SET v = 99 WHERE id = 1" >/dev/null
sm undo
check "key retyped: a value written since is a conflict" both rc_is 3 err_has "table t: 1 row whose v value changed since"

# A value written since that reads the same as text is still written
# since (PostgreSQL: real 5.123457 is not double 5.123457).
if [ "$D" = postgres ]; then
project
newdb
s <<'YAML'
tables:
  f:
    columns:
      id: { type: integer, primary_key: true }
      v: { type: double }
YAML
sm push
q "INSERT INTO f VALUES (1, 5.123456789)" >/dev/null
sed -i 's/type: double/type: real/' schemas/app.yaml
sm push --accept-data-loss
sed -i 's/type: real/type: double/' schemas/app.yaml
sm push
q "UPDATE f SET v = 5.123457 WHERE id = 1" >/dev/null
sm undo
check "same text, another value: a conflict" both rc_is 3 err_has "table f: 1 row whose v value changed since"
fi

# SQLite: a row whose key is NULL cannot be found again: not kept, and
# no conflict that would stop undo for good.
if [ "$D" = sqlite ]; then
project
newdb
q "CREATE TABLE n (k text PRIMARY KEY, v text, w integer); INSERT INTO n VALUES (NULL, 'gone', 1), ('a', 'kept', 2)" >/dev/null
sm pull >/dev/null
sed -i '/      v:/d' schemas/schema.yaml
sm push --accept-data-loss
check "NULL key: the column drops with a point" both rc_is 0 out_has "undo point"
sm undo
check "NULL key: undo restores" rc_is 0
check "NULL key: the values of rows with a key" q_is "SELECT coalesce(k, '-') || ':' || coalesce(v, '-') FROM n ORDER BY k" "-:-
a:kept"
rm -f schemas/schema.yaml
fi

# The same instant read in another time zone is no change (PostgreSQL:
# timestamptz as text follows the session's TimeZone).
if [ "$D" = postgres ]; then
project
newdb
s <<'YAML'
tables:
  ev:
    columns:
      id: { type: integer, primary_key: true }
      at: timestamptz
YAML
sm push
q "INSERT INTO ev VALUES (1, '2024-01-01 10:00:00.5+00')" >/dev/null
sed -i 's/at: timestamptz/at: timestamptz(0)/' schemas/app.yaml
PGTZ=UTC sm push --accept-data-loss
check "time zone: the rounding applied with a point" rc_is 0
PGTZ=Asia/Tokyo sm undo
check "time zone: undo in another time zone restores" rc_is 0
check "time zone: the value back" q_is "SELECT CAST(at AT TIME ZONE 'UTC' AS text) FROM ev" "2024-01-01 10:00:00.5"
fi

# PostgreSQL: an enum value lost under a generated column of the enum
# (its values come back from its expression: not kept), and under a key
# that has a column of the enum (the rows' keys change with the value:
# the plan line says undo cannot keep them, and no point is made).
if [ "$D" = postgres ]; then
project
newdb
s <<'YAML'
enums:
  st: [a, b, c]
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: st, default: a }
      ge: { type: st, generated: { sql: "s", stored: true } }
YAML
sm push
q "INSERT INTO t (id, s) VALUES (1, 'b'), (2, 'c')" >/dev/null
sed -i 's/\[a, b, c\]/[a, c]/' schemas/app.yaml
sm push --accept-data-loss
check "generated enum column: the loss has a point" both rc_is 0 out_has "undo point 1"
sm undo
check "generated enum column: undo restores" rc_is 0
check "...the value and the generated one back" q_is "SELECT id || ':' || s || ':' || ge FROM t ORDER BY id" "1:b:b
2:c:c"
project
newdb
s <<'YAML'
enums:
  st: [a, b, c]
tables:
  t:
    columns:
      id: integer
      s: { type: st, default: a }
      v: st
    primary_key: [id, s]
YAML
sm push
q "INSERT INTO t VALUES (1, 'b', 'b'), (2, 'c', 'c')" >/dev/null
sed -i 's/\[a, b, c\]/[a, c]/' schemas/app.yaml
sm push --accept-data-loss
check "enum in the key: undo cannot keep the values, and says so" both rc_is 0 out_has "no primary key apart from the column: undo cannot keep them"
check "...no undo point" out_lacks "undo point"
# The same with a generated key column that reads the enum column.
project
newdb
s <<'YAML'
enums:
  st: [a, b, c]
tables:
  t:
    columns:
      id: integer
      s: { type: st, default: a }
      k: { type: boolean, generated: { sql: "s = 'a'", stored: true } }
    primary_key: [id, k]
YAML
sm push
q "INSERT INTO t (id, s) VALUES (1, 'a'), (2, 'c')" >/dev/null
sed -i 's/\[a, b, c\]/[a, b]/' schemas/app.yaml
sm push --accept-data-loss
check "generated key column reading the enum: undo cannot keep, and says so" both rc_is 0 out_has "no primary key apart from the column: undo cannot keep them"
fi

# PostgreSQL: an enum key and an enum array are kept as text, so a
# later recreation of the enum (a new order, a dropped type) works.
if [ "$D" = postgres ]; then
project
newdb
s <<'YAML'
enums:
  st: [a, b, c]
tables:
  t:
    columns:
      k: { type: st, primary_key: true }
      v: { type: bigint }
YAML
sm push
q "INSERT INTO t VALUES ('a', 1), ('c', 2)" >/dev/null
sed -i 's/v: { type: bigint }/v: { type: integer }/' schemas/app.yaml
sm push --accept-data-loss
check "enum key: a type change keeps its point" both rc_is 0 out_has "undo point 1"
sed -i 's/\[a, b, c\]/[c, b, a]/' schemas/app.yaml
sm push
check "enum key: the enum recreated later, the store in no way" rc_is 0
q "UPDATE t SET v = 5 WHERE k = 'c'" >/dev/null
sm undo
check "enum key: a value written since found by its enum key" both rc_is 3 err_has "table t: 1 row whose v value changed since"
q "UPDATE t SET v = 2 WHERE k = 'c'" >/dev/null
sm undo
check "enum key: undo restores" rc_is 0
s <<'YAML'
enums:
  st: [a, b, c]
tables:
  u:
    columns:
      id: { type: integer, primary_key: true }
      arr: "st[]"
YAML
sm push --accept-data-loss --no-undo
q "INSERT INTO u VALUES (1, '{a,b}'), (2, '{c}')" >/dev/null
s <<'YAML'
tables: {}
YAML
sm push --accept-data-loss
check "enum array: a table and its enum dropped together, with a point" both rc_is 0 out_has "undo point"
sm undo
check "enum array: undo restores" rc_is 0
check "enum array: the arrays back" q_is "SELECT CAST(arr AS text) FROM u ORDER BY id" "{a,b}
{c}"
fi

# 6d. undo ID restores the newer points first: an older point alone
# would leave them stranded.
project
newdb
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      bio: text
  other:
    columns:
      id: { type: integer, primary_key: true }
YAML
sm push
q "INSERT INTO users (id, bio) VALUES (1, 'one')" >/dev/null
q "INSERT INTO other (id) VALUES (5)" >/dev/null
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
  other:
    columns:
      id: { type: integer, primary_key: true }
YAML
sm push --accept-data-loss
check "chain: first point" points_is 1
s <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
YAML
sm push --accept-data-loss
check "chain: second point" points_is 2
sm undo 1
check "chain: undo 1 restores 2 then 1" both rc_is 0 out_has "restored undo points 2 and 1"
check "chain: no point stranded" points_is 0
check "chain: the table of point 2 is back" q_is "SELECT count(*) FROM other" 1
check "chain: the column of point 1 is back" q_is "SELECT bio FROM users" one
sm undo 1
check "chain: no point 1 any more" both rc_is 2 err_has "there is no undo point 1"

# 7. --no-undo, retention, purge.
project
newdb
users_v1
sm push
q "INSERT INTO users (id, email, bio) VALUES (1, 'a@x', 'one')" >/dev/null
users_v2
sm push --accept-data-loss --no-undo
check "--no-undo: no point" both points_is 0 out_lacks "undo point"
check "--no-undo: the plan line says nothing of undo" out_lacks "undo keeps"
printf 'undo: { keep: 2 }\n' >schemasync.yaml
for i in 1 2 3; do
	users_v1
	sm push
	q "UPDATE users SET bio = 'v$i'" >/dev/null
	users_v2
	sm push --accept-data-loss

done
check "undo.keep: 2 points kept of 3" points_is 2
sm undo --list
check "undo.keep: the oldest went" eval '! grep -q "^1 " "$TMP/.out" && grep -q "^3 " "$TMP/.out"'
sm undo --purge --keep 1
check "purge --keep 1" both rc_is 0 points_is 1
sm undo --purge
check "purge: all" both rc_is 0 points_is 0
sm undo --keep 3
check "--keep without --purge: usage" rc_is 2
rm schemasync.yaml

# 8. watch applies a confirmed drop with its undo point.
project
newdb
users_v1
sm push
q "INSERT INTO users (id, email, bio) VALUES (1, 'a@x', 'kept by watch')" >/dev/null
users_v2
: >"$TMP/.wout"
"$SCHEMASYNC" --db "$DB" --format json watch --accept-data-loss >"$TMP/.wout" 2>"$TMP/.werr" &
W=$!
i=0
while [ $i -lt 1200 ] && ! grep -q '"event":"applied"' "$TMP/.wout"; do
	sleep 0.05
	i=$((i + 1))
done
kill -TERM "$W" 2>/dev/null
wait "$W" 2>/dev/null
W=
check "watch: applied with its undo point" eval 'grep -q "\"undo_point\":1" "$TMP/.wout"'
sm undo
check "undo after watch: restored" rc_is 0
check "undo after watch: the values back" q_is "SELECT bio FROM users" "kept by watch"

# A rename in the same run as a loss: undo renames back, and does not
# read the name that changed as a drop of what is there now (which was
# a conflict, and nothing restored).
project
newdb
s <<'YAML'
tables:
  accounts:
    columns:
      id: { type: integer, primary_key: true }
      email: text
      bio: text
YAML
sm push
q "INSERT INTO accounts (id, email, bio) VALUES (1, 'a@x', 'tea'), (2, 'b@x', 'coffee')" >/dev/null
s <<'YAML'
tables:
  members:
    columns:
      id: { type: integer, primary_key: true }
      mail: text
YAML
sm push --rename accounts=members --rename members.email=mail --accept-data-loss
check "renamed with a loss: applied" both rc_is 0 out_has "undo point"
sm undo
check "renamed with a loss: undo restores" both rc_is 0 out_has "restored undo point"
check "renamed with a loss: the names back, values on their rows" q_is "SELECT id || ':' || email || ':' || bio FROM accounts ORDER BY id" "1:a@x:tea
2:b@x:coffee"
s <<'YAML'
tables:
  accounts:
    columns:
      id: { type: integer, primary_key: true }
      email: text
      bio: text
YAML
sm diff --exit-code
check "renamed with a loss: in sync with the files before" both rc_is 0 out_has "in sync"
# Renamed again since (by hand): the answer names nothing now, and the
# loss is a conflict, as it was; nothing changed.
s <<'YAML'
tables:
  accounts:
    columns:
      id: { type: integer, primary_key: true }
      mail: text
YAML
sm push --rename accounts.email=mail --accept-data-loss
q "ALTER TABLE accounts RENAME COLUMN mail TO contact" >/dev/null
sm undo
check "renamed again since: a conflict" both rc_is 3 err_has "conflict"
check "renamed again since: nothing changed" q_is "SELECT id || ':' || contact FROM accounts ORDER BY id" "1:a@x
2:b@x"

# A value written since under the run's new names is seen (w is read
# under them): a conflict, not overwritten; unchanged, it comes back.
for upd in yes no; do
project
newdb
s <<'YAML'
enums: { st: [a, b, c] }
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      status: { type: st, nullable: false, default: a }
YAML
sm push
q "INSERT INTO users VALUES (1, 'c'), (2, 'c'), (3, 'b')" >/dev/null
s <<'YAML'
enums: { st: [a, b] }
tables:
  members:
    columns:
      id: { type: integer, primary_key: true }
      state: { type: st, nullable: false, default: a }
YAML
sm push --rename users=members --rename members.status=state --accept-data-loss
check "renamed, a value lost ($upd written since): applied" both rc_is 0 out_has "undo point 1"
if [ $upd = yes ]; then
	q "UPDATE members SET state = 'b' WHERE id = 1" >/dev/null
	sm undo
	check "renamed, a value written since: a conflict" both rc_is 3 err_has "1 row whose state value changed since"
	check "renamed, a value written since: not overwritten" q_is "SELECT id || ':' || state FROM members ORDER BY id" "1:b
2:a
3:b"
else
	sm undo
	check "renamed, a value lost: undo restores" both rc_is 0 out_has "restored undo point 1"
	check "renamed, a value lost: the values back" q_is "SELECT id || ':' || status FROM users ORDER BY id" "1:c
2:c
3:b"
fi
done

# An enum value the run added, written since into a row the point does
# not keep: restoring the enum would lose it, a conflict (SQLite set it
# to NULL and exited 0 before); nullable or not.
for nn in true false; do
project
newdb
s <<YAML
enums: { st: [a, b, c] }
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: st, nullable: $nn }
YAML
sm push
q "INSERT INTO t VALUES (1, 'a'), (2, 'c')" >/dev/null
s <<YAML
enums: { st: [a, b, d] }
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: st, nullable: $nn, default: a }
YAML
sm push --accept-data-loss
q "INSERT INTO t VALUES (4, 'd')" >/dev/null
sm undo
check "a new enum value written since (nullable: $nn): a conflict" both rc_is 3 err_has "table t: 1 row written since holds s value the enum st lacks"
check "a new enum value written since (nullable: $nn): nothing changed" q_is "SELECT id || ':' || s FROM t ORDER BY id" "1:a
2:a
4:d"
q "DELETE FROM t WHERE id = 4" >/dev/null
sm undo
check "a new enum value gone again (nullable: $nn): undo restores" both rc_is 0 out_has "restored undo point"
check "a new enum value gone again (nullable: $nn): the values back" q_is "SELECT id || ':' || s FROM t ORDER BY id" "1:a
2:c"
done

# The run dropped a unique index over a column losing enum values, and
# rows collapsed onto one value: the index comes back after the values
# (a false conflict, exit 3, before).
project
newdb
s <<'YAML'
enums: { st: [a, b, c], s2e: [x, y] }
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      status: { type: st, nullable: false, default: a }
      s2: s2e
    indexes:
      t_u: { columns: [status, s2], unique: true }
YAML
sm push
q "INSERT INTO t VALUES (1, 'a', 'x'), (2, 'c', 'x')" >/dev/null
s <<'YAML'
enums: { st: [a, b], s2e: [x, y] }
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      status: { type: st, nullable: false, default: a }
      s2: s2e
YAML
sm push --accept-data-loss
sm undo
check "unique index dropped with the loss: undo restores" both rc_is 0 out_has "restored undo point"
check "unique index dropped with the loss: the values back" q_is "SELECT id || ':' || CAST(status AS text) || CAST(s2 AS text) FROM t ORDER BY id" "1:ax
2:cx"
check "unique index dropped with the loss: the index back" has_index t_u

# A dropped column that a unique key made, and another table's foreign
# key referenced: both come back after the values.
project
newdb
s <<'YAML'
tables:
  p:
    columns:
      id: { type: integer, primary_key: true }
      code: { type: text, unique: true }
  r:
    columns:
      id: { type: integer, primary_key: true }
      pc: { type: text, references: p.code }
YAML
cp schemas/app.yaml keyed.yaml
sm push
q "INSERT INTO p VALUES (1, 'x'), (2, 'y'); INSERT INTO r VALUES (1, 'x')" >/dev/null
s <<'YAML'
tables:
  p:
    columns:
      id: { type: integer, primary_key: true }
  r:
    columns:
      id: { type: integer, primary_key: true }
      pc: text
YAML
sm push --accept-data-loss
sm undo
check "a unique column a foreign key referenced: undo restores" both rc_is 0 out_has "restored undo point"
check "a unique column a foreign key referenced: the values back" q_is "SELECT id || ':' || code FROM p ORDER BY id" "1:x
2:y"
s <keyed.yaml
sm diff --exit-code
check "a unique column a foreign key referenced: key and foreign key back" both rc_is 0 out_has "in sync"

# A dropped enum column, or table, and the value only it used: undo adds
# the value back and writes it in one transaction (PostgreSQL refused a
# value added there before: "unsafe use of new value", exit 1).
for what in column table; do
project
newdb
s <<'YAML'
enums: { st: [a, c] }
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      s: st
  k:
    columns:
      id: { type: integer, primary_key: true }
YAML
sm push
q "INSERT INTO t VALUES (1, 'c'), (2, 'a')" >/dev/null
if [ $what = column ]; then
s <<'YAML'
enums: { st: [a] }
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
  k:
    columns:
      id: { type: integer, primary_key: true }
YAML
else
s <<'YAML'
enums: { st: [a] }
tables:
  k:
    columns:
      id: { type: integer, primary_key: true }
YAML
fi
sm push --accept-data-loss
check "dropped enum $what with its value: applied" both rc_is 0 out_has "undo point 1"
sm undo
check "dropped enum $what with its value: undo restores" both rc_is 0 out_has "restored undo point 1"
check "dropped enum $what with its value: the values back" q_is "SELECT id || ':' || CAST(s AS text) FROM t ORDER BY id" "1:c
2:a"
done

# SQLite: a NOT NULL enum column whose lost values went to the run's
# new default. Converting back makes them NULL until the kept values are
# back (a NOT NULL failure, exit 1, before); a row that took the new
# value since is a conflict.
if [ "$D" = sqlite ]; then
project
newdb
s <<'YAML'
enums:
  st: [a, b, c]
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: st, nullable: false }
YAML
sm push
q "INSERT INTO t VALUES (1, 'a'), (2, 'c')" >/dev/null
s <<'YAML'
enums:
  st: [a, b, d]
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: st, nullable: false, default: d }
YAML
sm push --accept-data-loss
check "NOT NULL enum to a new default: applied" both rc_is 0 out_has "undo point 1"
sm undo
check "NOT NULL enum to a new default: undo restores" both rc_is 0 out_has "restored undo point 1"
check "NOT NULL enum to a new default: the values back" q_is "SELECT group_concat(id || s, ',') FROM t" "1a,2c"
check "NOT NULL enum to a new default: NOT NULL again" q_is "SELECT \"notnull\" FROM pragma_table_info('t') WHERE name = 's'" 1
sm push --accept-data-loss
q "INSERT INTO t VALUES (3, 'd')" >/dev/null
sm undo
check "NOT NULL enum, a new value written since: a conflict" both rc_is 3 err_has "conflict"
check "NOT NULL enum, a new value written since: nothing changed" q_is "SELECT group_concat(id || s, ',') FROM t" "1a,2d,3d"
fi

T=$T0
done

# 9. kill -9 during a destructive push: either the old schema and no
# point, or the new schema and its point; never anything between.
for D in $DIALECTS; do
T0=$T
T="$T0 [$D]"
project
newdb
users_v1
sm push
q "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 20000) INSERT INTO users (id, email, bio) SELECT i, 'u' || i, 'bio ' || i FROM c" >/dev/null
users_v2
# both_or_neither: the invariant, whatever moment the kill hit.
both_or_neither() {
	has_bio=$(q "SELECT count(*) FROM users WHERE bio = 'bio 7'" 2>/dev/null | grep -cx 1)
	p=$(points)
	if [ "$has_bio" = 1 ] && [ "$p" = 0 ]; then return 0; fi
	if [ "$has_bio" = 0 ] && [ "$p" = 1 ]; then return 0; fi
	printf 'bio present: %s, points: %s\n' "$has_bio" "$p" >"$TMP/.got"
	return 1
}
if [ "$D" = postgres ]; then
	# Deterministic: a reader holds users, so the push has kept the
	# values and waits for its lock to drop the column; kill it there.
	psql -X -q -d "$DBNAME" -c "BEGIN; LOCK TABLE users IN ACCESS SHARE MODE; SELECT pg_sleep(600);" >/dev/null 2>&1 &
	LOCKER=$!
	# The reader holds its lock before the push starts (a barrier).
	i=0
	while [ $i -lt 1200 ]; do
		h=$(psql -X -qAt -d "$DBNAME" -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'users' AND l.mode = 'AccessShareLock' AND l.granted AND l.pid <> pg_backend_pid()")
		[ "$h" = 1 ] && break
		sleep 0.05
		i=$((i + 1))
	done
	"$SCHEMASYNC" --db "$DB" push --accept-data-loss >/dev/null 2>&1 &
	P=$!
	i=0
	while [ $i -lt 1200 ]; do
		w=$(psql -X -qAt -d "$DBNAME" -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query NOT LIKE '%pg_sleep%' AND datname = '$DBNAME'")
		[ "$w" = 1 ] && break
		sleep 0.05
		i=$((i + 1))
	done
	check "kill -9: the push waits to drop, its values kept" [ "$w" = 1 ]
	kill -KILL "$P" 2>/dev/null
	wait "$P" 2>/dev/null
	kill -KILL "$LOCKER" 2>/dev/null
	wait "$LOCKER" 2>/dev/null
	LOCKER=
	psql -X -q -d "$DBNAME" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DBNAME' AND pid <> pg_backend_pid()" >/dev/null 2>&1
	check "kill -9 after the values were kept: old schema, no point" q_is "SELECT count(*) FROM users WHERE bio IS NOT NULL" 20000
	check "kill -9 after the values were kept: ...and no point" points_is 0
else
	# A kill at several moments; each must leave all or nothing.
	for delay in 0.01 0.03 0.06 0.1 0.2; do
		"$SCHEMASYNC" --db "$DB" push --accept-data-loss >/dev/null 2>&1 &
		P=$!
		sleep $delay
		kill -KILL "$P" 2>/dev/null
		wait "$P" 2>/dev/null
		check "kill -9 at ${delay}s: old schema without point or new with it" both_or_neither
		if [ "$(points)" = 1 ]; then
			sm undo
			check "kill -9 at ${delay}s: the point restores" rc_is 0
		fi
	done
fi
sm push --accept-data-loss
check "after the kills: the push applies" rc_is 0
check "after the kills: ...with its point" both_or_neither
sm undo
check "after the kills: undo brings all values back" q_is "SELECT count(*) FROM users WHERE bio = 'bio ' || id" 20000
T=$T0
done

# A server that reads backslashes in '' strings (standard_conforming_strings
# off): what a point keeps, backslashes and quotes included, comes back
# exactly, and no text of the database can end a literal early.
if [ "$DIALECTS" != sqlite ]; then
D=postgres
T="$T0 [$D]"
project
newdb
psql -X -q -d postgres -c "ALTER DATABASE $DBNAME SET standard_conforming_strings = off" >/dev/null 2>&1
s <<'YAML'
tables:
  notes:
    columns:
      id: { type: integer, primary_key: true }
      path: { type: text, default: "C:\\temp\\' ; DROP TABLE notes; --" }
      body: text
YAML
sm push
q "INSERT INTO notes (id, body) VALUES (1, E'a\\\\b''c'), (2, 'plain')" >/dev/null
s <<'YAML'
tables:
  notes:
    columns:
      id: { type: integer, primary_key: true }
      path: { type: text, default: "C:\\temp\\' ; DROP TABLE notes; --" }
YAML
sm push --accept-data-loss
check "backslashes, standard_conforming_strings off: the drop keeps its point" both rc_is 0 out_has "undo point 1 keeps"
sm undo
check "backslashes: undo restores" rc_is 0
check "backslashes: the values come back exactly" q_is "SELECT body FROM notes ORDER BY id" 'a\b'"'"'c
plain'
check "backslashes: the default comes back exactly" q_is "SELECT path FROM notes WHERE id = 1" 'C:\temp\'"'"' ; DROP TABLE notes; --'
T=$T0
fi
