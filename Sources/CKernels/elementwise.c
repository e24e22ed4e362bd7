// + - * / of two operands element by element: same shapes, one number and a tensor, and a
// matrix with a row broadcast down it (a bias), 4 lanes at a time with AVX2 where the CPU has
// it. Every lane is one IEEE operation, as in the plain loops: the same bits either way.
// Also the sum of a matrix's rows (NumPy's order: row after row added into the result).
#include <stdint.h>
#include "CKernels.h"
#include "dispatch.h"

#define APPLY(op, x, y) ((op) == BP_ADD ? (x) + (y) : (op) == BP_SUB ? (x) - (y) : (op) == BP_MUL ? (x) * (y) : (x) / (y))

// the operation chosen once, outside the loop: each case its own loop
#define FOR_EACH_OP(op, LOOP) switch (op) { \
    case BP_ADD: LOOP(BP_ADD); break; case BP_SUB: LOOP(BP_SUB); break; \
    case BP_MUL: LOOP(BP_MUL); break; default: LOOP(BP_DIV); break; }

static void zip_scalar(int op, const double *x, const double *y, double *o, long n) {
#define L(OP) for (long i = 0; i < n; i++) o[i] = APPLY(OP, x[i], y[i])
    FOR_EACH_OP(op, L)
#undef L
}

static void number_scalar(int op, const double *x, double c, int numberFirst, double *o, long n) {
#define L(OP) if (numberFirst) { for (long i = 0; i < n; i++) o[i] = APPLY(OP, c, x[i]); } \
              else { for (long i = 0; i < n; i++) o[i] = APPLY(OP, x[i], c); }
    FOR_EACH_OP(op, L)
#undef L
}

static void zip_rows_scalar(int op, const double *x, const double *row, int rowFirst, double *o, long n, long m) {
#define L(OP) for (long i = 0; i < n; i++) { const double *xi = x + i * m; double *oi = o + i * m; \
        if (rowFirst) { for (long j = 0; j < m; j++) oi[j] = APPLY(OP, row[j], xi[j]); } \
        else { for (long j = 0; j < m; j++) oi[j] = APPLY(OP, xi[j], row[j]); } }
    FOR_EACH_OP(op, L)
#undef L
}

static void sum_rows_scalar(const double *x, double *o, long n, long m) {
    for (long j = 0; j < m; j++) o[j] = 0;
    for (long i = 0; i < n; i++)
        for (long j = 0; j < m; j++) o[j] += x[i * m + j];
}

#if BP_X86
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2,fma")))
#define VAPPLY(op, x, y) ((op) == BP_ADD ? _mm256_add_pd(x, y) : (op) == BP_SUB ? _mm256_sub_pd(x, y) \
                          : (op) == BP_MUL ? _mm256_mul_pd(x, y) : _mm256_div_pd(x, y))

// o[i] = x[i] op y[i] for i in [0, n), y's stride 0 or 1 (a row read again for each row)
AVX2 static void zip_avx2(int op, const double *x, const double *y, double *o, long n) {
#define L(OP) { long i = 0; \
        for (; i + 4 <= n; i += 4) _mm256_storeu_pd(o + i, VAPPLY(OP, _mm256_loadu_pd(x + i), _mm256_loadu_pd(y + i))); \
        for (; i < n; i++) o[i] = APPLY(OP, x[i], y[i]); }
    FOR_EACH_OP(op, L)
#undef L
}

AVX2 static void number_avx2(int op, const double *x, double c, int numberFirst, double *o, long n) {
    const __m256d cv = _mm256_set1_pd(c);
#define L(OP) { long i = 0; \
        if (numberFirst) { \
            for (; i + 4 <= n; i += 4) _mm256_storeu_pd(o + i, VAPPLY(OP, cv, _mm256_loadu_pd(x + i))); \
            for (; i < n; i++) o[i] = APPLY(OP, c, x[i]); \
        } else { \
            for (; i + 4 <= n; i += 4) _mm256_storeu_pd(o + i, VAPPLY(OP, _mm256_loadu_pd(x + i), cv)); \
            for (; i < n; i++) o[i] = APPLY(OP, x[i], c); \
        } }
    FOR_EACH_OP(op, L)
#undef L
}

AVX2 static void zip_rows_avx2(int op, const double *x, const double *row, int rowFirst, double *o, long n, long m) {
    // the operation and the side chosen once, then row after row (a call and a switch per
    // row of 20 cost as much as the row)
#define ROW(OP, A, B) for (long i = 0; i < n; i++) { \
        const double *xi = x + i * m; double *oi = o + i * m; long j = 0; \
        for (; j + 4 <= m; j += 4) _mm256_storeu_pd(oi + j, VAPPLY(OP, _mm256_loadu_pd(A + j), _mm256_loadu_pd(B + j))); \
        for (; j < m; j++) oi[j] = APPLY(OP, A[j], B[j]); }
#define L(OP) if (rowFirst) { ROW(OP, row, xi) } else { ROW(OP, xi, row) }
    FOR_EACH_OP(op, L)
#undef L
#undef ROW
}

AVX2 static void sum_rows_avx2(const double *x, double *o, long n, long m) {
    // each column's sum is a chain of dependent additions (kept in row order, for the bits):
    // 16 columns at a time run four chains side by side, one pass over the rows
    long j = 0;
    for (; j + 16 <= m; j += 16) {
        __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
        for (long i = 0; i < n; i++) {
            const double *r = x + i * m + j;
            s0 = _mm256_add_pd(s0, _mm256_loadu_pd(r));
            s1 = _mm256_add_pd(s1, _mm256_loadu_pd(r + 4));
            s2 = _mm256_add_pd(s2, _mm256_loadu_pd(r + 8));
            s3 = _mm256_add_pd(s3, _mm256_loadu_pd(r + 12));
        }
        _mm256_storeu_pd(o + j, s0);
        _mm256_storeu_pd(o + j + 4, s1);
        _mm256_storeu_pd(o + j + 8, s2);
        _mm256_storeu_pd(o + j + 12, s3);
    }
    for (; j + 8 <= m; j += 8) {
        __m256d s0 = _mm256_setzero_pd(), s1 = s0;
        for (long i = 0; i < n; i++) {
            s0 = _mm256_add_pd(s0, _mm256_loadu_pd(x + i * m + j));
            s1 = _mm256_add_pd(s1, _mm256_loadu_pd(x + i * m + j + 4));
        }
        _mm256_storeu_pd(o + j, s0);
        _mm256_storeu_pd(o + j + 4, s1);
    }
    for (; j + 4 <= m; j += 4) {
        __m256d s0 = _mm256_setzero_pd();
        for (long i = 0; i < n; i++) s0 = _mm256_add_pd(s0, _mm256_loadu_pd(x + i * m + j));
        _mm256_storeu_pd(o + j, s0);
    }
    for (; j < m; j++) {
        double s = 0;
        for (long i = 0; i < n; i++) s += x[i * m + j];
        o[j] = s;
    }
}
#define DISPATCH(call) if (bp_kernels_vector() >= 4) return call##_avx2
#else
#define DISPATCH(call) if (0) return call##_scalar
#endif

void bp_zip(int op, const double *x, const double *y, double *o, long n) {
    DISPATCH(zip)(op, x, y, o, n);
    zip_scalar(op, x, y, o, n);
}

void bp_zip_number(int op, const double *x, double c, int numberFirst, double *o, long n) {
    DISPATCH(number)(op, x, c, numberFirst, o, n);
    number_scalar(op, x, c, numberFirst, o, n);
}

void bp_zip_rows(int op, const double *x, const double *row, int rowFirst, double *o, long n, long m) {
    DISPATCH(zip_rows)(op, x, row, rowFirst, o, n, m);
    zip_rows_scalar(op, x, row, rowFirst, o, n, m);
}

// d[j] += x[i][j] for the rows i < n in order (a broadcast operand's gradient: the rows of
// the upstream gradient summed into it)
static void add_rows_into_scalar(double *d, const double *x, long n, long m) {
    for (long i = 0; i < n; i++)
        for (long j = 0; j < m; j++) d[j] += x[i * m + j];
}

#if BP_X86
AVX2 static void add_rows_into_avx2(double *d, const double *x, long n, long m) {
    long j = 0;
    for (; j + 4 <= m; j += 4) {
        __m256d s = _mm256_loadu_pd(d + j);
        for (long i = 0; i < n; i++) s = _mm256_add_pd(s, _mm256_loadu_pd(x + i * m + j));
        _mm256_storeu_pd(d + j, s);
    }
    for (; j < m; j++) {
        double s = d[j];
        for (long i = 0; i < n; i++) s += x[i * m + j];
        d[j] = s;
    }
}
#endif

void bp_add_rows_into(double *d, const double *x, long n, long m) {
    DISPATCH(add_rows_into)(d, x, n, m);
    add_rows_into_scalar(d, x, n, m);
}

void bp_sum_rows(const double *x, double *o, long n, long m) {
    DISPATCH(sum_rows)(x, o, n, m);
    sum_rows_scalar(x, o, n, m);
}

// ---- gradients -------------------------------------------------------------------------

static void add_into_scalar(double *d, const double *s, long n) {
    for (long i = 0; i < n; i++) d[i] += s[i];
}

static void sigmoid_grad_scalar(const double *g, const double *y, double *o, long n) {
    for (long i = 0; i < n; i++) o[i] = g[i] * (y[i] * (1 - y[i]));
}

#if BP_X86
AVX2 static void add_into_avx2(double *d, const double *s, long n) {
    long i = 0;
    for (; i + 4 <= n; i += 4) _mm256_storeu_pd(d + i, _mm256_add_pd(_mm256_loadu_pd(d + i), _mm256_loadu_pd(s + i)));
    add_into_scalar(d + i, s + i, n - i);
}

AVX2 static void sigmoid_grad_avx2(const double *g, const double *y, double *o, long n) {
    const __m256d one = _mm256_set1_pd(1);
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256d yv = _mm256_loadu_pd(y + i);
        _mm256_storeu_pd(o + i, _mm256_mul_pd(_mm256_loadu_pd(g + i), _mm256_mul_pd(yv, _mm256_sub_pd(one, yv))));
    }
    sigmoid_grad_scalar(g + i, y + i, o + i, n - i);
}
#endif

void bp_add_into(double *d, const double *s, long n) {
    DISPATCH(add_into)(d, s, n);
    add_into_scalar(d, s, n);
}

void bp_sigmoid_grad(const double *g, const double *y, double *o, long n) {
    DISPATCH(sigmoid_grad)(g, y, o, n);
    sigmoid_grad_scalar(g, y, o, n);
}

static int negative_zero_scalar(const double *x, long n) {
    // -0 is the one double whose bits are the sign bit alone
    const uint64_t *u = (const uint64_t *)x;
    uint64_t found = 0;
    for (long i = 0; i < n; i++) found |= (u[i] == 0x8000000000000000ull);
    return found != 0;
}

#if BP_X86
AVX2 static int negative_zero_avx2(const double *x, long n) {
    const __m256i sign = _mm256_set1_epi64x((long long)0x8000000000000000ull);
    __m256i found = _mm256_setzero_si256();
    long i = 0;
    for (; i + 4 <= n; i += 4)
        found = _mm256_or_si256(found, _mm256_cmpeq_epi64(_mm256_loadu_si256((const __m256i *)(x + i)), sign));
    return !_mm256_testz_si256(found, found) || negative_zero_scalar(x + i, n - i);
}
#endif

int bp_has_negative_zero(const double *x, long n) {
    DISPATCH(negative_zero)(x, n);
    return negative_zero_scalar(x, n);
}
