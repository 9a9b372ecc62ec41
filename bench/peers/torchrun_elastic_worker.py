"""The peer of bench/elastic_restart.sh: a torchrun worker (gloo DDP, a ~25 k-parameter MLP, AdamW, one thread) that
resumes from its run directory's last checkpoint, writes one every 3 steps (rank 0, atomically), and prints
"resumed at step N" and "step N" lines, so the script can time a restart the way it times ours."""
import os
import sys
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

run_dir = sys.argv[1]
torch.set_num_threads(1)
dist.init_process_group("gloo")
rank = dist.get_rank()
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(96, 128), torch.nn.ReLU(), torch.nn.Linear(128, 96))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
step = 0
latest = os.path.join(run_dir, "latest.pt")
if os.path.exists(latest):
    state = torch.load(latest)
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["opt"])
    step = state["step"]
    if rank == 0:
        print(f"resumed at step {step}", flush=True)
ddp = DistributedDataParallel(model)
while True:
    g = torch.Generator().manual_seed(step * 1000 + rank)
    x = torch.randn(4, 96, generator=g)
    loss = ddp(x).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    step += 1
    if rank == 0:
        print(f"step {step}", flush=True)
        if step % 3 == 0:
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step}, latest + ".tmp")
            os.replace(latest + ".tmp", latest)
