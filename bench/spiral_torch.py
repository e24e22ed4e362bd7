# PyTorch twin of spiral_backward.bp: the spiral lesson 2-20-1 with autograd (float64, CPU),
# forward, binary_cross_entropy, backward, SGD by hand, 2000 epochs; the NumPy weights of seed 1.
import time
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)  # tiny ops: a second thread only adds hand-offs (22 s against 0.2 s on 2 cores)

d = np.loadtxt("bench/data/spiral.csv", delimiter=",", skiprows=1)
X, y = torch.tensor(d[:, :2]), torch.tensor(d[:, 2:3])
lr, epochs = 1.0, 2000
np.random.seed(1)
W1 = torch.tensor(np.random.randn(2, 20) * 0.5, requires_grad=True)
b1 = torch.zeros(1, 20, dtype=torch.float64, requires_grad=True)
W2 = torch.tensor(np.random.randn(20, 1) * 0.5, requires_grad=True)
b2 = torch.zeros(1, 1, dtype=torch.float64, requires_grad=True)
params = [W1, b1, W2, b2]
t0 = time.perf_counter()
for epoch in range(epochs):
    a2 = torch.sigmoid(torch.sigmoid(X @ W1 + b1) @ W2 + b2)
    L = F.binary_cross_entropy(a2, y)
    for p in params:
        p.grad = None
    L.backward()
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
t = time.perf_counter() - t0
with torch.no_grad():
    a2 = torch.sigmoid(torch.sigmoid(X @ W1 + b1) @ W2 + b2)
    L = torch.mean(-(y * torch.log(a2) + (1 - y) * torch.log(1 - a2))).item()
print(f"check: loss {L:.8f}")
print(f"count: {epochs}")
print(f"seconds: {t:.9f}")
