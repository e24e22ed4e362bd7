# NumPy twin of spiral.bp (and the reference of spiral_backward.bp and spiral_train.bp): the
# spiral lesson 2-20-1, hand-written backward, SGD, 2000 epochs on bench/data/spiral.csv.
import time
import numpy as np

d = np.loadtxt("bench/data/spiral.csv", delimiter=",", skiprows=1)
X, y = d[:, :2], d[:, 2:3]
m, lr, epochs = 300, 1.0, 2000
np.random.seed(1)
W1 = np.random.randn(2, 20) * 0.5
b1 = np.zeros((1, 20))
W2 = np.random.randn(20, 1) * 0.5
b2 = np.zeros((1, 1))
sigmoid = lambda z: 1 / (1 + np.exp(-z))
t0 = time.perf_counter()
for epoch in range(epochs):
    a1 = sigmoid(X @ W1 + b1)
    a2 = sigmoid(a1 @ W2 + b2)
    dz2 = a2 - y
    dW2 = a1.T @ dz2 / m
    db2 = np.sum(dz2, axis=0, keepdims=True) / m
    dz1 = (dz2 @ W2.T) * (a1 * (1 - a1))
    dW1 = X.T @ dz1 / m
    db1 = np.sum(dz1, axis=0, keepdims=True) / m
    W2 -= lr * dW2
    b2 -= lr * db2
    W1 -= lr * dW1
    b1 -= lr * db1
t = time.perf_counter() - t0
a2 = sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2)
L = np.mean(-(y * np.log(a2) + (1 - y) * np.log(1 - a2)))
print(f"check: loss {L:.8f}")
print(f"count: {epochs}")
print(f"seconds: {t:.9f}")
