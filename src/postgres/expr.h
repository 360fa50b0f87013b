#ifndef SS_PGEXPR_H
#define SS_PGEXPR_H
/*
 * PostgreSQL comparison hooks: does what the schema files ask for equal
 * what the server reports? The differ calls these instead of strcmp()
 * wherever PostgreSQL rewrites what it was given, so that the second
 * push is empty.
 *
 * PostgreSQL stores expressions as trees and prints them back its own
 * way: `karma >= 0` comes back as `(karma >= 0)`, `status <> 'deleted'`
 * as `(status <> 'deleted'::text)`, `x IN ('a','b')` as
 * `(x = ANY (ARRAY['a'::text, 'b'::text]))`. ss_pg_expr_canon() parses
 * either spelling with PostgreSQL's operator precedence and prints one
 * canonical form:
 *
 *  - every operator application is parenthesised once, so redundant and
 *    missing parentheses do not matter; AND and OR chains are flattened;
 *  - white space, comments and the case of keywords and unquoted
 *    identifiers do not matter; "quoted" identifiers that need no quotes
 *    equal their bare spelling;
 *  - casts (`x::type`, `CAST(x AS type)`) are dropped, whatever the
 *    operand; a string literal that spells a number equals the number
 *    ('-1'::integer = -1, 1e3 = 1000 = 1000.0); unary minus on a number
 *    folds into it;
 *  - the parser's rewrites are applied to the written form: IN with one
 *    value becomes = (NOT IN: <>), with more = ANY (ARRAY[...]) (NOT IN:
 *    <> ALL); BETWEEN becomes >= AND <= (NOT BETWEEN: < OR >); LIKE,
 *    ILIKE, NOT LIKE, NOT ILIKE become ~~, ~~*, !~~, !~~*; SIMILAR TO
 *    becomes ~ similar_to_escape(...); IS NOT DISTINCT FROM becomes
 *    NOT (... IS DISTINCT FROM ...); != becomes <>; a row comparison
 *    (a, b) = (1, 2) becomes a = 1 AND b = 2 (<>: OR);
 *  - now(), CURRENT_TIMESTAMP and transaction_timestamp() are one value
 *    (PostgreSQL documents them as equivalent);
 *  - function names lose their schema qualifier and their case;
 *  - a trailing ASC, and NULLS LAST after ASC / NULLS FIRST after DESC,
 *    are dropped (index column entries: "created_at DESC").
 *
 * What it cannot see (documented limits; each gives a phantom diff or,
 * for the cast rule, misses a real one):
 *  - constants PostgreSQL folds with type knowledge: a literal compared
 *    with a timestamp column is stored as '2020-01-01 00:00:00', a
 *    string compared with an integer column as a number (handled only
 *    when the string spells a number);
 *  - expressions that differ only in a cast compare equal (but for the
 *    outermost cast of a default, ss_pg_same_default());
 *  - rewrites of constructs it does not parse (subscripts of slices,
 *    SUBSTRING/POSITION/TRIM/OVERLAY syntax, LIKE ... ESCAPE, BETWEEN
 *    SYMMETRIC, aggregates with ORDER BY, dollar-quoted strings): for
 *    those it falls back to comparing tokens with casts and parentheses
 *    left out;
 *  - view or function bodies (never compared).
 *
 * Everything here is pure: no I/O, no globals.
 */
#include <stdbool.h>

#include "ss/buf.h"
#include "ss/model.h"

/*
 * The canonical form of expr into out. Returns 0 when expr was parsed,
 * -1 when it was not (out then holds the fallback token form). Both
 * forms are only good for comparing.
 */
int ss_pg_expr_canon(struct ss_buf *out, const char *expr);

/* CHECK expressions, index WHERE predicates and index column entries. */
bool ss_pg_same_expr(const char *desired, const char *current);

/*
 * Types as PostgreSQL stores them: beyond ss_type_equal(), numeric(P)
 * is numeric(P,0), and "other" types compare by their canonical
 * spelling (int4[] = integer[], timestamp(3) = timestamp(3) without
 * time zone, timestamptz(3) = timestamp(3) with time zone).
 */
bool ss_pg_same_type(const struct ss_type *desired,
    const struct ss_type *current);

/*
 * Defaults: literals compare by value across kinds (0 written on a text
 * column comes back as '0'::text), the cast that gives a default its
 * value is compared (now()::timestamp is not now() on a timestamptz
 * column) unless its operand is a literal or it casts to the column's
 * own type (both are what PostgreSQL adds or drops by itself), a null
 * default equals none (the
 * server stores no default for DEFAULT NULL), SQL defaults compare with
 * ss_pg_same_expr(). Autoincrement columns have no default on either
 * side.
 */
bool ss_pg_same_default(const struct ss_column *desired,
    const struct ss_column *current);

/*
 * Names as the server keeps them: cut to SS_MAX_IDENT bytes on a UTF-8
 * character boundary. ss_ident_len() (model.h) is the length kept.
 */
bool ss_pg_same_name(const char *desired, const char *current);

/*
 * An introspected default (pg_get_expr() text) as the model holds it:
 * 'active'::text is the string active, 0 and '-1'::integer are numbers,
 * true/false booleans, NULL::text null; anything else is SQL, verbatim.
 * Strings point into s's arena.
 */
void ss_pg_default_parse(struct ss_schema *s, const char *expr,
    struct ss_default *out);

#endif
