/*
 * The prompter (include/ss/prompt.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ss/prompt.h"

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Reads one answer line; its first letter, lower-cased, or 0. */
static int
answer(double *waited_ms)
{
	char line[64];
	double t0 = now_ms();
	int c = 0;

	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		printf("\n");
	else
		c = tolower((unsigned char)line[0]);
	if (waited_ms != NULL)
		*waited_ms += now_ms() - t0;
	return c;
}

bool
ss_prompt_yes(const char *question, double *waited_ms)
{
	printf("%s [y/N] ", question);
	return answer(waited_ms) == 'y';
}

int
ss_prompt_choice(const char *question, const char *keys, int def,
    double *waited_ms)
{
	const char *k;
	int c;

	printf("%s [", question);
	for (k = keys; *k != '\0'; k++)
		printf("%s%c", k == keys ? "" : "/",
		    *k == def ? toupper((unsigned char)*k) : *k);
	printf("] ");
	c = answer(waited_ms);
	return c != 0 && c != '\n' && strchr(keys, c) != NULL ? c : def;
}
