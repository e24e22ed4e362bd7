// Serial numbers for tensors that a gradient snapshot names (see Tensor.gradientOf).
#include <stdatomic.h>
#include "CKernels.h"

static atomic_ullong last_serial;

unsigned long long bp_next_serial(void) { return atomic_fetch_add(&last_serial, 1) + 1; }
