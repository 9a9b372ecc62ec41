#!/usr/bin/python3
"""Peer for `actortrain bench finetune`: PyTorch DistributedDataParallel (gloo), N processes on one machine, on the
fine-tuning example's model (byte vocabulary 256, context 64, width 128, 2 layers, 4 heads: ActorTrain's "small"
GPT, same names and shapes), fine-tuned either in full or through hand-written LoRA adapters (peft is not installed
here): y = W x + b + (alpha/r) B(A x) on qkv, proj, fc, out and head, A Kaiming-uniform, B zero, base frozen but
the token and position embeddings, which train in full (peft's modules_to_save), as in ActorTrain's example.
Usage: pytorch_lora_ddp.py [world=4] [steps=20] [threads_per_rank=1] [batch_per_rank=16] [full|lora] [rank=8]
Prints (rank 0): 'pytorch-lora-ddp method=M world=W trainable=P bytes_per_step=B step_ms=T', measured after 3
warm-up steps; bytes_per_step is what DDP hands to gloo's all-reduce per step per rank, counted by a comm hook.
Data: random byte rows of 64 tokens (the step time of a chat batch does not depend on its bytes).
Needs Debian's python3-torch (apt-get install python3-torch) in /usr/bin/python3."""
import math, os, sys, time
import torch, torch.nn as nn, torch.nn.functional as F
import torch.distributed as dist, torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel as DDP

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_gpt  # noqa: E402  (the reference GPT, shared with the other peers)

VOCAB, CTX, DIM, LAYERS, HEADS = 256, 64, 128, 2, 4
BATCH = int(sys.argv[4]) if len(sys.argv) > 4 else 16
METHOD = sys.argv[5] if len(sys.argv) > 5 else "lora"
RANK = int(sys.argv[6]) if len(sys.argv) > 6 else 8
ALPHA = 2 * RANK

class LoraLinear(nn.Module):
    """peft's LoRA Linear, by hand: the base Linear frozen, lora_A Kaiming-uniform(a=sqrt(5)), lora_B zero."""
    def __init__(self, base):
        super().__init__()
        self.base = base
        for p in base.parameters(): p.requires_grad_(False)
        self.lora_A = nn.Linear(base.in_features, RANK, bias=False)
        self.lora_B = nn.Linear(RANK, base.out_features, bias=False)
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5)); nn.init.zeros_(self.lora_B.weight)
    def forward(self, x):
        return self.base(x) + self.lora_B(self.lora_A(x)) * (ALPHA / RANK)

def Gpt():
    """This peer's model: peer_gpt.Gpt with the shape above."""
    return peer_gpt.Gpt(VOCAB, CTX, DIM, LAYERS, HEADS)

def adapt(model):
    for p in model.parameters(): p.requires_grad_(False)
    for blk in model.blocks:
        for name in ("qkv", "proj", "fc", "out"): setattr(blk, name, LoraLinear(getattr(blk, name)))
    model.head = LoraLinear(model.head)
    # modules_to_save = [tok, pos], as the example (peft trains such modules in full beside the adapters).
    for p in list(model.tok.parameters()) + list(model.pos.parameters()): p.requires_grad_(True)
    return model

def run(rank, world, steps, threads, port):
    torch.set_num_threads(threads)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    torch.manual_seed(123)
    model = Gpt()
    if METHOD == "lora": model = adapt(model)
    model = DDP(model)
    counted = [0]
    def counting_allreduce(state, bucket):
        counted[0] += bucket.buffer().numel() * bucket.buffer().element_size()
        fut = dist.all_reduce(bucket.buffer().div_(world), async_op=True).get_future()
        return fut.then(lambda f: f.value()[0])
    model.register_comm_hook(None, counting_allreduce)
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(trainable, lr=1e-3, weight_decay=0.01)
    g = torch.Generator().manual_seed(1000 + rank)
    data = torch.randint(0, VOCAB, (steps + 3, BATCH, CTX + 1), generator=g)
    for i in range(steps + 3):
        if i == 3:
            dist.barrier(); t0 = time.perf_counter(); counted[0] = 0
        x, y = data[i, :, :-1], data[i, :, 1:]
        loss = F.cross_entropy(model(x).reshape(-1, VOCAB), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0); opt.step()
    dist.barrier(); dt = time.perf_counter() - t0
    if rank == 0:
        n = sum(p.numel() for p in trainable)
        print(f"pytorch-lora-ddp method={METHOD} world={world} batch={BATCH} trainable={n} bytes_per_step={counted[0] // steps} "
              f"step_ms={1000 * dt / steps:.1f}", flush=True)
    dist.destroy_process_group()

if __name__ == "__main__":
    world = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    mp.spawn(run, args=(world, steps, threads, 29500 + os.getpid() % 1000), nprocs=world, join=True)
