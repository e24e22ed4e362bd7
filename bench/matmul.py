# NumPy twin of matmul.bp: a 1024×1024 Float64 product of seed-0 randn matrices, timed inside;
# the second of two products is timed, as in matmul.bp.
import time
import numpy as np

np.random.seed(0)
A = np.random.randn(1024, 1024)
B = np.random.randn(1024, 1024)
C = A @ B
t0 = time.perf_counter()
C = A @ B
t = time.perf_counter() - t0
print(f"check: {C.sum():.6e} {C[3, 5]:.9f}")
print(f"seconds: {t:.9f}")
