"""The PyTorch reference GPT that ActorTrain's Gpt mirrors: the same module names, shapes and order, so a state_dict
and our model.safetensors agree name for name. Shared by the peers (pytorch_ddp_baseline.py: gpt-bench,
pytorch_lora_ddp.py: the fine-tuning example's small GPT) and the cross-check tests that load them."""
import math
import torch, torch.nn as nn, torch.nn.functional as F


class Block(nn.Module):
    """Pre-norm transformer block: causal multi-head attention (one qkv projection) and a GELU MLP of width 4 × dim."""
    def __init__(self, dim, heads, ctx):
        super().__init__()
        self.dim, self.heads = dim, heads
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.fc, self.out = nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)
        self.register_buffer("mask", torch.triu(torch.full((ctx, ctx), float("-inf")), 1))

    def forward(self, x):
        b, t, _ = x.shape
        dim, heads = self.dim, self.heads
        q, k, v = self.qkv(self.ln1(x)).split(dim, dim=2)
        q, k, v = (z.view(b, t, heads, dim // heads).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(dim // heads) + self.mask[:t, :t]
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, dim)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class Gpt(nn.Module):
    """Token + position embeddings, `layers` blocks, final LayerNorm and an untied head without bias."""
    def __init__(self, vocab, ctx, dim, layers, heads):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, dim), nn.Embedding(ctx, dim)
        self.blocks = nn.ModuleList(Block(dim, heads, ctx) for _ in range(layers))
        self.ln, self.head = nn.LayerNorm(dim), nn.Linear(dim, vocab, bias=False)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        for blk in self.blocks: x = blk(x)
        return self.head(self.ln(x))
