#ifndef SS_PROMPT_H
#define SS_PROMPT_H
/*
 * The prompter: questions on the terminal, for push (watch asks through
 * its event loop, with the same words). A question is one line on
 * stdout, answered by one line on stdin; end of input is "no".
 *
 * The time spent waiting for an answer is added to *waited_ms, so that
 * a report's elapsed time can leave it out.
 */
#include <stdbool.h>

/* "QUESTION [y/N] ": true for an answer starting with y or Y. */
bool ss_prompt_yes(const char *question, double *waited_ms);

/*
 * "QUESTION [keys] ": the first letter of the answer when it is one of
 * keys (either case), else def (an empty answer, end of input, or
 * another letter). keys are lower case; the default is shown upper case.
 */
int ss_prompt_choice(const char *question, const char *keys, int def,
    double *waited_ms);

#endif
