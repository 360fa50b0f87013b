# push, diff and pull against the throwaway PostgreSQL server that
# `make test` starts (tests/pg/with-server.sh). Every test makes its own
# database, puts rows in it, and looks at the database afterwards with
# psql, not only at what schemasync printed.
. "$CLI_LIB"

pg_ready || exit 0

newdb() { pg_newdb ss_cli; }
q() { pg_q "$1"; }
# q_is SQL EXPECTED
q_is() { [ "$(q "$1")" = "$2" ]; }
# cols TABLE: "name:type:nullable,..." in column order.
cols() {
	q "SELECT string_agg(column_name || ':' || data_type || ':' || is_nullable, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$1'"
}
# push/diff with the database and the schema file s.yaml.
sp() { ss --db "$DB" --schema s.yaml "$@"; }
schema() { cat >s.yaml; }
in_sync() { sp diff --exit-code && rc_is 0 && out_has "in sync"; }
# json_change_has OP TEXT...: the JSON change object of OP holds each TEXT.
json_change_has() {
	op=$1
	shift
	obj=$(sed 's/},{/}\n{/g' "$TMP/.out" | grep -F "\"op\":\"$op\"")
	[ -n "$obj" ] || return 1
	for t in "$@"; do
		printf '%s\n' "$obj" | grep -qF -- "$t" || return 1
	done
}

# --- the SPEC example: push, push again, diff -------------------------
newdb
schema <<'YAML'
enums:
  post_status: [draft, published, archived]
tables:
  users:
    columns:
      id:         { type: bigint, primary_key: true, autoincrement: true }
      email:      { type: text, nullable: false, unique: true }
      name:       text
      status:     { type: text, nullable: false, default: active }
      karma:      { type: integer, nullable: false, default: 0 }
      created_at: { type: timestamp, nullable: false, default: { sql: CURRENT_TIMESTAMP } }
    indexes:
      users_name_idx: { columns: [name] }
      users_live_email: { columns: [email], unique: true, where: "status <> 'deleted'" }
    checks:
      users_karma_positive: "karma >= 0"
  posts:
    columns:
      id:       { type: bigint, primary_key: true, autoincrement: true }
      user_id:  { type: bigint, nullable: false, references: users.id, on_delete: cascade }
      title:    { type: varchar(200), nullable: false }
      status:   { type: post_status, nullable: false, default: draft }
      body:     text
    foreign_keys:
      posts_author_fk: { columns: [user_id], references: { table: users, columns: [id] }, on_delete: cascade }
YAML
sp push
check "spec example: push exits 0" rc_is 0
check "spec example: push says applied" out_has "applied 5 changes"
check "spec example: the tables are there" q_is "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'" "posts,users"
check "spec example: the enum is there" q_is "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'post_status'::regtype" "draft,published,archived"
check "spec example: identity column" q_is "SELECT attidentity FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'id'" "d"
check "spec example: both foreign keys" q_is "SELECT count(*) FROM pg_constraint WHERE conrelid = 'posts'::regclass AND contype = 'f'" "2"
sp push
check "spec example: second push is in sync" both rc_is 0 out_has "in sync: nothing to do"
check "spec example: diff --exit-code is 0" in_sync
q "INSERT INTO users (email) VALUES ('a@x'), ('b@x'); INSERT INTO posts (user_id, title) VALUES (1, 'hello')" >/dev/null
check "spec example: defaults work" q_is "SELECT status || ' ' || karma || ' ' || (created_at IS NOT NULL) FROM users WHERE id = 1" "active 0 true"
check "spec example: enum default works" q_is "SELECT status FROM posts" "draft"

# --- the bundled schemas/ example -------------------------------------
newdb
ss --db "$DB" --schema "$REPO/schemas" push
check "schemas/: push exits 0" rc_is 0
ss --db "$DB" --schema "$REPO/schemas" push
check "schemas/: second push is in sync" both rc_is 0 out_has "in sync: nothing to do"
ss --db "$DB" --schema "$REPO/schemas" diff --exit-code
check "schemas/: diff --exit-code is 0" rc_is 0

# --- every change kind, with rows -------------------------------------
# base: the schema every scenario below starts from, with rows.
base() {
	newdb
	schema <<'YAML'
tables:
  users:
    columns:
      id:     { type: integer, primary_key: true }
      email:  { type: text, nullable: false }
      nick:   varchar(50)
      age:    integer
      legacy: text
    checks:
      users_age_ok: "age >= 0"
  posts:
    columns:
      id:      { type: integer, primary_key: true }
      user_id: { type: integer, references: users.id }
      title:   text
    indexes:
      posts_title_idx: { columns: [title] }
  old_stuff:
    columns:
      id: { type: integer, primary_key: true }
YAML
	sp push
	[ "$(cat "$TMP/.rc")" = 0 ] || echo "FAIL $T: base push failed: $(cat "$TMP/.err")" >>"$RESULTS"
	q "INSERT INTO users VALUES (1, 'a@x', 'ann', 30, 'l1'), (2, 'b@x', NULL, NULL, NULL), (3, 'a@x', 'bob', 40, 'l3');
	   INSERT INTO posts VALUES (10, 1, 'p1'), (11, 3, 'p2'); INSERT INTO old_stuff VALUES (1)" >/dev/null
}
# edit FROM TO: replaces a line of s.yaml (sed, literal enough here).
edit() { sed -i "s|$1|$2|" s.yaml; }

base
edit "      legacy: text" "      legacy: text\n      bio: text"
sp push
check "add nullable column: applied" both rc_is 0 out_has "+ add column users.bio"
check "add nullable column: there" q_is "SELECT count(*) FROM users WHERE bio IS NULL" "3"
check "add nullable column: in sync" in_sync

base
edit "      legacy: text" "      legacy: text\n      score: { type: integer, nullable: false }"
sp push --accept-data-loss
check "add NOT NULL column without default: unexecutable, exit 3" both rc_is 3 out_has "✗ add column users.score"
check "add NOT NULL column without default: says why" out_has "the table has 3 rows"
check "add NOT NULL column without default: not applied" q_is "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'score'" "0"
edit "score: { type: integer, nullable: false }" "score: { type: integer, nullable: false, default: 7 }"
sp push
check "add NOT NULL column with a default: applied" rc_is 0
check "add NOT NULL column with a default: rows have it" q_is "SELECT string_agg(score::text, ',') FROM users" "7,7,7"
check "add NOT NULL column with a default: in sync" in_sync

base
sed -i '/      legacy: text/d' s.yaml
sp push
check "drop column with data: blocked, exit 3" both rc_is 3 out_has "! drop column users.legacy (2 non-null values; undo keeps them)"
check "drop column with data: blocked says how" out_has "pass --accept-data-loss"
check "drop column with data: nothing changed" q_is "SELECT count(legacy) FROM users" "2"
sp push --accept-data-loss
check "drop column with data: --accept-data-loss applies" rc_is 0
check "drop column with data: gone" q_is "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'legacy'" "0"
check "drop column: in sync" in_sync

base
sed -i '/  old_stuff:/,$d' s.yaml
sp push
check "drop table with rows: blocked, exit 3" both rc_is 3 out_has "! drop table old_stuff (1 row; undo keeps its rows)"
check "drop table with rows: still there" q_is "SELECT count(*) FROM old_stuff" "1"
q "DELETE FROM old_stuff" >/dev/null
sp push
check "drop empty table: safe, applied" both rc_is 0 out_has "- drop table old_stuff"
check "drop empty table: gone" q_is "SELECT to_regclass('old_stuff') IS NULL" "t"

base
edit "      age:    integer" "      age:    { type: integer, nullable: false }"
sp push --accept-data-loss
check "set NOT NULL over NULLs: unexecutable" both rc_is 3 out_has "✗ alter column users.age: set not null (1 row has NULL)"
check "set NOT NULL over NULLs: not applied" q_is "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'age'" "YES"
q "UPDATE users SET age = 1 WHERE age IS NULL" >/dev/null
sp push
check "set NOT NULL without NULLs: applied" rc_is 0
check "set NOT NULL: done" q_is "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'age'" "NO"
edit "      age:    { type: integer, nullable: false }" "      age:    { type: integer, default: 18 }"
sp push
check "drop NOT NULL and set default: applied" both rc_is 0 out_has "~ alter column users.age"
check "drop NOT NULL and set default: done" q_is "SELECT is_nullable || ' ' || column_default FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'age'" "YES 18"
check "set default: in sync" in_sync
edit "      age:    { type: integer, default: 18 }" "      age:    integer"
sp push
check "drop default: applied" rc_is 0
check "drop default: done" q_is "SELECT column_default IS NULL FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'age'" "t"

base
edit "      email:  { type: text, nullable: false }" "      email:  { type: text, nullable: false, unique: true }"
sp push --accept-data-loss
check "unique over duplicates: unexecutable" both rc_is 3 out_has "✗ add unique users_email_key on users (email) ("
sp --format json push --accept-data-loss
check "unique over duplicates: counted in rows" json_change_has add_unique '"class":"unexecutable"' '"count":2,'
check "unique over duplicates: not applied" q_is "SELECT count(*) FROM pg_constraint WHERE conname = 'users_email_key'" "0"
edit "      email:  { type: text, nullable: false, unique: true }" "      email:  { type: text, nullable: false }"
edit '      users_age_ok: "age >= 0"' '      users_age_ok: "age >= 0"\n    indexes:\n      users_email_uq: { columns: [email], unique: true }'
sp push --accept-data-loss
check "unique index over duplicates: unexecutable" both rc_is 3 out_has "✗ create unique index users_email_uq on users (email) ("
sp --format json push --accept-data-loss
check "unique index over duplicates: counted in rows" json_change_has create_index '"class":"unexecutable"' '"count":2,'
check "unique index over duplicates: not applied" q_is "SELECT to_regclass('users_email_uq') IS NULL" "t"
edit "      users_email_uq: { columns: \[email\], unique: true }" "      users_email_uq: { columns: [email], unique: true, where: \"id < 3\" }"
sp push
check "partial unique index without duplicates: applied" both rc_is 0 out_has "+ create unique index users_email_uq"
check "partial unique index: in sync" in_sync
sed -i '/users_email_uq/d' s.yaml
sed -i '/users_age_ok/{n;/^    indexes:$/d}' s.yaml
edit "      email:  { type: text, nullable: false }" "      email:  { type: text, nullable: false, unique: true }"
q "UPDATE users SET email = 'c@x' WHERE id = 3" >/dev/null
sp push
check "unique without duplicates: applied" rc_is 0
check "unique: there" q_is "SELECT count(*) FROM pg_constraint WHERE conname = 'users_email_key'" "1"
check "unique: in sync" in_sync

base
cat >>s.yaml <<'YAML'
    checks:
      stuff_small: "id < 1"
YAML
sp push --accept-data-loss
check "check that rows violate: unexecutable" both rc_is 3 out_has "✗ add check stuff_small"
check "check that rows violate: says how many" out_has "1 row violates the check"
edit 'stuff_small: "id < 1"' 'stuff_small: "id < 100"'
sp push
check "check that holds: applied" rc_is 0
check "check: in sync" in_sync
sed -i '/    checks:/{N;/stuff_small/d}' s.yaml
sed -i '/users_age_ok/d; /^    checks:$/d' s.yaml
sp push
check "drop checks: applied" both rc_is 0 out_has "- drop check users_age_ok"
check "drop checks: gone" q_is "SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND conrelid <> 0" "0"

base
q "ALTER TABLE posts DROP CONSTRAINT posts_user_id_fkey; INSERT INTO posts VALUES (12, 99, 'orphan')" >/dev/null
sp push --accept-data-loss
check "foreign key over orphans: unexecutable" both rc_is 3 out_has "✗ add foreign key posts_user_id_fkey"
check "foreign key over orphans: not applied" q_is "SELECT count(*) FROM pg_constraint WHERE contype = 'f'" "0"
q "DELETE FROM posts WHERE id = 12" >/dev/null
sp push
check "foreign key: applied" rc_is 0
check "foreign key: there" q_is "SELECT count(*) FROM pg_constraint WHERE contype = 'f'" "1"
edit "      user_id: { type: integer, references: users.id }" "      user_id: integer"
edit "      posts_title_idx: { columns: \[title\] }" "      posts_title_idx: { columns: [title, user_id] }"
sp push
check "drop foreign key, change an index: applied" rc_is 0
check "drop foreign key: gone" q_is "SELECT count(*) FROM pg_constraint WHERE contype = 'f'" "0"
check "changed index: new columns" q_is "SELECT pg_get_indexdef('posts_title_idx'::regclass)" "CREATE INDEX posts_title_idx ON public.posts USING btree (title, user_id)"
check "index: in sync" in_sync
sed -i '/indexes:/d; /posts_title_idx/d' s.yaml
sp push
check "drop index: applied" both rc_is 0 out_has "- drop index posts_title_idx"
check "drop index: gone" q_is "SELECT to_regclass('posts_title_idx') IS NULL" "t"

base
edit "      id:     { type: integer, primary_key: true }" "      id:     { type: integer, unique: true }"
edit "      email:  { type: text, nullable: false }" "      email:  { type: text, primary_key: true }"
sp push --accept-data-loss
check "primary key over duplicates: unexecutable" both rc_is 3 out_has "✗ add primary key users_pkey on users (email) ("
sp --format json push --accept-data-loss
check "primary key over duplicates: counted in rows" json_change_has add_primary_key '"class":"unexecutable"' '"count":2,'
check "primary key over duplicates: old key kept" q_is "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'users_pkey'" "PRIMARY KEY (id)"
q "UPDATE users SET email = 'c@x' WHERE id = 3" >/dev/null
sp push
check "change primary key: applied" rc_is 0
check "change primary key: new key" q_is "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'users_pkey'" "PRIMARY KEY (email)"
check "primary key: in sync" in_sync

# --- type changes -----------------------------------------------------
base
edit "      age:    integer" "      age:    bigint"
edit "      nick:   varchar(50)" "      nick:   varchar(200)"
sp push
check "widening type changes: safe, applied" both rc_is 0 out_has "~ alter column users.age: type integer → bigint"
check "widening type changes: done, data kept" q_is "SELECT data_type || ' ' || sum(age) OVER () FROM information_schema.columns, users WHERE table_name = 'users' AND column_name = 'age' LIMIT 1" "bigint 70"
check "widening: varchar(200)" q_is "SELECT character_maximum_length FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nick'" "200"
check "widening: in sync" in_sync
edit "      nick:   varchar(200)" "      nick:   varchar(2)"
sp push
check "narrowing varchar: destructive, exit 3" both rc_is 3 out_has "! alter column users.nick: type varchar(200) → varchar(2) (2 non-null values, 2 would not survive the type change: 2 changed by the cast; undo keeps them)"
check "narrowing varchar: not applied" q_is "SELECT character_maximum_length FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nick'" "200"

base
edit "      legacy: text" "      legacy: text\n      code: text"
sp push
q "UPDATE users SET code = (id * 10)::text WHERE id < 3" >/dev/null
edit "      code: text" "      code: integer"
sp push --dry-run
check "text → integer, numeric values: the SQL uses USING" out_has 'ALTER TABLE "users" ALTER COLUMN "code" TYPE integer USING "code"::integer'
check "text → integer, numeric values: nothing would be lost" out_lacks "would not survive"
sp push --accept-data-loss
check "text → integer, numeric values: applied" rc_is 0
check "text → integer, numeric values: kept" q_is "SELECT string_agg(code::text, ',' ORDER BY id) || ' ' || pg_typeof(min(code)) FROM users" "10,20 integer"
check "text → integer: in sync" in_sync

base
q "UPDATE users SET legacy = '5' WHERE id = 3" >/dev/null
edit "      legacy: text" "      legacy: integer"
sp push
check "text → integer, a text value: blocked" rc_is 3
check "text → integer, a text value: destructive" out_has "! alter column users.legacy: type text → integer (2 non-null values, 1 would not survive the type change: 1 set to NULL; undo keeps them)"
check "text → integer, a text value: nothing applied" q_is "SELECT data_type FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'legacy'" "text"
sp push --dry-run --accept-data-loss
check "text → integer, a text value: cast through a function that gives NULL" out_has 'ALTER TABLE "users" ALTER COLUMN "legacy" TYPE integer USING pg_temp.schemasync_cast("legacy")'
sp push --accept-data-loss
check "text → integer, a text value: --accept-data-loss applies" rc_is 0
check "text → integer, a text value: it is lost, the number kept" q_is "SELECT string_agg(coalesce(legacy::text, '-'), ',' ORDER BY id) || ' ' || pg_typeof(min(legacy)) FROM users" "-,-,5 integer"
check "text → integer, a text value: in sync" in_sync

# ... and into a NOT NULL column with a default: the default
newdb
schema <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      v: { type: text, nullable: false }
YAML
sp push
q "INSERT INTO t VALUES (1, '12'), (2, 'x')" >/dev/null
edit "      v: { type: text, nullable: false }" "      v: { type: integer, nullable: false, default: -1 }"
sp push --accept-data-loss
check "text → integer NOT NULL with a default: applied" rc_is 0
check "text → integer NOT NULL with a default: the lost value becomes the default" q_is "SELECT string_agg(v::text, ',' ORDER BY id) FROM t" "12,-1"
check "text → integer NOT NULL with a default: in sync" in_sync

# --- renames carry data -----------------------------------------------
base
edit "  old_stuff:" "  new_stuff:\n    renamed_from: old_stuff"
edit "      nick:   varchar(50)" "      handle: { type: varchar(50), renamed_from: nick }"
sp push
check "renames by hint: applied" both rc_is 0 out_has "~ rename table old_stuff → new_stuff"
check "renamed table keeps its rows" q_is "SELECT count(*) FROM new_stuff" "1"
check "renamed column keeps its values" q_is "SELECT string_agg(handle, ',' ORDER BY id) FROM users" "ann,bob"
check "renames: in sync" in_sync

base
edit "      nick:   varchar(50)" "      alias:  varchar(50)"
sp push
check "unanswered rename: ambiguous, exit 3" both rc_is 3 out_has "? rename column users.nick → users.alias"
check "unanswered rename: says how to answer" out_has "--rename users.nick=alias"
check "unanswered rename: nothing changed" q_is "SELECT count(nick) FROM users" "2"
sp push --rename users.nick=alias
check "--rename: applied" rc_is 0
check "--rename: values kept" q_is "SELECT string_agg(alias, ',' ORDER BY id) FROM users" "ann,bob"
q "ALTER TABLE users ADD COLUMN nick varchar(50)" >/dev/null
sp push --rename users.nick=alias --accept-data-loss
check "--rename onto a column there: exit 2" both rc_is 2 err_has "--rename users.nick=alias: table 'users' of the database has both columns 'nick' and 'alias': a rename needs 'alias' free"
check "--rename onto a column there: nothing applied" q_is "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name IN ('nick', 'alias')" "2"

# The files keep the old name beside the new one: nothing would be
# renamed, so the --rename is refused and nothing applied.
base
edit "      nick:   varchar(50)" "      nick:   varchar(50)\n      alias:  varchar(50)"
sp push --rename users.nick=alias
check "--rename, the files keeping both names: exit 2" both rc_is 2 err_has "--rename users.nick=alias: table 'users' of the schema files keeps column 'nick' beside 'alias', so nothing would be renamed (a rename needs the files to drop 'nick')"
check "--rename, the files keeping both names: nothing applied" q_is "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'alias'" "0"

# --- dry run, --exit-code, JSON ---------------------------------------
base
edit "      legacy: text" "      legacy: text\n      bio: text"
sp push --dry-run
check "dry run: exit 0" rc_is 0
check "dry run: shows the SQL" out_has 'ALTER TABLE "users" ADD COLUMN "bio" text'
check "dry run: says nothing applied" out_has "dry run: 1 change, nothing applied"
check "dry run: nothing applied" q_is "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'bio'" "0"
sp push --dry-run --exit-code
check "dry run --exit-code: exit 4" rc_is 4
sp diff --exit-code
check "diff --exit-code: exit 4" rc_is 4
sed -i '/      legacy: text/d; s/      bio: text/      bio: integer/' s.yaml
sp --format json push
check "json: one line" sh -c '[ "$(wc -l <"$0")" = 1 ]' "$TMP/.out"
check "json: exit 3 in the object" out_has '"applied":false,"blocked":1,'
check "json: the destructive change" out_has '{"op":"drop_column","table":"users","column":"legacy","class":"destructive","summary":"drop column users.legacy (2 non-null values)","detail":"2 non-null values","count":2,"held":true,"sql":["ALTER TABLE \"users\" DROP COLUMN \"legacy\""]'
check "json: the safe change" out_has '"op":"add_column","table":"users","column":"bio","class":"safe"'
check "blocked push: the safe change was not applied either" q_is "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'bio'" "0"
check "blocked push: the column is still there" q_is "SELECT count(legacy) FROM users" "2"
sp --format json push --accept-data-loss
check "json: applied" both rc_is 0 out_has '"applied":true,"blocked":0,'
sp -v push
check "--verbose: catalog queries" out_has "introspection: 2 queries"

# --- enums ------------------------------------------------------------
enumdb() {
	newdb
	schema <<'YAML'
enums:
  mood: [happy, sad]
tables:
  people:
    columns:
      id:   { type: integer, primary_key: true }
      mood: { type: mood, default: happy }
      also: mood
YAML
	sp push
	q "INSERT INTO people VALUES (1, 'happy', 'sad'), (2, 'sad', NULL), (3, NULL, NULL)" >/dev/null
}
labels_are() { q_is "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'mood'::regtype" "$1"; }
rows_are() { q_is "SELECT string_agg(coalesce(mood::text, '-') || '/' || coalesce(also::text, '-'), ',' ORDER BY id) FROM people" "$1"; }

enumdb
edit "  mood: \[happy, sad\]" "  mood: [happy, meh, sad, angry]"
sp push -v
check "enum add values: applied" both rc_is 0 out_has "+ add enum value mood.meh"
check "enum add values: ADD VALUE, in place" out_has "ALTER TYPE \"mood\" ADD VALUE 'meh' BEFORE 'sad'"
check "enum add values: ADD VALUE at the end" out_has "ALTER TYPE \"mood\" ADD VALUE 'angry'"
check "enum add values: labels" labels_are "happy,meh,sad,angry"
check "enum add values: rows kept" rows_are "happy/sad,sad/-,-/-"
check "enum add values: in sync" in_sync

enumdb
edit "  mood: \[happy, sad\]" "  mood: [happy, sad, calm]"
edit "      mood: { type: mood, default: happy }" "      mood: { type: mood, default: calm }"
sp push -v
check "enum value used as a default in the same push: applied" rc_is 0
check "enum value used as a default: recreated, not ADD VALUE" both out_has 'ALTER TYPE "mood" RENAME TO "schemasync_old_enum"' out_lacks "ADD VALUE"
check "enum value used as a default: default set" q_is "SELECT column_default FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'mood'" "'calm'::mood"
check "enum value used as a default: rows kept" rows_are "happy/sad,sad/-,-/-"
check "enum value used as a default: old type gone" q_is "SELECT to_regtype('schemasync_old_enum') IS NULL" "t"
check "enum value used as a default: in sync" in_sync
q "INSERT INTO people (id) VALUES (4)" >/dev/null
check "enum value used as a default: the default works" q_is "SELECT mood FROM people WHERE id = 4" "calm"

enumdb
cat >>s.yaml <<'YAML'
  moods_log:
    columns:
      id: { type: integer, primary_key: true }
      m: { type: mood, nullable: false, default: bored }
YAML
edit "  mood: \[happy, sad\]" "  mood: [happy, sad, bored]"
sp push
check "enum value used by a new table's default: applied" rc_is 0
check "enum value used by a new table's default: in sync" in_sync

enumdb
edit "  mood: \[happy, sad\]" "  mood: [sad, happy]"
sp diff --exit-code
check "enum order: diff sees it" both rc_is 4 out_has "~ reorder enum mood (sad, happy)"
sp push -v
check "enum order: safe, applied" both rc_is 0 out_has "~ reorder enum mood (sad, happy)"
check "enum order: the type recreated" out_has 'CREATE TYPE "mood" AS ENUM ('"'"'sad'"'"', '"'"'happy'"'"')'
check "enum order: labels" labels_are "sad,happy"
check "enum order: rows kept" rows_are "happy/sad,sad/-,-/-"
check "enum order: the type sorts by it" q_is "SELECT string_agg(id::text, ',' ORDER BY mood, id) FROM people WHERE mood IS NOT NULL" "2,1"
check "enum order: the default kept" q_is "SELECT column_default FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'mood'" "'happy'::mood"
check "enum order: in sync" in_sync
# A declared view over the table and an array of the enum: the view is
# made again around the recreation, the array converted with it.
newdb
schema <<'YAML'
enums:
  St: [a, b, c]
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: St, default: a }
      arr: { type: '"St"[]', default: { sql: "ARRAY['b']::\"St\"[]" } }
views:
  tv: "SELECT id, s, arr FROM t"
YAML
sp push
q "INSERT INTO t (id, s, arr) VALUES (1, 'a', '{a,b}'), (2, 'c', DEFAULT)" >/dev/null
edit "  St: \[a, b, c\]" "  St: [c, b, a]"
sp push
check "enum order under a view: applied" both rc_is 0 out_has "drop view tv (enum St changes under table t"
check "enum order under a view: the view reads the new order" q_is "SELECT string_agg(id::text || ':' || arr::text, ',' ORDER BY s) FROM tv" "2:{b},1:{a,b}"
check "enum order under a view: in sync" in_sync
# A value an array holds cannot be dropped from the enum: an element
# has no NULL to become (unexecutable, with how to fix it).
q "UPDATE t SET arr = '{c}' WHERE id = 2" >/dev/null
edit "  St: \[c, b, a\]" "  St: [c, a]"
sp push --accept-data-loss
check "enum value in an array: unexecutable, exit 3" both rc_is 3 out_has "drop enum value St.b (1 row holds it in an array)"
check "enum value in an array: the fix" out_has "fix: take the value out of those arrays first"
q "UPDATE t SET arr = '{a}' WHERE id = 1" >/dev/null
edit "  St: \[c, a\]" "  St: [c, b, a]"
# Arrays of more than one dimension, or with a size: the catalog keeps
# neither (it reads st[] and integer[]), so they are in sync as pushed;
# and a value held deep in a two-dimensional array of the enum is found.
newdb
schema <<'YAML'
enums:
  st: [a, b]
tables:
  grid:
    columns:
      id: { type: integer, primary_key: true }
      m: "st[][]"
      n: "integer[][]"
      o: "text[3]"
YAML
sp push
check "arrays of two dimensions: pushed" rc_is 0
check "arrays of two dimensions: in sync" in_sync
q "INSERT INTO grid (id, m) VALUES (1, '{{a,b},{b,b}}'), (2, '{{b}}')" >/dev/null
edit "  st: \[a, b\]" "  st: [b]"
sp push --accept-data-loss
check "enum value in a two-dimensional array: unexecutable, exit 3" both rc_is 3 out_has "drop enum value st.a (1 row holds it in an array)"
q "DELETE FROM grid WHERE id = 1" >/dev/null
sp push --accept-data-loss
check "enum value no array holds: dropped" rc_is 0
check "...the array kept" q_is "SELECT m::text FROM grid" "{{b}}"
check "...and in sync" in_sync
# A new value made the default at once, under a declared view: the
# view is made again around the early recreation.
newdb
schema <<'YAML'
enums:
  e2: [a, b]
tables:
  t2:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: e2, default: a }
      arr: { type: "e2[]", default: { sql: "'{a}'" } }
views:
  v2: "SELECT id, s FROM t2"
YAML
sp push
q "INSERT INTO t2 (id, s, arr) VALUES (1, 'b', '{b}')" >/dev/null
edit "  e2: \[a, b\]" "  e2: [a, b, c]"
edit "      s: { type: e2, default: a }" "      s: { type: e2, default: c }"
sp push
check "new value as default under a view: applied" both rc_is 0 out_has "create view v2 (again"
check "new value as default under a view: in sync" in_sync
# ...and a value removed in the same run, an array's default naming it.
edit "  e2: \[a, b, c\]" "  e2: [b, c, d]"
edit "      s: { type: e2, default: c }" "      s: { type: e2, default: d }"
edit "default: { sql: \"'{a}'\" }" "default: { sql: \"'{d}'\" }"
sp push --accept-data-loss
check "removed value, old array default: applied" rc_is 0
check "removed value, old array default: in sync" in_sync
# A table or column dropped in the same run takes its array's values
# with it: no refusal for them.
newdb
schema <<'YAML'
enums:
  e3: [a, b]
tables:
  u3:
    columns:
      id: { type: integer, primary_key: true }
      arr: "e3[]"
  w3:
    columns:
      id: { type: integer, primary_key: true }
YAML
sp push
q "INSERT INTO u3 VALUES (1, '{a}')" >/dev/null
schema <<'YAML'
enums:
  e3: [b]
tables:
  w3:
    columns:
      id: { type: integer, primary_key: true }
YAML
sp push --accept-data-loss
check "value in an array of a dropped table: applied" both rc_is 0 out_has "drop enum value e3.a"
# A used value of a column in a table without a primary key: the plan
# line does not promise undo.
newdb
schema <<'YAML'
enums:
  e4: [a, b]
tables:
  n4:
    columns:
      s: e4
YAML
sp push
q "INSERT INTO n4 VALUES ('a')" >/dev/null
edit "  e4: \[a, b\]" "  e4: [b]"
sp push --accept-data-loss
check "enum value, no primary key: applied" both rc_is 0 out_has "no primary key: undo cannot keep them"
check "enum value, no primary key: no promise" out_lacks "undo keeps"
# ...beside a table with one: the promise says whose.
newdb
schema <<'YAML'
enums:
  e5: [a, b]
tables:
  k5:
    columns:
      id: { type: integer, primary_key: true }
      s: e5
  n5:
    columns:
      s: e5
YAML
sp push
q "INSERT INTO k5 VALUES (1, 'a'); INSERT INTO n5 VALUES ('a')" >/dev/null
edit "  e5: \[a, b\]" "  e5: [b]"
sp push --accept-data-loss
check "enum value, one table keyed: the promise says whose" both rc_is 0 out_has "undo keeps those of tables with a primary key"
# Rows holding a removed value take the column's default: in a key,
# where another row holds the default already, two rows would share
# it; unexecutable, nothing applied. Once the rows differ, applied.
newdb
schema <<'YAML'
enums:
  e6: [a, b, c]
tables:
  k6:
    columns:
      k: { type: e6, primary_key: true, default: b }
      v: text
  m6:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: e6, default: b }
      g: integer
    indexes:
      m6_s_g: { columns: [s, g], unique: true }
YAML
sp push
q "INSERT INTO k6 VALUES ('a', 'x'), ('b', 'y'); INSERT INTO m6 VALUES (1, 'a', 1), (2, 'b', 2)" >/dev/null
edit "  e6: \[a, b, c\]" "  e6: [b, c]"
sp push --accept-data-loss
check "enum key value: the default another row holds is unexecutable, exit 3" both rc_is 3 out_has "drop enum value e6.a (2 rows would share one key value once the rows holding it take the default)"
check "enum key value: the fix" out_has "fix: change the rows that hold it first, or keep it"
check "enum key value: nothing applied" q_is "SELECT string_agg(k::text, ',' ORDER BY k) FROM k6" "a,b"
check "enum key value: a key of two columns that stays apart is not counted" out_lacks "4 rows"
q "DELETE FROM k6 WHERE k = 'b'" >/dev/null
sp push --accept-data-loss
check "enum key value: once apart, applied" rc_is 0
check "enum key value: the plan line says whose rows undo keeps" out_has "undo keeps those of tables with a primary key apart from the column"
check "enum key value: the row took the default" q_is "SELECT k || ':' || v FROM k6" "b:x"
check "enum key value: the two-column key took it too" q_is "SELECT string_agg(s::text || g::text, ',' ORDER BY id) FROM m6" "b1,b2"
check "enum key value: in sync" in_sync
# What the key count must not count: NULLs (they stay NULL), a value
# no row holds (d) beside one that collides (a), a column whose name is
# not a plain identifier, a backslash in a value under
# standard_conforming_strings off; and a partial unique index is left
# to the server (it must not stop the plan).
newdb
schema <<'YAML'
enums:
  e9: [a, b, c, 'x\y', d]
tables:
  k9:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: e9, default: b }
      "grp id": integer
      live: boolean
    indexes:
      k9_s: { columns: [s], unique: true }
      k9_s_grp: { columns: [s, "grp id"], unique: true }
      k9_s_live: { columns: [s], unique: true, where: "live" }
YAML
sp push
q "INSERT INTO k9 (id, s) VALUES (1, NULL), (2, NULL), (3, 'b')" >/dev/null
edit "  e9: \[a, b, c, 'x\\\\y', d\]" "  e9: [b, c, 'x\\\\y']"
sp push --accept-data-loss
check "enum key value: NULLs and unused values are not counted" both rc_is 0 out_has "drop enum value e9.a (not used)"
check "...nor the other" out_has "drop enum value e9.d (not used)"
check "...the NULLs stay NULL" q_is "SELECT count(*) FROM k9 WHERE s IS NULL" 2
q "ALTER TYPE e9 ADD VALUE 'a'; ALTER TYPE e9 ADD VALUE 'd'" >/dev/null
q "INSERT INTO k9 (id, s, \"grp id\") VALUES (4, 'a', 1), (5, 'x\\y', 2)" >/dev/null
edit "  e9: \[b, c, 'x\\\\y'\]" "  e9: [b, c, 'x\\\\y', a]"
sp push
check "setup: the enum has a, b, c, x\\y, d" rc_is 0
q "DELETE FROM k9 WHERE id = 3" >/dev/null
edit "  e9: \[b, c, 'x\\\\y', a\]" "  e9: [b, c, 'x\\\\y']"
ss --db "$DB&options=-c%20standard_conforming_strings%3Doff" --schema s.yaml push --accept-data-loss
check "enum key value: a key apart, quoted names, a backslash value: applied" both rc_is 0 out_has "drop enum value e9.a (1 row uses it"
check "...and the row took the default" q_is "SELECT s FROM k9 WHERE id = 4" b
# A key over two columns of the enum that both lose the value: both
# take their defaults in the count, and the key is counted once.
newdb
schema <<'YAML'
enums:
  e10: [a, b, c]
tables:
  k10:
    columns:
      id: { type: integer, primary_key: true }
      s1: { type: e10, default: b }
      s2: { type: e10, default: b }
    indexes:
      k10_s: { columns: [s1, s2], unique: true }
YAML
sp push
q "INSERT INTO k10 VALUES (1, 'a', 'a'), (2, 'b', 'b')" >/dev/null
edit "  e10: \[a, b, c\]" "  e10: [b, c]"
sp push --accept-data-loss
check "enum key of two columns: both take the default, unexecutable" both rc_is 3 out_has "drop enum value e10.a (2 rows would share one key value"
q "UPDATE k10 SET s2 = 'c' WHERE id = 1" >/dev/null
sp push --accept-data-loss
check "enum key of two columns: apart, applied" rc_is 0
check "enum key of two columns: the row took the default" q_is "SELECT s1::text || s2::text FROM k10 WHERE id = 1" "bc"
# A stored generated column that reads a column of a recreated enum:
# PostgreSQL cannot convert that column while the generated one reads
# it, so the generated column is dropped and added again (computed
# anew), with its index and comment; late (a value removed) and early
# (a value added and used as the default at once).
newdb
schema <<'YAML'
enums:
  e12: [draft, live, gone]
tables:
  g12:
    columns:
      id: { type: integer, primary_key: true }
      st: { type: e12, nullable: false, default: draft }
      is_live: { type: boolean, generated: { sql: "st = 'live'", stored: true }, comment: derived }
    indexes:
      g12_live: { columns: [is_live] }
YAML
sp push
q "INSERT INTO g12 (id, st) VALUES (1, 'live'), (2, 'gone')" >/dev/null
edit "  e12: \[draft, live, gone\]" "  e12: [draft, live]"
sp push --accept-data-loss
check "enum removal under a generated column: applied" both rc_is 0 out_has "drop enum value e12.gone (1 row uses it"
check "...the rows, the generated values computed anew" q_is "SELECT string_agg(id || ':' || st || ':' || is_live, ',' ORDER BY id) FROM g12" "1:live:true,2:draft:false"
check "...its index and comment kept" q_is "SELECT count(*) FROM pg_indexes WHERE indexname = 'g12_live'" "1"
check "...and in sync" in_sync
edit "  e12: \[draft, live\]" "  e12: [draft, live, archived]"
edit "default: draft" "default: archived"
sp push
check "enum recreated early under a generated column: applied" both rc_is 0 out_has "add enum value e12.archived"
check "...the generated values kept" q_is "SELECT string_agg(id || ':' || is_live, ',' ORDER BY id) FROM g12" "1:true,2:false"
check "...and in sync" in_sync
# The enum recreated early (a value it gains is used at once) keeps every
# value; a value removed goes in a second recreation after the tables,
# as the files have them: a NOT NULL column whose default the files drop
# has none to give the rows (unexecutable, as without the early one),
# and with one the rows take the files' default.
newdb
schema <<'YAML'
enums:
  e11: [a, b, c]
tables:
  n11:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: e11, nullable: false, default: b }
      o: e11
YAML
sp push
q "INSERT INTO n11 VALUES (1, 'a', NULL)" >/dev/null
schema <<'YAML'
enums:
  e11: [b, c, d]
tables:
  n11:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: e11, nullable: false }
      o: { type: e11, default: d }
YAML
sp push --accept-data-loss
check "early recreation, NOT NULL column losing its default: unexecutable" both rc_is 3 out_has "✗ drop enum value e11.a (1 row holds it in NOT NULL column n11.s, which has no default the enum keeps and has before this push)"
check "...nothing changed" q_is "SELECT s FROM n11" a
edit "      s: { type: e11, nullable: false }" "      s: { type: e11, nullable: false, default: c }"
sp push --accept-data-loss
check "early recreation with a default in the files: applied" both rc_is 0 out_has "drop enum value e11.a (1 row uses it"
check "early recreation: the row took the default the files give" q_is "SELECT s FROM n11" c
check "early recreation: in sync" in_sync
# A value used at once and one removed, while the plan takes another
# column off the enum: that column keeps its values (the early
# recreation keeps every value); rows of a column that stays take the
# files' default, but not a value the push adds (undo would find it in
# use): NULL, which undo brings back.
newdb
schema <<'YAML'
enums:
  e13: [a, b, c]
tables:
  t13:
    columns:
      id: { type: integer, primary_key: true }
      y: { type: e13, nullable: false, default: c }
      n: { type: e13, default: b }
YAML
sp push
q "INSERT INTO t13 VALUES (1, 'b', 'b'), (2, 'a', 'a')" >/dev/null
schema <<'YAML'
enums:
  e13: [a, c, d]
tables:
  t13:
    columns:
      id: { type: integer, primary_key: true }
      y: { type: text, nullable: false, default: c }
      n: { type: e13, default: d }
YAML
sp push --accept-data-loss
check "early recreation, a column leaving the enum: applied" both rc_is 0 out_has "drop enum value e13.b"
check "...that column keeps the removed value, the other loses it (a new default: NULL)" q_is "SELECT string_agg(id || ':' || y || ':' || coalesce(n::text, 'null'), ',' ORDER BY id) FROM t13" "1:b:null,2:a:a"
check "...and in sync" in_sync
sp undo
check "...and undo brings it back" rc_is 0
check "...the value" q_is "SELECT n FROM t13 WHERE id = 1" b
# A new value used at once where the server reads it in the same
# transaction (which it refuses: "unsafe use of new value") recreates
# the enum instead of ADD VALUE: a generation expression, a {sql:}
# default, an array's default, an expression index, a view.
for case in gen sqldef arr idx view gencast viewcast viewalias; do
	newdb
	schema <<'YAML'
enums:
  e14: [a, b]
tables:
  t14:
    columns:
      id: { type: integer, primary_key: true }
      s: e14
YAML
	sp push
	q "INSERT INTO t14 VALUES (1, 'a')" >/dev/null
	case $case in
	gen) extra='      p: { type: boolean, generated: { sql: "s = '"'"'c'"'"'", stored: true } }' ;;
	sqldef) extra='      q: { type: e14, default: { sql: "'"'"'c'"'"'::e14" } }' ;;
	arr) extra='      r: { type: "e14[]", default: "{b,c}" }' ;;
	idx) extra='    indexes:
      t14_c: { columns: ["(s = '"'"'c'"'"')"] }' ;;
	view) extra='views:
  v14: { sql: "SELECT id FROM t14 WHERE s = '"'"'c'"'"'" }' ;;
	gencast) extra='      g: { type: e14, generated: { sql: "CASE WHEN id > 5 THEN '"'"'c'"'"'::e14 ELSE '"'"'a'"'"'::e14 END", stored: true } }' ;;
	viewcast) extra='views:
  v14: { sql: "SELECT '"'"'c'"'"'::e14 AS k" }' ;;
	viewalias) extra='views:
  v14a: { sql: "SELECT id, s AS st FROM t14" }
  v14b: { sql: "SELECT id FROM v14a WHERE st = '"'"'c'"'"'" }' ;;
	esac
	{
		printf 'enums:\n  e14: [a, b, c]\ntables:\n  t14:\n    columns:\n'
		printf '      id: { type: integer, primary_key: true }\n      s: e14\n'
		printf '%s\n' "$extra"
	} >s.yaml
	sp push
	check "a new value used at once ($case): the enum recreated, applied" both rc_is 0 out_has "add enum value e14.c"
	check "...in sync ($case)" in_sync
	check "...the rows kept ($case)" q_is "SELECT s FROM t14" a
done
# A literal that only looks like the new value (compared with a text
# column) is no use of it: ADD VALUE, no recreation, so a function that
# takes the enum (which a recreation could not drop the old type under)
# is no matter.
newdb
schema <<'YAML'
enums:
  e16: [a, b]
tables:
  t16:
    columns:
      id: { type: integer, primary_key: true }
      s: e16
      code: text
YAML
sp push
q "CREATE FUNCTION is_a(x e16) RETURNS boolean LANGUAGE sql AS \$\$ SELECT x = 'a' \$\$" >/dev/null
schema <<'YAML'
enums:
  e16: [a, b, c]
tables:
  t16:
    columns:
      id: { type: integer, primary_key: true }
      s: e16
      code: text
      is_c: { type: boolean, generated: { sql: "code = 'c'", stored: true } }
YAML
sp -v push
check "a look-alike literal: ADD VALUE, applied" both rc_is 0 out_has "ALTER TYPE \"e16\" ADD VALUE 'c'"
check "...in sync" in_sync
# A foreign key between two columns of a recreated enum: dropped while
# both sides are converted, added again after.
newdb
schema <<'YAML'
enums:
  e15: [a, b, c]
tables:
  p15:
    columns:
      s: { type: e15, primary_key: true }
  c15:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: e15, references: p15.s }
YAML
sp push
q "INSERT INTO p15 VALUES ('a'), ('b'); INSERT INTO c15 VALUES (1, 'a')" >/dev/null
edit "  e15: \[a, b, c\]" "  e15: [c, a, b]"
sp push
check "enum reordered under a foreign key between its columns: applied" both rc_is 0 out_has "reorder enum e15"
check "...the key is there again" q_is "SELECT count(*) FROM pg_constraint WHERE conname = 'c15_s_fkey'" "1"
check "...and in sync" in_sync
# An enum column that is its table's whole key: undo has no other key
# to find the rows by, and the plan line says so.
newdb
schema <<'YAML'
enums:
  e8: [a, b]
tables:
  k8:
    columns:
      k: { type: e8, primary_key: true, default: b }
YAML
sp push
q "INSERT INTO k8 VALUES ('a')" >/dev/null
edit "  e8: \[a, b\]" "  e8: [b]"
sp push --accept-data-loss
check "enum key value alone: applied, and undo says why it keeps nothing" both rc_is 0 out_has "(1 row uses it; no primary key apart from the column: undo cannot keep them)"
# NULL has nowhere to go in a NOT NULL column with no default the enum
# keeps: unexecutable. A default it keeps: applied.
newdb
schema <<'YAML'
enums:
  e7: [a, b]
tables:
  n7:
    columns:
      id: { type: integer, primary_key: true }
      s: { type: e7, nullable: false }
YAML
sp push
q "INSERT INTO n7 VALUES (1, 'a'), (2, 'b')" >/dev/null
edit "  e7: \[a, b\]" "  e7: [b]"
sp push --accept-data-loss
check "enum value in a NOT NULL column without a default: unexecutable, exit 3" both rc_is 3 out_has "drop enum value e7.a (1 row holds it in NOT NULL column n7.s, which has no default the enum keeps and has before this push)"
check "enum value in a NOT NULL column: the fix" out_has "fix: give the column a default the enum keeps (one it gains: add the value in a push of its own first) or make it nullable"
edit "s: { type: e7, nullable: false }" "s: { type: e7, nullable: false, default: b }"
sp push --accept-data-loss
check "enum value in a NOT NULL column with a kept default: applied" rc_is 0
check "enum value in a NOT NULL column: the row took the default" q_is "SELECT string_agg(s::text, ',' ORDER BY id) FROM n7" "b,b"
check "enum value in a NOT NULL column: in sync" in_sync

enumdb
edit "  mood: \[happy, sad\]" "  mood: [happy, sad, gone]"
sp push
edit "  mood: \[happy, sad, gone\]" "  mood: [happy, sad]"
sp push
check "enum remove unused value: safe, applied" both rc_is 0 out_has "- drop enum value mood.gone"
check "enum remove unused value: labels" labels_are "happy,sad"
check "enum remove unused value: rows kept" rows_are "happy/sad,sad/-,-/-"
check "enum remove unused value: default kept" q_is "SELECT column_default FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'mood'" "'happy'::mood"
check "enum remove unused value: in sync" in_sync

enumdb
edit "  mood: \[happy, sad\]" "  mood: [happy]"
sp push
check "enum remove used value: destructive, exit 3" both rc_is 3 out_has "! drop enum value mood.sad (2 rows use it; undo keeps them)"
check "enum remove used value: nothing changed" labels_are "happy,sad"
sp push --accept-data-loss
check "enum remove used value: --accept-data-loss applies" rc_is 0
check "enum remove used value: labels" labels_are "happy"
check "enum remove used value: those values become the default or NULL, others kept" rows_are "happy/-,happy/-,-/-"
check "enum remove used value: in sync" in_sync

enumdb
cat >s.yaml <<'YAML'
tables:
  people:
    columns:
      id:   { type: integer, primary_key: true }
      mood: { type: text, default: happy }
      also: text
YAML
sp push
check "enum dropped, columns to text: applied" rc_is 0
check "enum dropped: type gone" q_is "SELECT to_regtype('mood') IS NULL" "t"
check "enum dropped: values kept as text" q_is "SELECT string_agg(coalesce(mood, '-') || '/' || coalesce(also, '-'), ',' ORDER BY id) FROM people" "happy/sad,sad/-,-/-"
check "enum dropped: in sync" in_sync

# --- identity columns (autoincrement) ---------------------------------
newdb
schema <<'YAML'
tables:
  things:
    columns:
      id:   { type: integer, primary_key: true }
      name: text
YAML
sp push
q "INSERT INTO things VALUES (1, 'a'), (5, 'b')" >/dev/null
edit "      id:   { type: integer, primary_key: true }" "      id:   { type: integer, primary_key: true, autoincrement: true }"
sp push -v
check "add autoincrement: applied" both rc_is 0 out_has "ADD GENERATED BY DEFAULT AS IDENTITY"
check "add autoincrement: identity" q_is "SELECT attidentity FROM pg_attribute WHERE attrelid = 'things'::regclass AND attname = 'id'" "d"
check "add autoincrement: continues after the rows there" q_is "INSERT INTO things (name) VALUES ('c') RETURNING id" "6"
check "add autoincrement: in sync" in_sync
edit "      id:   { type: integer, primary_key: true, autoincrement: true }" "      id:   { type: bigint, primary_key: true, autoincrement: true }"
sp push
check "widen an identity column: applied" rc_is 0
check "widen an identity column: still identity, bigint" q_is "SELECT attidentity::text || format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'things'::regclass AND attname = 'id'" "dbigint"
check "widen an identity column: in sync" in_sync
edit "      id:   { type: bigint, primary_key: true, autoincrement: true }" "      id:   { type: bigint, primary_key: true }"
sp push
check "drop autoincrement: applied" rc_is 0
check "drop autoincrement: no identity" q_is "SELECT attidentity = '' FROM pg_attribute WHERE attrelid = 'things'::regclass AND attname = 'id'" "t"
check "drop autoincrement: rows kept" q_is "SELECT string_agg(id::text, ',' ORDER BY id) FROM things" "1,5,6"
check "drop autoincrement: in sync" in_sync

# a serial column (made outside schemasync) stays serial
newdb
q "CREATE TABLE s (id serial PRIMARY KEY, v text)" >/dev/null
schema <<'YAML'
tables:
  s:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      v: text
YAML
check "a serial column is autoincrement: in sync" in_sync
q "INSERT INTO s (v) VALUES ('a'), ('b')" >/dev/null
edit "      id: { type: integer, primary_key: true, autoincrement: true }" "      id: { type: integer, primary_key: true, autoincrement: always }"
sp push
check "serial to always: applied" both rc_is 0 out_line "  ~ alter column s.id: autoincrement true → always"
check "serial to always: an identity column now, ALWAYS" q_is "SELECT attidentity FROM pg_attribute WHERE attrelid = 's'::regclass AND attname = 'id'" "a"
check "serial to always: the serial's sequence is gone, one is left" q_is "SELECT count(*) FROM pg_class WHERE relkind = 'S'" "1"
check "serial to always: continues after the rows there" q_is "INSERT INTO s (v) VALUES ('c') RETURNING id" "3"
check "serial to always: in sync" in_sync
edit "autoincrement: always }" "autoincrement: true }"
sp push
check "always to true: applied" both rc_is 0 out_line "  ~ alter column s.id: autoincrement always → true"
check "always to true: BY DEFAULT" q_is "SELECT attidentity FROM pg_attribute WHERE attrelid = 's'::regclass AND attname = 'id'" "d"
check "always to true: in sync" in_sync
edit "autoincrement: true }" "autoincrement: always }"
sp push -v
check "true to always: applied" both rc_is 0 out_has "SET GENERATED ALWAYS"
check "true to always: ALWAYS" q_is "SELECT attidentity FROM pg_attribute WHERE attrelid = 's'::regclass AND attname = 'id'" "a"
check "true to always: in sync" in_sync

# autoincrement on a column that is not the primary key
newdb
q "CREATE TABLE m (k text PRIMARY KEY, n integer); INSERT INTO m VALUES ('a', 1), ('b', 5)" >/dev/null
schema <<'YAML'
tables:
  m:
    columns:
      k: { type: text, primary_key: true }
      n: { type: integer, autoincrement: true }
YAML
sp push -v
check "add autoincrement beside the key: applied" both rc_is 0 out_has "ADD GENERATED BY DEFAULT AS IDENTITY"
check "add autoincrement beside the key: NOT NULL, identity" q_is "SELECT attnotnull::text || attidentity::text FROM pg_attribute WHERE attrelid = 'm'::regclass AND attname = 'n'" "trued"
check "add autoincrement beside the key: continues after the rows there" q_is "INSERT INTO m (k) VALUES ('c') RETURNING n" "6"
check "add autoincrement beside the key: in sync" in_sync
edit "      n: { type: integer, autoincrement: true }" "      n: integer"
sp push
check "drop autoincrement beside the key: applied" rc_is 0
check "drop autoincrement beside the key: no identity, nullable" q_is "SELECT attnotnull::text || attidentity::text FROM pg_attribute WHERE attrelid = 'm'::regclass AND attname = 'n'" "false"
check "drop autoincrement beside the key: rows kept" q_is "SELECT string_agg(n::text, ',' ORDER BY n) FROM m" "1,5,6"
check "drop autoincrement beside the key: in sync" in_sync

# --- the managed schema and ignored tables ----------------------------
newdb
q "CREATE SCHEMA app; CREATE TABLE public.keep_me (id integer); CREATE TABLE app.audit_log (id integer); INSERT INTO app.audit_log VALUES (1)" >/dev/null
cat >schemasync.yaml <<'YAML'
postgres_schema: app
ignore_tables: ["audit_*"]
YAML
schema <<'YAML'
enums:
  kind: [a, b]
tables:
  items:
    columns:
      id: { type: integer, primary_key: true }
      k: { type: kind, default: a }
YAML
sp push
check "postgres_schema: applied" rc_is 0
check "postgres_schema: created in app" q_is "SELECT to_regclass('app.items') IS NOT NULL AND to_regclass('public.items') IS NULL" "t"
check "postgres_schema: enum in app" q_is "SELECT to_regtype('app.kind') IS NOT NULL" "t"
check "postgres_schema: public left alone" q_is "SELECT to_regclass('public.keep_me') IS NOT NULL" "t"
check "ignore_tables: not dropped" q_is "SELECT count(*) FROM app.audit_log" "1"
check "postgres_schema: in sync" in_sync
ss --db "$DB" pull --out pulled
check "postgres_schema: pull" both rc_is 0 out_has "wrote pulled/schema.yaml: 1 table, 1 enum"
ss --db "$DB" --schema pulled diff --exit-code
check "postgres_schema: pull then diff is empty" rc_is 0
printf 'postgres_schema: fresh\n' >schemasync.yaml
sp push
check "postgres_schema that does not exist: applied" rc_is 0
check "postgres_schema that does not exist: created" q_is "SELECT to_regclass('fresh.items') IS NOT NULL" "t"
rm schemasync.yaml

# --- pull ---------------------------------------------------------------
newdb
q "CREATE TYPE st AS ENUM ('on', 'off');
   CREATE TABLE a (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, s st NOT NULL DEFAULT 'on',
     n numeric(10,2) DEFAULT 1.5 CHECK (n > 0), at timestamptz DEFAULT now(), tags text[], u uuid UNIQUE);
   CREATE TABLE b (id serial PRIMARY KEY, a_id bigint REFERENCES a ON DELETE SET NULL, body jsonb DEFAULT '{}');
   CREATE INDEX b_body ON b (a_id DESC) WHERE body IS NOT NULL;
   CREATE INDEX b_gin ON b USING gin (body) WITH (fastupdate = off);
   CREATE INDEX b_path ON b USING gin (body jsonb_path_ops);
   CREATE VIEW v AS SELECT * FROM a;" >/dev/null
ss --db "$DB" pull --out pulled2
check "pull: exit 0" both rc_is 0 out_has "wrote pulled2/schema.yaml: 2 tables, 1 enum"
check "pull: names what it leaves alone (views are written)" out_has "left alone: 1 index"
check "pull: writes an index method and operator class" grep -qF "b_path: {columns: [{column: body, opclass: jsonb_path_ops}], using: gin}" pulled2/schema.yaml
ss --db "$DB" --schema pulled2 diff --exit-code
check "pull then diff --exit-code: 0" both rc_is 0 out_has "in sync"
ss --db "$DB" pull --out pulled2
check "pull refuses to overwrite" rc_is 2
newdb
ss --db "$DB" --schema pulled2 push
check "pulled schema pushes to an empty database" rc_is 0
ss --db "$DB" --schema pulled2 diff --exit-code
check "pulled schema: push then diff is empty" rc_is 0

# --- connections ------------------------------------------------------
ss --db "postgresql://app:s3cret@127.0.0.1:1/nodb" --schema s.yaml push
check "refused connection: exit 1" rc_is 1
check "refused connection: names the host" err_has "127.0.0.1"
check "refused connection: says why" err_has "refused"
check "refused connection: password masked" both err_has "app:***@" err_lacks "s3cret"
ss --db "host=$PGHOST port=1 user=app password=s3cret dbname=nodb" --schema s.yaml diff
check "wrong port (conninfo): exit 1" rc_is 1
check "wrong port (conninfo): names host and port" both err_has "$PGHOST" err_has "port 1"
check "wrong port (conninfo): password masked" both err_has "password=***" err_lacks "s3cret"
# A password with '%' that is not a percent-escape: libpq refuses the
# URL and quotes the password in its message; schemasync masks it there
# too, in every form (as written, percent-decoded), in text and JSON.
# The host is a socket folder that does not exist: no network needed.
for url in 'postgresql://app:100%real@/app?host=/nonexistent-ss-socket' \
	'postgresql://app@/app?host=/nonexistent-ss-socket&password=100%real' \
	'postgresql://app:100%25real@/app?host=/nonexistent-ss-socket' \
	'postgresql://app:s3cret%zz@/app?host=/nonexistent-ss-socket' \
	'host=/nonexistent-ss-socket user=app password=100%real dbname=app'; do
	for fmt in text json; do
		PGCONNECT_TIMEOUT=2 ss --db "$url" --format $fmt --schema s.yaml push
		check "a '%' password ($fmt, $url): exit 1 or 2" sh -c 'grep -qx "[12]" "$0"' "$TMP/.rc"
		check "a '%' password ($fmt, $url): never printed" sh -c '! grep -q -e real -e s3cret "$0" "$1"' "$TMP/.out" "$TMP/.err"
		check "a '%' password ($fmt, $url): masked" sh -c 'grep -q "\*\*\*" "$0" "$1"' "$TMP/.out" "$TMP/.err"
	done
done
ss --db 'postgresql://app:100%real@/app?host=/nonexistent-ss-socket' --schema s.yaml push
check "a '%' password: says how to write it" err_has "write a '%' in a URL as %25"
ss --db "postgresql:///nodb_here?host=$PGHOST&port=$PGPORT&user=$PGUSER" --schema s.yaml diff
check "missing database: exit 1, says so" both rc_is 1 err_has 'database "nodb_here" does not exist'
ss --db "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$DBNAME" --schema pulled2 diff --exit-code
check "a key/value conninfo works" rc_is 0

# --- concurrency: pushes queue on the advisory lock -------------------
LOCK_KEY=7563070057509470645	# FNV-1a of "schemasync" (dialect-postgres.c)
# bg N ARGS: runs the binary in the background, output in bg.N.*
bg() {
	k=$1
	shift
	"$SCHEMASYNC" "$@" >"$TMP/bg.$k.out" 2>"$TMP/bg.$k.err"
	echo $? >"$TMP/bg.$k.rc"
}
bg_rc() { [ "$(cat "$TMP/bg.$1.rc")" = "$2" ]; }
bg_has() { grep -qF -- "$2" "$TMP/bg.$1.out" "$TMP/bg.$1.err"; }

newdb
schema <<'YAML'
enums:
  color: [red, green]
tables:
  a:
    columns:
      id: { type: bigint, primary_key: true, autoincrement: true }
      c: { type: color, default: red }
    indexes:
      a_c_idx: { columns: [c] }
  b:
    columns:
      id: { type: bigint, primary_key: true, autoincrement: true }
      a_id: { type: bigint, references: a.id }
YAML
bg 1 --db "$DB" --schema s.yaml push &
p1=$!
bg 2 --db "$DB" --schema s.yaml push &
p2=$!
wait $p1 $p2
check "two pushes at once: the first succeeds" bg_rc 1 0
check "two pushes at once: the second succeeds" bg_rc 2 0
check "two pushes at once: one applied, the other found it done" sh -c 'cat "$0"/bg.1.out "$0"/bg.2.out | grep -c -e "^applied " -e "^in sync" | grep -qx 2 && grep -q "^in sync" "$0"/bg.1.out "$0"/bg.2.out' "$TMP"
check "two pushes at once: the schema" q_is "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'" "a,b"
check "two pushes at once: in sync" in_sync

# A session that holds a lock until `release` (a psql reading a fifo),
# and waits that see it held and see a push waiting for it: the checks
# below never rely on a pause being long enough.
HOLDER=
hold() {
	rm -f hold.in
	mkfifo hold.in
	psql -X -q -d "$DBNAME" <hold.in >/dev/null 2>&1 &
	HOLDER=$!
	exec 4>hold.in
	echo "$1" >&4
}
release() {
	echo "COMMIT;" >&4
	exec 4>&-
	wait "$HOLDER"
	HOLDER=
}
trap '[ -n "$HOLDER" ] && kill -KILL "$HOLDER" 2>/dev/null; rm -rf "$TMP"' EXIT
advisory_held() { q_is "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted" 1; }
b_locked() { q_is "SELECT count(*) FROM pg_locks WHERE relation = 'b'::regclass AND mode = 'AccessExclusiveLock' AND granted" 1; }
push_waits() { q_is "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DBNAME' AND application_name = 'schemasync' AND wait_event_type = 'Lock'" 1; }
no_push_left() { q_is "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DBNAME' AND application_name = 'schemasync'" 0; }

# a push waits for the lock another push holds, then goes on
hold "BEGIN; SELECT pg_advisory_xact_lock($LOCK_KEY);"
check "advisory lock: held by another session" until_ok 60 advisory_held
edit "      a_id: { type: bigint, references: a.id }" "      a_id: { type: bigint, references: a.id }\n      note: text"
sp push &
pusher=$!
check "a push behind the advisory lock waits for it" until_ok 60 push_waits
release
wait $pusher
check "a push behind the advisory lock then applies" both rc_is 0 out_has "+ add column b.note"

# ... but not for ever: lock_timeout from the URL, and the message says why
hold "BEGIN; SELECT pg_advisory_xact_lock($LOCK_KEY);"
check "advisory lock: held again" until_ok 60 advisory_held
edit "      note: text" "      note: text\n      note2: text"
ss --db "$DB&options=-c%20lock_timeout%3D1s" --schema s.yaml push
check "advisory lock timeout: exit 1" rc_is 1
check "advisory lock timeout: says what it waited for" err_has "waited 1s for another schemasync push"
check "advisory lock timeout: nothing applied" q_is "SELECT count(*) FROM information_schema.columns WHERE table_name = 'b' AND column_name = 'note2'" "0"
release

# a table lock held by a long transaction
hold "BEGIN; LOCK TABLE b IN ACCESS EXCLUSIVE MODE;"
check "table lock: held by another session" until_ok 60 b_locked
ss --db "$DB&options=-c%20lock_timeout%3D1s" --schema s.yaml push
check "table lock timeout: exit 1" rc_is 1
check "table lock timeout: says what it waited for" err_has "waited 1s for a lock another session holds"
check "table lock timeout: names the statement" err_has 'ALTER TABLE "b" ADD COLUMN "note2" text'
check "table lock timeout: nothing applied" q_is "SELECT count(*) FROM information_schema.columns WHERE table_name = 'b' AND column_name = 'note2'" "0"
release

# --- two migrates, two rollbacks at once: each migration runs once ----
# Both read the journal, then queue on the advisory lock; the second
# must read it again once it holds the lock, not run a migration twice
# nor a down section twice.
rm -rf mig
mkdir -p mig/schemas
cd mig
printf 'tables:\n  acct:\n    columns:\n      id: { type: integer, primary_key: true }\n      bal: integer\n' >schemas/a.yaml
ss generate --name init --dialect postgres
ss generate --name bonus --empty --dialect postgres
printf -- '-- schemasync:up\nUPDATE acct SET bal = bal + 100;\n-- schemasync:down\nUPDATE acct SET bal = bal - 100;\n' >migrations/0002_bonus.sql
ss --db "$DB" migrate --to 0001
q "INSERT INTO acct VALUES (1, 1000)" >/dev/null
two_wait() { q_is "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DBNAME' AND application_name = 'schemasync' AND wait_event_type = 'Lock'" 2; }
# twice: migrate, then rollback
for cmd in migrate rollback; do
	hold "BEGIN; SELECT pg_advisory_xact_lock($LOCK_KEY);"
	check "two ${cmd}s: the lock is held" until_ok 60 advisory_held
	"$SCHEMASYNC" --db "$DB" $cmd >one.out 2>&1 &
	one=$!
	"$SCHEMASYNC" --db "$DB" $cmd >two.out 2>&1 &
	two=$!
	check "two ${cmd}s: both wait for the lock" until_ok 60 two_wait
	release
	wait $one
	rc1=$?
	wait $two
	rc2=$?
	check "two ${cmd}s: both exit 0" test "$rc1$rc2" = 00
	check "two ${cmd}s: one says the other did it" sh -c 'cat one.out two.out | grep -c "meanwhile, by another run" | grep -qx 1'
	case $cmd in
	migrate) want=1100 ;;
	rollback) want=1000 ;;
	esac
	check "two ${cmd}s: the section ran once" q_is "SELECT bal FROM acct" $want
done
check "two rollbacks: 0001 is still applied" q_is "SELECT count(*) FROM schemasync_migrations" 1
# In JSON, the one that finds it applied meanwhile counts it as applied.
hold "BEGIN; SELECT pg_advisory_xact_lock($LOCK_KEY);"
check "two json migrates: the lock is held" until_ok 60 advisory_held
"$SCHEMASYNC" --db "$DB" --format json migrate >one.out 2>&1 &
one=$!
"$SCHEMASYNC" --db "$DB" --format json migrate >two.out 2>&1 &
two=$!
check "two json migrates: both wait for the lock" until_ok 60 two_wait
release
wait $one
wait $two
check "two json migrates: one applied it" sh -c 'cat one.out two.out | grep -c "\"migrations\":\[{\"id\":\"0002_bonus\"" | grep -qx 1'
check "two json migrates: the other counts it among the applied" sh -c 'cat one.out two.out | grep -c "\"migrations\":\[\],\"dry_run\":false,\"already_applied\":2," | grep -qx 1'
check "two json migrates: the section ran once" q_is "SELECT bal FROM acct" 1100
q "DROP TABLE acct; DROP TABLE schemasync_migrations" >/dev/null
cd ..

# --- a push killed halfway leaves the old schema ----------------------
hold "BEGIN; LOCK TABLE b IN ACCESS EXCLUSIVE MODE;"
check "killed push: the table lock is held" until_ok 60 b_locked
sed -i '/      a_c_idx/d; /    indexes:/d' s.yaml
"$SCHEMASYNC" --db "$DB" --schema s.yaml push >/dev/null 2>&1 &
pusher=$!
check "killed push: it was waiting for the lock, half done" until_ok 60 push_waits
kill -9 $pusher
wait $pusher 2>/dev/null
release
check "killed push: its session ends (rolled back)" until_ok 60 no_push_left
check "killed push: the index it dropped is still there" q_is "SELECT to_regclass('a_c_idx') IS NOT NULL" "t"
check "killed push: the column it added is not there" q_is "SELECT count(*) FROM information_schema.columns WHERE table_name = 'b' AND column_name = 'note2'" "0"
sp push
check "killed push: the next push applies it all" both rc_is 0 out_has "applied 2 changes"
check "killed push: then in sync" in_sync

# --- defaults and expressions the server rewrites: push twice is in sync
newdb
schema <<'YAML'
enums:
  level: [low, high]
tables:
  ev:
    columns:
      id: { type: uuid, primary_key: true, default: { sql: gen_random_uuid() } }
      at: { type: timestamp, default: "2020-01-01" }
      d: { type: date, default: { sql: CURRENT_DATE } }
      iv: { type: interval, default: "24 hours" }
      n: { type: "numeric(10,2)", default: 1.5 }
      r: { type: real, default: 0.5 }
      b: { type: boolean, default: true }
      j: { type: jsonb, default: { sql: "'{}'::jsonb" } }
      tags: { type: "text[]", default: { sql: "'{}'" } }
      lv: { type: level, default: low }
      s: { type: "char(3)", default: abc }
      big: { type: bigint, default: -1 }
      t: { type: text, default: "it's" }
      bs: { type: text, default: 'back\slash' }
    checks:
      ev_at: "at >= '2020-01-01'"
      ev_n: "n BETWEEN 0 AND 100"
      ev_lv: "lv IN ('low', 'high')"
      ev_s: "length(s) = 3 AND s LIKE 'a%'"
    indexes:
      ev_lower: { columns: ["lower(t)", "at DESC"] }
      ev_part: { columns: [n], where: "b AND lv = 'high' AND at > '2021-01-01'" }
YAML
sp push
check "rewritten defaults and checks: applied" rc_is 0
check "rewritten defaults and checks: push twice is in sync" in_sync
q "INSERT INTO ev DEFAULT VALUES" >/dev/null
check "rewritten defaults: the row" q_is "SELECT at || '|' || iv || '|' || n || '|' || t || '|' || bs || '|' || lv || '|' || big FROM ev" "2020-01-01 00:00:00|24:00:00|1.50|it's|back\\slash|low|-1"

# --- index entries the server gives back in its own form -------------
# "n + 1" comes back as "((n + 1))", j->>'k' as "((j ->> 'k'::text))":
# the same expression, so no drop and create on every push; a changed
# expression, or an expression in place of a column, is still a change.
newdb
schema <<'YAML'
tables:
  ix:
    columns:
      id: { type: integer, primary_key: true }
      n: integer
      v: text
      j: jsonb
    indexes:
      ix_plus: { columns: ["n + 1"] }
      ix_paren: { columns: ["(n + 2)", "(lower(v))"] }
      ix_json: { columns: ["j->>'k'"] }
YAML
sp push
check "server-rewritten index entries: applied" rc_is 0
check "server-rewritten index entries: push twice is in sync" in_sync
sp push
check "server-rewritten index entries: a second push does nothing" out_has "in sync"
edit '      ix_plus: { columns: \["n + 1"\] }' '      ix_plus: { columns: ["n + 3"] }'
sp diff
check "a changed index expression: still a change" both rc_is 0 out_has "ix_plus"
edit '      ix_plus: { columns: \["n + 3"\] }' '      ix_plus: { columns: [n] }'
sp push
check "an expression replaced by its column: applied" rc_is 0
check "an expression replaced by its column: the index is on the column" q_is "SELECT pg_get_indexdef('ix_plus'::regclass)" "CREATE INDEX ix_plus ON public.ix USING btree (n)"
check "an expression replaced by its column: in sync" in_sync
# A column whose name has a quote is a column, not SQL to check.
newdb
schema <<'YAML'
tables:
  ob:
    columns:
      id: { type: integer, primary_key: true }
      "o'brien": text
    indexes:
      ob_idx: { columns: ["o'brien"] }
YAML
sp push
check "an index on a column named with a quote: applied" rc_is 0
check "an index on a column named with a quote: in sync" in_sync
ss --db "$DB" pull --out pulled-ob
check "an index on a column named with a quote: pulled, not left alone" both rc_is 0 out_lacks "left alone"
check "an index on a column named with a quote: written" grep -q "ob_idx" pulled-ob/schema.yaml

# --- an enum recreated under a check and a partial index that use it ---
newdb
schema <<'YAML'
enums:
  level: [low, high]
tables:
  ev:
    columns:
      id: { type: integer, primary_key: true }
      lv: { type: level, default: low }
    checks:
      ev_lv: "lv <> 'high' OR id > 0"
    indexes:
      ev_part: { columns: [id], where: "lv = 'high'" }
YAML
sp push
q "INSERT INTO ev VALUES (1, 'high'), (2, 'low')" >/dev/null
edit "  level: \[low, high\]" "  level: [low, high, mid]"
edit "      lv: { type: level, default: low }" "      lv: { type: level, default: mid }"
sp push
check "enum recreated under a check and an index: applied" rc_is 0
check "enum recreated under a check and an index: check back" q_is "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'ev_lv'" "CHECK (((lv <> 'high'::level) OR (id > 0)))"
check "enum recreated under a check and an index: index back" q_is "SELECT pg_get_indexdef('ev_part'::regclass)" "CREATE INDEX ev_part ON public.ev USING btree (id) WHERE (lv = 'high'::level)"
check "enum recreated under a check and an index: in sync" in_sync
edit "  level: \[low, high, mid\]" "  level: [low, mid]"
edit "      ev_lv: \"lv <> 'high' OR id > 0\"" "      ev_lv: \"lv <> 'mid' OR id > 0\""
edit "      ev_part: { columns: \[id\], where: \"lv = 'high'\" }" "      ev_part: { columns: [id], where: \"lv = 'low'\" }"
sp push --accept-data-loss
check "enum value removed under a check and an index: applied" rc_is 0
check "enum value removed under a check and an index: rows (the lost value becomes the default)" q_is "SELECT string_agg(id || ':' || coalesce(lv::text, '-'), ',' ORDER BY id) FROM ev" "1:mid,2:low"
check "enum value removed under a check and an index: in sync" in_sync

# --- --force-reset ------------------------------------------------------
sp push --force-reset
check "--force-reset without a terminal needs --accept-data-loss" rc_is 3
sp push --force-reset --accept-data-loss
check "--force-reset: applied" rc_is 0
check "--force-reset: rows gone, schema there" q_is "SELECT count(*) FROM ev" "0"
check "--force-reset: in sync" in_sync

# --- connect_timeout: 5 s unless the URL says otherwise ----------------
# A socket that takes connections and never answers.
perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(Listen => 5, LocalAddr => "127.0.0.1", LocalPort => 0) or die; open(F, ">", $ARGV[0]); print F $s->sockport, "\n"; close F; sleep 600' "$TMP/port" &
silent=$!
until_ok 60 test -s "$TMP/port"
port=$(cat "$TMP/port")
start=$(date +%s)
ss --db "postgresql://u:s3cret@127.0.0.1:$port/db" --schema s.yaml diff
took=$(( $(date +%s) - start ))
check "a server that never answers: exit 1" rc_is 1
# It waited (about 5 s); how much longer it took depends on the machine.
check "a server that never answers: gives up after waiting" test "$took" -ge 4
check "a server that never answers: says so, password masked" both err_has "timeout expired" err_lacks "s3cret"
start=$(date +%s)
# Longer than the default, so that a lower bound tells them apart (an
# upper bound would depend on the machine's speed).
ss --db "postgresql://u:s3cret@127.0.0.1:$port/db?connect_timeout=8" --schema s.yaml diff
took=$(( $(date +%s) - start ))
check "connect_timeout in the URL: exit 1" rc_is 1
check "connect_timeout in the URL wins (it waited $took s, not 5)" test "$took" -ge 7
check "connect_timeout in the URL: says so" err_has "timeout expired"
kill $silent 2>/dev/null
wait $silent 2>/dev/null || :

# --- what a type change would lose: values that do not cast back equal -
newdb
schema <<'YAML'
tables:
  m:
    columns:
      id: { type: integer, primary_key: true }
      at: timestamp
      price: "numeric(10,2)"
      doc: json
YAML
sp push
q "INSERT INTO m VALUES (1, '2020-01-01 10:00', 1.00, '{\"a\": 1}'), (2, '2021-06-01 12:30', 2.50, '{\"b\":2}')" >/dev/null
sed -i 's/      at: timestamp/      at: timestamptz/; s/      price: "numeric(10,2)"/      price: integer/' s.yaml
sp push --dry-run
check "timestamp → timestamptz: classified" out_has "alter column m.at: type timestamp → timestamptz (2 non-null values; undo keeps them)"
check "timestamp → timestamptz keeps every value" out_lacks "timestamptz (2 non-null values, "
check "numeric → integer: only 2.50 is lost" out_has "alter column m.price: type numeric(10,2) → integer (2 non-null values, 1 would not survive the type change: 1 changed by the cast; undo keeps them)"
sed -i 's/      doc: json/      doc: jsonb/' s.yaml
sp push --dry-run
check "json → jsonb: compared as text (no equality for json)" out_has "alter column m.doc: type json → jsonb (2 non-null values, 1 would not survive the type change: 1 changed by the cast; undo keeps them)"
sp push --accept-data-loss
check "type changes with USING: applied" rc_is 0
check "type changes with USING: values" q_is "SELECT string_agg(price || ' ' || doc::text, ',' ORDER BY id) FROM m" '1 {"a": 1},3 {"b": 2}'
check "type changes: in sync" in_sync

# a dry run counts what a cast would lose too (outside any transaction)
newdb
schema <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      v: text
YAML
sp push
q "INSERT INTO t VALUES (1, '12'), (2, 'x'), (3, ' 7')" >/dev/null
edit "      v: text" "      v: integer"
sp diff
check "dry run: values that do not cast are counted" out_has "alter column t.v: type text → integer (3 non-null values, 2 would not survive the type change: 1 changed by the cast, 1 set to NULL; undo keeps them)"

# --- names longer than 63 bytes are cut as the server cuts them --------
newdb
schema <<'YAML'
enums:
  an_enum_with_a_name_that_is_longer_than_sixty_three_bytes_in_all_of_it: [a, b]
tables:
  a_very_long_table_name_that_goes_on_and_on_and_on_beyond_the_limit_of_63:
    columns:
      id: { type: integer, primary_key: true }
      a_very_long_column_name_that_goes_on_and_on_and_on_beyond_the_limit: { type: text, unique: true }
      e: { type: an_enum_with_a_name_that_is_longer_than_sixty_three_bytes_in_all_of_it }
    indexes:
      ? a_very_long_index_name_that_goes_on_and_on_and_on_beyond_the_limit_of_63
      : { columns: [a_very_long_column_name_that_goes_on_and_on_and_on_beyond_the_limit] }
  child:
    columns:
      pid: { type: integer, references: a_very_long_table_name_that_goes_on_and_on_and_on_beyond_the_limit_of_63.id }
YAML
sp push
check "long names: applied" rc_is 0
q "INSERT INTO a_very_long_table_name_that_goes_on_and_on_and_on_beyond_the_li VALUES (1, 'x', 'a')" >/dev/null
sp push --accept-data-loss
check "long names: the second push is in sync (no drop and re-create)" both rc_is 0 out_has "in sync: nothing to do"
check "long names: rows kept" q_is "SELECT count(*) FROM a_very_long_table_name_that_goes_on_and_on_and_on_beyond_the_li" "1"

# --- the SPEC example's renames, from an older schema with rows ---------
newdb
sed -n '/^```yaml$/,/^```$/p' "$REPO/../shared/SPEC.md" 2>/dev/null | sed -n '2,/^```$/p' | sed '$d' >s.yaml
[ -s s.yaml ] || sed -n '/^```yaml$/,/^```$/p' /work/shared/SPEC.md | sed -n '2,/^```$/p' | sed '$d' >s.yaml
q "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);
   CREATE TABLE articles (id bigint PRIMARY KEY, user_id bigint, headline varchar(200) NOT NULL, status text, body text);
   INSERT INTO users VALUES (1, 'a@x'); INSERT INTO articles VALUES (7, 1, 'Hello', 'published', 'b')" >/dev/null
sp push
check "SPEC renames: text → enum over rows is destructive" both rc_is 3 out_has "! alter column posts.status: type text → post_status"
check "SPEC renames: a partial unique index over a column the push adds is not held" out_has "+ create unique index users_live_email"
sp push --accept-data-loss
check "SPEC renames: applied" both rc_is 0 out_has "~ rename table articles → posts"
check "SPEC renames: rows carried, enum converted" q_is "SELECT id || ' ' || title || ' ' || status || ' ' || pg_typeof(status) FROM posts" "7 Hello published post_status"
check "SPEC renames: identity continues after the rows" q_is "INSERT INTO posts (user_id, title) VALUES (1, 'next') RETURNING id" "8"
check "SPEC renames: in sync" in_sync

# a partial unique index over a column the same push adds: the index
# itself refuses duplicates, and the push rolls back
newdb
q "CREATE TABLE t (id integer PRIMARY KEY, email text); INSERT INTO t VALUES (1, 'a'), (2, 'a')" >/dev/null
schema <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      email: text
      st: { type: text, default: x }
    indexes:
      t_email_live: { columns: [email], unique: true, where: "st <> 'gone'" }
YAML
sp push
check "unique index over a new column, duplicates: the statement fails, exit 1" both rc_is 1 err_has 'could not create unique index "t_email_live"'
check "unique index over a new column, duplicates: nothing applied" q_is "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'st'" "0"
q "UPDATE t SET email = 'b' WHERE id = 2" >/dev/null
sp push
check "unique index over a new column: applied" rc_is 0
check "unique index over a new column: in sync" in_sync

# timestamp(n): what Prisma creates; pull writes it and it loads back.
mkdir -p tsp && cat >tsp/t.yaml <<'YAML'
tables:
  ev:
    columns:
      id: { type: integer, primary_key: true }
      at: { type: "timestamp(3)", nullable: false, default: { sql: CURRENT_TIMESTAMP } }
      at_tz: "timestamptz(6)"
      t: "time(0)"
YAML
newdb
TSDB=$DB
ss --db "$TSDB" --schema tsp push
check "timestamp(n): push applies" rc_is 0
ss --db "$TSDB" --schema tsp push
check "timestamp(n): second push is in sync" out_has "in sync: nothing to do"
ss --db "$TSDB" pull --out tsp-pulled
ss --db "$TSDB" --schema tsp-pulled diff --exit-code
check "timestamp(n): pull then diff is in sync" rc_is 0
check "timestamp(n): pull writes the precision" grep -q 'at_tz: timestamptz(6)' tsp-pulled/schema.yaml

# --- a type change under an undeclared view: PostgreSQL refuses it, and
# schemasync, which leaves such views alone, says what to do; nothing is
# applied ---------------------------------------------------------------
newdb
schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      age: integer
YAML
sp push -q
q "INSERT INTO users VALUES (1, 5); CREATE VIEW v AS SELECT id, age FROM users" >/dev/null
sed -i 's/age: integer/age: bigint\n      nick: text/' s.yaml
sp push
check "type under a view: exit 1" rc_is 1
check "type under a view: the server's reason" err_has "cannot alter type of a column used by a view or rule"
check "type under a view: what to do" err_has "the view is not declared in the schema files: declare it under 'views:' and schemasync drops and re-creates it around the change; or drop the view, push, then create it again"
check "type under a view: nothing applied" q_is "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'users'" "id:integer,age:integer"
check "type under a view: the view is there" q_is "SELECT age FROM v" "5"

# --- what the server says besides results, and its errors --------------
# An event trigger (left alone by schemasync) raises a WARNING on every
# DDL statement. The warning reaches the user once, prefixed like every
# diagnostic in text and in the report's "notices" in JSON; never as
# libpq's raw "WARNING:" in the middle of the output.
newdb
schema <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      v: text
    checks:
      t_v_present: "v IS NOT NULL"
YAML
sp push -q
q "CREATE FUNCTION audit() RETURNS event_trigger LANGUAGE plpgsql AS \$\$BEGIN RAISE WARNING 'audit: % ran', tg_tag; END\$\$; CREATE EVENT TRIGGER audit ON ddl_command_end EXECUTE FUNCTION audit(); INSERT INTO t VALUES (1, 'abc'), (2, '4')" >/dev/null
edit "      v: text" "      v: text\n      w: text"
sp push
check "server warning: applied" both rc_is 0 out_has "+ add column t.w"
check "server warning: on stderr, prefixed" err_is "schemasync: warning: the database says: audit: ALTER TABLE ran"
edit "      w: text" "      w: text\n      x: text"
sp push --format json
check "server warning, json: applied" rc_is 0
check "server warning, json: valid" json_valid
check "server warning, json: one object" sh -c '[ "$(wc -l <"$0")" -eq 1 ]' "$TMP/.out"
check "server warning, json: in the report" out_has '"notices":[{"severity":"warning","message":"audit: ALTER TABLE ran"}]'
check "server warning, json: nothing on stderr" err_empty
# The server refuses a step: accepted, 'abc' would become NULL, which
# the check refuses. The plan that was being applied, then the server's
# reason once, without "ERROR:" and without schemasync's helper names.
edit "      v: text" "      v: integer"
sp push --accept-data-loss
check "refused step: exit 1" rc_is 1
check "refused step: the plan first" out_line "  ! alter column t.v: type text → integer (2 non-null values, 1 would not survive the type change: 1 set to NULL; undo keeps them)"
check "refused step: nothing was applied" out_has "failed: nothing was applied"
check "refused step: the server's reason, and which change" err_has "schemasync: error: check constraint \"t_v_present\" of relation \"t\" is violated by some row, while applying 'alter column t.v: type text → integer"
check "refused step: the error once" sh -c '[ "$(grep -c "error:" "$0")" -eq 1 ]' "$TMP/.err"
check "refused step: no ERROR: from libpq" err_lacks "ERROR:"
check "refused step: no helper names" both err_lacks "schemasync_cast" err_lacks "pg_temp"
check "refused step: nothing applied" q_is "SELECT data_type FROM information_schema.columns WHERE table_name = 't' AND column_name = 'v'" "text"
sp push --accept-data-loss --format json
check "refused step, json: valid" json_valid
check "refused step, json: one object" sh -c '[ "$(wc -l <"$0")" -eq 1 ]' "$TMP/.out"
check "refused step, json: the error with the plan and the warnings" out_has '{"event":"error","error":"check constraint \"t_v_present\" of relation \"t\" is violated by some row, while applying'
check "refused step, json: ...the plan" out_has '"summary":"alter column t.v: type text → integer'
check "refused step, json: ...the warnings" out_has '"notices":[{"severity":"warning"'
check "refused step, json: nothing on stderr" err_empty
# The server's NOTICEs about schemasync's own statements are not shown
# (client_min_messages is WARNING unless the URL sets it): a serial
# column losing its autoincrement says nothing about DROP IDENTITY.
newdb
q "CREATE TABLE s (id serial PRIMARY KEY)" >/dev/null
schema <<'YAML'
tables:
  s:
    columns:
      id: { type: integer, primary_key: true }
YAML
sp push
check "own notices: applied" rc_is 0
check "own notices: not shown" err_empty

# --- a cast in a default --------------------------------------------
# now()::timestamp on a timestamptz column drops the time zone: it is
# another default than now(), both ways, while the casts PostgreSQL
# prints itself ('x'::text, to the column's own type) are no change.
newdb
schema <<'YAML'
tables:
  t:
    columns:
      at: { type: timestamptz, default: { sql: "now()::timestamp" } }
      at2: { type: timestamptz, default: { sql: "now()::timestamptz" } }
      name: { type: text, default: { sql: "'x'::text" } }
      v: { type: varchar(10), default: { sql: "'x'::varchar" } }
YAML
sp push
check "default cast: exit 0" rc_is 0
check "default cast: stored with its cast" q_is "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 't'::regclass AND adnum = 1" "(now())::timestamp without time zone"
check "default cast: then in sync" in_sync
ss --db "$DB" pull --out pulled-cast
check "default cast: pull keeps it" grep -qF "(now())::timestamp without time zone" pulled-cast/schema.yaml
ss --db "$DB" --schema pulled-cast diff --exit-code
check "default cast: pull then in sync" rc_is 0
schema <<'YAML'
tables:
  t:
    columns:
      at: { type: timestamptz, default: { sql: "now()" } }
      at2: { type: timestamptz, default: { sql: "now()" } }
      name: { type: text, default: x }
      v: { type: varchar(10), default: x }
YAML
sp diff --exit-code
check "default cast: without it, a difference" rc_is 4
check "default cast: on that column alone" out_line "  ~ alter column t.at: default (now())::timestamp without time zone → now()"
check "default cast: one change" out_has "1 change"
sp push
check "default cast: dropped" q_is "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 't'::regclass AND adnum = 1" "now()"
check "default cast: dropped, then in sync" in_sync

# --- identity options on a serial column ------------------------------
# A serial has no place for a start: asked for one, it becomes an
# identity column that starts past its rows and not below the start.
newdb
q "CREATE TABLE s (id serial PRIMARY KEY, v text); INSERT INTO s (v) VALUES ('a'), ('b')" >/dev/null
schema <<'YAML'
tables:
  s:
    columns:
      id: { type: integer, primary_key: true, autoincrement: { start: 10 } }
      v: text
YAML
sp push
check "serial with a start: exit 0" rc_is 0
check "serial with a start: an identity now" q_is "SELECT attidentity FROM pg_attribute WHERE attrelid = 's'::regclass AND attname = 'id'" "d"
check "serial with a start: the sequence" q_is "SELECT seqstart FROM pg_sequence" "10"
check "serial with a start: the next id" q_is "INSERT INTO s (v) VALUES ('c') RETURNING id" "10"
check "serial with a start: then in sync" in_sync

# --- a declared view that a view the files do not declare reads: the
# server refuses to drop it, and schemasync says what to do -------------
newdb
schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
views:
  v: SELECT id FROM users
YAML
sp push -q
q "INSERT INTO users VALUES (1); CREATE VIEW w AS SELECT id FROM v" >/dev/null
sed -i 's/SELECT id FROM users/SELECT id, id + 1 AS next FROM users/' s.yaml
sp push
check "declared view under an undeclared one: exit 1" rc_is 1
check "declared view under an undeclared one: the server's reason" err_has "cannot drop view v because other objects depend on it"
check "declared view under an undeclared one: what to do" err_has "(a view the schema files do not declare reads it: declare that view under 'views:' too, or drop it by hand)"
check "declared view under an undeclared one: nothing applied" q_is "SELECT id FROM w" "1"
sp diff -v
check "declared view under an undeclared one: -v names it left alone" out_has "  view 'w'"

# A unique index on a column whose name is not a plain identifier: its
# duplicates are counted (not "unknown"), none here, so it is made.
newdb
schema <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      "grp id": integer
YAML
sp push
q "INSERT INTO t VALUES (1, 1), (2, 2)" >/dev/null
cat >>s.yaml <<'YAML'
    indexes:
      t_g: { columns: ["grp id"], unique: true }
YAML
sp push
check "unique index on a spaced column name: made" both rc_is 0 out_has "+ create unique index t_g"
q "DROP INDEX t_g; INSERT INTO t VALUES (3, 1)" >/dev/null
sp push
check "unique index on a spaced column name: its duplicates counted" both rc_is 3 out_has "(2 rows share their values with others)"

# An array of an enum named in mixed case, written with its bare name as
# a Prisma user writes it (Mood[]): the enum's own name, quoted, not
# mood[] (which does not exist); in sync after, and with a table whose
# column was made by hand as "Mood"[].
newdb
schema <<'YAML'
enums:
  Mood: [happy, sad]
tables:
  people:
    columns:
      id: { type: integer, primary_key: true }
      moods: Mood[]
      grid: Mood[][]
YAML
sp push
check "mixed-case enum array: applied" both rc_is 0 out_has "+ create table people"
check "mixed-case enum array: the enum's array type" q_is "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'people'::regclass AND attname = 'moods'" '"Mood"[]'
check "mixed-case enum array: in sync" in_sync
q "INSERT INTO people VALUES (1, '{happy,sad}', '{{sad}}')" >/dev/null
sed -i 's/\[happy, sad\]/[happy, sad, meh]/' s.yaml
sp push
check "mixed-case enum array: a value added" both rc_is 0 out_has "+ add enum value Mood.meh"
check "mixed-case enum array: in sync after the value" in_sync
check "mixed-case enum array: rows kept" q_is "SELECT moods::text || grid::text FROM people" "{happy,sad}{{sad}}"
newdb
q 'CREATE TYPE "Mood" AS ENUM ('"'happy', 'sad'"'); CREATE TABLE people (id integer PRIMARY KEY, moods "Mood"[], grid "Mood"[])' >/dev/null
sed -i 's/\[happy, sad, meh\]/[happy, sad]/' s.yaml
check "mixed-case enum array: a table made by hand is in sync" in_sync

# A recreated enum with generated columns that read no converted column:
# one of the enum's type (the server takes no USING for it), one whose
# expression casts to the enum (it would hold on to the old type): both
# are dropped and added again around the conversion, computed anew.
newdb
schema <<'YAML'
enums:
  e: [a, b, c]
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      n: integer
      g: { type: e, generated: { sql: "CASE WHEN n > 0 THEN 'a'::e ELSE 'b'::e END", stored: true } }
      h: { type: boolean, generated: { sql: "('a'::e < 'b'::e)", stored: true } }
YAML
sp push
q "INSERT INTO t (id, n) VALUES (1, 1), (2, 0)" >/dev/null
sed -i 's/\[a, b, c\]/[a, b]/' s.yaml
sp push
check "generated columns of a recreated enum: applied" both rc_is 0 out_has "- drop enum value e.c (not used)"
check "generated columns of a recreated enum: computed anew" q_is "SELECT string_agg(id || g::text || h::text, ',' ORDER BY id) FROM t" "1atrue,2btrue"
check "generated columns of a recreated enum: the old type is gone" q_is "SELECT count(*) FROM pg_type WHERE typname = 'schemasync_old_enum'" "0"
check "generated columns of a recreated enum: in sync" in_sync

# Arrays of enums whose names the catalog quotes: a keyword (order[])
# and a name outside [a-z0-9_] (café[]); in sync after.
newdb
schema <<'YAML'
enums:
  order: [a, b]
  café: [x, y]
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      o: order[]
      c: café[]
YAML
sp push
check "enum arrays named by a keyword or in UTF-8: applied" both rc_is 0 out_has "+ create table t"
check "enum arrays named by a keyword or in UTF-8: in sync" in_sync

# PostgreSQL's one-byte "char" is not char(1): a change between them is
# a change (the quoted name is kept, not read as the bare one).
newdb
schema <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      c: '"char"'
YAML
sp push
check '"char": applied' both rc_is 0 out_has "+ create table t"
check '"char": in sync' in_sync
sed -i "s/c: '\"char\"'/c: char/" s.yaml
sp push --dry-run
check '"char" to char(1): a change' both rc_is 0 out_has "~ alter column t.c: type"

# reorder_mood SQL: a new database with the schema on stdin, SQL run
# there, then enum mood's values [x, y, z] put in the order [y, x, z]
# and pushed (a recreation of the enum).
reorder_mood() {
	newdb
	schema
	sp push
	q "$1" >/dev/null
	sed -i 's/\[x, y, z\]/[y, x, z]/' s.yaml
	sp push
}

# A recreated enum that a table with no column of it casts to, in a
# generated column and a check: both made again around the recreation
# (DROP TYPE failed on them, exit 1).
reorder_mood "INSERT INTO t (id, txt) VALUES (1, 'y')" <<'YAML'
enums: { mood: [x, y, z] }
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      txt: text
      gb: { type: boolean, generated: { sql: "txt IS NULL OR 'z'::mood IS NULL", stored: true } }
    checks:
      t_txt_mood: "txt IS NULL OR txt::mood IS NOT NULL"
    indexes:
      t_gb: { columns: [gb] }
YAML
check "casts to a recreated enum, no column of it: applied" both rc_is 0 out_has "~ reorder enum mood"
check "casts to a recreated enum, no column of it: the new order" q_is "SELECT enum_range(NULL::mood)::text" "{y,x,z}"
check "casts to a recreated enum, no column of it: the index back" q_is "SELECT count(*) FROM pg_indexes WHERE indexname = 't_gb'" "1"
check "casts to a recreated enum, no column of it: in sync" in_sync

# A generated column of the enum with a foreign key to another column of
# it: made again around a recreation with its key once (it was added
# twice, exit 1).
reorder_mood "INSERT INTO par VALUES ('x'); INSERT INTO t (id) VALUES (1)" <<'YAML'
enums: { mood: [x, y, z] }
tables:
  par:
    columns:
      m: { type: mood, primary_key: true }
  t:
    columns:
      id: { type: integer, primary_key: true }
      g: { type: mood, references: par.m, generated: { sql: "'x'::mood", stored: true } }
YAML
check "generated enum column with a foreign key: recreated" both rc_is 0 out_has "~ reorder enum mood"
check "generated enum column with a foreign key: the key once" q_is "SELECT count(*) FROM pg_constraint WHERE conrelid = 't'::regclass AND contype = 'f'" "1"
check "generated enum column with a foreign key: in sync" in_sync

# A typed literal (mood 'z') is a cast too: the column is made again
# around the recreation (DROP TYPE failed on it, exit 1).
reorder_mood "INSERT INTO t (id, m) VALUES (1, 'y')" <<'YAML'
enums: { mood: [x, y, z] }
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      m: mood
      gb: { type: boolean, generated: { sql: "id > 0 OR mood 'z' IS NULL", stored: true } }
YAML
check "typed literal of a recreated enum: applied" both rc_is 0 out_has "~ reorder enum mood"
check "typed literal of a recreated enum: in sync" in_sync

# A generated CASE without ELSE: the server stores ELSE NULL::text, which
# is no change (it was one on every push, the column made again each
# time).
newdb
schema <<'YAML'
tables:
  t:
    columns:
      id: { type: integer, primary_key: true }
      n: integer
      g: { type: text, generated: { sql: "CASE WHEN n > 0 THEN 'pos' END", stored: true } }
YAML
sp push
check "generated CASE without ELSE: applied" both rc_is 0 out_has "+ create table t"
check "generated CASE without ELSE: in sync" in_sync
