#ifndef SS_YDOC_H
#define SS_YDOC_H
/*
 * Reading YAML documents for the schema loader and the config reader:
 * libyaml's event parser builds each document into a compact tree of
 * struct ss_ynode held in one arena (released at once, no free() per
 * node), plus what both readers need on top of it.
 *
 *  - Locations: libyaml's marks are 0-based; everything here returns
 *    1-based struct ss_loc values. This is the only place that converts.
 *  - Mappings are read through ss_ymap(), which expands `<<` merge keys
 *    (explicit keys win; among merged mappings the first wins, as the
 *    YAML merge-key spec says), reports duplicate keys and non-scalar
 *    keys, and keeps source order.
 *  - Scalars are classified as YAML 1.2's core schema does, but only for
 *    plain (unquoted) scalars: "true" in quotes is a string.
 *
 * Anchors and aliases are resolved as libyaml's own loader does: an
 * alias is the node it names (the same struct ss_ynode, shared); an
 * alias to an undefined anchor and a second anchor of one name are
 * syntax errors, worded as libyaml words them.
 */
#include <stdbool.h>
#include <yaml.h>

#include "ss/buf.h"
#include "ss/err.h"
#include "ss/map.h"
#include "ss/mem.h"

enum ss_ytype { SS_YSCALAR = 1, SS_YSEQUENCE, SS_YMAPPING };

/* A node of a document: all of it lives in the document's arena. */
struct ss_ynode {
	enum ss_ytype type;
	bool plain;		/* a plain (unquoted, not block) scalar */
	int line, col;		/* where it starts, 1-based */
	size_t n;		/* scalar: bytes; sequence: items; mapping: pairs */
	union {
		const char *s;	/* scalar: its text, NUL-terminated */
		struct ss_ynode **items;	/* sequence: n items; mapping:
						 * 2n nodes, key, value, ... */
	};
};

struct ss_ydoc {
	struct ss_arena arena;	/* every node and text of the document */
	struct ss_ynode *root;	/* NULL once released */
	const char *file;	/* for locations; borrowed */
	struct ss_diags *diags;	/* where problems go; borrowed */
	/* ss_ymap()'s scratch space, kept from call to call. */
	void *raw;
	size_t araw;
	const struct ss_ynode **done;
	size_t adone;
};

struct ss_ypair {
	const char *key;	/* the key's text */
	struct ss_ynode *knode;
	struct ss_ynode *value;
};

struct ss_ypairs {
	struct ss_ypair *v;
	size_t n, alloc;
};

struct ss_yframe;

/*
 * A parser over one buffer. Call ss_yparser_next() until it returns 0
 * (no more documents) or -1 (a syntax error, reported to diags).
 * On 1, y holds the next document; release it with ss_ydoc_release()
 * (its tree and texts go at once). Its nodes live no longer than that.
 */
struct ss_yparser {
	yaml_parser_t parser;
	const char *file;
	const unsigned char *text;
	size_t len;
	struct ss_diags *diags;
	/* Building a document from events (kept from one to the next). */
	struct ss_ynode **kids;	/* children of the open collections */
	size_t nkids, akids;
	struct ss_yframe *frames;	/* the open collections */
	size_t nframes, aframes;
	struct ss_ynode **nuls;	/* scalars holding a NUL */
	size_t nnuls, anuls;
	struct ss_map anchors;	/* name -> struct ss_ynode * */
};

void ss_yparser_init(struct ss_yparser *p, const char *file,
    const char *text, size_t len, struct ss_diags *diags);
void ss_yparser_release(struct ss_yparser *p);
int ss_yparser_next(struct ss_yparser *p, struct ss_ydoc *y);
void ss_ydoc_release(struct ss_ydoc *y);

struct ss_ynode *ss_yroot(struct ss_ydoc *y);
struct ss_loc ss_yloc(const struct ss_ydoc *y, const struct ss_ynode *n);

/* Flattens a mapping node into out (which is reset first). Problems are
 * reported; the pairs that are fine are still returned. */
void ss_ymap(struct ss_ydoc *y, struct ss_ynode *map, struct ss_ypairs *out);
void ss_ypairs_release(struct ss_ypairs *p);

bool ss_yis_null(const struct ss_ynode *n);
bool ss_yis_plain(const struct ss_ynode *n);
/* The scalar's text, or NULL (with an error "expected a string for
 * 'what'") when n is not a scalar. */
const char *ss_ystr(struct ss_ydoc *y, struct ss_ynode *n, const char *what);
/* 0 with *out set for true/false; -1 with an error otherwise. */
int ss_ybool(struct ss_ydoc *y, struct ss_ynode *n, const char *what, bool *out);
/* 0 with *out set for a plain integer in [min, max]; -1 otherwise. */
int ss_yint(struct ss_ydoc *y, struct ss_ynode *n, const char *what, long min,
    long max, long *out);
/* How YAML reads a plain scalar as a number. */
enum ss_ynumber {
	SS_YNUM_NONE,		/* not a number: a string */
	SS_YNUM_DECIMAL,	/* -12, 3.5, 1e10, .5, 017 (YAML 1.2 core) */
	SS_YNUM_OCTAL,		/* 0o17 (YAML 1.2 core) */
	SS_YNUM_HEX,		/* 0x1F (YAML 1.2 core) */
	SS_YNUM_INF,		/* .inf, +.inf, -.inf (and .Inf, .INF) */
	SS_YNUM_NAN,		/* .nan (and .NaN, .NAN) */
	SS_YNUM_YAML11		/* 1_000, 0b101: a number in YAML 1.1 only */
};
enum ss_ynumber ss_yscalar_number(const char *s);
/* Whether YAML (1.2 or 1.1) reads the plain scalar s as a number. */
bool ss_yscalar_is_number(const char *s);
/* Appends the number an SS_YNUM_OCTAL, SS_YNUM_HEX or SS_YNUM_YAML11
 * s is to b, in decimal: 0o17 is 15, 1_000 is 1000, 0b101 is 5. */
void ss_ynumber_decimal(const char *s, struct ss_buf *b);
bool ss_yscalar_is_bool(const char *s, bool *value);
/* "unknown key 'k' in WHERE (did you mean 'x'?)" at the key. */
void ss_yunknown_key(struct ss_ydoc *y, const struct ss_ypair *p,
    const char *where, const char *const *known);
void ss_yerror(struct ss_ydoc *y, const struct ss_ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *ss_ykind(const struct ss_ynode *n);	/* "a mapping", ... */

#endif
