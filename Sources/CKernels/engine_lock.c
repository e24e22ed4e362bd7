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
// how many times a thread took it (bp_engine_yield waits for another thread to take it)
static atomic_ulong engine_taken;

static void take(void) {
    if (pthread_mutex_trylock(&engine_mutex) != 0) {
        atomic_fetch_add(&engine_waiting, 1);
        pthread_mutex_lock(&engine_mutex);
        atomic_fetch_sub(&engine_waiting, 1);
    }
    atomic_fetch_add_explicit(&engine_taken, 1, memory_order_relaxed);
}

void bp_engine_lock(void) {
    if (engine_depth++ == 0) take();
}

void bp_engine_unlock(void) {
    if (--engine_depth == 0) pthread_mutex_unlock(&engine_mutex);
}

int bp_engine_yield(void) {
    if (engine_depth != 1 || atomic_load(&engine_waiting) == 0) return 0;
    unsigned long seen = atomic_load_explicit(&engine_taken, memory_order_relaxed);
    pthread_mutex_unlock(&engine_mutex);
    // a mutex is not fair: the thread that lets go would usually take it straight back
    // before the waiting one wakes. Wait (a millisecond or so at most) until another has it.
    for (int i = 0; i < 1000 && atomic_load_explicit(&engine_taken, memory_order_relaxed) == seen; i++) sched_yield();
    take();
    return 1;
}

long bp_engine_depth(void) { return engine_depth; }

long bp_engine_waiting(void) { return atomic_load(&engine_waiting); }
