// The engine's per-thread slots (see CKernels.h): read by every tensor operation, so in
// C's thread-local storage, which Swift reads inline, not through pthread_getspecific.
#include "CKernels.h"

_Thread_local void *bp_thread_engine;
_Thread_local void *bp_thread_engine_state;
_Thread_local void *bp_thread_storage_pool;
