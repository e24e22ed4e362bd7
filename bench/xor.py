# NumPy counterpart of xor.bp (the lesson it was translated from)
import time
import numpy as np
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]); y = np.array([[0], [1], [1], [0]])
np.random.seed(42)
W1 = np.random.randn(2, 4) * 0.5; W2 = np.random.randn(4, 1) * 0.5
sig = lambda z: 1 / (1 + np.exp(-z))
t0 = time.perf_counter()
for epoch in range(2001):
    a1 = sig(X @ W1); a2 = sig(a1 @ W2); dz2 = a2 - y; dW2 = a1.T @ dz2 / 4
    dz1 = (dz2 @ W2.T) * (a1 * (1 - a1)); dW1 = X.T @ dz1 / 4
    W2 -= 1.0 * dW2; W1 -= 1.0 * dW1
    if epoch % 500 == 0: print(f"epoch {epoch:4d}  loss {np.mean((a2 - y) ** 2):.6f}")
t = time.perf_counter() - t0
print(f"check: W1[0] = {W1[0,0]:.6f} {W1[0,1]:.6f} {W1[0,2]:.6f} {W1[0,3]:.6f}")
print("count: 1")
print(f"seconds: {t:.9f}")
