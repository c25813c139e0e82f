"""The training example (src/main/python/sparse_mae): packing by the batch column, no leak of held-out pixels into
the prediction, and a loss that falls when it trains on the session's job output with patches."""
import pyarrow.parquet as pq
import pytest
import torch

from sparse_mae.model import SparseVideoMAE, pack, unpack
from sparse_mae.train import TrainConfig, context_mean_loss, open_dataset, train


def test_pack_puts_each_clips_tokens_in_its_own_row_padded_after_them():
    batch = torch.tensor([0, 0, 1, 2, 2, 2])          # clip 3 of 4 has no token
    values = torch.tensor([10, 11, 20, 30, 31, 32])
    packed, padding = pack(values, batch, 4)
    assert packed.tolist() == [[10, 11, 0], [20, 0, 0], [30, 31, 32], [0, 0, 0]]
    assert padding.tolist() == [[False, False, True], [False, True, True], [False, False, False], [True] * 3]
    assert unpack(packed, padding).tolist() == values.tolist()


def random_batch(seed, tokens_per_clip=(5, 7), grid=(4, 3, 3), tubelet=2, patch=4):
    g = torch.Generator().manual_seed(seed)
    coords = []
    for b, n in enumerate(tokens_per_clip):
        cells = torch.randperm(grid[0] * grid[1] * grid[2], generator=g)[:n]
        t, rest = cells // (grid[1] * grid[2]), cells % (grid[1] * grid[2])
        coords.append(torch.stack([torch.full_like(t, b), t, rest // grid[2], rest % grid[2]], 1))
    coords = torch.cat(coords)
    patches = torch.randint(0, 256, (len(coords), tubelet, patch, patch, 3), generator=g, dtype=torch.uint8)
    return coords, patches


def test_held_out_pixels_never_reach_the_prediction_but_context_pixels_do():
    torch.manual_seed(0)
    model = SparseVideoMAE((4, 3, 3), 2, 4, dim=16, depth=1, heads=2, decoder_dim=16, decoder_depth=1).eval()
    coords, patches = random_batch(1)
    held = torch.zeros(len(coords), dtype=torch.bool)
    held[[1, 3, 6, 9]] = True
    _, before = model(coords, patches, held, 2)
    changed = patches.clone()
    changed[held] = 255 - changed[held]
    _, after = model(coords, changed, held, 2)
    assert torch.equal(before, after)
    changed = patches.clone()
    changed[0] = 255 - changed[0]                      # a context token of clip 0
    _, after = model(coords, changed, held, 2)
    assert not torch.allclose(before[[1, 3]], after[[1, 3]])       # clip 0's held-out tokens see it
    assert torch.allclose(before[[6, 9]], after[[6, 9]], atol=1e-6)  # clip 1's do not: clips never mix


def test_bad_batches_are_named():
    model = SparseVideoMAE((4, 3, 3), 2, 4, dim=16, depth=1, heads=2, decoder_dim=16, decoder_depth=1)
    coords, patches = random_batch(2)
    held = torch.zeros(len(coords), dtype=torch.bool)
    outside = coords.clone()
    outside[0, 2] = 3
    with pytest.raises(ValueError, match=r"coords outside the model's grid \(4, 3, 3\)"):
        model(outside, patches, held, 2)
    with pytest.raises(ValueError, match=r"patches must be \(12, 2, 4, 4, 3\) to match coords"):
        model(coords, patches[:, :1], held, 2)
    all_held = held.clone()
    all_held[:5] = True
    with pytest.raises(ValueError, match="every clip needs at least one context token"):
        model(coords, patches, all_held, 2)


def test_the_context_mean_guess_is_exact_when_each_clip_is_one_colour():
    coords, patches = random_batch(3)
    patches[coords[:, 0] == 0] = 200
    patches[coords[:, 0] == 1] = 40                   # a guess that mixed the clips would miss both
    batch = {"coords": coords, "patches": patches, "batch_size": 2}
    held = torch.zeros(len(coords), dtype=torch.bool)
    held[[2, 8]] = True
    assert context_mean_loss(batch, held) == pytest.approx(0.0, abs=1e-12)


def test_an_output_without_patches_is_refused_with_what_to_do(job_output, tmp_path):
    table = pq.read_table(f"{job_output}/clips").drop_columns(["patches"])
    pq.write_table(table, tmp_path / "part-0.parquet")
    with pytest.raises(ValueError, match="no patches column .* rerun the job with --emit-patches"):
        open_dataset(str(tmp_path))


def test_the_loss_falls_when_it_trains_on_a_job_output_with_patches(job_output):
    # a tiny configuration (seconds on two cores); python3 -m sparse_mae.train runs the example's own
    config = TrainConfig(steps=80, batch_size=2, dim=32, depth=1, heads=2, decoder_dim=32, decoder_depth=1, lr=2e-3)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one thread: on a busy two-core machine a second OpenMP thread mostly waits (10x slower)
    try:
        model, losses = train(f"{job_output}/clips", config)
    finally:
        torch.set_num_threads(threads)
    assert len(losses) == 80 and all(l == l for l in losses)
    first, last = sum(losses[:10]) / 10, sum(losses[-10:]) / 10
    assert last < 0.7 * first, (first, last)
