#ifndef SS_URL_H
#define SS_URL_H
/*
 * Database URLs (SPEC section 1, --db).
 *
 *   sqlite:PATH, sqlite://PATH, sqlite::memory:   -> SQLite
 *   a bare path ending in .db, .sqlite or .sqlite3 -> SQLite
 *   postgres://..., postgresql://...               -> PostgreSQL (libpq URI)
 *   key=value ... (host=, dbname=, ...)             -> PostgreSQL (libpq conninfo)
 *
 * display is the URL with any password replaced by "***" (in the URI's
 * user-info, a password= query parameter, or a password= key); it is the
 * only form that may be printed.
 */
#include <stdbool.h>

#include "ss/err.h"

enum ss_url_kind { SS_URL_SQLITE, SS_URL_POSTGRES };

struct ss_url {
	enum ss_url_kind kind;
	char *target;		/* SQLite: the file path or ":memory:";
				   PostgreSQL: the string handed to libpq */
	char *display;		/* safe to print */
	bool create;		/* SQLite: a missing file may be created (the
				   commands that apply: push, watch); else
				   opening one that does not exist fails */
};

int ss_url_parse(const char *text, struct ss_url *url, struct ss_err *err);
void ss_url_release(struct ss_url *url);
/* Masks passwords in any URL-ish string (used for error messages). */
char *ss_url_mask(const char *text);
/*
 * A message to print (libpq's, the server's, one of ours) with every
 * password that target holds replaced by "***", in each form a message
 * may quote it: as written in target and percent-decoded; PGPASSWORD's
 * too. A password shorter than 4 bytes is masked only where it is not
 * part of a word. target may be NULL. Heap; the caller frees it.
 */
char *ss_url_mask_message(const char *msg, const char *target);

#endif
