#ifndef SS_YAMLOUT_H
#define SS_YAMLOUT_H
/*
 * Writing a model as a schema file (for `pull`), through libyaml's
 * emitter so quoting is always right.
 *
 * The guarantee: ss_load_buffers() on the text gives back the same model
 * (types, defaults, keys, names). To stay short it uses the loader's
 * shorthands wherever they reproduce the same model: `name: type` for a
 * nullable column with nothing else, `primary_key: true` for a one-column
 * key, `unique: true` and `references: t.c` where the constraint has the
 * name the loader would generate. Anything else is written long-hand
 * with its name. A string default that YAML would read as something
 * else ("true", "12", "null", "") is quoted.
 *
 * header, when not NULL, is written first as comment lines.
 */
#include "ss/buf.h"
#include "ss/err.h"
#include "ss/model.h"

int ss_yaml_write(const struct ss_schema *s, const char *header,
    struct ss_buf *out, struct ss_err *err);

#endif
