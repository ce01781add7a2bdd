"""The tables the PDF carries, compressed in pieces a rebuild reuses (pipeline/render/embed.py):
one valid zlib stream per table, the same bytes whatever the cache held, and a table that grows
by a few rows compresses only the pieces around them again."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

from pipeline.cache import Store
from pipeline.render import embed


def _table(rows: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [f"ev-{i:06d},{rng.random():.6f},a row of some text {rng.randint(0, 10**6)},x\n" for i in range(rows)]


def test_pieces_cover_the_text_and_cut_at_line_ends_chosen_by_content() -> None:
    lines = _table(60_000)
    data = "".join(lines).encode()
    cuts = embed.pieces(data)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:], strict=False))
    assert all(data[end - 1:end] == b"\n" for _, end in cuts)
    assert len(cuts) > 10
    # a line inserted in the middle moves the cuts after it, but chooses the same ones
    grown = "".join(lines[:30_000] + ["new,row\n"] + lines[30_000:]).encode()
    old = {data[a:b] for a, b in cuts}
    new = [grown[a:b] for a, b in embed.pieces(grown)]
    assert sum(p not in old for p in new) == 1


def test_a_piece_never_grows_past_the_bound_without_a_chosen_cut() -> None:
    data = b"same line\n" * 1_000_000            # every line hashes alike: no chosen cut
    cuts = embed.pieces(data)
    assert len(cuts) >= 2 and all(b - a <= embed.MAX_PIECE + 10 for a, b in cuts)
    assert cuts[-1][1] == len(data)


def test_streams_are_valid_zlib_and_the_same_with_or_without_the_cache(tmp_path: Path) -> None:
    files = [(name, text.encode()) for name, text in
             [("a.csv", "".join(_table(40_000))), ("b.csv", "id,x\n"), ("empty.csv", ""), ("é.csv", "ü,ß\n")]]
    cold = embed.embed(files, None)
    for (name, data), got in zip(files, cold, strict=True):
        assert got.name == name and zlib.decompress(got.stream) == data
        assert got.size == len(data)
    cache = tmp_path / ".cache"
    assert embed.embed(files, cache) == cold
    assert embed.embed(files, cache) == cold        # every piece from the cache now
    grown = [("a.csv", "".join(_table(40_000)[:20_000] + ["new,row\n"] + _table(40_000)[20_000:]).encode()),
             *files[1:]]
    before = set(Store(cache).folder.joinpath(embed.KIND).iterdir())
    again = embed.embed(grown, cache)
    assert again == embed.embed(grown, None)
    added = set(Store(cache).folder.joinpath(embed.KIND).iterdir()) - before
    assert len(added) == 1                           # the one piece with the new row
