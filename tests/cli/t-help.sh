# --help, --version, help COMMAND, and usage errors.
. "$CLI_LIB"

ss --help
check "--help exits 0" rc_is 0
check "--help lists every command" sh -c 'for c in push watch diff check pull diagram help; do grep -q "^  $c " "$0" || exit 1; done' "$TMP/.out"
check "--help goes to stdout only" err_empty

ss --version
check "--version exits 0" rc_is 0
check "--version names the program" out_has "schemasync 0."

ss
check "no command exits 2" rc_is 2
check "no command prints usage on stderr" err_has "usage: schemasync"

for c in push watch diff check pull diagram help; do
	ss "$c" --help
	check "$c --help exits 0" rc_is 0
	check "$c --help shows its usage" out_has "usage: schemasync [GLOBAL OPTIONS] $c"
	ss help "$c"
	check "help $c matches $c --help" sh -c '"$SCHEMASYNC" '"$c"' --help | cmp -s - "$0"' "$TMP/.out"
done

ss push --help
check "push --help lists --dry-run" out_has "--dry-run"
check "push --help lists --accept-data-loss" out_has "--accept-data-loss"
ss watch --help
check "watch --help lists --debounce" out_has "--debounce MS"
ss pull --help
check "pull --help lists --out" out_has "--out DIR"

ss pusj
check "unknown command exits 2" rc_is 2
check "unknown command suggests" err_has "unknown command 'pusj' (did you mean 'push'?)"

ss push --dryrun
check "unknown option exits 2" rc_is 2
check "unknown option suggests" err_has "unknown option '--dryrun' for push (did you mean '--dry-run'?)"

ss check --debounce 5
check "an option of another command is unknown" rc_is 2

ss --db
check "missing option value exits 2" rc_is 2
check "missing option value says so" err_has "option '--db' needs a value"

ss --format yaml check
check "bad --format exits 2" rc_is 2
check "bad --format names the choices" err_has "expected text or json"

ss --color sometimes check
check "bad --color exits 2" rc_is 2

ss push --rename users
check "bad --rename exits 2" rc_is 2
check "bad --rename shows the form" err_has "expected OLD=NEW"

ss help nosuch
check "help of an unknown command exits 2" rc_is 2

ss check extra
check "a stray argument exits 2" rc_is 2
check "a stray argument is named" err_has "unexpected argument 'extra'"

ss diagram --help
check "diagram --help lists its --format" out_has "--format mermaid|dot"
check "diagram --help lists --from" out_has "--from files|db"
