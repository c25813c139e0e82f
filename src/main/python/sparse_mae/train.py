"""Training SparseVideoMAE on an output with patches: python3 -m sparse_mae.train OUT/clips [--steps 300]

Batches come from autogaze_readout.torch_data.ClipCoordsDataset(patches=True): coords [N, 4] with the batch
column = position in the batch, and the patches aligned with them. No video, no decoder.
"""
import argparse
import time
from dataclasses import dataclass

import torch
from torch.utils.data import DataLoader

from autogaze_readout.clips import open_clips
from autogaze_readout.torch_data import ClipCoordsDataset
from sparse_mae.model import SparseVideoMAE


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 300
    batch_size: int = 4
    mask_ratio: float = 0.5     # fraction of each clip's selected tokens held out for reconstruction
    lr: float = 1e-3
    dim: int = 64               # small enough that 300 steps take minutes on two CPU cores
    depth: int = 3
    heads: int = 4
    decoder_dim: int = 64
    decoder_depth: int = 1
    seed: int = 0
    device: str = "cpu"

    def __post_init__(self):
        if self.steps < 1 or self.batch_size < 1:
            raise ValueError(f"steps {self.steps} and batch_size {self.batch_size} must be at least 1")
        if not 0.0 < self.mask_ratio < 1.0:
            raise ValueError(f"mask_ratio {self.mask_ratio} must be in (0, 1)")


def hold_out(batch, ratio, generator):
    """bool [N]: the tokens to reconstruct, about `ratio` of each clip's, never all of a clip's tokens."""
    held = torch.rand(len(batch["coords"]), generator=generator) < ratio
    # keep each clip's first token as context, so no clip is held out entirely
    first = batch["offsets"][:-1][batch["counts"] > 0].long()
    held[first] = False
    return held


def context_mean_loss(batch, held):
    """The loss of a model-free guess: every held-out token predicted as the mean pixels of its clip's context
    tokens. A trained model that does not beat this has learnt nothing from positions or neighbours."""
    x = SparseVideoMAE.pixels_of(batch["patches"])
    clip = batch["coords"][:, 0].long()
    sums = torch.zeros(batch["batch_size"], x.shape[1]).index_add_(0, clip[~held], x[~held])
    counts = torch.bincount(clip[~held], minlength=batch["batch_size"]).clamp(min=1)
    guess = (sums / counts[:, None])[clip]
    return float(((guess[held] - x[held]) ** 2).mean())


def open_dataset(clips_path):
    """The clips of an output with patches; a clear error for an output of a run without --emit-patches."""
    names = open_clips(clips_path).schema.names
    if "patches" not in names:
        raise ValueError(f"{clips_path} has no patches column (schema_version 1): rerun the job with --emit-patches")
    return ClipCoordsDataset(clips_path, patches=True)


def build_model(dataset, config):
    first = dataset.collate([0])
    tubelet, patch = first["patches"].shape[1], first["patches"].shape[2]
    return SparseVideoMAE(first["grid"], tubelet, patch, dim=config.dim, depth=config.depth, heads=config.heads,
                          decoder_dim=config.decoder_dim, decoder_depth=config.decoder_depth).to(config.device)


def batches(dataset, batch_size, generator):
    """An endless stream of shuffled batches (a new epoch whenever one ends)."""
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=True, collate_fn=dataset.collate,
                        generator=generator)
    while True:
        yield from loader


def train(clips_path, config=TrainConfig(), log=None):
    """Trains a fresh model; returns (model, losses per step). `log(step, loss)` is called every 25 steps."""
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    dataset = open_dataset(clips_path)
    model = build_model(dataset, config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=0.05)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=config.lr, total_steps=config.steps,
                                                   pct_start=0.1)
    losses = []
    stream = batches(dataset, config.batch_size, generator)
    for step in range(config.steps):
        batch = next(stream)
        held = hold_out(batch, config.mask_ratio, generator)
        loss, _ = model(batch["coords"].to(config.device), batch["patches"].to(config.device),
                        held.to(config.device), batch["batch_size"])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
        if log is not None and (step % 25 == 0 or step == config.steps - 1):
            log(step, losses[-1])
    return model.eval(), losses


@torch.no_grad()
def evaluate(model, clips_path, mask_ratio=0.5, seed=1, batch_size=8):
    """(model loss, context-mean loss) over every clip once, with held-out tokens drawn from `seed`."""
    dataset = open_dataset(clips_path)
    generator = torch.Generator().manual_seed(seed)
    device = next(model.parameters()).device
    ours = guess = 0.0
    n = 0
    for lo in range(0, len(dataset), batch_size):
        batch = dataset.collate(list(range(lo, min(lo + batch_size, len(dataset)))))
        held = hold_out(batch, mask_ratio, generator)
        loss, _ = model(batch["coords"].to(device), batch["patches"].to(device), held.to(device),
                        batch["batch_size"])
        ours += float(loss) * int(held.sum())
        guess += context_mean_loss(batch, held) * int(held.sum())
        n += int(held.sum())
    return ours / n, guess / n


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("clips")
    p.add_argument("--steps", type=int, default=TrainConfig.steps)
    p.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    config = TrainConfig(steps=a.steps, batch_size=a.batch_size, device=a.device)
    start = time.perf_counter()
    model, losses = train(a.clips, config, log=lambda s, v: print(f"step {s:4d}  loss {v:.4f}", flush=True))
    k = min(20, len(losses))
    first, last = sum(losses[:k]) / k, sum(losses[-k:]) / k
    print(f"{a.steps} steps in {time.perf_counter() - start:.1f} s: mean loss of the first {k} steps {first:.4f}, "
          f"of the last {k} {last:.4f}")
    ours, guess = evaluate(model, a.clips)
    print(f"held-out reconstruction over every clip: {ours:.4f} (predicting each clip's context mean: {guess:.4f})")


if __name__ == "__main__":
    main()
