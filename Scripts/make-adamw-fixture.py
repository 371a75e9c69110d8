#!/usr/bin/env python3
"""Writes adamw-steps.safetensors: torch.optim.AdamW (+ clip_grad_norm_, diffusers' cosine
warmup schedule and EMAModel) on two small parameters for five steps.

Usage: python3 Scripts/make-adamw-fixture.py Tests/DiffusionModelTests/Fixtures/adamw-steps.safetensors
(needs the packages in Scripts/requirements-fixtures.txt)."""
import json, sys
import torch, diffusers
from diffusers.optimization import get_scheduler
from diffusers.training_utils import EMAModel
from safetensors.torch import save_file

torch.manual_seed(7)
shapes = {"block.weight": (3, 4), "block.bias": (5,)}
params = {n: torch.nn.Parameter(torch.randn(s)) for n, s in shapes.items()}
names = list(params)
base_lr, warmup, total, steps = 1e-2, 2, 6, 5
optimizer = torch.optim.AdamW([params[n] for n in names], lr=base_lr, betas=(0.95, 0.999),
                              weight_decay=0.1, eps=1e-8)
lr_scheduler = get_scheduler("cosine", optimizer=optimizer, num_warmup_steps=warmup, num_training_steps=total)
ema = EMAModel([params[n] for n in names], decay=0.9999, use_ema_warmup=True, inv_gamma=1.0, power=0.75)
tensors = {f"initial.{n}": p.detach().clone() for n, p in params.items()}
lrs, norms = [], []
for k in range(steps):
    scale = 3.0 if k == 2 else 0.05          # step 2's gradient norm exceeds 1 and is clipped
    for n, p in params.items():
        g = torch.randn(p.shape) * scale
        if k == 1 and n == "block.bias":
            g[0] = 1e-9                      # eps matters here
        p.grad = g
        tensors[f"step.{k}.grad.{n}"] = g.clone()
    lrs.append(optimizer.param_groups[0]["lr"])
    norms.append(float(torch.nn.utils.clip_grad_norm_([params[n] for n in names], 1.0)))
    optimizer.step()
    lr_scheduler.step()
    ema.step([params[n] for n in names])
    for i, n in enumerate(names):
        tensors[f"step.{k}.param.{n}"] = params[n].detach().clone()
        tensors[f"step.{k}.ema.{n}"] = ema.shadow_params[i].detach().clone()
for n in names:
    state = optimizer.state[params[n]]
    tensors[f"final.exp_avg.{n}"] = state["exp_avg"].clone()
    tensors[f"final.exp_avg_sq.{n}"] = state["exp_avg_sq"].clone()
metadata = {
    "torch": torch.__version__, "diffusers": diffusers.__version__,
    "lr": str(base_lr), "betas": "0.95,0.999", "weight_decay": "0.1", "eps": "1e-8",
    "max_grad_norm": "1.0", "lr_scheduler": "cosine", "lr_warmup_steps": str(warmup),
    "lr_training_steps": str(total), "ema": "decay 0.9999, use_ema_warmup, inv_gamma 1.0, power 0.75",
    "steps": str(steps), "learning_rates": json.dumps(lrs), "gradient_norms": json.dumps(norms),
}
save_file({k: v.contiguous() for k, v in sorted(tensors.items())}, sys.argv[1], metadata=metadata)
print(lrs, norms)
