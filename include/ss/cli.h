#ifndef SS_CLI_H
#define SS_CLI_H
/*
 * The command line (SPEC section 1): the command table, option parsing,
 * and the context every command runs with.
 *
 * Each command lives in src/cmd-<name>.c and exports one
 * `const struct ss_cmd ss_cmd_<name>`; ss_cmd_table[] in main.c lists
 * them and is the only place commands are named. Options are described
 * by tables, so --help, parsing and "did you mean" all come from one
 * description. Global options are accepted before or after the command.
 * A command's own option may have a global one's name (diagram's
 * --format mermaid|dot): after the command the command's wins; before
 * it, a value the global option refuses is handed to the command's.
 */
#include <stdbool.h>
#include <stdio.h>

#include "ss/config.h"
#include "ss/err.h"
#include "ss/url.h"

/*
 * Options. The global ones (ss_global_opts[]) are fields of struct
 * ss_args, told apart by id. A command declares its own in its file,
 * each with a pointer to its own variable, as git's parse-options does:
 * a new flag is one line in one file.
 *
 *	static bool dry_run;
 *	static const struct ss_opt push_opts[] = {
 *		SS_OPT_FLAG_("dry-run", &dry_run, "print the plan ..."),
 *		SS_OPT_END_
 *	};
 *
 * The parser sets every variable of the command found to its zero
 * (false, NULL, an empty list, -1 for milliseconds, all bytes zero for
 * SS_OPT_PARSE) before it parses.
 */
enum ss_opt_id {
	SS_OPT_DB = 1,
	SS_OPT_SCHEMA,
	SS_OPT_CONFIG,
	SS_OPT_FORMAT,
	SS_OPT_COLOR,
	SS_OPT_QUIET,
	SS_OPT_VERBOSE,
	SS_OPT_HELP,
	SS_OPT_VERSION
};

enum ss_opt_type {
	SS_OPT_GLOBAL,		/* a field of struct ss_args, by id */
	SS_OPT_FLAG,		/* bool *: true */
	SS_OPT_STRING,		/* const char **: the value (into argv) */
	SS_OPT_LIST,		/* struct ss_strv *: the value appended; repeatable */
	SS_OPT_MS,		/* long *: milliseconds, 0 to 60000; -1 when not given */
	SS_OPT_PARSE		/* parse() checks the value and stores it in *value */
};

/* A list of strings (into argv), grown by a repeatable option. */
struct ss_strv {
	const char **v;
	size_t n;
};

struct ss_opt {
	const char *name;	/* long name, without "--"; NULL ends a table */
	char short_name;	/* 0 when none */
	const char *arg;	/* metavariable, NULL for a flag */
	const char *help;
	enum ss_opt_type type;
	void *value;		/* the variable it sets (not SS_OPT_GLOBAL) */
	int (*parse)(const struct ss_opt *o, const char *val, struct ss_err *err);
	size_t size;		/* SS_OPT_PARSE: sizeof *value, zeroed before parsing */
	enum ss_opt_id id;	/* SS_OPT_GLOBAL */
};

#define SS_OPT_FLAG_(n, var, h) \
	{ .name = (n), .help = (h), .type = SS_OPT_FLAG, .value = (var) }
#define SS_OPT_STRING_(n, metavar, var, h) \
	{ .name = (n), .arg = (metavar), .help = (h), .type = SS_OPT_STRING, \
	  .value = (var) }
#define SS_OPT_MS_(n, var, h) \
	{ .name = (n), .arg = "MS", .help = (h), .type = SS_OPT_MS, .value = (var) }
#define SS_OPT_PARSE_(n, metavar, var, fn, h) \
	{ .name = (n), .arg = (metavar), .help = (h), .type = SS_OPT_PARSE, \
	  .value = (var), .parse = (fn), .size = sizeof *(var) }
/* --rename OLD=NEW and --no-rename OLD=NEW into a struct ss_strv. */
#define SS_OPT_RENAME_(var) \
	SS_OPT_PARSE_("rename", "OLD=NEW", (var), ss_opt_rename, \
	    "resolve a rename: users=people or users.email=user_email (repeatable)")
#define SS_OPT_NO_RENAME_(var, h) \
	SS_OPT_PARSE_("no-rename", "OLD=NEW", (var), ss_opt_rename, (h))
#define SS_OPT_END_ { .name = NULL }

/* Every variable of an option table to its zero; lists are freed. */
void ss_opts_reset(const struct ss_opt *o);
void ss_strv_push(struct ss_strv *v, const char *s);
void ss_strv_release(struct ss_strv *v);

/* Parses OLD=NEW (checked, not resolved) into the option's struct ss_strv. */
int ss_opt_rename(const struct ss_opt *o, const char *val, struct ss_err *err);

enum ss_format { SS_FORMAT_TEXT, SS_FORMAT_JSON };
enum ss_color_mode { SS_COLOR_AUTO, SS_COLOR_ALWAYS, SS_COLOR_NEVER };

/* What the command line said. Strings point into argv. */
struct ss_args {
	const char *db;
	const char **schemas;
	size_t nschemas;
	const char *config;
	enum ss_format format;
	enum ss_color_mode color;
	int verbosity;		/* -1 quiet, 0 normal, 1+ verbose */
	bool help;
	bool version;
	const char **positional;
	size_t npositional;
};

struct ss_cmd;

/* The context a command runs in, prepared by main(). */
struct ss_ctx {
	const struct ss_cmd *cmd;
	struct ss_args args;
	struct ss_config config;
	struct ss_url url;		/* valid when have_url */
	bool have_url;
	const char *const *schema_paths; /* --schema, config, or "schemas" */
	size_t nschema_paths;
	bool color_out;			/* colour on stdout */
	bool color_err;			/* colour on stderr */
	bool stdin_tty;			/* may ask questions */
};

enum ss_cmd_flags {
	SS_CMD_NEEDS_DB = 1 << 0,	/* resolve a database or exit 2 */
	SS_CMD_MAX_ARGS_1 = 1 << 1,	/* takes at most one positional */
	SS_CMD_CREATES_DB = 1 << 2	/* may create a missing SQLite file
					   (ss_url.create); others never do */
};

struct ss_cmd {
	const char *name;
	const char *summary;		/* one line, for the command list */
	const char *usage;		/* after "schemasync [GLOBAL OPTIONS] " */
	const char *description;	/* paragraph(s) for --help, or NULL */
	enum ss_cmd_flags flags;
	const struct ss_opt *opts;	/* the command's own; {0} ends it */
	int (*exec)(struct ss_ctx *ctx);	/* returns the exit status */
};

extern const struct ss_cmd *const ss_cmd_table[];
extern const struct ss_opt ss_global_opts[];

const struct ss_cmd *ss_cmd_find(const char *name);
/*
 * Parses argv (without argv[0]) into args and finds the command (NULL
 * when none was named). Returns 0, or -SS_EUSAGE with err set.
 */
int ss_args_parse(int argc, char **argv, struct ss_args *args,
    const struct ss_cmd **cmd, struct ss_err *err);
void ss_args_release(struct ss_args *args);

/*
 * Resolves ctx->url as SPEC section 1 says (--db, SCHEMASYNC_DATABASE_URL,
 * DATABASE_URL, the config's `database`), for a command flagged
 * SS_CMD_NEEDS_DB before it runs, or by a command that needs a database
 * only sometimes. Returns 0, or -SS_EUSAGE when none is given.
 */
int ss_resolve_db(struct ss_ctx *ctx, struct ss_err *err);

void ss_usage(FILE *fp);
void ss_cmd_usage(FILE *fp, const struct ss_cmd *cmd);

/* Output helpers every command shares. */
void ss_print_diags(const struct ss_ctx *ctx, const struct ss_diags *d);
void ss_json_string(struct ss_buf *b, const char *s);
/* [{"file":…,"line":…,"column":…,"severity":…,"message":…},…] */
void ss_json_diags(struct ss_buf *b, const struct ss_diags *d);
/* Prints "schemasync: error: MESSAGE" (or the JSON error event). */
void ss_print_error(const struct ss_ctx *ctx, const struct ss_err *err);
bool ss_color_enabled(enum ss_color_mode mode, int fd);


#endif
