// Small matrix products, transposes and the finite check, 4 lanes at a time with AVX2 where
// the CPU has it (chosen at run time, `bp_kernels_vector`), plain loops otherwise.
// Bits: every element of a product is its k products summed in order p = 0, 1, ... from +0,
// each product rounded before it is added (no FMA: built with -ffp-contract=off), a zero of
// A skipped in the row kernel; the lanes of a vector are different elements, so the AVX2
// loops and the plain ones give the same numbers, as did the Swift kernel they replace.
#include <stdint.h>
#include "CKernels.h"
#include "dispatch.h"

static void rows_scalar(const double *a, const double *b, double *c, long i0, long i1, long k, long m,
                        long ai, long ap) {
    for (long i = i0; i < i1; i++) {
        double *ci = c + i * m;
        for (long j = 0; j < m; j++) ci[j] = 0;
        const double *aq = a + i * ai;
        for (long p = 0; p < k; p++, aq += ap) {
            const double av = *aq;
            if (av == 0) continue;
            const double *bp = b + p * m;
            for (long j = 0; j < m; j++) ci[j] += av * bp[j];
        }
    }
}

// columns j0 ..< m of rows i0 ..< i1 (the ends of rows the vector kernels leave)
__attribute__((unused)) static void rows_scalar_columns(const double *a, const double *b, double *c, long i0, long i1, long k, long m,
                                long ai, long ap, long j0) {
    for (long i = i0; i < i1; i++)
        for (long j = j0; j < m; j++) {
            double s = 0;
            const double *aq = a + i * ai, *bq = b + j;
            for (long p = 0; p < k; p++, aq += ap, bq += m)
                if (*aq != 0) s += *aq * *bq;
            c[i * m + j] = s;
        }
}

// without vectors the finite kernel is the plain one
static void rows_finite_scalar(const double *a, const double *b, double *c, long i0, long i1, long k, long m,
                               long ai, long ap) {
    rows_scalar(a, b, c, i0, i1, k, m, ai, ap);
}

static void column_scalar(const double *a, const double *b, double *c, long i0, long i1, long k,
                          long ai, long ap) {
    for (long i = i0; i < i1; i++) {
        double s = 0;
        const double *aq = a + i * ai;
        for (long p = 0; p < k; p++, aq += ap) s += *aq * b[p];
        c[i] = s;
    }
}

static void transpose_scalar(const double *x, double *y, long n, long m) {
    // 32x32 tiles (see transpose_avx2)
    for (long i0 = 0; i0 < n; i0 += 32) {
        const long i1 = i0 + 32 < n ? i0 + 32 : n;
        for (long j0 = 0; j0 < m; j0 += 32) {
            const long j1 = j0 + 32 < m ? j0 + 32 : m;
            for (long j = j0; j < j1; j++)
                for (long i = i0; i < i1; i++) y[j * n + i] = x[i * m + j];
        }
    }
}

static int finite_scalar(const double *x, long n) {
    // x - x is 0 for a finite x and nan otherwise
    double acc = 0;
    for (long i = 0; i < n; i++) acc += x[i] - x[i];
    return acc == 0;
}

#if BP_X86
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2,fma")))

AVX2 static void rows_avx2(const double *a, const double *b, double *c, long i0, long i1, long k, long m,
                           long ai, long ap) {
    for (long i = i0; i < i1; i++) {
        double *ci = c + i * m;
        const double *ai0 = a + i * ai;
        long j = 0;
        // 16 columns in 4 registers summed over p, then 4, then single columns
        for (; j + 16 <= m; j += 16) {
            __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
            const double *aq = ai0, *bq = b + j;
            for (long p = 0; p < k; p++, aq += ap, bq += m) {
                const double av = *aq;
                if (av == 0) continue;
                const __m256d v = _mm256_set1_pd(av);
                s0 = _mm256_add_pd(s0, _mm256_mul_pd(v, _mm256_loadu_pd(bq)));
                s1 = _mm256_add_pd(s1, _mm256_mul_pd(v, _mm256_loadu_pd(bq + 4)));
                s2 = _mm256_add_pd(s2, _mm256_mul_pd(v, _mm256_loadu_pd(bq + 8)));
                s3 = _mm256_add_pd(s3, _mm256_mul_pd(v, _mm256_loadu_pd(bq + 12)));
            }
            _mm256_storeu_pd(ci + j, s0);
            _mm256_storeu_pd(ci + j + 4, s1);
            _mm256_storeu_pd(ci + j + 8, s2);
            _mm256_storeu_pd(ci + j + 12, s3);
        }
        for (; j + 4 <= m; j += 4) {
            __m256d s0 = _mm256_setzero_pd();
            const double *aq = ai0, *bq = b + j;
            for (long p = 0; p < k; p++, aq += ap, bq += m) {
                const double av = *aq;
                if (av != 0) s0 = _mm256_add_pd(s0, _mm256_mul_pd(_mm256_set1_pd(av), _mm256_loadu_pd(bq)));
            }
            _mm256_storeu_pd(ci + j, s0);
        }
        for (; j < m; j++) {
            double s = 0;
            const double *aq = ai0, *bq = b + j;
            for (long p = 0; p < k; p++, aq += ap, bq += m)
                if (*aq != 0) s += *aq * *bq;
            ci[j] = s;
        }
    }
}

// Four rows of C at a time for a finite B: each load of B serves four rows, and A's zeros
// need not be skipped (0 * b is +-0 for a finite b, and adding +-0 to a sum that started at
// +0 changes nothing), so the same numbers as the skipping kernel.
AVX2 static void rows_finite_avx2(const double *a, const double *b, double *c, long i0, long i1, long k, long m,
                                  long ai, long ap) {
    long i = i0;
    for (; i + 4 <= i1; i += 4) {
        const double *a0 = a + i * ai, *a1 = a0 + ai, *a2 = a1 + ai, *a3 = a2 + ai;
        double *c0 = c + i * m, *c1 = c0 + m, *c2 = c1 + m, *c3 = c2 + m;
        long j = 0;
        for (; j + 8 <= m; j += 8) {
            __m256d s00 = _mm256_setzero_pd(), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
            const double *bq = b + j;
            for (long p = 0, q = 0; p < k; p++, q += ap, bq += m) {
                const __m256d b0 = _mm256_loadu_pd(bq), b1 = _mm256_loadu_pd(bq + 4);
                __m256d v = _mm256_set1_pd(a0[q]);
                s00 = _mm256_add_pd(s00, _mm256_mul_pd(v, b0)); s01 = _mm256_add_pd(s01, _mm256_mul_pd(v, b1));
                v = _mm256_set1_pd(a1[q]);
                s10 = _mm256_add_pd(s10, _mm256_mul_pd(v, b0)); s11 = _mm256_add_pd(s11, _mm256_mul_pd(v, b1));
                v = _mm256_set1_pd(a2[q]);
                s20 = _mm256_add_pd(s20, _mm256_mul_pd(v, b0)); s21 = _mm256_add_pd(s21, _mm256_mul_pd(v, b1));
                v = _mm256_set1_pd(a3[q]);
                s30 = _mm256_add_pd(s30, _mm256_mul_pd(v, b0)); s31 = _mm256_add_pd(s31, _mm256_mul_pd(v, b1));
            }
            _mm256_storeu_pd(c0 + j, s00); _mm256_storeu_pd(c0 + j + 4, s01);
            _mm256_storeu_pd(c1 + j, s10); _mm256_storeu_pd(c1 + j + 4, s11);
            _mm256_storeu_pd(c2 + j, s20); _mm256_storeu_pd(c2 + j + 4, s21);
            _mm256_storeu_pd(c3 + j, s30); _mm256_storeu_pd(c3 + j + 4, s31);
        }
        for (; j + 4 <= m; j += 4) {
            __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
            const double *bq = b + j;
            for (long p = 0, q = 0; p < k; p++, q += ap, bq += m) {
                const __m256d b0 = _mm256_loadu_pd(bq);
                s0 = _mm256_add_pd(s0, _mm256_mul_pd(_mm256_set1_pd(a0[q]), b0));
                s1 = _mm256_add_pd(s1, _mm256_mul_pd(_mm256_set1_pd(a1[q]), b0));
                s2 = _mm256_add_pd(s2, _mm256_mul_pd(_mm256_set1_pd(a2[q]), b0));
                s3 = _mm256_add_pd(s3, _mm256_mul_pd(_mm256_set1_pd(a3[q]), b0));
            }
            _mm256_storeu_pd(c0 + j, s0); _mm256_storeu_pd(c1 + j, s1);
            _mm256_storeu_pd(c2 + j, s2); _mm256_storeu_pd(c3 + j, s3);
        }
        if (j < m) rows_scalar_columns(a, b, c, i, i + 4, k, m, ai, ap, j);
    }
    // the rows left (fewer than 4), one at a time, without the zero test
    for (; i < i1; i++) {
        const double *ai0 = a + i * ai;
        double *ci = c + i * m;
        long j = 0;
        for (; j + 16 <= m; j += 16) {
            __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
            const double *bq = b + j;
            for (long p = 0, q = 0; p < k; p++, q += ap, bq += m) {
                const __m256d v = _mm256_set1_pd(ai0[q]);
                s0 = _mm256_add_pd(s0, _mm256_mul_pd(v, _mm256_loadu_pd(bq)));
                s1 = _mm256_add_pd(s1, _mm256_mul_pd(v, _mm256_loadu_pd(bq + 4)));
                s2 = _mm256_add_pd(s2, _mm256_mul_pd(v, _mm256_loadu_pd(bq + 8)));
                s3 = _mm256_add_pd(s3, _mm256_mul_pd(v, _mm256_loadu_pd(bq + 12)));
            }
            _mm256_storeu_pd(ci + j, s0); _mm256_storeu_pd(ci + j + 4, s1);
            _mm256_storeu_pd(ci + j + 8, s2); _mm256_storeu_pd(ci + j + 12, s3);
        }
        for (; j + 4 <= m; j += 4) {
            __m256d s0 = _mm256_setzero_pd();
            const double *bq = b + j;
            for (long p = 0, q = 0; p < k; p++, q += ap, bq += m)
                s0 = _mm256_add_pd(s0, _mm256_mul_pd(_mm256_set1_pd(ai0[q]), _mm256_loadu_pd(bq)));
            _mm256_storeu_pd(ci + j, s0);
        }
        if (j < m) rows_scalar_columns(a, b, c, i, i + 1, k, m, ai, ap, j);
    }
}

AVX2 static void column_avx2(const double *a, const double *b, double *c, long i0, long i1, long k,
                             long ai, long ap) {
    long i = i0;
    if (ai == 1) {
        // A transposed: 4 neighbouring rows of the product are 4 neighbours in memory
        for (; i + 8 <= i1; i += 8) {
            __m256d s0 = _mm256_setzero_pd(), s1 = s0;
            const double *aq = a + i;
            for (long p = 0; p < k; p++, aq += ap) {
                const __m256d v = _mm256_set1_pd(b[p]);
                s0 = _mm256_add_pd(s0, _mm256_mul_pd(_mm256_loadu_pd(aq), v));
                s1 = _mm256_add_pd(s1, _mm256_mul_pd(_mm256_loadu_pd(aq + 4), v));
            }
            _mm256_storeu_pd(c + i, s0);
            _mm256_storeu_pd(c + i + 4, s1);
        }
        for (; i + 4 <= i1; i += 4) {
            __m256d s0 = _mm256_setzero_pd();
            const double *aq = a + i;
            for (long p = 0; p < k; p++, aq += ap)
                s0 = _mm256_add_pd(s0, _mm256_mul_pd(_mm256_loadu_pd(aq), _mm256_set1_pd(b[p])));
            _mm256_storeu_pd(c + i, s0);
        }
    } else {
        // 4 rows at once, each lane its own row's sum (one dot product alone runs at the
        // adder's latency)
        // A's rows contiguous (ap == 1): 4 products of 4 rows loaded at once and turned
        // (unpack and permute) into 4 vectors over the rows, one per p, added in order p
        const __m256i rows = _mm256_set_epi64x(3 * ai, 2 * ai, ai, 0);
        for (; i + 4 <= i1; i += 4) {
            __m256d s = _mm256_setzero_pd();
            const double *aq = a + i * ai;
            long p = 0;
            if (ap == 1) {
                for (; p + 4 <= k; p += 4) {
                    const __m256d r0 = _mm256_loadu_pd(aq + p), r1 = _mm256_loadu_pd(aq + ai + p);
                    const __m256d r2 = _mm256_loadu_pd(aq + 2 * ai + p), r3 = _mm256_loadu_pd(aq + 3 * ai + p);
                    const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
                    const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
                    s = _mm256_add_pd(s, _mm256_mul_pd(_mm256_permute2f128_pd(t0, t2, 0x20), _mm256_set1_pd(b[p])));
                    s = _mm256_add_pd(s, _mm256_mul_pd(_mm256_permute2f128_pd(t1, t3, 0x20), _mm256_set1_pd(b[p + 1])));
                    s = _mm256_add_pd(s, _mm256_mul_pd(_mm256_permute2f128_pd(t0, t2, 0x31), _mm256_set1_pd(b[p + 2])));
                    s = _mm256_add_pd(s, _mm256_mul_pd(_mm256_permute2f128_pd(t1, t3, 0x31), _mm256_set1_pd(b[p + 3])));
                }
            }
            for (; p < k; p++)
                s = _mm256_add_pd(s, _mm256_mul_pd(_mm256_i64gather_pd(aq + p * ap, rows, 8), _mm256_set1_pd(b[p])));
            _mm256_storeu_pd(c + i, s);
        }
    }
    column_scalar(a, b, c, i, i1, k, ai, ap);
}

// y (m, n) = x (n, m) transposed, tile by tile: a 32x32 tile's rows and columns stay in the
// cache (row by row across a large matrix, every store went to another page: 144M numbers
// took 2.5 s), 4x4 blocks inside a tile moved through registers
AVX2 static void transpose_tile_avx2(const double *x, double *y, long n, long m, long i0, long i1, long j0, long j1) {
    long i = i0;
    for (; i + 4 <= i1; i += 4) {
        long j = j0;
        for (; j + 4 <= j1; j += 4) {
            const __m256d r0 = _mm256_loadu_pd(x + i * m + j), r1 = _mm256_loadu_pd(x + (i + 1) * m + j);
            const __m256d r2 = _mm256_loadu_pd(x + (i + 2) * m + j), r3 = _mm256_loadu_pd(x + (i + 3) * m + j);
            const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
            const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
            _mm256_storeu_pd(y + j * n + i, _mm256_permute2f128_pd(t0, t2, 0x20));
            _mm256_storeu_pd(y + (j + 1) * n + i, _mm256_permute2f128_pd(t1, t3, 0x20));
            _mm256_storeu_pd(y + (j + 2) * n + i, _mm256_permute2f128_pd(t0, t2, 0x31));
            _mm256_storeu_pd(y + (j + 3) * n + i, _mm256_permute2f128_pd(t1, t3, 0x31));
        }
        for (; j < j1; j++)
            for (long r = i; r < i + 4; r++) y[j * n + r] = x[r * m + j];
    }
    for (; i < i1; i++)
        for (long j = j0; j < j1; j++) y[j * n + i] = x[i * m + j];
}

AVX2 static void transpose_avx2(const double *x, double *y, long n, long m) {
    for (long i0 = 0; i0 < n; i0 += 32)
        for (long j0 = 0; j0 < m; j0 += 32)
            transpose_tile_avx2(x, y, n, m, i0, i0 + 32 < n ? i0 + 32 : n, j0, j0 + 32 < m ? j0 + 32 : m);
}

AVX2 static int finite_avx2(const double *x, long n) {
    // four sums side by side: one waited for the adder's latency at every step (4 cycles for
    // 4 numbers; the check of a 300x20 result took 2 us)
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256d v0 = _mm256_loadu_pd(x + i), v1 = _mm256_loadu_pd(x + i + 4);
        const __m256d v2 = _mm256_loadu_pd(x + i + 8), v3 = _mm256_loadu_pd(x + i + 12);
        a0 = _mm256_add_pd(a0, _mm256_sub_pd(v0, v0));
        a1 = _mm256_add_pd(a1, _mm256_sub_pd(v1, v1));
        a2 = _mm256_add_pd(a2, _mm256_sub_pd(v2, v2));
        a3 = _mm256_add_pd(a3, _mm256_sub_pd(v3, v3));
    }
    __m256d acc = _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3));
    for (; i + 4 <= n; i += 4) {
        const __m256d v = _mm256_loadu_pd(x + i);
        acc = _mm256_add_pd(acc, _mm256_sub_pd(v, v));
    }
    double lanes[4];
    _mm256_storeu_pd(lanes, acc);
    return finite_scalar(lanes, 4) && finite_scalar(x + i, n - i);
}
#define DISPATCH(call) if (bp_kernels_vector() >= 4) return call##_avx2
#else
#define DISPATCH(call) if (0) return call##_scalar
#endif

void bp_mm_rows(const double *a, const double *b, double *c, long i0, long i1, long k, long m, long ai, long ap) {
    DISPATCH(rows)(a, b, c, i0, i1, k, m, ai, ap);
    rows_scalar(a, b, c, i0, i1, k, m, ai, ap);
}

void bp_mm_rows_finite(const double *a, const double *b, double *c, long i0, long i1, long k, long m, long ai, long ap) {
    DISPATCH(rows_finite)(a, b, c, i0, i1, k, m, ai, ap);
    rows_finite_scalar(a, b, c, i0, i1, k, m, ai, ap);
}

void bp_mm_column(const double *a, const double *b, double *c, long i0, long i1, long k, long ai, long ap) {
    DISPATCH(column)(a, b, c, i0, i1, k, ai, ap);
    column_scalar(a, b, c, i0, i1, k, ai, ap);
}

void bp_transpose(const double *x, double *y, long n, long m) {
    DISPATCH(transpose)(x, y, n, m);
    transpose_scalar(x, y, n, m);
}

int bp_all_finite(const double *x, long n) {
    // a few numbers (every top-level binding asks): two sums, no vectors to set up and fold
    if (n <= 8) {
        double s0 = 0, s1 = 0;
        long i = 0;
        for (; i + 2 <= n; i += 2) {
            s0 += x[i] - x[i];
            s1 += x[i + 1] - x[i + 1];
        }
        if (i < n) s0 += x[i] - x[i];
        return s0 + s1 == 0;
    }
    DISPATCH(finite)(x, n);
    return finite_scalar(x, n);
}
