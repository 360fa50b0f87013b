/*
 * Model -> schema file text (include/ss/yamlout.h).
 *
 * Columns are written as flow mappings ({ type: bigint, nullable: false })
 * and everything else in block style, which is how people write these
 * files by hand.
 */
#include <ctype.h>
#include <string.h>

#include <yaml.h>

#include "ss/ydoc.h"
#include "ss/schemakeys.h"
#include "ss/yamlout.h"

struct writer {
	yaml_emitter_t em;
	struct ss_arena tmp;	/* generated names to compare against */
	int failed;
};

static int
out_handler(void *data, unsigned char *buffer, size_t size)
{
	ss_buf_add(data, buffer, size);
	return 1;
}

static void
emit(struct writer *w, yaml_event_t *ev)
{
	if (!w->failed && !yaml_emitter_emit(&w->em, ev))
		w->failed = 1;
}

static void
scalar_style(struct writer *w, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
	    (int)strlen(s), 1, 1, style);
	emit(w, &ev);
}

/* A string: quoted when YAML would read it as another type. */
static void
str(struct writer *w, const char *s)
{
	bool b;

	if (*s == '\0' || ss_yscalar_is_bool(s, &b) ||
	    ss_yscalar_is_number(s) || strcmp(s, "~") == 0 ||
	    strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	    strcmp(s, "NULL") == 0 || strcmp(s, "<<") == 0)
		scalar_style(w, s, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	else
		scalar_style(w, s, YAML_ANY_SCALAR_STYLE);
}

static void
plain(struct writer *w, const char *s)
{
	scalar_style(w, s, YAML_PLAIN_SCALAR_STYLE);
}

/* A key of the format, named by the key table (schemakeys.h). */
static void
key(struct writer *w, enum ss_skey k)
{
	plain(w, ss_skey_name(k));
}

static void
map_start(struct writer *w, bool flow)
{
	yaml_event_t ev;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
	emit(w, &ev);
}

static void
map_end(struct writer *w)
{
	yaml_event_t ev;

	yaml_mapping_end_event_initialize(&ev);
	emit(w, &ev);
}

static void
seq_names(struct writer *w, const struct ss_names *l)
{
	yaml_event_t ev;
	size_t i;

	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_FLOW_SEQUENCE_STYLE);
	emit(w, &ev);
	for (i = 0; i < l->n; i++)
		str(w, l->v[i].name);
	yaml_sequence_end_event_initialize(&ev);
	emit(w, &ev);
}

static void
type(struct writer *w, const struct ss_type *t)
{
	struct ss_buf b = SS_BUF_INIT;

	ss_type_format(&b, t);
	str(w, b.s);
	ss_buf_release(&b);
}

static void
default_value(struct writer *w, const struct ss_default *d)
{
	switch (d->kind) {
	case SS_DEFAULT_NONE:
		break;
	case SS_DEFAULT_NULL:
		plain(w, "null");
		break;
	case SS_DEFAULT_BOOL:
	case SS_DEFAULT_NUMBER:
		plain(w, d->value);
		break;
	case SS_DEFAULT_STRING:
		str(w, d->value);
		break;
	case SS_DEFAULT_SQL:
		map_start(w, true);
		key(w, SS_KEY_DEFAULT_SQL);
		str(w, d->value);
		map_end(w);
		break;
	}
}

/* autoincrement's long form: { always, start, increment }, each only
 * when it is not the default. */
static void
identity_options(struct writer *w, const struct ss_column *c)
{
	char n[32];

	key(w, SS_KEY_COLUMN_AUTOINCREMENT);
	map_start(w, true);
	if (c->always) {
		key(w, SS_KEY_AUTOINCREMENT_ALWAYS);
		plain(w, "true");
	}
	if (ss_identity_start(c) != (ss_identity_increment(c) > 0 ? 1 : -1)) {
		key(w, SS_KEY_AUTOINCREMENT_START);
		snprintf(n, sizeof n, "%lld", ss_identity_start(c));
		plain(w, n);
	}
	if (ss_identity_increment(c) != 1) {
		key(w, SS_KEY_AUTOINCREMENT_INCREMENT);
		snprintf(n, sizeof n, "%lld", ss_identity_increment(c));
		plain(w, n);
	}
	map_end(w);
}

/* The one-column unique constraint on c the loader would generate. */
static const struct ss_key *
short_unique(struct writer *w, const struct ss_table *t,
    const struct ss_column *c)
{
	size_t i;

	for (i = 0; i < t->nuniques; i++) {
		const struct ss_key *u = &t->uniques[i];
		if (u->columns.n == 1 && strcmp(u->columns.v[0].name, c->name) == 0 &&
		    u->include.n == 0 && !u->nulls_not_distinct &&
		    !u->deferrable &&
		    strcmp(u->name, ss_make_object_name(&w->tmp, t->name, c->name,
		    "key")) == 0)
			return u;
	}
	return NULL;
}

/* The one-column foreign key from c that `references: t.c` reproduces. */
static const struct ss_fk *
short_fk(struct writer *w, const struct ss_table *t, const struct ss_column *c)
{
	size_t i;

	for (i = 0; i < t->nfks; i++) {
		const struct ss_fk *fk = &t->fks[i];
		if (fk->columns.n == 1 && fk->ref_columns.n == 1 &&
		    strcmp(fk->columns.v[0].name, c->name) == 0 &&
		    strchr(fk->ref_table, '.') == NULL &&
		    !fk->deferrable && !fk->initially_deferred &&
		    !fk->match_full &&
		    strcmp(fk->name, ss_make_object_name(&w->tmp, t->name,
		    c->name, "fkey")) == 0)
			return fk;
	}
	return NULL;
}

static bool
pk_short(struct writer *w, const struct ss_table *t)
{
	return t->pk != NULL && t->pk->columns.n == 1 &&
	    strcmp(t->pk->name, ss_make_object_name(&w->tmp, t->name, NULL,
	    "pkey")) == 0;
}

static void
column(struct writer *w, const struct ss_table *t, const struct ss_column *c)
{
	const struct ss_key *u = short_unique(w, t, c);
	const struct ss_fk *fk = short_fk(w, t, c);
	bool pk = pk_short(w, t) && strcmp(t->pk->columns.v[0].name, c->name) == 0;
	bool in_pk = t->pk != NULL && ss_names_has(&t->pk->columns, c->name);
	char ref[1024];

	str(w, c->name);
	if (c->nullable && !pk && u == NULL && fk == NULL && !c->autoincrement &&
	    c->def.kind == SS_DEFAULT_NONE && c->comment == NULL &&
	    c->generated == NULL && c->collation == NULL) {
		type(w, &c->type);
		return;
	}
	map_start(w, true);
	key(w, SS_KEY_COLUMN_TYPE);
	type(w, &c->type);
	/* An autoincrement column is NOT NULL without saying so. */
	if (!c->nullable && !in_pk && !c->autoincrement) {
		key(w, SS_KEY_COLUMN_NULLABLE);
		plain(w, "false");
	}
	if (pk) {
		key(w, SS_KEY_COLUMN_PRIMARY_KEY);
		plain(w, "true");
	}
	if (c->autoincrement && ss_identity_default(c)) {
		key(w, SS_KEY_COLUMN_AUTOINCREMENT);
		plain(w, c->always ? "always" : "true");
	} else if (c->autoincrement)
		identity_options(w, c);
	if (u != NULL) {
		key(w, SS_KEY_COLUMN_UNIQUE);
		plain(w, "true");
	}
	if (c->def.kind != SS_DEFAULT_NONE) {
		key(w, SS_KEY_COLUMN_DEFAULT);
		default_value(w, &c->def);
	}
	if (c->generated != NULL) {
		key(w, SS_KEY_COLUMN_GENERATED);
		map_start(w, true);
		key(w, SS_KEY_GENERATED_SQL);
		str(w, c->generated);
		key(w, SS_KEY_GENERATED_STORED);
		plain(w, c->stored ? "true" : "false");
		map_end(w);
	}
	if (c->collation != NULL) {
		key(w, SS_KEY_COLUMN_COLLATION);
		str(w, c->collation);
	}
	if (fk != NULL) {
		key(w, SS_KEY_COLUMN_REFERENCES);
		snprintf(ref, sizeof ref, "%s.%s", fk->ref_table,
		    fk->ref_columns.v[0].name);
		str(w, ref);
		if (fk->on_delete != SS_FK_NO_ACTION) {
			key(w, SS_KEY_COLUMN_ON_DELETE);
			plain(w, ss_fk_action_name(fk->on_delete));
		}
		if (fk->on_update != SS_FK_NO_ACTION) {
			key(w, SS_KEY_COLUMN_ON_UPDATE);
			plain(w, ss_fk_action_name(fk->on_update));
		}
	}
	if (c->comment != NULL) {
		key(w, SS_KEY_COLUMN_COMMENT);
		str(w, c->comment);
	}
	map_end(w);
}

/*
 * Index methods and options; unique constraints as constraints.
 * A unique constraint is written with the indexes, as one with
 * `constraint: true`.
 */
static void
unique_options(struct writer *w, const struct ss_key *u)
{
	key(w, SS_KEY_INDEX_CONSTRAINT);
	plain(w, "true");
	if (u->include.n > 0) {
		key(w, SS_KEY_INDEX_INCLUDE);
		seq_names(w, &u->include);
	}
	if (u->nulls_not_distinct) {
		key(w, SS_KEY_INDEX_NULLS_NOT_DISTINCT);
		plain(w, "true");
	}
	if (u->deferrable) {
		key(w, SS_KEY_INDEX_DEFERRABLE);
		plain(w, "true");
	}
	if (u->initially_deferred) {
		key(w, SS_KEY_INDEX_INITIALLY_DEFERRED);
		plain(w, "true");
	}
}

/*
 * Whether the loader would read options off entry text written as a
 * string: white space before a last word ("a desc" is a column name
 * there, not a descending a). Such an entry is written as a mapping.
 */
static bool
entry_needs_mapping(const char *e)
{
	size_t n = strlen(e), w = n;

	while (w > 0 && (isalnum((unsigned char)e[w - 1]) || e[w - 1] == '_' ||
	    e[w - 1] == '.' || e[w - 1] == '$' ||
	    (unsigned char)e[w - 1] >= 0x80))
		w--;
	return w < n && w > 0 && isspace((unsigned char)e[w - 1]);
}

static void
index_entries(struct writer *w, const struct ss_index *ix)
{
	const struct ss_index_key *k;
	yaml_event_t ev;
	size_t i;

	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_FLOW_SEQUENCE_STYLE);
	emit(w, &ev);
	for (i = 0; i < ix->columns.n; i++) {
		k = ss_index_key(ix, i);
		if (ss_index_key_plain(ix, i) &&
		    !entry_needs_mapping(ix->columns.v[i].name)) {
			str(w, ix->columns.v[i].name);
			continue;
		}
		map_start(w, true);
		key(w, SS_KEY_ENTRY_COLUMN);
		str(w, ix->columns.v[i].name);
		if (k->opclass != NULL) {
			key(w, SS_KEY_ENTRY_OPCLASS);
			str(w, k->opclass);
		}
		if (k->desc) {
			key(w, SS_KEY_ENTRY_ORDER);
			plain(w, "desc");
		}
		if (k->nulls != SS_NULLS_DEFAULT) {
			key(w, SS_KEY_ENTRY_NULLS);
			plain(w, k->nulls == SS_NULLS_FIRST ? "first" : "last");
		}
		map_end(w);
	}
	yaml_sequence_end_event_initialize(&ev);
	emit(w, &ev);
}

static void
index_options(struct writer *w, const struct ss_index *ix)
{
	if (ix->method != NULL) {
		key(w, SS_KEY_INDEX_USING);
		str(w, ix->method);
	}
	if (ix->include.n > 0) {
		key(w, SS_KEY_INDEX_INCLUDE);
		seq_names(w, &ix->include);
	}
	if (ix->nulls_not_distinct) {
		key(w, SS_KEY_INDEX_NULLS_NOT_DISTINCT);
		plain(w, "true");
	}
}

static void
table(struct writer *w, const struct ss_table *t)
{
	size_t i, n;

	str(w, t->name);
	map_start(w, false);
	if (t->comment != NULL) {
		key(w, SS_KEY_TABLE_COMMENT);
		str(w, t->comment);
	}
	/* SQLite's table options. */
	if (t->strict) {
		key(w, SS_KEY_TABLE_STRICT);
		plain(w, "true");
	}
	if (t->without_rowid) {
		key(w, SS_KEY_TABLE_WITHOUT_ROWID);
		plain(w, "true");
	}
	key(w, SS_KEY_TABLE_COLUMNS);
	map_start(w, false);
	for (i = 0; i < t->ncolumns; i++)
		column(w, t, &t->columns[i]);
	map_end(w);
	if (t->pk != NULL && !pk_short(w, t)) {
		key(w, SS_KEY_TABLE_PRIMARY_KEY);
		seq_names(w, &t->pk->columns);
	}
	/* Unique constraints the column shorthand cannot say are written as
	 * unique indexes under their own names. */
	for (i = 0, n = 0; i < t->nuniques; i++)
		n += t->uniques[i].columns.n != 1 ||
		    short_unique(w, t, ss_table_column(t,
		    t->uniques[i].columns.v[0].name)) != &t->uniques[i];
	if (t->nindexes > 0 || n > 0) {
		key(w, SS_KEY_TABLE_INDEXES);
		map_start(w, false);
		for (i = 0; i < t->nuniques; i++) {
			const struct ss_key *u = &t->uniques[i];
			if (u->columns.n == 1 && short_unique(w, t,
			    ss_table_column(t, u->columns.v[0].name)) == u)
				continue;
			str(w, u->name);
			map_start(w, true);
			key(w, SS_KEY_INDEX_COLUMNS);
			seq_names(w, &u->columns);
			key(w, SS_KEY_INDEX_UNIQUE);
			plain(w, "true");
			unique_options(w, u);
			map_end(w);
		}
		for (i = 0; i < t->nindexes; i++) {
			const struct ss_index *ix = &t->indexes[i];
			str(w, ix->name);
			map_start(w, true);
			key(w, SS_KEY_INDEX_COLUMNS);
			index_entries(w, ix);
			if (ix->unique) {
				key(w, SS_KEY_INDEX_UNIQUE);
				plain(w, "true");
			}
			index_options(w, ix);
			if (ix->where != NULL) {
				key(w, SS_KEY_INDEX_WHERE);
				str(w, ix->where);
			}
			map_end(w);
		}
		map_end(w);
	}
	for (i = 0, n = 0; i < t->nfks; i++) {
		const struct ss_column *c = ss_table_column(t,
		    t->fks[i].columns.v[0].name);
		n += c == NULL || short_fk(w, t, c) != &t->fks[i];
	}
	if (n > 0) {
		key(w, SS_KEY_TABLE_FOREIGN_KEYS);
		map_start(w, false);
		for (i = 0; i < t->nfks; i++) {
			const struct ss_fk *fk = &t->fks[i];
			const struct ss_column *c = ss_table_column(t,
			    fk->columns.v[0].name);
			if (c != NULL && short_fk(w, t, c) == fk)
				continue;
			str(w, fk->name);
			map_start(w, true);
			key(w, SS_KEY_FK_COLUMNS);
			seq_names(w, &fk->columns);
			key(w, SS_KEY_FK_REFERENCES);
			map_start(w, true);
			key(w, SS_KEY_REF_TABLE);
			str(w, fk->ref_table);
			key(w, SS_KEY_REF_COLUMNS);
			seq_names(w, &fk->ref_columns);
			map_end(w);
			if (fk->on_delete != SS_FK_NO_ACTION) {
				key(w, SS_KEY_FK_ON_DELETE);
				plain(w, ss_fk_action_name(fk->on_delete));
			}
			if (fk->on_update != SS_FK_NO_ACTION) {
				key(w, SS_KEY_FK_ON_UPDATE);
				plain(w, ss_fk_action_name(fk->on_update));
			}
			/* Deferrable foreign keys and MATCH FULL. */
			if (fk->deferrable || fk->initially_deferred) {
				key(w, SS_KEY_FK_DEFERRABLE);
				plain(w, "true");
			}
			if (fk->initially_deferred) {
				key(w, SS_KEY_FK_INITIALLY_DEFERRED);
				plain(w, "true");
			}
			if (fk->match_full) {
				key(w, SS_KEY_FK_MATCH);
				plain(w, "full");
			}
			map_end(w);
		}
		map_end(w);
	}
	if (t->nchecks > 0) {
		key(w, SS_KEY_TABLE_CHECKS);
		map_start(w, false);
		for (i = 0; i < t->nchecks; i++) {
			str(w, t->checks[i].name);
			if (t->checks[i].no_inherit) {
				/* The long form, for NO INHERIT. */
				map_start(w, true);
				key(w, SS_KEY_CHECK_SQL);
				str(w, t->checks[i].expr);
				key(w, SS_KEY_CHECK_NO_INHERIT);
				plain(w, "true");
				map_end(w);
				continue;
			}
			str(w, t->checks[i].expr);
		}
		map_end(w);
	}
	map_end(w);
}

/* A declared view: its SQL as a block when it has several lines. */
static void
view(struct writer *w, const struct ss_view *v)
{
	str(w, v->name);
	map_start(w, false);
	if (v->drop) {
		key(w, SS_KEY_VIEW_DROP);
		plain(w, "true");
	} else {
		key(w, SS_KEY_VIEW_SQL);
		if (strchr(v->sql, '\n') != NULL)
			scalar_style(w, v->sql, YAML_LITERAL_SCALAR_STYLE);
		else
			str(w, v->sql);
	}
	if (v->materialized) {
		key(w, SS_KEY_VIEW_MATERIALIZED);
		plain(w, "true");
	}
	map_end(w);
}

int
ss_yaml_write(const struct ss_schema *s, const char *header,
    struct ss_buf *out, struct ss_err *err)
{
	struct writer w;
	yaml_event_t ev;
	const char *p, *nl;
	size_t i, j;
	int r = 0;

	memset(&w, 0, sizeof w);
	ss_arena_init(&w.tmp);
	for (p = header; p != NULL && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		ss_buf_adds(out, "# ");
		ss_buf_add(out, p, nl ? (size_t)(nl - p) : strlen(p));
		ss_buf_addc(out, '\n');
		if (nl == NULL)
			break;
	}
	yaml_emitter_initialize(&w.em);
	yaml_emitter_set_output(&w.em, out_handler, out);
	yaml_emitter_set_unicode(&w.em, 1);
	yaml_emitter_set_width(&w.em, -1);
	yaml_emitter_set_indent(&w.em, 2);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit(&w, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	emit(&w, &ev);
	map_start(&w, false);
	if (s->nenums > 0) {
		key(&w, SS_KEY_FILE_ENUMS);
		map_start(&w, false);
		for (i = 0; i < s->nenums; i++) {
			str(&w, s->enums[i]->name);
			yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
			    YAML_FLOW_SEQUENCE_STYLE);
			emit(&w, &ev);
			for (j = 0; j < s->enums[i]->values.n; j++)
				str(&w, s->enums[i]->values.v[j].name);
			yaml_sequence_end_event_initialize(&ev);
			emit(&w, &ev);
		}
		map_end(&w);
	}
	key(&w, SS_KEY_FILE_TABLES);
	map_start(&w, false);
	for (i = 0; i < s->ntables; i++)
		table(&w, s->tables[i]);
	map_end(&w);
	if (s->nviews > 0) {
		key(&w, SS_KEY_FILE_VIEWS);
		map_start(&w, false);
		for (i = 0; i < s->nviews; i++)
			view(&w, s->views[i]);
		map_end(&w);
	}
	map_end(&w);
	yaml_document_end_event_initialize(&ev, 1);
	emit(&w, &ev);
	yaml_stream_end_event_initialize(&ev);
	emit(&w, &ev);
	if (w.failed)
		r = ss_err_set(err, SS_EINTERNAL, "writing YAML: %s",
		    w.em.problem ? w.em.problem : "emitter failed");
	yaml_emitter_delete(&w.em);
	ss_arena_release(&w.tmp);
	return r;
}
