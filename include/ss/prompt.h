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

#include "ss/engine.h"
#include "ss/session.h"

/* "QUESTION [y/N] ": true for an answer starting with y or Y. */
bool ss_prompt_yes(const char *question, double *waited_ms);

/*
 * "QUESTION [keys] ": the first letter of the answer when it is one of
 * keys (either case), else def (an empty answer, end of input, or
 * another letter). keys are lower case; the default is shown upper case.
 */
int ss_prompt_choice(const char *question, const char *keys, int def,
    double *waited_ms);

/*
 * A push on a terminal: plans, shows the header and the whole plan with
 * its counts, then asks — a choice for each rename candidate (r renames,
 * c creates the new one and drops the old, the loss named in the
 * choice; s holds it), then one confirmation of the data loss shown
 * (or of --force-reset) — and approves what was answered
 * (ss_engine_approve()), adding SS_CLASS_DESTRUCTIVE to o->accept when
 * a loss was accepted. Nothing to ask: nothing printed. *asked says
 * whether the plan was shown. Returns -1 to go on and apply, else the
 * exit status of a report it printed (refused, 3; or an error).
 */
int ss_prompt_plan(struct ss_session *s, struct ss_engine_opts *o,
    bool *asked);

#endif
