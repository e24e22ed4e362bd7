// The engine lock: the one thread at a time that may run bp's engine (see EngineLock.swift).
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include "CKernels.h"

static pthread_mutex_t engine_mutex = PTHREAD_MUTEX_INITIALIZER;
// how many times the calling thread holds it (taken again by a thread that holds it: +1)
static _Thread_local long engine_depth;
// threads blocked waiting for it: only then does bp_engine_yield hand it over
static atomic_long engine_waiting;

static void take(void) {
    if (pthread_mutex_trylock(&engine_mutex) == 0) return;
    atomic_fetch_add(&engine_waiting, 1);
    pthread_mutex_lock(&engine_mutex);
    atomic_fetch_sub(&engine_waiting, 1);
}

void bp_engine_lock(void) {
    if (engine_depth++ == 0) take();
}

void bp_engine_unlock(void) {
    if (--engine_depth == 0) pthread_mutex_unlock(&engine_mutex);
}

int bp_engine_yield(void) {
    if (engine_depth != 1 || atomic_load(&engine_waiting) == 0) return 0;
    pthread_mutex_unlock(&engine_mutex);
    sched_yield();
    take();
    return 1;
}

long bp_engine_depth(void) { return engine_depth; }
