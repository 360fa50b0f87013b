# The real schemas of the corpus (../shared/corpus/postgres): each loads
# into its own database, `pull` writes it out, and `diff --exit-code`
# against what was pulled finds nothing (SPEC: pull then diff prints
# nothing). Where schemasync can create the schema itself (no
# unmanaged sequences or domains in column defaults and types), the
# pulled files are also pushed to an empty database and diffed again.
. "$CLI_LIB"

if [ -z "${PGHOST:-}" ] || [ -z "${PGPORT:-}" ] || [ -z "${PGUSER:-}" ]; then
	echo "FAIL $T: PGHOST/PGPORT/PGUSER are not set; run through make test" >>"$RESULTS"
	exit 0
fi
corpus=${SS_CORPUS:-}
[ -n "$corpus" ] || for d in "$REPO/../shared/corpus" /work/shared/corpus; do
	[ -d "$d/postgres" ] && { corpus=$d; break; }
done
if [ -z "$corpus" ]; then
	echo "FAIL $T: no corpus (set SS_CORPUS, or put it in ../shared/corpus)" >>"$RESULTS"
	exit 0
fi

n=0
newdb() {
	n=$((n + 1))
	DBNAME="ss_corpus_$$_$n"
	psql -X -q -d postgres -c "CREATE DATABASE $DBNAME" >/dev/null 2>&1 ||
		echo "FAIL $T: cannot create database $DBNAME" >>"$RESULTS"
	DB="postgresql:///$DBNAME?host=$PGHOST&port=$PGPORT&user=$PGUSER"
}

# roundtrip FILE SCHEMA TABLES [push]
roundtrip() {
	file=$1 schema=$2 tables=$3 repush=${4:-}
	cname=$(basename "$file" .sql)
	newdb
	if ! psql -X -q -v ON_ERROR_STOP=1 -d "$DBNAME" -f "$corpus/postgres/$file" >/dev/null 2>&1; then
		echo "FAIL $T: $cname: psql cannot load $file" >>"$RESULTS"
		return
	fi
	printf 'postgres_schema: %s\n' "$schema" >"$cname.yaml"
	ss --config "$cname.yaml" --db "$DB" pull --out "$cname"
	check "$cname: pull" both rc_is 0 out_has "wrote $cname/schema.yaml: $tables tables"
	ss --config "$cname.yaml" --db "$DB" --schema "$cname" diff --exit-code
	check "$cname: pull then diff --exit-code is 0" both rc_is 0 out_has "in sync: nothing to do"
	ss --config "$cname.yaml" --db "$DB" --schema "$cname" -v push
	check "$cname: push of what was pulled changes nothing" both rc_is 0 out_has "in sync: nothing to do"
	[ -n "$repush" ] || return
	src=$DBNAME
	newdb
	ss --config "$cname.yaml" --db "$DB" --schema "$cname" push
	check "$cname: what was pulled pushes to an empty database" rc_is 0
	ss --config "$cname.yaml" --db "$DB" --schema "$cname" diff --exit-code
	check "$cname: and then diff is empty" rc_is 0
	# The same indexes, methods and options as the original, as the
	# server prints them (primary keys aside: their names are not kept).
	indexes "$src" "$schema" >"$cname.idx.want"
	indexes "$DBNAME" "$schema" >"$cname.idx.got"
	check "$cname: the pushed copy has the original's indexes" \
		same_file "$cname.idx.want" "$cname.idx.got"
	# And the same tables, columns (type, NOT NULL, default),
	# constraints and views, as the catalogs say them.
	catalog "$src" "$schema" >"$cname.cat.want"
	catalog "$DBNAME" "$schema" >"$cname.cat.got"
	check "$cname: the pushed copy has the original's tables, columns, constraints and views" \
		same_file "$cname.cat.want" "$cname.cat.got"
}

# catalog DB SCHEMA: each column, constraint (a primary key by its
# columns: its name is not kept) and view, one line each. A serial and an
# identity column are both "autoincrement": pull reads a serial as one,
# and push makes identity columns.
catalog() {
	psql -X -qAt -d "$1" -c "SELECT 'column ' || c.relname || '.' ||
		a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ||
		CASE WHEN a.attnotnull THEN ' not null' ELSE '' END ||
		CASE WHEN a.attidentity <> '' OR pg_get_expr(d.adbin,
		d.adrelid) LIKE 'nextval(%' THEN ' autoincrement' ELSE
		coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
		END
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN
		pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE n.nspname = '$2' AND c.relkind IN ('r', 'p') AND
		a.attnum > 0 AND NOT a.attisdropped
		UNION ALL SELECT 'constraint ' || c.relname || ': ' ||
		CASE WHEN k.contype = 'p' THEN '' ELSE k.conname || ' ' END ||
		pg_get_constraintdef(k.oid) FROM pg_constraint k JOIN pg_class
		c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid =
		c.relnamespace WHERE n.nspname = '$2'
		UNION ALL SELECT 'view ' || c.relname || ': ' ||
		pg_get_viewdef(c.oid) FROM pg_class c JOIN pg_namespace n ON
		n.oid = c.relnamespace WHERE n.nspname = '$2' AND c.relkind IN
		('v', 'm') ORDER BY 1"
}

# indexes DB SCHEMA: each index but primary keys' as pg_indexes shows it.
indexes() {
	psql -X -qAt -d "$1" -c "SELECT c.relname || ': ' ||
		pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class c
		ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid =
		c.relnamespace WHERE n.nspname = '$2' AND NOT x.indisprimary
		ORDER BY 1"
}

same_file() {
	[ -s "$1" ] && cmp -s "$1" "$2" && return 0
	{ echo "$1 and $2 differ:"; command diff "$1" "$2" | sed 's/^/  /'; } >"$TMP/.got" 2>&1
	return 1
}

roundtrip chinook.sql public 11 push
roundtrip pagila.sql public 15
roundtrip pagila-2022.sql public 15
roundtrip synapse.sql public 138 push
roundtrip large-musicbrainz.sql musicbrainz 371
check "musicbrainz: left alone is named" out_has "left alone: "
