#ifndef SS_DIAGRAM_H
#define SS_DIAGRAM_H
/*
 * Drawing a schema (`schemasync diagram`): a model in, the text of an
 * entity-relationship diagram out. Pure: no I/O, nothing fails.
 *
 * What is drawn, in both formats:
 *  1. Every table of the model, in the model's order (file order for a
 *     loaded schema, the dialect's order for an introspected one), with
 *     every column in order: name, type, PK / FK / UK, and whether it is
 *     nullable. UK marks a column that is unique by itself (a one-column
 *     unique constraint, or a one-column unique index without `where`).
 *  2. Every foreign key as one edge from the referenced table to the
 *     referencing one, in the same order (table by table, key by key),
 *     labelled with the referencing columns and carrying its
 *     cardinality: the referenced side is exactly one when every
 *     referencing column is NOT NULL, else zero or one; the referencing
 *     side is zero or one when its columns are unique (they include the
 *     primary key or a unique key), else zero or more.
 *  3. A foreign key to a table the model does not hold (an ignored
 *     table of a database) still gets its edge, to a bare entity.
 *
 * Escaping, so that any table or column name gives a valid diagram:
 *  - Mermaid: entity names and edge labels are always double-quoted, and
 *    inside the quotes every character mermaid gives a meaning to
 *    (" % \ # : ~ < > & and control characters) is written as mermaid's
 *    entity code #N; which renders as the character itself. Attribute
 *    types and names are bare words in mermaid's grammar, so a character
 *    other than A-Z a-z 0-9 _ (and ( ) [ ] in types) becomes '_', a word
 *    is never PK / FK / UK, and the exact type or name, when it had to
 *    change, goes into the attribute's quoted comment.
 *  - DOT: nodes are named t0, t1, ... and columns are ports c0, c1, ...,
 *    so names never appear as identifiers; they appear only in HTML-like
 *    labels, escaped as HTML.
 */
#include "ss/buf.h"
#include "ss/model.h"

enum ss_diagram_format {
	SS_DIAGRAM_MERMAID,
	SS_DIAGRAM_DOT
};

/* "mermaid" / "dot" -> the format; -1 when the name is unknown. */
int ss_diagram_format_parse(const char *name);

/* Appends the whole diagram of s to out, ending with a newline. */
void ss_diagram_write(struct ss_buf *out, const struct ss_schema *s,
    enum ss_diagram_format format);

#endif
