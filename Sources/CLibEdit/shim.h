#ifndef BP_CLIBEDIT_SHIM_H
#define BP_CLIBEDIT_SHIM_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <editline/readline.h>

// Swift 6 rejects assigning libedit's C globals directly (shared mutable state),
// so every global the shell touches goes through a small inline accessor.

typedef char **(*bp_completion_fn)(const char *, int, int);

static inline void bp_set_completion(bp_completion_fn fn) {
    rl_attempted_completion_function = (rl_completion_func_t *)fn;
}
static inline void bp_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline void bp_set_attempted_completion_over(int v) { rl_attempted_completion_over = v; }
static inline const char *bp_line_buffer(void) { return rl_line_buffer; }
static inline void bp_set_word_break_characters(const char *s) {
    rl_basic_word_break_characters = (char *)s;
    rl_completer_word_break_characters = (char *)s;
}
static inline void bp_set_readline_name(const char *s) { rl_readline_name = (char *)s; }
#endif
