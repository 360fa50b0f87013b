# The bundled example and contrib/: the example checks clean, the git hook
# refuses invalid staged files, and the man page and bash completion know
# every option the binary does.
# shellcheck source=tests/cli/lib.sh
. "$CLI_LIB"

ss --schema "$REPO/schemas" check
check "the bundled example is valid" rc_is 0
check "the bundled example's summary" out_is "ok: 3 files, 6 tables, 1 enum"
check "the bundled example has no diagnostics" err_empty

# Options the binary lists in --help, for each command, must be in the
# man page (where '-' is written '\-') and in the bash completion.
for c in push watch diff check pull diagram; do
	"$SCHEMASYNC" "$c" --help 2>/dev/null |
	    grep -o -- '--[a-z][a-z-]*' | sort -u >"$TMP/opts"
	check "$c --help lists options" test -s "$TMP/opts"
	while read -r o; do
		[ "$o" = --help ] && continue
		check "man page has $c $o" grep -qF -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$REPO/contrib/schemasync.1"
		check "bash completion has $c $o" grep -qF -- "$o" "$REPO/contrib/bash_completion"
	done <"$TMP/opts"
done

if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$REPO/contrib/schemasync.1" >"$TMP/.out" 2>"$TMP/.err" </dev/null
	echo $? >"$TMP/.rc"
	check "the man page renders" rc_is 0
	check "the man page has an EXIT STATUS section" out_has "EXIT STATUS"
fi

if command -v bash >/dev/null 2>&1; then
	complete_line() {
		bash -c '. "$1"; COMP_LINE=$2; COMP_POINT=${#2}
			s=${2//:/ : }; s=${s//=/ = }; read -ra COMP_WORDS <<<"$s"
			[[ $2 == *" " ]] && COMP_WORDS+=("")
			COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _schemasync
			printf "%s\n" "${COMPREPLY[@]}"' sh "$REPO/contrib/bash_completion" "$1" >"$TMP/.out" 2>"$TMP/.err"
		echo $? >"$TMP/.rc"
	}
	complete_line "schemasync "
	check "completion offers the commands" out_is "$(printf 'push\nwatch\ndiff\ncheck\npull\ndiagram\ngenerate\nmigrate\nstatus\nrollback\nundo\nhelp')"
	complete_line "schemasync --format j"
	check "completion offers --format values" out_is "json"
	complete_line "schemasync --color=n"
	check "completion offers --color=values" out_is "never"
	complete_line "schemasync pull --f"
	check "completion offers pull's options" out_has "--force"
	complete_line "schemasync diagram --format "
	check "completion offers diagram's --format values" out_is "$(printf 'mermaid\ndot')"
	complete_line "schemasync diagram --format=d"
	check "completion offers diagram's --format=values" out_is "dot"
	complete_line "schemasync --db x.db diagram --from "
	check "completion offers --from values" out_is "$(printf 'files\ndb')"
	complete_line "schemasync --format "
	check "completion offers the global --format values before diagram" out_is "$(printf 'text\njson')"
	mkdir -p cdir/sub && : >cdir/app.db && : >cdir/notes.txt && : >cdir/a.yaml
	complete_line "schemasync --db sqlite:cdir/"
	check "completion offers SQLite files and folders after --db sqlite:" out_is "$(printf 'cdir/app.db\ncdir/sub/')"
	(cd cdir && complete_line "schemasync --db ")
	check "completion offers local SQLite files after --db, with the schemes" both out_has "app.db" out_has "postgres://"
	check "completion offers no other files after --db" out_lacks "notes.txt"
	complete_line "schemasync --schema cdir/"
	check "completion offers folders and YAML files after --schema" out_is "$(printf 'cdir/a.yaml\ncdir/sub/')"
fi

if command -v git >/dev/null 2>&1; then
	hook_commit() {
		git -c user.name=t -c user.email=t@t commit -q -m "$1" >"$TMP/.out" 2>"$TMP/.err"
		echo $? >"$TMP/.rc"
	}
	mkdir repo && cd repo && git init -q . &&
	    cp "$REPO/contrib/git/pre-commit" .git/hooks/pre-commit &&
	    chmod +x .git/hooks/pre-commit && cp -R "$REPO/schemas" schemas
	export SCHEMASYNC
	git add schemas
	hook_commit "valid"
	check "pre-commit lets valid schema files through" rc_is 0
	check "pre-commit is silent on success" out_empty
	check "pre-commit says nothing on stderr on success" err_empty
	sed 's/type: integer, nullable: false }/type: intger, nullable: false }/' schemas/tags.yaml >tags.yaml
	cp tags.yaml schemas/tags.yaml
	git add schemas
	hook_commit "invalid"
	check "pre-commit refuses invalid schema files" rc_is 1
	check "pre-commit prints the diagnostics" err_has "schemas/tags.yaml:16:26: error: unknown type 'intger'"
	# The index holds the broken file; fix it on disk only.
	{ git show HEAD:schemas/tags.yaml; echo "# fixed"; } >schemas/tags.yaml
	hook_commit "fixed on disk only"
	check "pre-commit checks the index, not the working tree" rc_is 1
	git add schemas
	hook_commit "fixed"
	check "pre-commit passes once the fix is staged" rc_is 0
	echo notes >NOTES && git add NOTES
	(SCHEMASYNC=/nonexistent/schemasync && hook_commit "no schema change")
	check "pre-commit ignores commits without schema changes" rc_is 0
	check "pre-commit does not even look for schemasync then" err_empty
	cd "$TMP" || exit 1
fi
