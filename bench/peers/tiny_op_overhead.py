#!/usr/bin/python3
"""Peer for `actortrain bench ops`: per-op overhead of PyTorch eager on tiny tensors.
Usage: tiny_op_overhead.py [ops=100000] [size=8]
Prints: 'pytorch-ops ops=N size=S us_per_op=X' — the mean time of `c = a + b` on two float32 tensors of S elements,
one intra-op thread, after 1,000 warm-up ops. Needs Debian's python3-torch (/usr/bin/python3)."""
import sys, time
import torch

ops = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
size = int(sys.argv[2]) if len(sys.argv) > 2 else 8
torch.set_num_threads(1)
a, b = torch.rand(size), torch.rand(size)
for _ in range(1000):
    c = a + b
start = time.perf_counter()
for _ in range(ops):
    c = a + b
elapsed = time.perf_counter() - start
print(f"pytorch-ops ops={ops} size={size} us_per_op={elapsed / ops * 1e6:.3f}")
