/*
 * The schema-file keys (include/ss/schemakeys.h).
 */
#include <string.h>

#include "ss/schemakeys.h"

static const struct {
	enum ss_key_ctx ctx;
	const char *name;
} keys[] = {
#define X(C, K, n) { SS_KCTX_##C, n },
	SS_SCHEMA_KEYS(X)
#undef X
};

const char *
ss_skey_name(enum ss_skey k)
{
	return k < SS_KEY_MAX ? keys[k].name : NULL;
}

enum ss_skey
ss_skey_find(enum ss_key_ctx ctx, const char *name)
{
	size_t i;

	for (i = 0; i < SS_KEY_MAX; i++)
		if (keys[i].ctx == ctx && strcmp(keys[i].name, name) == 0)
			return (enum ss_skey)i;
	return SS_KEY_MAX;
}

void
ss_skey_names(enum ss_key_ctx ctx, const char **out)
{
	size_t i, n = 0;

	for (i = 0; i < SS_KEY_MAX; i++)
		if (keys[i].ctx == ctx)
			out[n++] = keys[i].name;
	out[n] = NULL;
}
