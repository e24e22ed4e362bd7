# CPython twin of loop.bp: s = s + i * 0.5 for 3·10^6 iterations in a function, timed inside.
import time


def work(n):
    s = 0
    for i in range(n):
        s = s + i * 0.5
    return s


t0 = time.perf_counter()
s = work(3000000)
t = time.perf_counter() - t0
print(f"check: {s:.1f}")
print(f"seconds: {t:.9f}")
