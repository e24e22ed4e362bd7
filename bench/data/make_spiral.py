#!/usr/bin/env python3
"""Writes bench/data/spiral.csv: the lessons' spiral (SPEC §8's generator, 300 points, noise 0.2,
np.random.seed(0)), columns x0, x1, label, every number with 17 significant digits so bp's csv()
and NumPy's loadtxt read the same doubles. Run once; the file is committed."""
import os
import numpy as np

np.random.seed(0)
n, noise = 300, 0.2
half = n // 2
theta = np.linspace(0, 4 * np.pi, half)
rows = []
for label, shift in ((0, 0.0), (1, np.pi)):
    t = theta + shift
    r = t / (2 * np.pi)  # radius included: class 1 is further out
    x = r * np.cos(t) + np.random.randn(half) * noise
    y = r * np.sin(t) + np.random.randn(half) * noise
    rows += [(a, b, label) for a, b in zip(x, y)]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spiral.csv")
with open(out, "w") as f:
    f.write("x0,x1,label\n")
    for a, b, label in rows:
        f.write(f"{float(a)!r},{float(b)!r},{label}\n")
