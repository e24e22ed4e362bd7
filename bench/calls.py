# CPython twin of calls.bp: recursive fib(27), timed inside the process.
import time


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


t0 = time.perf_counter()
r = fib(27)
t = time.perf_counter() - t0
print(f"check: {r:.0f}")
print(f"seconds: {t:.9f}")
