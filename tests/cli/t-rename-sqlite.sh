# Renames on SQLite with rows: renamed_from and --rename carry the data,
# an unanswered candidate blocks naming both ways to answer it, a rename
# already done with the hint still in the file is in sync (SPEC 4).
. "$CLI_LIB"
need_sqlite3
DB=db.sqlite

base() {
	schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      email: { type: text, nullable: false }
      age: integer
    indexes:
      users_email_idx: { columns: [email] }
  posts:
    columns:
      id: { type: integer, primary_key: true }
      user_id: { type: integer, references: users.id, on_delete: cascade }
YAML
	rm -f $DB
	ss --db $DB push -q
	sql "INSERT INTO users (email, age) VALUES ('a@x', 1), ('b@x', 2), ('c@x', NULL);
	INSERT INTO posts VALUES (10, 1), (11, 3);"
}

# --- renamed_from, table and column, in one push.
base
schema <<'YAML'
tables:
  people:
    renamed_from: users
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      user_email: { type: text, nullable: false, renamed_from: email }
      age: integer
    indexes:
      users_email_idx: { columns: [user_email] }
  posts:
    columns:
      id: { type: integer, primary_key: true }
      user_id: { type: integer, references: people.id, on_delete: cascade }
YAML
ss --db $DB push
check "renamed_from: exit 0" rc_is 0
check "renamed_from: table line" out_line "  ~ rename table users → people"
check "renamed_from: column line" out_line "  ~ rename column people.email → people.user_email"
check "renamed_from: nothing destructive" out_lacks "!"
check "renamed_from: the data is carried" sql_is "1|a@x|1
2|b@x|2
3|c@x|" "SELECT id, user_email, age FROM people ORDER BY id"
check "renamed_from: the old table is gone" sql_is 0 "SELECT count(*) FROM sqlite_schema WHERE name = 'users'"
check "renamed_from: the child still points at it" sql_is "people|user_id|id" \
	"SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('posts')"
check "renamed_from: child rows kept" sql_is "10|1
11|3" "SELECT * FROM posts ORDER BY id"
check "renamed_from: AUTOINCREMENT goes on" sql_is 4 "INSERT INTO people (user_email) VALUES ('d@x') RETURNING id"
ss --db $DB push
check "renamed_from: the hint left in the file is in sync" both rc_is 0 out_has "in sync: nothing to do"
ss --db $DB diff --exit-code
check "renamed_from: diff --exit-code 0 afterwards" rc_is 0

# --- An unanswered candidate: exit 3, both ways named, nothing applied.
base
snapshot
schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      user_email: { type: text, nullable: false }
      age: integer
    indexes:
      users_email_idx: { columns: [user_email] }
  posts:
    columns:
      id: { type: integer, primary_key: true }
      user_id: { type: integer, references: users.id, on_delete: cascade }
YAML
ss --db $DB push
check "column candidate: exit 3" rc_is 3
check "column candidate: the line" out_line "  ? rename column users.email → users.user_email"
check "column candidate: names both ways to answer" out_has "add 'renamed_from: email' to column users.user_email, or pass --rename users.email=user_email"
check "column candidate: says it is blocked" out_has "blocked: 1 rename is not answered"
check "column candidate: nothing applied" unchanged
ss --db $DB push --format json
check "json is valid: a rename candidate" json_valid
check "column candidate: json exit 3" both rc_is 3 out_has '"op":"rename_column","table":"users","column":"user_email","from":"email","class":"ambiguous"'
cp schemas/app.yaml cand.yaml
{ cat cand.yaml; printf '  extra_t:\n    columns:\n      id: { type: integer, primary_key: true }\n'; } >cand2.yaml
schema <cand2.yaml
ss --db $DB diff
check "column candidate: diff shows the SQL of the changes that do not wait for it" out_has '      CREATE TABLE "extra_t" ('
schema <cand.yaml
ss --db $DB push --rename users.email=user_email
check "--rename column: exit 0" rc_is 0
check "--rename column: the line" out_line "  ~ rename column users.email → users.user_email"
check "--rename column: data carried" sql_is "a@x,b@x,c@x" "SELECT group_concat(user_email) FROM (SELECT user_email FROM users ORDER BY id)"
ss --db $DB push
check "--rename column: then in sync" both rc_is 0 out_has "in sync: nothing to do"

# --- A table candidate, answered with --rename.
base
snapshot
schema <<'YAML'
tables:
  members:
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      email: { type: text, nullable: false }
      age: integer
    indexes:
      users_email_idx: { columns: [email] }
  posts:
    columns:
      id: { type: integer, primary_key: true }
      user_id: { type: integer, references: members.id, on_delete: cascade }
YAML
ss --db $DB push
check "table candidate: exit 3" rc_is 3
check "table candidate: the line" out_line "  ? rename table users → members"
check "table candidate: names both ways" out_has "add 'renamed_from: users' to table members, or pass --rename users=members"
check "table candidate: nothing applied" unchanged
ss --db $DB push --rename users=members
check "--rename table: exit 0" rc_is 0
check "--rename table: the line" out_line "  ~ rename table users → members"
check "--rename table: rows carried" sql_is 3 "SELECT count(*) FROM members"
check "--rename table: children kept" sql_is 2 "SELECT count(*) FROM posts"
check "--rename table: AUTOINCREMENT counter carried" sql_is 4 "INSERT INTO members (email) VALUES ('d@x') RETURNING id"
ss --db $DB push
check "--rename table: then in sync" both rc_is 0 out_has "in sync: nothing to do"

# --- A --rename that names nothing is a usage error, not a silent drop.
base
snapshot
sed 's/email/user_email/g' schemas/app.yaml >cand.yaml
schema <cand.yaml
ss --db $DB push --rename users.nope=user_email
check "--rename of a missing column: exit 2" both rc_is 2 err_has "--rename users.nope=user_email: table 'users' of the database has no column 'nope'"
check "--rename of a missing column: nothing applied" unchanged

# --- A --rename onto a name the database still has is a usage error:
# read as made before, the old column or table would be dropped.
base
sql "ALTER TABLE users ADD COLUMN user_email TEXT; CREATE TABLE people (id INTEGER);"
snapshot
schema <cand.yaml
ss --db $DB push --rename users.email=user_email --accept-data-loss
check "--rename onto a column there: exit 2" both rc_is 2 err_has "--rename users.email=user_email: table 'users' of the database has both columns 'email' and 'user_email': a rename needs 'user_email' free"
check "--rename onto a column there: nothing applied" unchanged
sed 's/users/people/g' cand.yaml >cand2.yaml
schema <cand2.yaml
ss --db $DB push --rename users=people --accept-data-loss
check "--rename onto a table there: exit 2" both rc_is 2 err_has "the database has both tables 'users' and 'people': a rename needs 'people' free"
check "--rename onto a table there: nothing applied" unchanged
sed '0,/^  people:$/s//  people:\n    renamed_from: users/' cand2.yaml >cand5.yaml
schema <cand5.yaml
ss --db $DB push --dry-run
check "renamed_from onto a table there: warned" err_has "renamed_from 'users': the database has both tables 'users' and 'people', so no rename: 'users' is read as one the files drop"
# The files keep both names: nothing would be renamed, and the new
# column made beside the old would put the rename out of reach, so the
# --rename is refused (exit 2, nothing applied). Once the database has
# both (made without the --rename), the same --rename again (a
# script's) is no error: nothing is asked of it.
printf 'tables:\n  u:\n    columns:\n      id: { type: integer, primary_key: true }\n      email: text\n' >both1.yaml
printf 'tables:\n  u:\n    columns:\n      id: { type: integer, primary_key: true }\n      mail: text\n      email: text\n' >both2.yaml
rm -f both.sqlite
ss --db both.sqlite --schema both1.yaml push
ss --db both.sqlite --schema both2.yaml push --rename u.email=mail
check "--rename, the files keeping both names: exit 2" both rc_is 2 err_has "--rename u.email=mail: table 'u' of the schema files keeps column 'email' beside 'mail', so nothing would be renamed (a rename needs the files to drop 'email')"
main_db=$DB DB=both.sqlite
check "--rename, the files keeping both names: nothing applied" sql_is "id,email" "SELECT group_concat(name) FROM pragma_table_info('u')"
DB=$main_db
ss --db both.sqlite --schema both2.yaml push
check "the files keeping both names, no --rename: the column added" both rc_is 0 out_line "  + add column u.mail"
ss --db both.sqlite --schema both2.yaml push --rename u.email=mail
check "--rename, the database and files keeping both names: in sync" both rc_is 0 out_has "in sync"
printf 'tables:\n  u:\n    columns:\n      id: { type: integer, primary_key: true }\n      email: text\n  v:\n    columns:\n      id: { type: integer, primary_key: true }\n      email: text\n' >both3.yaml
ss --db both.sqlite --schema both3.yaml push --rename u=v
check "--rename, the files keeping both tables: exit 2" both rc_is 2 err_has "--rename u=v: the schema files keep table 'u' beside 'v', so nothing would be renamed (a rename needs the files to drop 'u')"
DB=both.sqlite
check "--rename, the files keeping both tables: nothing applied" sql_is 0 "SELECT count(*) FROM sqlite_master WHERE name = 'v'"
DB=$main_db
# SQLite's names are one in any letter case: the old name kept in
# another case is kept all the same.
printf 'tables:\n  u:\n    columns:\n      id: { type: integer, primary_key: true }\n      Email: text\n' >case1.yaml
printf 'tables:\n  u:\n    columns:\n      id: { type: integer, primary_key: true }\n      email: text\n      mail: text\n' >case2.yaml
printf 'tables:\n  U:\n    columns:\n      id: { type: integer, primary_key: true }\n      Email: text\n  people:\n    columns:\n      id: { type: integer, primary_key: true }\n' >case3.yaml
rm -f case.sqlite
ss --db case.sqlite --schema case1.yaml push
ss --db case.sqlite --schema case2.yaml push --rename u.Email=mail
check "--rename, the old column kept in another case: exit 2" both rc_is 2 err_has "--rename u.Email=mail: table 'u' of the schema files keeps column 'Email' beside 'mail'"
ss --db case.sqlite --schema case3.yaml push --rename u=people
check "--rename, the old table kept in another case: exit 2" both rc_is 2 err_has "--rename u=people: the schema files keep table 'u' beside 'people'"
DB=case.sqlite
check "--rename, a name kept in another case: nothing applied" sql_is "u" "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'"
DB=$main_db
sed 's/      user_email: { type: text, nullable: false }/      user_email: { type: text, nullable: false, renamed_from: email }/' cand.yaml >cand3.yaml
schema <cand3.yaml
ss --db $DB push --dry-run
check "renamed_from onto a column there: warned" err_has "renamed_from 'email': table 'users' of the database has both columns 'email' and 'user_email', so no rename: 'email' is read as one the files drop"

# --- A table and a column renamed in a push that also rebuilds the
# table: views, triggers and indexes that use the column follow it.
base
sql "CREATE VIEW user_posts AS SELECT u.email, p.id AS post FROM users u JOIN posts p ON p.user_id = u.id;
CREATE TABLE log (msg TEXT);
CREATE TRIGGER users_au AFTER UPDATE OF email ON users BEGIN INSERT INTO log VALUES (new.email); END;"
schema <<'YAML'
tables:
  people:
    renamed_from: users
    columns:
      id: { type: integer, primary_key: true, autoincrement: true }
      mail: { type: text, nullable: false, renamed_from: email }
      age: integer
    indexes:
      users_email_idx: { columns: [mail] }
    checks:
      people_age: "age IS NULL OR age >= 0"
  posts:
    columns:
      id: { type: integer, primary_key: true }
      user_id: { type: integer, references: people.id, on_delete: cascade }
  log:
    columns:
      msg: text
YAML
ss --db $DB push
check "rename in a rebuild: exit 0" rc_is 0
check "rename in a rebuild: column line" out_line "  ~ rename column people.email → people.mail"
check "rename in a rebuild: the rows are carried" sql_is "1|a@x|1
2|b@x|2
3|c@x|" "SELECT id, mail, age FROM people ORDER BY id"
check "rename in a rebuild: the view follows the column" sql_is "a@x|10
c@x|11" "SELECT * FROM user_posts ORDER BY post"
sql "UPDATE people SET mail = 'z@x' WHERE id = 1"
check "rename in a rebuild: the trigger follows and fires" sql_is "z@x" "SELECT msg FROM log"
check "rename in a rebuild: the index is on the new column" sql_is 1 "SELECT count(*) FROM pragma_index_info('users_email_idx') WHERE name = 'mail'"
ss --db $DB push
check "rename in a rebuild: then in sync" both rc_is 0 out_has "in sync: nothing to do"
