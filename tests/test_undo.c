/* Tests for the pure parts of src/undo.c: what an undo point keeps,
 * what the plan line says about it, which tables are the store's. */
#include <criterion/criterion.h>
#include <string.h>

#include "ss/config.h"
#include "ss/undo.h"

Test(undo, the_store_is_hidden_by_its_prefix)
{
	cr_expect(ss_undo_hidden("schemasync_undo"));
	cr_expect(ss_undo_hidden("schemasync_undo_items"));
	cr_expect(ss_undo_hidden("schemasync_undo_12_3"));
	cr_expect(ss_undo_hidden("SchemaSync_Undo_1_1"));	/* SQLite folds case */
	cr_expect(!ss_undo_hidden("schemasync_undone"));
	cr_expect(!ss_undo_hidden("schemasync_und"));
	cr_expect(!ss_undo_hidden("users"));
	cr_expect(!ss_undo_hidden("schemasync_migrations"));
}

/* A table users (id primary key, bio) of the database. */
struct fixture {
	struct ss_column cols[2];
	struct ss_name pkcol;
	struct ss_key pk;
	struct ss_table t;
};

static void
fixture(struct fixture *f, bool with_pk)
{
	memset(f, 0, sizeof *f);
	f->cols[0].name = "id";
	f->cols[1].name = "bio";
	f->pkcol.name = "id";
	f->pk.columns.v = &f->pkcol;
	f->pk.columns.n = 1;
	f->t.name = "users";
	f->t.columns = f->cols;
	f->t.ncolumns = 2;
	f->t.pk = with_pk ? &f->pk : NULL;
}

static struct ss_change
change(enum ss_op op, enum ss_class cls, const struct ss_table *t,
    const char *col)
{
	struct ss_change c;

	memset(&c, 0, sizeof c);
	c.op = op;
	c.class = cls;
	c.table = t->name;
	c.cur_table = t->name;
	c.c_table = t;
	c.column = col;
	c.cur_column = col;
	c.count = -1;
	return c;
}

Test(undo, what_a_point_keeps)
{
	struct fixture f, nopk;
	struct ss_change c;

	fixture(&f, true);
	fixture(&nopk, false);
	c = change(SS_OP_DROP_COLUMN, SS_CLASS_DESTRUCTIVE, &f.t, "bio");
	cr_expect(ss_undo_keeps(&c, NULL));
	c.class = SS_CLASS_SAFE;	/* nothing lost, nothing kept */
	cr_expect(!ss_undo_keeps(&c, NULL));
	c = change(SS_OP_DROP_COLUMN, SS_CLASS_DESTRUCTIVE, &nopk.t, "bio");
	cr_expect(!ss_undo_keeps(&c, NULL), "no key to find the rows again");
	c = change(SS_OP_DROP_COLUMN, SS_CLASS_DESTRUCTIVE, &f.t, "id");
	cr_expect(!ss_undo_keeps(&c, NULL), "a key column keys nothing");
	c = change(SS_OP_DROP_TABLE, SS_CLASS_DESTRUCTIVE, &nopk.t, NULL);
	cr_expect(ss_undo_keeps(&c, NULL), "a table's rows need no key");
	c = change(SS_OP_ALTER_COLUMN, SS_CLASS_DESTRUCTIVE, &f.t, "bio");
	c.alter = SS_ALTER_DEFAULT;
	cr_expect(!ss_undo_keeps(&c, NULL));
	c.alter = SS_ALTER_TYPE;
	cr_expect(ss_undo_keeps(&c, NULL));
	c = change(SS_OP_DROP_ENUM_VALUE, SS_CLASS_DESTRUCTIVE, &f.t, NULL);
	cr_expect(ss_undo_keeps(&c, NULL));
	c = change(SS_OP_DROP_CHECK, SS_CLASS_DESTRUCTIVE, &f.t, NULL);
	cr_expect(!ss_undo_keeps(&c, NULL));
}

Test(undo, the_plan_line_says_it)
{
	struct fixture f, nopk;
	struct ss_change c;
	struct ss_buf b = SS_BUF_INIT;

	fixture(&f, true);
	fixture(&nopk, false);
	c = change(SS_OP_DROP_COLUMN, SS_CLASS_DESTRUCTIVE, &f.t, "bio");
	ss_buf_adds(&b, "drop column users.bio (3 values)");
	ss_undo_describe(&b, &c, NULL);
	cr_expect_str_eq(b.s, "drop column users.bio (3 values; undo keeps them)");

	ss_buf_reset(&b);
	ss_buf_adds(&b, "drop column users.bio");
	ss_undo_describe(&b, &c, NULL);
	cr_expect_str_eq(b.s, "drop column users.bio (undo keeps them)");

	c = change(SS_OP_DROP_TABLE, SS_CLASS_DESTRUCTIVE, &f.t, NULL);
	ss_buf_reset(&b);
	ss_buf_adds(&b, "drop table users (2 rows)");
	ss_undo_describe(&b, &c, NULL);
	cr_expect_str_eq(b.s, "drop table users (2 rows; undo keeps its rows)");

	c = change(SS_OP_DROP_COLUMN, SS_CLASS_DESTRUCTIVE, &nopk.t, "bio");
	ss_buf_reset(&b);
	ss_buf_adds(&b, "drop column users.bio (3 values)");
	ss_undo_describe(&b, &c, NULL);
	cr_expect_str_eq(b.s, "drop column users.bio (3 values; no primary key: "
	    "undo cannot keep them)");

	c = change(SS_OP_DROP_COLUMN, SS_CLASS_SAFE, &f.t, "bio");
	ss_buf_reset(&b);
	ss_buf_adds(&b, "drop column users.bio");
	ss_undo_describe(&b, &c, NULL);
	cr_expect_str_eq(b.s, "drop column users.bio", "a safe drop loses nothing");
	ss_buf_release(&b);
}

Test(undo, config_keep)
{
	struct ss_config c;
	struct ss_diags d = SS_DIAGS_INIT;

	ss_config_init(&c);
	cr_expect_eq(c.undo_keep, -1);
	cr_assert_eq(ss_config_load_buffer(&c, "c.yaml", "undo: { keep: 3 }\n",
	    &d), 0);
	cr_expect_eq(c.undo_keep, 3);
	ss_config_release(&c);
	ss_config_init(&c);
	cr_expect_lt(ss_config_load_buffer(&c, "c.yaml", "undo: { kept: 3 }\n",
	    &d), 0, "an unknown key of undo is an error");
	ss_config_release(&c);
	ss_diags_release(&d);
}
