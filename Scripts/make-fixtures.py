#!/usr/bin/env python3
"""Writes the PyTorch/diffusers reference fixtures of the DiffusionModel tests.

The Swift UNet2DModel, DDPM scheduler and training loss are tested against these files, so they
must come from real diffusers. The tests themselves never need torch: the files are committed.
To remake them, install the pinned versions (CPU wheels are enough), preferably in a virtual
environment, and run from the repository root:

    pip install -r Scripts/requirements-fixtures.txt
    python3 Scripts/make-fixtures.py            # writes Tests/DiffusionModelTests/Fixtures

Everything is computed on the CPU in float32, like the Swift engine. The same computation is
replayed in float64 and the float32-vs-float64 discrepancies (the floor any float32
implementation has to live with) are printed and written to fixtures-info.json.
Tests/DiffusionModelTests/Fixtures/README.md describes every file.
"""

import argparse
import copy
import json
import math
import platform
from pathlib import Path

import diffusers
import numpy as np
import safetensors
import torch
import torch.nn.functional as F
from diffusers import DDPMScheduler, UNet2DModel
from safetensors.torch import save_file

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPOSITORY / "Tests" / "DiffusionModelTests" / "Fixtures"
NUM_TRAIN_TIMESTEPS = 1000

# Two small models that together cover every block type, both time-conditioning modes, both
# sinusoid orderings, mid-block attention with and without group norm, 1 and 2 resnets per level.
UNET_CONFIGS = {
    "unet-attn-scaleshift": dict(
        sample_size=8, in_channels=3, out_channels=3,
        block_out_channels=[8, 16], layers_per_block=1,
        down_block_types=["DownBlock2D", "AttnDownBlock2D"],
        up_block_types=["AttnUpBlock2D", "UpBlock2D"],
        norm_num_groups=4, attention_head_dim=4,
        resnet_time_scale_shift="scale_shift", add_attention=True,
        flip_sin_to_cos=True, freq_shift=0,
    ),
    "unet-default-3level": dict(
        sample_size=8, in_channels=1, out_channels=1,
        block_out_channels=[8, 16, 16], layers_per_block=2,
        down_block_types=["DownBlock2D", "AttnDownBlock2D", "DownBlock2D"],
        up_block_types=["UpBlock2D", "AttnUpBlock2D", "UpBlock2D"],
        norm_num_groups=4, attention_head_dim=4,
        resnet_time_scale_shift="default",
        flip_sin_to_cos=False, freq_shift=1, center_input_sample=False,
    ),
}
IO_TIMESTEPS = {"unet-attn-scaleshift": [17, 803], "unet-default-3level": [0, 999]}
WEIGHT_SEEDS = {"unet-attn-scaleshift": 1, "unet-default-3level": 2}
INPUT_SEEDS = {"unet-attn-scaleshift": 101, "unet-default-3level": 102}
IO_BATCH = 2

SCHEDULES = ["linear", "scaled_linear", "squaredcos_cap_v2"]
SET_TIMESTEPS_COUNTS = [50, 7]
# (beta_schedule, num_inference_steps, timestep, prediction_type, clip_sample)
STEP_CASES = [
    ("linear", 50, 980, "epsilon", True),
    ("linear", 50, 500, "epsilon", False),
    ("linear", 50, 20, "v_prediction", True),
    ("linear", 50, 500, "v_prediction", False),
    ("linear", 50, 0, "epsilon", True),
    ("linear", 1000, 999, "epsilon", True),
    ("squaredcos_cap_v2", 7, 852, "v_prediction", True),
]
STEP_SHAPE = (2, 3, 4, 4)
CLIP_SAMPLE_RANGE = 1.0


def versions():
    return {
        "torch": torch.__version__, "diffusers": diffusers.__version__,
        "safetensors": safetensors.__version__, "numpy": np.__version__,
        "python": platform.python_version(),
    }


def relative_error(value, reference):
    """max |value - reference| / max |reference|: the scale-free error the Swift tests use."""
    scale = reference.abs().max().item()
    return (value.double() - reference.double()).abs().max().item() / (scale if scale > 0 else 1.0)


def save_safetensors(tensors, path, metadata):
    """save_file, then the header rewritten with sorted keys: safetensors writes the metadata in
    hash order, and a rerun should reproduce the committed bytes exactly."""
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(path), metadata)
    data = path.read_bytes()
    length = int.from_bytes(data[:8], "little")
    header = json.dumps(json.loads(data[8:8 + length]), sort_keys=True, separators=(",", ":")).encode()
    if len(header) > length:
        raise SystemExit(f"{path}: canonical header longer than the original")
    path.write_bytes(data[:8] + header.ljust(length, b" ") + data[8 + length:])


def randomise_parameters(model, seed):
    """Gives every parameter a fresh random value, so a wrong key mapping cannot go unnoticed.

    Construction leaves GroupNorm at weight 1 / bias 0, which a swapped or dropped norm would
    survive. Weights get N(0, 1/fan_in) so activations stay of order one through the network;
    norm scales 1 + N(0, 0.1^2); all other 1-D parameters (biases, norm shifts) N(0, 0.1^2).
    """
    generator = torch.Generator().manual_seed(seed)
    norm_scales = {id(m.weight) for m in model.modules() if isinstance(m, torch.nn.GroupNorm)}
    with torch.no_grad():
        for parameter in model.parameters():
            draw = torch.randn(parameter.shape, generator=generator)
            if id(parameter) in norm_scales:
                parameter.copy_(1 + 0.1 * draw)
            elif parameter.dim() == 1:
                parameter.copy_(0.1 * draw)
            else:
                parameter.copy_(draw / math.sqrt(parameter[0].numel()))


def record_activations(model):
    """Forward hooks keeping the output of each top-level stage (first element of tuples)."""
    stages = {"t_emb": model.time_proj, "emb": model.time_embedding, "activation.conv_in": model.conv_in,
              "activation.mid_block": model.mid_block}
    for index, block in enumerate(model.down_blocks):
        stages[f"activation.down_blocks.{index}"] = block
    for index, block in enumerate(model.up_blocks):
        stages[f"activation.up_blocks.{index}"] = block
    recorded = {}
    handles = []
    for name, module in stages.items():
        def hook(_module, _inputs, output, name=name):
            value = output[0] if isinstance(output, tuple) else output
            recorded[name] = value.detach().clone()
        handles.append(module.register_forward_hook(hook))
    return recorded, handles


def exact_timestep_embedding(timesteps, dim, flip_sin_to_cos, freq_shift):
    """The sinusoidal embedding in float64, to measure diffusers' float32 one against."""
    half = dim // 2
    frequencies = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float64) / (half - freq_shift))
    arguments = timesteps.double()[:, None] * frequencies[None, :]
    sin, cos = torch.sin(arguments), torch.cos(arguments)
    return torch.cat([cos, sin] if flip_sin_to_cos else [sin, cos], dim=-1)


def training_loss(model, noisy, timesteps, noise):
    output = model(noisy, timesteps).sample
    return output, F.mse_loss(output, noise)


def influential_check(name, gradients):
    """Returns the attention key biases after checking they are the only parameters without
    influence. Softmax ignores a shift shared by all logits of a query, and q . (k + b) shifts
    them all by q . b, so the key bias gradient is zero in theory and rounding noise in practice."""
    scale = max(g.abs().max().item() for g in gradients.values())
    silent = {n for n, g in gradients.items() if g.abs().max().item() <= 1e-6 * scale}
    key_biases = {n for n in gradients if n.endswith("to_k.bias")}
    if silent != key_biases:
        raise SystemExit(f"{name}: parameters without influence on the loss: {sorted(silent ^ key_biases)}")
    return key_biases, scale


def float32_floor(model, config, scheduler, io, gradients, key_biases, gradient_scale):
    """Replays the float32 computation in float64 from the same float32 inputs and weights."""
    model64 = copy.deepcopy(model).double()
    model64.zero_grad(set_to_none=True)
    output64, loss64 = training_loss(model64, io["noisy"].double(), io["timesteps"], io["noise"].double())
    loss64.backward()
    gradient_errors = {n: relative_error(gradients[n], p.grad)
                       for n, p in model64.named_parameters() if n not in key_biases}
    worst = max(gradient_errors, key=gradient_errors.get)
    # diffusers makes the sinusoids in float32 even in a float64 model; replay once more with
    # exact ones to see what their rounding alone does to the output.
    exact_t_emb = exact_timestep_embedding(
        io["timesteps"], config["block_out_channels"][0], config["flip_sin_to_cos"], config["freq_shift"])
    handle = model64.time_proj.register_forward_hook(lambda _module, _inputs, _output: exact_t_emb)
    with torch.no_grad():
        output64_exact_t_emb = model64(io["noisy"].double(), io["timesteps"]).sample
    handle.remove()
    noisy64 = scheduler.add_noise(io["sample"].double(), io["noise"].double(), io["timesteps"])
    return {
        "noisy": relative_error(io["noisy"], noisy64),
        "t_emb": relative_error(io["t_emb"], exact_t_emb),
        "model_output": relative_error(io["model_output"], output64),
        "model_output_with_exact_t_emb": relative_error(io["model_output"], output64_exact_t_emb),
        "loss": relative_error(io["loss"], loss64.detach().reshape(1)),
        "gradients_worst": gradient_errors[worst],
        "gradients_worst_parameter": worst,
        "gradients_median": float(np.median(list(gradient_errors.values()))),
        "key_bias_gradients_over_gradient_scale":
            max(gradients[n].abs().max().item() for n in key_biases) / gradient_scale,
    }


def make_unet_fixture(name, config, output_dir):
    """Writes the diffusers checkpoint folder and the io file of one model; returns its summary."""
    model = UNet2DModel(**config)
    randomise_parameters(model, WEIGHT_SEEDS[name])
    scheduler = DDPMScheduler(num_train_timesteps=NUM_TRAIN_TIMESTEPS, beta_schedule="linear")
    model.save_pretrained(output_dir / name / "unet", safe_serialization=True)
    scheduler.save_pretrained(output_dir / name / "scheduler")

    generator = torch.Generator().manual_seed(INPUT_SEEDS[name])
    shape = (IO_BATCH, config["in_channels"], config["sample_size"], config["sample_size"])
    io = {"sample": torch.rand(shape, generator=generator) * 2 - 1, "noise": torch.randn(shape, generator=generator),
          "timesteps": torch.tensor(IO_TIMESTEPS[name], dtype=torch.int64)}
    io["noisy"] = scheduler.add_noise(io["sample"], io["noise"], io["timesteps"])

    activations, handles = record_activations(model)
    model.zero_grad(set_to_none=True)
    output, loss = training_loss(model, io["noisy"], io["timesteps"], io["noise"])
    loss.backward()
    for handle in handles:
        handle.remove()
    io.update(activations)
    io.update({"model_output": output.detach(), "loss": loss.detach().reshape(1)})
    gradients = {n: p.grad.detach().clone() for n, p in model.named_parameters()}
    key_biases, gradient_scale = influential_check(name, gradients)
    floor = float32_floor(model, config, scheduler, io, gradients, key_biases, gradient_scale)

    metadata = {
        "config": name, "layout": "NCHW", "loss": "mean squared error between model_output and noise",
        "scheduler": f"DDPMScheduler(num_train_timesteps={NUM_TRAIN_TIMESTEPS}, beta_schedule=linear)",
        "weight_seed": str(WEIGHT_SEEDS[name]), "input_seed": str(INPUT_SEEDS[name]), **versions(),
    }
    save_safetensors({**io, **{f"grad.{n}": g for n, g in gradients.items()}},
                     output_dir / f"{name}-io.safetensors", metadata)
    return {
        "parameters": sum(p.numel() for p in model.parameters()),
        "parameter_tensors": len(gradients),
        "timesteps": IO_TIMESTEPS[name],
        "loss": loss.item(),
        "model_output_std": output.std().item(),
        "float32_vs_float64": floor,
    }


def step_fixture(index, case, tensors, metadata):
    """One DDPMScheduler.step call, with its deterministic part and its noise stored apart."""
    schedule, steps, timestep, prediction_type, clip_sample = case
    scheduler = DDPMScheduler(
        num_train_timesteps=NUM_TRAIN_TIMESTEPS, beta_schedule=schedule, variance_type="fixed_small",
        prediction_type=prediction_type, clip_sample=clip_sample, clip_sample_range=CLIP_SAMPLE_RANGE,
        thresholding=False,
    )
    scheduler.set_timesteps(steps)
    # A noised image and a model output with a known error, sized so that the implied x0 misses
    # the true one by about 0.3: some elements land beyond the clip range and some inside.
    generator = torch.Generator().manual_seed(1000 + index)
    true_original = 1.3 * (2 * torch.rand(STEP_SHAPE, generator=generator) - 1)
    true_noise = torch.randn(STEP_SHAPE, generator=generator)
    alpha_prod = scheduler.alphas_cumprod[timestep]
    sample = alpha_prod.sqrt() * true_original + (1 - alpha_prod).sqrt() * true_noise
    if prediction_type == "epsilon":
        target, gain = true_noise, ((1 - alpha_prod) / alpha_prod).sqrt()
    else:
        target, gain = alpha_prod.sqrt() * true_noise - (1 - alpha_prod).sqrt() * true_original, (1 - alpha_prod).sqrt()
    model_output = target + (0.3 / gain) * torch.randn(STEP_SHAPE, generator=generator)
    noise_seed = 2000 + index
    # step() draws its noise as torch.randn(shape, generator=g, dtype=float32) when t > 0.
    variance_noise = torch.randn(STEP_SHAPE, generator=torch.Generator().manual_seed(noise_seed))
    result = scheduler.step(model_output, timestep, sample, generator=torch.Generator().manual_seed(noise_seed))

    # The step written out from the formula, to pin down what the stored parts mean.
    prev_t = int(scheduler.previous_timestep(timestep))
    alpha_prod_prev = scheduler.alphas_cumprod[prev_t] if prev_t >= 0 else torch.tensor(1.0)
    beta_prod, beta_prod_prev = 1 - alpha_prod, 1 - alpha_prod_prev
    current_alpha = alpha_prod / alpha_prod_prev
    current_beta = 1 - current_alpha
    if prediction_type == "epsilon":
        unclipped = (sample - beta_prod.sqrt() * model_output) / alpha_prod.sqrt()
    else:
        unclipped = alpha_prod.sqrt() * sample - beta_prod.sqrt() * model_output
    original = unclipped.clamp(-CLIP_SAMPLE_RANGE, CLIP_SAMPLE_RANGE) if clip_sample else unclipped
    mean = (alpha_prod_prev.sqrt() * current_beta / beta_prod) * original \
        + (current_alpha.sqrt() * beta_prod_prev / beta_prod) * sample
    variance = torch.clamp(beta_prod_prev / beta_prod * current_beta, min=1e-20)
    std = variance.sqrt() if timestep > 0 else torch.tensor(0.0)
    rebuilt = mean + std * variance_noise
    for label, ours, theirs in [("prev_sample", rebuilt, result.prev_sample),
                                ("pred_original_sample", original, result.pred_original_sample)]:
        if relative_error(ours, theirs) > 1e-6:
            raise SystemExit(f"step case {index}: the written-out {label} differs from diffusers")
    clipped = int((unclipped.abs() > CLIP_SAMPLE_RANGE).sum())
    if not 0 < clipped < unclipped.numel():
        raise SystemExit(f"step case {index}: {clipped} elements beyond the clip range; want some, not all")

    prefix = f"step.{index}."
    tensors.update({
        prefix + "model_output": model_output, prefix + "sample": sample,
        prefix + "variance_noise": variance_noise, prefix + "pred_original_sample": result.pred_original_sample,
        prefix + "mean": mean, prefix + "std": std.reshape(1), prefix + "prev_sample": result.prev_sample,
        prefix + "timestep": torch.tensor([timestep], dtype=torch.int64),
        prefix + "prev_timestep": torch.tensor([prev_t], dtype=torch.int64),
    })
    metadata.update({
        prefix + "beta_schedule": schedule, prefix + "num_inference_steps": str(steps),
        prefix + "prediction_type": prediction_type, prefix + "clip_sample": str(clip_sample).lower(),
    })
    return {"case": list(case), "prev_timestep": prev_t, "elements_beyond_clip_range": clipped}


def make_scheduler_fixture(output_dir):
    tensors, metadata = {}, {
        "num_train_timesteps": str(NUM_TRAIN_TIMESTEPS), "beta_start": "0.0001", "beta_end": "0.02",
        "variance_type": "fixed_small", "thresholding": "false", "clip_sample_range": str(CLIP_SAMPLE_RANGE),
        "timestep_spacing": "leading", "steps_offset": "0", "step.count": str(len(STEP_CASES)), **versions(),
    }
    for schedule in SCHEDULES:
        scheduler = DDPMScheduler(num_train_timesteps=NUM_TRAIN_TIMESTEPS, beta_schedule=schedule)
        tensors[f"betas.{schedule}"] = scheduler.betas
        tensors[f"alphas_cumprod.{schedule}"] = scheduler.alphas_cumprod
    scheduler = DDPMScheduler(num_train_timesteps=NUM_TRAIN_TIMESTEPS)
    for count in SET_TIMESTEPS_COUNTS:
        scheduler.set_timesteps(count)
        tensors[f"timesteps.{count}"] = scheduler.timesteps.to(torch.int64)
    cases = [step_fixture(i, case, tensors, metadata) for i, case in enumerate(STEP_CASES)]
    save_safetensors(tensors, output_dir / "ddpm-scheduler.safetensors", metadata)
    return {"step_cases": cases}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="fixture folder to write")
    arguments = parser.parse_args()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    arguments.output.mkdir(parents=True, exist_ok=True)

    info = {"versions": versions(), "unets": {}, "scheduler": make_scheduler_fixture(arguments.output)}
    for name, config in UNET_CONFIGS.items():
        info["unets"][name] = make_unet_fixture(name, config, arguments.output)
        floor = info["unets"][name]["float32_vs_float64"]
        print(f"{name}: {info['unets'][name]['parameters']} parameters, loss {info['unets'][name]['loss']:.6f}")
        print("  float32 vs float64 (max|diff| / max|ref|): " + ", ".join(
            f"{key} {value:.2e}" if isinstance(value, float) else f"{key} {value}" for key, value in floor.items()))
    (arguments.output / "fixtures-info.json").write_text(json.dumps(info, indent=2) + "\n")

    total = 0
    for path in sorted(p for p in arguments.output.rglob("*") if p.is_file()):
        total += path.stat().st_size
        print(f"  {path.relative_to(arguments.output)}: {path.stat().st_size} bytes")
    print(f"total {total} bytes")


if __name__ == "__main__":
    main()
