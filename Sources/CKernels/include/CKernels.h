#ifndef BP_CKERNELS_H
#define BP_CKERNELS_H

/// Element loops that need more than Swift's portable SIMD types give: the CPU's own vector
/// width and gathers, chosen at run time (`bp_kernels_vector`), never assumed at build time.
/// Each gives the same bits as the scalar loop it replaces (glibc's exp), whatever the CPU.

/// y[i] = exp(x[i]), bit for bit glibc's exp. x and y may be the same buffer.
void bp_exp(const double *x, double *y, long n);

/// y[i] = 1 / (1 + exp(-x[i])) for x[i] >= 0 and exp(x[i]) / (1 + exp(x[i])) below (no
/// overflow for large |x|), exp as `bp_exp`. x and y may be the same buffer.
void bp_sigmoid(const double *x, double *y, long n);

/// Rows i0 ..< i1 of C (n, m) = op(A) B with B upright (k, m) row-major and A's element (i, p)
/// at a[i * ai + p * ap] (ai = k, ap = 1 for A itself; ai = 1, ap = n for A transposed).
/// Each element sums its k products in order from +0, a zero of A skipped.
void bp_mm_rows(const double *a, const double *b, double *c, long i0, long i1, long k, long m, long ai, long ap);

/// `bp_mm_rows` for a B without inf or nan (the caller checked): A's zeros need not be
/// skipped, and rows go 4 at a time; the same numbers.
void bp_mm_rows_finite(const double *a, const double *b, double *c, long i0, long i1, long k, long m, long ai, long ap);

/// Rows i0 ..< i1 of a one-column product c = op(A) b, each the k products in order from +0,
/// none skipped (for a finite b the same numbers as skipping A's zeros).
void bp_mm_column(const double *a, const double *b, double *c, long i0, long i1, long k, long ai, long ap);

/// y (m, n) = the transpose of x (n, m), both row-major; x and y distinct.
void bp_transpose(const double *x, double *y, long n, long m);

/// 1 when no element is nan or +-inf.
int bp_all_finite(const double *x, long n);

/// The operations of `bp_zip`, `bp_zip_number` and `bp_zip_rows`.
enum { BP_ADD = 0, BP_SUB = 1, BP_MUL = 2, BP_DIV = 3 };

/// o[i] = x[i] op y[i], i < n.
void bp_zip(int op, const double *x, const double *y, double *o, long n);

/// o[i] = x[i] op c (c op x[i] when numberFirst), i < n.
void bp_zip_number(int op, const double *x, double c, int numberFirst, double *o, long n);

/// For each row i < n of the (n, m) matrices x and o: o[i][j] = x[i][j] op row[j] (row[j] op
/// x[i][j] when rowFirst).
void bp_zip_rows(int op, const double *x, const double *row, int rowFirst, double *o, long n, long m);

/// o[j] = the sum of x[i][j] over the rows i < n of the (n, m) matrix x, added row after row
/// from +0.
void bp_sum_rows(const double *x, double *o, long n, long m);

/// d[i] += s[i], i < n (d and s may be the same buffer).
void bp_add_into(double *d, const double *s, long n);

/// o[i] = g[i] * (y[i] * (1 - y[i])): sigmoid's gradient from its output y.
void bp_sigmoid_grad(const double *g, const double *y, double *o, long n);

/// d[j] += x[i][j] for each row i < n of the (n, m) matrix x, row after row.
void bp_add_rows_into(double *d, const double *x, long n, long m);

/// 1 when some element is -0 (x may be null when n is 0).
int bp_has_negative_zero(const double *x, long n);

/// The vector width the kernels use on this CPU: 8 (AVX-512F as well: exp and sigmoid),
/// 4 (AVX2 with FMA) or 1 (scalar loops). `BP_KERNELS=scalar` or `BP_KERNELS=avx2` in the
/// environment caps it.
int bp_kernels_vector(void);

/// Sets the width the kernels use to the widest the CPU has up to `width` (8, 4 or 1) and
/// returns it: the tests run every path and compare their bits.
int bp_kernels_set_vector(int width);

/// Keeps memory freed by tensor results in the process instead of handing it back to the
/// kernel after each operation (see memory.c). Called once by the bp executable.
void bp_keep_freed_memory(void);

/// The calling thread's engine, its engine's state and its storage pool (Engine.swift,
/// StoragePool.swift): null until the thread first needs them. Every tensor operation reads
/// them: a C thread-local variable is one load (pthread_getspecific was a call, and Swift's
/// lazy `static let` key a `swift_once` call before it: ~5% of a small operation's time).
/// The pthread keys remain only to free them when the thread ends.
extern _Thread_local void *bp_thread_engine;
extern _Thread_local void *bp_thread_engine_state;
extern _Thread_local void *bp_thread_storage_pool;
static inline void *bp_engine_slot(void) { return bp_thread_engine; }
static inline void bp_set_engine_slot(void *p) { bp_thread_engine = p; }
static inline void *bp_engine_state_slot(void) { return bp_thread_engine_state; }
static inline void bp_set_engine_state_slot(void *p) { bp_thread_engine_state = p; }
static inline void *bp_storage_pool_slot(void) { return bp_thread_storage_pool; }
static inline void bp_set_storage_pool_slot(void *p) { bp_thread_storage_pool = p; }

/// Where the calling function's frame is on the native stack (StackGuard compares it with the
/// stack's limit): inlined, so taking it costs no call, and no local whose address is taken
/// (Swift guarded every interpreted call with a stack protector for such a local).
static inline unsigned long bp_frame_address(void) { return (unsigned long)__builtin_frame_address(0); }

/// A number never handed out before in this process (from 1): the identity of a tensor that
/// a `.grad` snapshot names, which no later tensor can share (an object's address can be
/// reused by the next one, and a dead node's object is reused on purpose: StoragePool).
unsigned long long bp_next_serial(void);

/// The engine lock (EngineLock.swift): a process-wide mutex a thread may take again while it
/// holds it (each lock matched by an unlock).
void bp_engine_lock(void);
void bp_engine_unlock(void);
/// Lets a thread waiting for the lock have it, when the caller holds it once and some thread
/// waits; takes it back before returning. 1 when it was handed over.
int bp_engine_yield(void);
/// How many times the calling thread holds the lock (0: not at all).
long bp_engine_depth(void);
/// How many threads are blocked waiting for the lock.
long bp_engine_waiting(void);

#endif
