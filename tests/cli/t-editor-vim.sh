# The vim hook for real, headless: a save in vim with
# g:schemasync_on_save = 'push' runs push, and the changes it holds or
# refuses land in the quickfix list at their place in the file (the
# FILE:LINE:COLUMN lines push writes to stderr when it holds).
. "$CLI_LIB"
need_sqlite3
if ! command -v vim >/dev/null 2>&1; then
	echo "FAIL $T: vim is missing (make deps installs it): the vim hook cannot be tested" >>"$RESULTS"
	exit 1
fi
DB=db.sqlite
printf 'database: sqlite:%s\n' "$DB" >schemasync.yaml
schema <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      bio: text
YAML
ss push
check "base: exit 0" rc_is 0
sql "INSERT INTO users (id, bio) VALUES (1, 'hi'), (2, 'yo')"

# vim_save FILE: opens FILE in vim, saves it (the hook runs), writes the
# quickfix list to qf.txt as FILE:LINE:COLUMN:TYPE:TEXT lines and quits.
vim_save() {
	rm -f qf.txt
	timeout 60 vim -N -u NONE -i NONE -n -es \
	    -c "set rtp^=$REPO/contrib/vim" \
	    -c "let g:schemasync_command = '$SCHEMASYNC'" \
	    -c "let g:schemasync_on_save = 'push'" \
	    -c "runtime plugin/schemasync.vim" \
	    -c "edit $1" -c "write" \
	    -c "call writefile(map(getqflist(), {_, e -> fnamemodify(bufname(e.bufnr), ':.') . ':' . e.lnum . ':' . e.col . ':' . e.type . ':' . e.text}), 'qf.txt')" \
	    -c "qa!" </dev/null >"$TMP/.out" 2>"$TMP/.err"
	echo $? >"$TMP/.rc"
	cp qf.txt "$TMP/.out" 2>/dev/null
}

# A column dropped from a table with values: held, a warning at the table.
cat >schemas/app.yaml <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      age: { type: integer, nullable: false }
YAML
vim_save schemas/app.yaml
check "vim: the save ran push, which held the changes" sql_is 2 "SELECT count(bio) FROM users"
check "vim: the data loss is in the quickfix list, at its table" out_has "schemas/app.yaml:2:3:w:drop column users.bio (2 non-null values): would lose data; held"
check "vim: the unexecutable add is there too, as an error" out_has "schemas/app.yaml:5:7:e:add column users.age (NOT NULL without a default, and the table has 2 rows): cannot run on the data there"

# Fixed in the file: the next save applies it and the list empties.
cat >schemas/app.yaml <<'YAML'
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      bio: text
      age: { type: integer, nullable: false, default: 0 }
YAML
vim_save schemas/app.yaml
check "vim: a safe save applies" sql_is "1|hi|0" "SELECT id, bio, age FROM users WHERE id = 1"
check "vim: then nothing in the quickfix list" sh -c '! grep -q ":[ew]:" "$0"' "$TMP/.out"
