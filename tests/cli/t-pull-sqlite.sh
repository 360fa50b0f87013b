# pull on SQLite: writes schemas/schema.yaml, refuses to overwrite it,
# --out DIR, and pull then diff finds nothing to do, for a small database
# and for every SQLite schema of the shared corpus.
. "$CLI_LIB"
need_sqlite3
DB=db.sqlite

sql "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, age INTEGER DEFAULT 0 CHECK (age >= 0));
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE, title TEXT DEFAULT 'it''s');
CREATE INDEX posts_user_idx ON posts (user_id);
CREATE VIEW v AS SELECT * FROM users;
CREATE TRIGGER t AFTER INSERT ON users BEGIN SELECT 1; END;
INSERT INTO users (email) VALUES ('a@x');"
snapshot
ss --db $DB pull
check "pull: exit 0" rc_is 0
check "pull: says what it wrote" out_line "wrote schemas/schema.yaml: 2 tables, 0 enums"
check "pull: names what it leaves alone" out_line "left alone: 1 view, 1 trigger"
check "pull: the file exists" test -s schemas/schema.yaml
check "pull: the file names the tables" sh -c 'grep -q "^  users:" schemas/schema.yaml && grep -q "^  posts:" schemas/schema.yaml'
check "pull: the file does not make the view a table" sh -c '! grep -q "^  v:" schemas/schema.yaml'
check "pull: changes nothing in the database" unchanged
ss check
check "pull: the file is valid" rc_is 0
ss --db $DB diff --exit-code
check "pull then diff: in sync" both rc_is 0 out_has "in sync: nothing to do"
ss --db $DB push
check "pull then push: in sync" both rc_is 0 out_has "in sync: nothing to do"
check "pull then push: the rows are there" sql_is "a@x|0" "SELECT email, age FROM users"

cp schemas/schema.yaml first.yaml
ss --db $DB pull
check "pull again: refuses to overwrite, exit 2" rc_is 2
check "pull again: says how to go on" err_has "pass --force to overwrite it, or --out DIR"
check "pull again: the file is untouched" cmp -s first.yaml schemas/schema.yaml
echo "# edited" >>schemas/schema.yaml
ss --db $DB pull --force
check "pull --force: exit 0" rc_is 0
check "pull --force: overwrites" cmp -s first.yaml schemas/schema.yaml

ss --db $DB pull --out elsewhere/deeper
check "pull --out: exit 0" rc_is 0
check "pull --out: writes DIR/schema.yaml" out_line "wrote elsewhere/deeper/schema.yaml: 2 tables, 0 enums"
check "pull --out: same content" cmp -s first.yaml elsewhere/deeper/schema.yaml
ss --db $DB --schema elsewhere diff --exit-code
check "pull --out then diff: in sync" rc_is 0

ss --db $DB pull --out json-out --format json
check "json is valid: pull" json_valid
check "pull json: exit 0" rc_is 0
check "pull json: one line" out_is '{"event":"pulled","database":"db.sqlite","file":"json-out/schema.yaml","tables":2,"enums":0,"left_alone":"1 view, 1 trigger","exit":0}'

# A table pulled, dropped from the file, pushed: the data-loss rules hold
# for a pulled schema too.
ss --db $DB pull --out p2
sed '/^  posts:/,$d' p2/schema.yaml >p2/only-users.yaml
rm p2/schema.yaml
ss --db $DB --schema p2 push
check "pulled file minus a table: the drop is destructive only with rows" both rc_is 0 out_has "  - drop table posts (no rows)"

# The corpus: each SQLite schema loads, pulls, and diffs clean; the
# pulled files push to an empty database that then diffs clean too.
CORPUS=""
for c in "$REPO/../shared/corpus/sqlite" /work/shared/corpus/sqlite; do
	[ -d "$c" ] && CORPUS=$c && break
done
if [ -z "$CORPUS" ]; then
	echo "FAIL $T: the SQLite corpus is missing (looked in \$REPO/../shared/corpus/sqlite and /work/shared/corpus/sqlite)" >>"$RESULTS"
	exit 1
fi
for cname in chinook sakila synapse; do
	f=$CORPUS/$cname.sql
	check "corpus $cname: present" test -s "$f"
	[ -s "$f" ] || continue
	mkdir "$cname"
	DB=$cname/db.sqlite
	check "corpus $cname: loads" sh -c 'sqlite3 -bail "$0" <"$1" >/dev/null' "$DB" "$f"
	ss --db $DB pull --out $cname/schemas
	check "corpus $cname: pull exits 0" rc_is 0
	ss --db $DB --schema $cname/schemas diff --exit-code
	check "corpus $cname: pull then diff --exit-code is 0" both rc_is 0 out_has "in sync: nothing to do"
	ss --db $cname/fresh.db --schema $cname/schemas push -q
	check "corpus $cname: the pulled files push to an empty database" rc_is 0
	ss --db $cname/fresh.db --schema $cname/schemas diff --exit-code
	check "corpus $cname: and that database is in sync" rc_is 0
	DB=db.sqlite
done

# Names and defaults that look like SQL or YAML round-trip through pull.
DB=odd.db
sql "CREATE TABLE \"x\"\"; DROP TABLE users; --\" (id INTEGER PRIMARY KEY, \"c: #d\" TEXT DEFAULT '''); DROP TABLE users; --', \"- e\" TEXT DEFAULT 'yes');
INSERT INTO \"x\"\"; DROP TABLE users; --\" (id) VALUES (1);"
ss --db $DB pull --out odd
check "odd names: pull exits 0" rc_is 0
ss --db $DB --schema odd diff --exit-code
check "odd names: pull then diff in sync" both rc_is 0 out_has "in sync: nothing to do"
ss --db odd2.db --schema odd push -q
check "odd names: the pulled file pushes elsewhere" rc_is 0
DB=odd2.db
check "odd names: same defaults there" sql_is "1|'); DROP TABLE users; --|yes" \
	"INSERT INTO \"x\"\"; DROP TABLE users; --\" (id) VALUES (1) RETURNING *"
