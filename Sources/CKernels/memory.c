// The allocator setting the tensor loops depend on (glibc only).
#include <stdlib.h>  // defines __GLIBC__ with glibc
#include "CKernels.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void bp_keep_freed_memory(void) {
#if defined(__GLIBC__)
    // glibc hands memory freed at the top of a thread's heap back to the kernel once more
    // than 128 KiB is free there; a training loop that frees and makes ~150 KB an epoch
    // then faults it in again page by page. Up to 128 MiB stays; arrays up to 32 MiB come
    // from the heap (the threshold glibc would otherwise move to on its own).
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}
