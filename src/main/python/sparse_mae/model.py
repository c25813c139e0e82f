"""SparseVideoMAE: tubelet patch embedding of the selected tokens only, positions from [t, row, col], a transformer
encoder over each clip's context tokens and a small decoder that predicts the pixels of its held-out tokens.

A batch is what the loaders hand out: coords int [N, 4] = [batch, t, row, col] (tokens grouped by clip, clip b's
tokens contiguous), patches uint8 [N, tubelet, patch, patch, 3] (row i = pixels of coords[i]). Clips have different
token counts, so tokens are packed into [B, L, dim] per clip with a padding mask, never into a dense grid.
"""
import torch
from torch import nn


def pack(values, batch, batch_size):
    """[n, ...] values grouped by clip (batch column `batch`, non-decreasing) -> ([B, L, ...], padding [B, L])."""
    counts = torch.bincount(batch, minlength=batch_size)
    length = int(counts.max()) if len(batch) else 0
    offsets = torch.cumsum(counts, 0) - counts
    position = torch.arange(len(batch), device=batch.device) - offsets[batch]
    out = values.new_zeros((batch_size, length) + tuple(values.shape[1:]))
    out[batch, position] = values
    padding = torch.arange(length, device=batch.device)[None, :] >= counts[:, None]
    return out, padding


def unpack(packed, padding):
    """The inverse of pack: [B, L, ...] -> [n, ...] in the original (clip-grouped) order."""
    return packed[~padding]


class SparseVideoMAE(nn.Module):
    """Masked autoencoder over the sparse tokens of a clip.

    grid: (grid_t, grid_h, grid_w) of the output; tubelet, patch: its token shape. The patch embedding is a Linear
    on the flattened tubelet x patch x patch x 3 pixels, which is what a Conv3d with kernel = stride = (tubelet,
    patch, patch) computes on a dense video, applied to the selected tokens only.
    """

    def __init__(self, grid, tubelet, patch, dim=128, depth=4, heads=4, decoder_dim=96, decoder_depth=2):
        super().__init__()
        if dim % heads or decoder_dim % heads:
            raise ValueError(f"dim {dim} and decoder_dim {decoder_dim} must both be divisible by heads {heads}")
        gt, gh, gw = grid
        self.grid, self.tubelet, self.patch = tuple(grid), tubelet, patch
        self.pixels = tubelet * patch * patch * 3
        self.patch_embed = nn.Linear(self.pixels, dim)
        # factorised learned positions: one table per axis of [t, row, col], summed
        self.pos_t, self.pos_row, self.pos_col = nn.Embedding(gt, dim), nn.Embedding(gh, dim), nn.Embedding(gw, dim)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True, norm_first=True), depth,
            enable_nested_tensor=False)
        self.encoder_norm = nn.LayerNorm(dim)
        self.decoder_embed = nn.Linear(dim, decoder_dim)
        self.mask_token = nn.Parameter(torch.zeros(decoder_dim))
        self.dec_t, self.dec_row = nn.Embedding(gt, decoder_dim), nn.Embedding(gh, decoder_dim)
        self.dec_col = nn.Embedding(gw, decoder_dim)
        self.decoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(decoder_dim, heads, 4 * decoder_dim, dropout=0.0, batch_first=True,
                                       norm_first=True), decoder_depth, enable_nested_tensor=False)
        self.decoder_norm = nn.LayerNorm(decoder_dim)
        self.head = nn.Linear(decoder_dim, self.pixels)
        for table in (self.pos_t, self.pos_row, self.pos_col, self.dec_t, self.dec_row, self.dec_col):
            nn.init.normal_(table.weight, std=0.02)
        nn.init.normal_(self.mask_token, std=0.02)

    def check(self, coords, patches):
        """Shapes and ranges of a batch against this model's grid and token shape (a clear error otherwise)."""
        if coords.ndim != 2 or coords.shape[1] != 4:
            raise ValueError(f"coords must be [N, 4] = [batch, t, row, col], got {tuple(coords.shape)}")
        want = (len(coords), self.tubelet, self.patch, self.patch, 3)
        if tuple(patches.shape) != want:
            raise ValueError(f"patches must be {want} to match coords, got {tuple(patches.shape)}")
        high = torch.tensor((2 ** 31,) + self.grid, device=coords.device)
        if len(coords) and ((coords < 0) | (coords >= high)).any():
            raise ValueError(f"coords outside the model's grid {self.grid}")

    @staticmethod
    def pixels_of(patches):
        """uint8 [N, tubelet, patch, patch, 3] -> float [N, tubelet*patch*patch*3] in [-1, 1]."""
        return patches.reshape(len(patches), -1).float().div(127.5).sub(1.0)

    def forward(self, coords, patches, held, batch_size):
        """Loss (mean squared error over the held-out tokens' pixels) and the prediction of every token.

        held: bool [N], the tokens to reconstruct; every clip needs at least one token that is not held out.
        """
        self.check(coords, patches)
        coords = coords.long()
        batch, t, row, col = coords.unbind(1)
        x = self.pixels_of(patches)
        context = ~held
        if (torch.bincount(batch[context], minlength=batch_size) == 0).any():
            raise ValueError("every clip needs at least one context token (not held out)")
        tokens = self.patch_embed(x[context]) + (self.pos_t(t) + self.pos_row(row) + self.pos_col(col))[context]
        packed, padding = pack(tokens, batch[context], batch_size)
        encoded = unpack(self.encoder_norm(self.encoder(packed, src_key_padding_mask=padding)), padding)

        decoder_in = self.mask_token.expand(len(coords), -1).clone()
        decoder_in[context] = self.decoder_embed(encoded)
        decoder_in = decoder_in + self.dec_t(t) + self.dec_row(row) + self.dec_col(col)
        packed, padding = pack(decoder_in, batch, batch_size)
        decoded = unpack(self.decoder_norm(self.decoder(packed, src_key_padding_mask=padding)), padding)
        prediction = self.head(decoded)
        loss = ((prediction[held] - x[held]) ** 2).mean()
        return loss, prediction

    @staticmethod
    def to_patches(prediction, like):
        """A prediction [N, pixels] in [-1, 1] back to uint8 patches shaped like `like`."""
        return prediction.add(1.0).mul(127.5).round().clamp(0, 255).to(torch.uint8).reshape(like.shape)
