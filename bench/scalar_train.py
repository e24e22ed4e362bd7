# NumPy-free CPython counterpart of scalar_train.bp with hand-written backward
import math
def sigmoid(z): return 1 / (1 + math.exp(-z))
x, y_true, w1, b1, w2, b2 = 0.5, 0.8, 0.4, 0.1, 0.6, 0.2
for step in range(20000):
    z1 = w1 * x + b1; a1 = sigmoid(z1); z2 = w2 * a1 + b2; a2 = sigmoid(z2)
    loss = 0.5 * (y_true - a2) ** 2
    dz2 = (a2 - y_true) * a2 * (1 - a2); da1 = dz2 * w2; dz1 = da1 * a1 * (1 - a1)
    w1 -= 0.5 * dz1 * x; b1 -= 0.5 * dz1; w2 -= 0.5 * dz2 * a1; b2 -= 0.5 * dz2
print(f"{loss:.6e}")
