# schemasync check: validation without a database.
. "$CLI_LIB"

valid_schema
ss check
check "valid schema exits 0" rc_is 0
check "valid schema prints the summary" out_is "ok: 1 file, 2 tables, 1 enum"
check "valid schema prints nothing on stderr" err_empty

ss -q check
check "--quiet prints nothing" out_empty

ss --format json check
check "json summary" out_is '{"event":"ok","files":1,"tables":2,"enums":1,"exit":0}'

mkdir -p schemas/more/deeper
cat >schemas/more/deeper/tags.yml <<'YAML'
tables:
  tags:
    columns:
      id: { type: integer, primary_key: true }
      post_id: { type: bigint, references: posts.id }
YAML
echo "# only a comment" >schemas/more/empty.yaml
echo "not yaml" >schemas/more/notes.txt
ss check
check "folders are searched recursively for .yaml and .yml" out_is "ok: 3 files, 3 tables, 1 enum"

cat >schemas/more/bad.yaml <<'YAML'
tables:
  comments:
    columns:
      id: { type: bigint, primary_key: true }
      body: { type: jsonbb }
      post_id: { type: bigint, refrences: posts.id }
      author: { type: bigint, references: user.id }
YAML
ss check
check "invalid schema exits 2" rc_is 2
check "invalid schema prints nothing on stdout" out_empty
check "unknown type at FILE:LINE:COLUMN" err_has "schemas/more/bad.yaml:5:21: error: unknown type 'jsonbb' (did you mean 'jsonb'?)"
check "unknown key with suggestion" err_has "schemas/more/bad.yaml:6:32: error: unknown key 'refrences' in column (did you mean 'references'?)"
check "unknown table with suggestion" err_has "schemas/more/bad.yaml:7:43: error: foreign key references unknown table 'user' (did you mean 'users'?)"
check "every error is reported" err_has "3 errors"

ss --format json check
check "json diagnostics exit 2" rc_is 2
check "json diagnostics on stdout" out_has '{"file":"schemas/more/bad.yaml","line":5,"column":21,"severity":"error","message":"unknown type '"'"'jsonbb'"'"' (did you mean '"'"'jsonb'"'"'?)"}'

ss --schema schemas/app.yaml check
check "--schema names one file" out_is "ok: 1 file, 2 tables, 1 enum"

ss --schema schemas/app.yaml --schema schemas/more/deeper check
check "--schema repeats" out_is "ok: 2 files, 3 tables, 1 enum"

ss --schema nowhere check
check "a missing schema path exits 2" rc_is 2
check "a missing schema path is named" err_has "nowhere: error: cannot read schemas: No such file or directory"

mkdir empty
ss --schema empty check
check "a folder without schema files exits 2" rc_is 2
check "a folder without schema files says so" err_has "no schema files"

ss --color always --schema schemas/more check
check "--color always colours errors" grep -q "$(printf '\033')\[1;31merror" "$TMP/.err"
ss --schema schemas/more check
check "no colour when stderr is not a terminal" err_lacks "$(printf '\033')"

printf 'tables:\n  t:\n    columns: { a: text\n' >schemas/more/bad.yaml
ss check
check "YAML syntax error exits 2" rc_is 2
check "YAML syntax error has a position" grep -q "^schemas/more/bad.yaml:[0-9]*:[0-9]*: error: YAML syntax error" "$TMP/.err"

printf 'tables:\n  t:\n    columns:\n      a: "\377"\n' >schemas/more/bad.yaml
ss check
check "a file that is not UTF-8 exits 2" rc_is 2
check "a file that is not UTF-8 says so" err_has "not valid UTF-8"

printf -- '- a\n- b\n' >schemas/more/bad.yaml
ss check
check "a file that is not a mapping is an error" err_has "schemas/more/bad.yaml:1:1: error: expected a mapping"

# One file that does not parse: its error alone, no knock-on errors from
# the files that name its tables.
rm -rf k && mkdir k
printf 'tables:\n  posts:\n    columns:\n      id: { type: integer, primary_key: true }\n   bad: [\n' >k/content.yaml
printf 'tables:\n  tags:\n    columns:\n      id: { type: integer, primary_key: true }\n      post_id: { type: integer, references: posts.id }\n' >k/tags.yaml
ss --schema k check
check "a broken file: exit 2" rc_is 2
check "a broken file: its error" err_has "k/content.yaml:5:4: error: YAML syntax error"
check "a broken file: no knock-on error in another file" err_lacks "k/tags.yaml"
check "a broken file: one error in all" [ "$(wc -l <"$TMP/.err")" -eq 1 ]

printf 'tables:\n  t:\n    columns:\n\tid: integer\n' >k/content.yaml
ss --schema k check
check "a tab in the indentation: says YAML forbids it" err_has "k/content.yaml:4:1: error: YAML syntax error: found character that cannot start any token while scanning for the next token that starts at line 4 (a tab in the indentation: YAML allows only spaces there)"

# A name longer than the 63 bytes PostgreSQL keeps is a warning: the
# files are valid (exit 0), and JSON carries it in the ok object.
mkdir -p long
cat >long/app.yaml <<'YAML'
tables:
  a_table_name_that_goes_on_and_on_well_beyond_what_postgresql_keeps:
    columns:
      id: integer
YAML
ss --schema long check
check "long name: valid, exit 0" rc_is 0
check "long name: the summary" out_is "ok: 1 file, 1 table, 0 enums"
check "long name: a warning at FILE:LINE:COLUMN" err_is "long/app.yaml:2:3: warning: name 'a_table_name_that_goes_on_and_on_well_beyond_what_postgresql_keeps' is longer than 63 bytes; PostgreSQL keeps only 'a_table_name_that_goes_on_and_on_well_beyond_what_postgresql_ke'"
ss --schema long --format json check
check "long name, json: exit 0" rc_is 0
check "long name, json: one ok object with the warning" out_is '{"event":"ok","files":1,"tables":1,"enums":0,"warnings":[{"file":"long/app.yaml","line":2,"column":3,"message":"name '"'"'a_table_name_that_goes_on_and_on_well_beyond_what_postgresql_keeps'"'"' is longer than 63 bytes; PostgreSQL keeps only '"'"'a_table_name_that_goes_on_and_on_well_beyond_what_postgresql_ke'"'"'"}],"exit":0}'

# Symbolic links that make cycles (two links back to the folder itself,
# one up from a sub-folder, a second name for a file): every folder and
# file is read once, and check ends. Bounded: a hang fails the check.
mkdir cyc cyc/sub
printf 'tables:\n  t:\n    columns:\n      id: { type: integer, primary_key: true }\n' >cyc/a.yaml
printf 'tables:\n  u:\n    columns:\n      id: { type: integer, primary_key: true }\n' >cyc/sub/b.yaml
ln -s . cyc/l1
ln -s . cyc/l2
ln -s .. cyc/sub/up
ln -s ../a.yaml cyc/sub/again.yaml
timeout -k 5 60 "$SCHEMASYNC" --schema cyc check >"$TMP/.out" 2>"$TMP/.err"
echo $? >"$TMP/.rc"
check "links that make cycles: check ends and exits 0" rc_is 0
check "links that make cycles: each file is read once" out_is "ok: 2 files, 2 tables, 0 enums"
printf 'tables:\n  v:\n    columns:\n      id: { type: jsonbb }\n' >cyc/sub/real.yaml
ln -s sub cyc/a-link
timeout -k 5 60 "$SCHEMASYNC" --schema cyc check >"$TMP/.out" 2>"$TMP/.err"
echo $? >"$TMP/.rc"
check "links: a file reached through a link is named by its own path" \
    err_has "cyc/sub/real.yaml:4:19: error: unknown type 'jsonbb'"
check "links: ...once" [ "$(grep -c jsonbb "$TMP/.err")" = 1 ]

# File names are bytes: one that is not UTF-8 (\377) still gives valid
# JSON in valid UTF-8, the byte shown as U+FFFD; the text output keeps
# the name as it is, for an editor to open.
rm -rf cyc
mkdir bytes
bad=$(printf 'bytes/b\377d.yaml')
printf 'tables:\n  t:\n    columns:\n      id: { type: jsonbb }\n' >"$bad"
ss --schema bytes --format json check
check "a file name that is not UTF-8: json exit 2" rc_is 2
check "json is valid: a file name that is not UTF-8" json_valid
check "a file name that is not UTF-8: U+FFFD in json" out_has '"file":"bytes/b\ufffdd.yaml","line":4,'
ss --schema bytes check
check "a file name that is not UTF-8: text keeps the bytes" err_has "$bad:4:19: error: unknown type 'jsonbb'"
