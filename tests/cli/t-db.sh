# Database resolution order, URL forms, password masking, config file.
. "$CLI_LIB"

valid_schema
# 'diff' resolves a database and names it in the first line it prints
# (or, for a database it cannot reach, in its error); these tests look at
# which one it named. diff never creates a SQLite file, so the files are
# made first (an empty file is an empty database).
: >from-dburl.db
: >from-ss.db
: >from-flag.db
: >after.db
: >from-config.db
ss diff
check "no database exits 2" rc_is 2
check "no database says how to give one" err_has "no database given: pass --db URL"
check "no database mentions the variables" err_has "SCHEMASYNC_DATABASE_URL or DATABASE_URL"

ss check
check "check needs no database" rc_is 0

DATABASE_URL=sqlite:from-dburl.db ss diff
check "DATABASE_URL is used" out_has "sqlite:from-dburl.db"

SCHEMASYNC_DATABASE_URL=sqlite:from-ss.db DATABASE_URL=sqlite:from-dburl.db ss diff
check "SCHEMASYNC_DATABASE_URL beats DATABASE_URL" out_has "sqlite:from-ss.db"

SCHEMASYNC_DATABASE_URL=sqlite:from-ss.db ss --db sqlite:from-flag.db diff
check "--db beats the environment" out_has "sqlite:from-flag.db"

SCHEMASYNC_DATABASE_URL=sqlite:from-ss.db ss diff --db=sqlite:after.db
check "global options work after the command, with =" out_has "sqlite:after.db"

echo "database: sqlite:from-config.db" >schemasync.yaml
ss diff
check "the config's database is used last" out_has "sqlite:from-config.db"
DATABASE_URL=sqlite:from-dburl.db ss diff
check "DATABASE_URL beats the config" out_has "sqlite:from-dburl.db"

cat >schemasync.yaml <<'YAML'
database: postgres://app:${TEST_PW}@db.example/app
schemas: [schemas/app.yaml]
YAML
TEST_PW=hunter2 ss diff
check "config \${VAR} is expanded and the password masked" err_has "postgres://app:***@db.example/app"
check "the password never appears" err_lacks "hunter2"

ss diff
check "an unset \${VAR} exits 2" rc_is 2
check "an unset \${VAR} is an error at its place" err_has "schemasync.yaml:1:11: error: environment variable 'TEST_PW' is not set"

printf 'databse: sqlite:x.db\n' >schemasync.yaml
ss check
check "unknown config key exits 2" rc_is 2
check "unknown config key suggests" err_has "schemasync.yaml:1:1: error: unknown key 'databse' in config file (did you mean 'database'?)"
rm schemasync.yaml

ss --config missing.yaml check
check "a missing --config exits 2" rc_is 2
check "a missing --config is named" err_has "missing.yaml"

printf 'schemas: [schemas/app.yaml]\nwatch: { debounce_ms: 50 }\n' >other.yaml
ss --config other.yaml check
check "--config is read" out_is "ok: 1 file, 2 tables, 1 enum"

ss --db 'postgresql://u:s3cret@localhost:5432/db?sslmode=disable&password=qq' diff
check "URI passwords are masked" err_has "postgresql://u:***@localhost:5432/db?sslmode=disable&password=***"
check "URI passwords never appear" sh -c '! grep -q -e s3cret -e qq "$0"' "$TMP/.err"

ss --db "host=localhost dbname=app password='p w'" diff
check "conninfo passwords are masked" err_has "host=localhost dbname=app password=***"

# libpq decodes a URI parameter's name, and reads a backslash in an
# unquoted conninfo value as taking the next character: both are the
# whole password.
ss --db 'postgresql://u@localhost:5432/db?passwo%72d=Top%20Secret' diff
check "a percent-encoded password parameter is masked" \
    err_has "postgresql://u@localhost:5432/db?passwo%72d=***"
check "a percent-encoded password parameter never appears" \
    sh -c '! grep -q -e Top -e Secret "$0" "$1"' "$TMP/.out" "$TMP/.err"
ss --db 'host=localhost dbname=app password=Top\ Secret' diff
check "a conninfo password with an escaped space is masked whole" \
    err_has "host=localhost dbname=app password=***"
check "a conninfo password with an escaped space never appears" \
    sh -c '! grep -q -e Top -e Secret "$0" "$1"' "$TMP/.out" "$TMP/.err"

: >dev.sqlite3
ss --db dev.sqlite3 diff
check "a bare .sqlite3 path is SQLite" out_has "dev.sqlite3"

ss --db mysql://x/y diff
check "an unknown URL exits 2" rc_is 2
check "an unknown URL says what is expected" err_has "unrecognised database URL"

ss --db sqlite: diff
check "sqlite: without a path exits 2" rc_is 2
