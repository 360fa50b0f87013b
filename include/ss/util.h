#ifndef SS_UTIL_H
#define SS_UTIL_H
/*
 * Small helpers shared by every module: "did you mean" suggestions and
 * string predicates.
 */
#include <stdbool.h>
#include <stddef.h>

/*
 * The candidate closest to word by edit distance (optimal string
 * alignment, case-insensitive), or NULL when none is close enough to be a
 * plausible typo. candidates is NULL-terminated.
 */
const char *ss_suggest(const char *word, const char *const *candidates);
/* Like ss_suggest, over n strings found at base + i * stride. */
const char *ss_suggest_n(const char *word, const void *base, size_t n,
    size_t stride);
int ss_edit_distance(const char *a, const char *b);
int ss_streq_icase(const char *a, const char *b);
int ss_ends_with(const char *s, const char *suffix);
struct ss_err;
/* mkdir -p: path and every folder above it; 0 or -SS_EIO with err set. */
int ss_mkdirs(const char *path, struct ss_err *err);
/* Whether line (ending in '\n') is one of the lines of text. */
bool ss_line_in(const char *text, const char *line);
/* A decimal number as YAML 1.2 and SQL both write it: -12, 3.5, .5, 1e10. */
bool ss_is_decimal(const char *s);

#endif
