#!/usr/bin/env python3
"""Checks that real diffusers loads a checkpoint written by attributiond, exactly.

    pip install -r Scripts/requirements-fixtures.txt      # once, preferably in a virtual environment
    python3 Scripts/check-diffusers-load.py CHECKPOINT_DIR [--io FILE] [--tolerance 1e-4]

CHECKPOINT_DIR is a training checkpoint (or a fixture folder) holding
    unet/config.json, unet/diffusion_pytorch_model.safetensors, scheduler/scheduler_config.json.

The check fails unless
  * every key of both config files is one diffusers knows (diffusers itself only warns and then
    ignores unknown keys, which would hide a misspelt setting); keys that are absent, so that
    diffusers falls back to its default, are listed but allowed;
  * UNet2DModel.from_pretrained(CHECKPOINT_DIR, subfolder="unet", output_loading_info=True) reports
    no missing, unexpected or mismatched keys and no error messages, and every weight is finite;
  * DDPMScheduler.from_pretrained(CHECKPOINT_DIR, subfolder="scheduler") succeeds.

With --io FILE, a safetensors file laid out like the fixtures' <config>-io.safetensors (NCHW):
`noisy` [N,C,H,W], `timesteps` [N] (integer or float) and `model_output` [N,C,H,W] are required;
if it also has `noise` and `loss`, the loss mean((model_output - noise)^2) is compared, and any
`grad.<parameter name>` entries are compared with the gradients of that loss. Each comparison
is max|ours - stored| / max|stored| <= tolerance, except for gradients that are zero in theory
(attention key biases: softmax ignores a shift shared by all logits) and rounding noise in
practice: a stored gradient whose largest element is below 1e-6 times the largest stored
gradient only requires ours to be below that bound as well.

The last line printed is PASS or FAIL; the exit status is 0 or 1 accordingly.
"""

import argparse
import sys
from pathlib import Path

import diffusers
import torch
import torch.nn.functional as F
from diffusers import DDPMScheduler, UNet2DModel
from safetensors.torch import load_file

diffusers.utils.logging.set_verbosity_error()  # every problem is checked and reported below


def check_config_keys(cls, directory, subfolder, problems):
    """Unknown keys fail; keys left to diffusers' defaults are reported."""
    config = cls.load_config(directory, subfolder=subfolder, local_files_only=True)
    init_dict, unknown, _ = cls.extract_init_dict(config)
    if unknown:
        problems.append(f"{subfolder}: keys diffusers does not know: {sorted(unknown)}")
    defaulted = sorted(cls._get_init_keys(cls) - {"self", "kwargs"} - set(init_dict) - set(cls.ignore_for_config))
    if defaulted:
        print(f"  {subfolder}: absent keys, diffusers defaults used: {defaulted}")


def load_unet(directory, problems):
    try:
        model, info = UNet2DModel.from_pretrained(
            directory, subfolder="unet", output_loading_info=True, local_files_only=True)
    except Exception as error:  # diffusers raises many kinds; every one is a failed load
        problems.append(f"unet: from_pretrained raised {type(error).__name__}: {error}")
        return None
    for field in ["missing_keys", "unexpected_keys", "mismatched_keys", "error_msgs"]:
        if info.get(field):
            problems.append(f"unet: {field}: {info[field]}")
    state = model.state_dict()
    non_finite = [name for name, value in state.items() if not torch.isfinite(value).all()]
    if non_finite:
        problems.append(f"unet: non-finite weights in {non_finite}")
    dtypes = sorted({str(value.dtype) for value in state.values()})
    print(f"  unet: {len(state)} tensors, {sum(v.numel() for v in state.values())} weights, {dtypes}")
    return model


def load_scheduler(directory, problems):
    try:
        scheduler = DDPMScheduler.from_pretrained(directory, subfolder="scheduler", local_files_only=True)
    except Exception as error:
        problems.append(f"scheduler: from_pretrained raised {type(error).__name__}: {error}")
        return
    c = scheduler.config
    print(f"  scheduler: {c.num_train_timesteps} steps, {c.beta_schedule} betas {c.beta_start}..{c.beta_end}, "
          f"{c.prediction_type}, {c.variance_type}, clip_sample {c.clip_sample}")


def relative_error(ours, stored):
    scale = stored.abs().max().item()
    return (ours.double() - stored.double()).abs().max().item() / (scale if scale > 0 else 1.0)


def compare(label, ours, stored, tolerance, problems):
    if ours.shape != stored.shape:
        problems.append(f"io: {label} has shape {list(ours.shape)}, stored {list(stored.shape)}")
        return 0.0
    error = relative_error(ours, stored)
    if not error <= tolerance:  # NaN fails too
        problems.append(f"io: {label} relative error {error:.3e} > {tolerance:g}")
    return error


def compare_gradients(parameters, stored_gradients, tolerance, problems):
    """Relative comparison per tensor; theoretically-zero gradients only have to stay noise."""
    noise_bound = 1e-6 * max(g.abs().max().item() for g in stored_gradients.values())
    errors, zero_in_theory = [], 0
    for name, stored in stored_gradients.items():
        ours = parameters[name].grad
        if stored.abs().max().item() >= noise_bound:
            errors.append(compare(f"grad.{name}", ours, stored, tolerance, problems))
            continue
        zero_in_theory += 1
        if not ours.abs().max().item() < noise_bound:
            problems.append(f"io: grad.{name} should be rounding noise, reaches {ours.abs().max().item():.3e}")
    return max(errors, default=0.0), zero_in_theory


def check_io(model, path, tolerance, problems):
    try:
        stored = load_file(str(path))
    except Exception as error:  # absent or not a safetensors file
        problems.append(f"io: cannot read {path}: {type(error).__name__}: {error}")
        return
    for name in ["noisy", "timesteps", "model_output"]:
        if name not in stored:
            problems.append(f"io: {path} has no `{name}`")
            return
    timesteps = stored["timesteps"]
    timesteps = timesteps.float() if timesteps.is_floating_point() else timesteps.long()
    stored_gradients = {k[len("grad."):]: v for k, v in stored.items() if k.startswith("grad.")}
    model.zero_grad(set_to_none=True)
    try:
        with torch.set_grad_enabled(bool(stored_gradients)):
            output = model(stored["noisy"].float(), timesteps.reshape(-1)).sample
    except Exception as error:  # shapes that do not fit the model
        problems.append(f"io: the model does not run on {path.name}: {type(error).__name__}: {error}")
        return
    errors = {"model_output": compare("model_output", output, stored["model_output"], tolerance, problems)}
    if "noise" in stored and "loss" in stored:
        loss = F.mse_loss(output, stored["noise"].float())
        errors["loss"] = compare("loss", loss.reshape(-1), stored["loss"].reshape(-1), tolerance, problems)
        if stored_gradients:
            loss.backward()
            parameters = dict(model.named_parameters())
            unknown = sorted(set(stored_gradients) - set(parameters))
            absent = sorted(set(parameters) - set(stored_gradients))
            if unknown or absent:
                problems.append(f"io: gradients for unknown parameters {unknown}, none for {absent}")
            known = {n: g for n, g in stored_gradients.items() if n in parameters}
            worst, zero_in_theory = compare_gradients(parameters, known, tolerance, problems)
            errors[f"{len(known) - zero_in_theory} gradients (worst)"] = worst
            print(f"  io: {zero_in_theory} gradients are zero in theory; both sides are rounding noise")
    print("  io: " + ", ".join(f"{label} {error:.2e}" for label, error in errors.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoint", type=Path, help="folder with unet/ and scheduler/")
    parser.add_argument("--io", type=Path, help="safetensors file with noisy, timesteps, model_output [, noise, loss, grad.*]")
    parser.add_argument("--tolerance", type=float, default=1e-4, help="largest relative error allowed (default 1e-4)")
    arguments = parser.parse_args()
    torch.use_deterministic_algorithms(True)

    print(f"checking {arguments.checkpoint} with diffusers {diffusers.__version__}, torch {torch.__version__}")
    problems = []
    expected = [Path("unet/config.json"), Path("unet/diffusion_pytorch_model.safetensors"),
                Path("scheduler/scheduler_config.json")]
    absent = [str(p) for p in expected if not (arguments.checkpoint / p).is_file()]
    if absent:
        print(f"FAIL: {arguments.checkpoint}: no {', '.join(absent)}")
        sys.exit(1)
    try:
        check_config_keys(UNet2DModel, arguments.checkpoint, "unet", problems)
        check_config_keys(DDPMScheduler, arguments.checkpoint, "scheduler", problems)
    except Exception as error:
        problems.append(f"config: {type(error).__name__}: {error}")
    model = load_unet(arguments.checkpoint, problems)
    load_scheduler(arguments.checkpoint, problems)
    if arguments.io is not None and model is not None:
        check_io(model, arguments.io, arguments.tolerance, problems)

    shown = 12
    for problem in problems[:shown]:
        print(f"  problem: {problem}")
    if len(problems) > shown:
        print(f"  ... and {len(problems) - shown} more")
    if problems:
        print(f"FAIL: {arguments.checkpoint}: {len(problems)} problem(s)")
        sys.exit(1)
    checked = f" and reproduces {arguments.io.name}" if arguments.io is not None else ""
    print(f"PASS: {arguments.checkpoint} loads into diffusers {diffusers.__version__} with no key problems{checked}")


if __name__ == "__main__":
    main()
