/*
 * Steps, and choosing the dialect (include/ss/dialect.h).
 */
#include <string.h>

#include "ss/dialect.h"
#include "ss/map.h"
#include "ss/migrate.h"
#include "ss/undo.h"

void
ss_steps_init(struct ss_steps *s)
{
	memset(s, 0, sizeof *s);
	ss_arena_init(&s->arena);
}

void
ss_steps_release(struct ss_steps *s)
{
	ss_arena_release(&s->arena);
	memset(s, 0, sizeof *s);
}

struct ss_step *
ss_steps_add(struct ss_steps *s)
{
	struct ss_step *st = ss_arena_alloc(&s->arena, sizeof *st);

	*SS_ARENA_PUSH(&s->arena, s->v, s->n, s->alloc) = st;
	return st;
}

void
ss_step_sql(struct ss_steps *s, struct ss_step *st, const char *sql)
{
	*SS_ARENA_PUSH(&s->arena, st->sql, st->nsql, st->asql) =
	    ss_arena_strdup(&s->arena, sql);
}

void
ss_step_change(struct ss_steps *s, struct ss_step *st, struct ss_change *c)
{
	*SS_ARENA_PUSH(&s->arena, st->changes, st->nchanges, st->achanges) = c;
}

size_t
ss_dialect_check(const struct ss_dialect *dl, struct ss_schema *desired,
    struct ss_diags *d)
{
	if (dl->spell != NULL)
		dl->spell(desired);
	return dl->check != NULL ? dl->check(desired, d) : 0;
}

const struct ss_dialect *
ss_dialect_for(const struct ss_url *url)
{
	switch (url->kind) {
	case SS_URL_SQLITE:
		return &ss_dialect_sqlite;
	case SS_URL_POSTGRES:
		return &ss_dialect_postgres;
	}
	return NULL;
}

static bool
not_ignored(const char *name, void *ctx)
{
	return !ss_config_ignored(ctx, name);
}

/*
 * The migration journal is schemasync's own: left out without a word
 * (not even as an ignored table). Returns whether it was there.
 */
static bool
drop_journal(struct ss_schema *s)
{
	size_t i, n = 0;
	bool found = false;

	for (i = 0; i < s->ntables; i++) {
		if (strcmp(s->tables[i]->name, SS_JOURNAL_TABLE) == 0)
			found = true;
		else if (ss_undo_hidden(s->tables[i]->name))
			continue;	/* the undo store: hidden the same way */
		else
			s->tables[n++] = s->tables[i];
	}
	if (n == s->ntables)
		return false;
	s->ntables = n;
	ss_map_release(&s->table_map);
	for (i = 0; i < n; i++)
		ss_map_put(&s->table_map, s->tables[i]->name, s->tables[i]);
	return found;
}

int
ss_introspect(const struct ss_dialect *dl, struct ss_conn *conn,
    const struct ss_config *cfg, struct ss_schema *out, struct ss_err *err)
{
	return ss_introspect_journal(dl, conn, cfg, out, NULL, err);
}

int
ss_introspect_journal(const struct ss_dialect *dl, struct ss_conn *conn,
    const struct ss_config *cfg, struct ss_schema *out, bool *journal,
    struct ss_err *err)
{
	bool found;
	int r;

	if ((r = dl->introspect(conn, out, err)) < 0)
		return r;
	found = drop_journal(out);
	if (journal != NULL)
		*journal = found;
	if (cfg != NULL && cfg->nignore > 0)
		ss_schema_filter_tables(out, not_ignored, (void *)cfg);
	return 0;
}
