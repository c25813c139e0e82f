"""A small sparse video transformer trained on an autogaze output with patches (the downstream sparse patchifier of
the integration guide, in miniature): only the selected tokens are embedded, positions come from [t, row, col],
and a masked-reconstruction loss on held-out selected tokens trains it. See docs/training-example.md.

Modules: model (SparseVideoMAE, pack/unpack), train (python3 -m sparse_mae.train OUT/clips), pictures (the
notebook's loss curve and reconstructions as PNG)."""
