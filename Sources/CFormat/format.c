#include <stdio.h>
#include "CFormat.h"

int bp_format_double(char *buffer, size_t size, const char *format, double value) {
    return snprintf(buffer, size, format, value);
}
