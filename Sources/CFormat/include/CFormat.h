#ifndef BP_CFORMAT_H
#define BP_CFORMAT_H
#include <stddef.h>

/// C's snprintf for one double. Swift cannot call a variadic C function; through
/// `withVaList` each call built an array of `CVarArg` existentials and cast them at run time
/// (callgrind: most of formatting a number, and ~1M instructions the first time).
int bp_format_double(char *buffer, size_t size, const char *format, double value);

#endif
