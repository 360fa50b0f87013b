# diagram: the bundled schema drawn from the files (mermaid and dot), the
# same schema pushed to SQLite and to PostgreSQL and drawn from the
# database, a Chinook-style SQLite database (tests/fixtures/
# diagram_music.sql), and the command line around it. The mermaid output
# is checked line by line against mermaid's grammar by mermaid.awk.
. "$CLI_LIB"
need_sqlite3
MERMAID_AWK="$(dirname "$CLI_LIB")/mermaid.awk"

# valid_mermaid: stdout is a well-formed erDiagram; .counts gets
# "entities N edges N".
valid_mermaid() {
	LC_ALL=C awk -f "$MERMAID_AWK" "$TMP/.out" >"$TMP/.counts" 2>&1 && return 0
	cp "$TMP/.counts" "$TMP/.got"
	return 1
}
counts_are() { [ "$(cat "$TMP/.counts")" = "$1" ] || { cp "$TMP/.counts" "$TMP/.got"; return 1; }; }
# entities FILE / edges FILE: the entity names / the edge lines, sorted.
entities() { sed -n 's/^    "\(.*\)" {$/\1/p' "$1" | LC_ALL=C sort; }
edges() { grep -e '--' "$1" | LC_ALL=C sort; }
# same_shape A B: the two diagrams have the same entities and edges.
same_shape() {
	entities "$1" >"$TMP/.e1"
	entities "$2" >"$TMP/.e2"
	edges "$1" >"$TMP/.g1"
	edges "$2" >"$TMP/.g2"
	cmp -s "$TMP/.e1" "$TMP/.e2" && cmp -s "$TMP/.g1" "$TMP/.g2" && return 0
	{ diff "$TMP/.e1" "$TMP/.e2"; diff "$TMP/.g1" "$TMP/.g2"; } | head -20 >"$TMP/.got"
	return 1
}
dot_nodes() { [ "$(grep -c '^	t[0-9]* \[label=<<TABLE ' "$TMP/.out")" = "$1" ]; }
dot_edges() { [ "$(grep -c '^	t[0-9:c]* -> t[0-9:c]* \[label=<' "$TMP/.out")" = "$1" ]; }

# The bundled schema, from the files: no database needed, and one set in
# the environment does not switch the source.
cp -R "$REPO/schemas" schemas
ss diagram
check "files: exit 0" rc_is 0
check "files: nothing on stderr" err_empty
check "files: a valid erDiagram" valid_mermaid
check "files: 6 entities, 9 edges" counts_are "entities 6 edges 9"
cp "$TMP/.out" files.mmd
for t in organisations users posts comments tags post_tags; do
	check "files: table $t is an entity" out_line "    \"$t\" {"
done
check "files: a required foreign key is exactly one to many" \
    out_line '    "organisations" ||--o{ "users" : "organisation_id"'
check "files: a nullable foreign key is zero or one to many" \
    out_line '    "users" |o--o{ "posts" : "author_id"'
check "files: a self-reference" out_line '    "comments" |o--o{ "comments" : "parent_id"'
check "files: keys and nullability" sh -c 'grep -qxF "        integer post_id PK, FK \"not null\"" "$0" &&
    grep -qxF "        varchar(320) email UK \"not null\"" "$0" &&
    grep -qxF "        text display_name \"nullable\"" "$0"' "$TMP/.out"
# The README shows this diagram: it must be what the binary draws.
sed -n '/^```mermaid$/,/^```$/p' "$REPO/README.md" | sed '1d;$d' >readme.mmd
check "README: its mermaid block is the bundled schema's diagram" cmp -s files.mmd readme.mmd
DATABASE_URL=postgres://nobody@127.0.0.1:1/none ss diagram
check "files: DATABASE_URL does not switch to the database" both rc_is 0 out_has '"organisations" {'

ss diagram --format dot
check "dot: exit 0" rc_is 0
check "dot: a digraph" sh -c 'head -1 "$0" | grep -qxF "digraph schema {" && tail -1 "$0" | grep -qxF "}"' "$TMP/.out"
check "dot: 6 tables" dot_nodes 6
check "dot: 9 foreign keys" dot_edges 9
ss --format dot diagram
check "dot: --format before the command" both rc_is 0 dot_edges 9
ss diagram --format mermaid
check "--format mermaid is the default" cmp -s files.mmd "$TMP/.out"

# The command line.
ss diagram --format json
check "diagram --format json: exit 2" both rc_is 2 err_has "invalid value 'json' for --format (expected mermaid or dot)"
ss --format dot check
check "the global --format still refuses dot" both rc_is 2 err_has "expected text or json"
ss check --format dot
check "the global --format still refuses dot after another command" rc_is 2
ss diagram --from nowhere
check "bad --from: exit 2" both rc_is 2 err_has "expected files or db"
ss diagram --from db
check "--from db without a database: exit 2" both rc_is 2 err_has "no database given"
mkdir bad
printf 'tables:\n  t:\n    columns:\n      id: { type: integr }\n' >bad/a.yaml
ss --schema bad diagram
schema_error() { rc_is 2 && err_has "bad/a.yaml:4:" && out_empty; }
check "a schema error: exit 2, located, nothing drawn" schema_error

# SQLite: push the bundled schema, draw it back from the database.
ss --db db.sqlite push
check "sqlite: push" rc_is 0
ss --db db.sqlite diagram
check "sqlite --db: exit 0" rc_is 0
check "sqlite --db: a valid erDiagram" valid_mermaid
check "sqlite --db: 6 entities, 9 edges" counts_are "entities 6 edges 9"
check "sqlite --db: the same entities and edges as the files" same_shape files.mmd "$TMP/.out"
check "sqlite --db: the types are the database's" out_line "        text slug UK \"not null\""
ss --db db.sqlite diagram --from files
check "--db with --from files draws the files" both rc_is 0 out_line "        varchar(64) slug UK \"not null\""
SCHEMASYNC_DATABASE_URL=sqlite:db.sqlite ss diagram --from db --format dot
check "sqlite --from db: database from the environment" both rc_is 0 dot_edges 9
ss --db missing/none.db diagram
check "sqlite --db that cannot open: exit 1" rc_is 1

# A Chinook-style database made by plain SQL: composite and
# self-referencing foreign keys, a one-to-one key, NUMERIC(10,2), a name
# with a space.
check "music: loads" sh -c 'sqlite3 -bail "$0" <"$1"' music.sqlite "$REPO/tests/fixtures/diagram_music.sql"
ss --db music.sqlite diagram
check "music: exit 0" rc_is 0
check "music: a valid erDiagram" valid_mermaid
check "music: 8 entities, 7 edges" counts_are "entities 8 edges 7"
check "music: self-reference" out_line '    "Employee" |o--o{ "Employee" : "ReportsTo"'
check "music: composite foreign key, name with a space" \
    out_line '    "PlaylistTrack" ||--o{ "Playlist Track Note" : "PlaylistId, TrackId"'
check "music: a foreign key that is the primary key is one to one" \
    out_line '    "Employee" ||--o| "EmployeeBadge" : "EmployeeId"'
check "music: both keys of a join table" sh -c 'grep -qxF "    \"Playlist\" ||--o{ \"PlaylistTrack\" : \"PlaylistId\"" "$0" &&
    grep -qxF "    \"Track\" ||--o{ \"PlaylistTrack\" : \"TrackId\"" "$0" &&
    grep -qxF "        integer TrackId PK, FK \"not null\"" "$0"' "$TMP/.out"
check "music: a type with a comma is a word, the exact type a comment" \
    out_line '        NUMERIC(10_2) UnitPrice "not null; type NUMERIC(10,2)"'
ss --db music.sqlite diagram --format dot
check "music dot: 8 tables, 7 foreign keys" both dot_nodes 8 dot_edges 7
check "music dot: the composite key from its first column's row" \
    out_has '	t7:c1 -> t6:c0 [label=<PlaylistId, TrackId>, arrowtail=crowodot, arrowhead=teetee];'

# PostgreSQL: the same push, drawn from the database.
if [ -z "${PGHOST:-}" ] || [ -z "${PGPORT:-}" ] || [ -z "${PGUSER:-}" ]; then
	echo "FAIL $T: PGHOST/PGPORT/PGUSER are not set, the postgres half cannot run; run through make test" >>"$RESULTS"
	exit 0
fi
DBNAME="ss_diagram_$$"
psql -X -q -d postgres -c "CREATE DATABASE $DBNAME" >/dev/null 2>&1 ||
	echo "FAIL $T: cannot create database $DBNAME" >>"$RESULTS"
PGURL="postgresql:///$DBNAME?host=$PGHOST&port=$PGPORT&user=$PGUSER"
ss --db "$PGURL" push
check "postgres: push" rc_is 0
ss --db "$PGURL" diagram
check "postgres --db: exit 0" rc_is 0
check "postgres --db: a valid erDiagram" valid_mermaid
check "postgres --db: 6 entities, 9 edges" counts_are "entities 6 edges 9"
check "postgres --db: the same entities and edges as the files" same_shape files.mmd "$TMP/.out"
check "postgres --db: the database's types" out_line "        varchar(64) slug UK \"not null\""
ss --db "$PGURL" diagram --format dot
check "postgres dot: 6 tables, 9 foreign keys" both dot_nodes 6 dot_edges 9
psql -X -q -d postgres -c "DROP DATABASE $DBNAME" >/dev/null 2>&1
