"""Per-source results as Arrow files (pipeline/columnar.py): what is read back is what was written,
joined columns make the frame the rows made, and a stale or damaged entry is never served."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline import cache, columnar, columnar_read, cores, corpus, per_source

ROWS = [
    {"id": "a:p001", "n": 1, "x": 0.5, "ok": True, "maybe": None, "names": ["Kyiv", "Moscow"], "mixed": 1,
     "score": float("nan"), "opt": 3},
    {"id": "a:p002", "n": 2, "x": 1.0, "ok": False, "maybe": None, "names": [], "mixed": "two",
     "score": 0.25, "opt": None},
]
COLUMNS = list(ROWS[0])


def _strict(a: object, b: object) -> bool:
    return columnar._same(a, b)


def test_a_table_comes_back_with_every_value_and_type_it_had() -> None:
    data = columnar.encode({"t": (ROWS, COLUMNS)})
    got = columnar_read.read(data, ["t"])["t"]
    assert list(got) == COLUMNS
    assert _strict(columnar_read.rows(got), ROWS)
    assert got["names"] == [["Kyiv", "Moscow"], []] and isinstance(got["names"][1], list)
    # numbers with none missing come as numpy (no Python object per value), the rest as lists
    assert got["n"].dtype == np.int64 and got["x"].dtype == np.float64 and got["ok"].dtype == bool
    assert isinstance(got["opt"], list) and got["opt"] == [3, None] and isinstance(got["maybe"], list)
    assert type(columnar_read.rows(got)[0]["n"]) is int and math.isnan(got["score"][0])
    assert got["mixed"] == [1, "two"]          # no Arrow type holds both: kept pickled, cell by cell


def test_other_parts_an_array_an_object_and_an_empty_table() -> None:
    sig = np.array([3, 1, 4_000_000_000], dtype=np.uint32)
    thing = {"spans": {(1, 2), (3, 4)}, "rows": [{"a": 1}]}
    data = columnar.encode({"sig": sig, "state": thing, "none": ([], ["a", "b"]),
                            "ragged": ([{"a": 1}, {"b": 2}], ["a"])})
    got = columnar_read.read(data, ["sig", "state", "none", "ragged"])
    assert got["sig"].dtype == np.uint32 and got["sig"].tolist() == sig.tolist()
    assert got["state"] == thing
    assert got["none"] == {"a": [], "b": []}
    assert got["ragged"] == ([{"a": 1}, {"b": 2}], ["a"])      # rows off the columns: kept whole


def test_only_the_parts_asked_for_are_read(tmp_path: Path) -> None:
    path = tmp_path / "x.arrow"
    path.write_bytes(columnar.encode({"small": ([{"a": 1}], ["a"]), "big": ([{"t": "x" * 10_000}], ["t"])}))
    assert columnar_read.read(path, ["small"]) == {"small": {"a": [1]}}
    assert pd.read_feather(path, columns=["small"]).shape == (1, 1)    # any Arrow reader opens it


def test_joined_columns_make_the_frame_the_rows_made() -> None:
    parts = [ROWS, [], [dict(ROWS[1], n=7, opt=None)]]
    joined = corpus.Joined()
    for rows in parts:
        joined.add(columnar_read.read(columnar.encode({"t": (rows, COLUMNS)}), ["t"])["t"])
    expected = pd.DataFrame([r for rows in parts for r in rows], columns=COLUMNS)
    got = joined.frame()
    assert list(got.dtypes) == list(expected.dtypes)
    pd.testing.assert_frame_equal(got, expected)
    empty = corpus.Joined()
    empty.add({"a": [], "b": []})
    pd.testing.assert_frame_equal(empty.frame(), pd.DataFrame([], columns=["a", "b"]))


@per_source.parts_result
def _square(job: int, _codebook: object) -> dict:
    return {"t": ([{"n": job, "sq": job * job}], ["n", "sq"])}


def test_a_stale_or_damaged_entry_is_never_served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cores.WORKERS_ENV, "1")
    monkeypatch.setattr(per_source, "function_key", lambda fn: code["key"])
    code = {"key": "code-1"}
    jobs = [(f"job{n}", n) for n in range(3)]
    said: list[str] = []

    def run(inputs_key: str) -> list[int]:
        said.clear()
        store = cache.Store(tmp_path / ".cache")          # one store a build
        with per_source.Runner(None) as runner:   # type: ignore[arg-type]
            out = per_source.run_cached("sq", _square, jobs, runner, inputs_key, store, said.append)
        assert all(isinstance(e, Path) and e.suffix == ".arrow" for e in out)
        return [columnar_read.read(e, ["t"])["t"]["sq"][0] for e in out]

    assert run("codebook-1") == [0, 1, 4] and said == ["sq: 3 of 3 sources to do, in this process"]
    assert run("codebook-1") == [0, 1, 4] and said == []                     # all from the cache
    assert run("codebook-2") == [0, 1, 4] and said[0].startswith("sq: 3 of 3")   # another codebook
    code["key"] = "code-2"
    assert run("codebook-2") == [0, 1, 4] and said[0].startswith("sq: 3 of 3")   # other code
    files = sorted((tmp_path / ".cache" / "sq").iterdir())
    assert len(files) == 3                          # the older entries were pruned
    files[0].write_bytes(files[0].read_bytes()[:-20])               # cut short
    files[1].write_bytes(b"ARROW1\0\0 not an Arrow file at all ARROW1")
    assert run("codebook-2") == [0, 1, 4] and said[0].startswith("sq: 2 of 3")
    assert not columnar_read.check(b"ARROW1") and columnar_read.check(files[2])
    assert not columnar_read.check(files[2].read_bytes()[:-1])


def test_a_frames_columns_come_back_as_its_rows_would_and_odd_columns_stay_exact() -> None:
    """Columns.of skips the dict per row; a column Arrow cannot hold as it is (int beside float,
    a text subclass, a number past int64) is still kept pickled, so what is read is what was written."""
    from pipeline.vocab import ActorType

    frame = pd.DataFrame({"id": ["a", None], "n": [1, 2], "x": [0.5, float("nan")], "ok": [True, False],
                          "both": pd.Series([1, 2.5], dtype=object),
                          "kind": pd.Series([ActorType.PERSON, ActorType.STATE], dtype=object),
                          "big": pd.Series([2**70, 1], dtype=object)})
    got = columnar_read.read(columnar.encode({"t": columnar.Columns.of(frame)}), ["t"])["t"]
    assert _strict(columnar_read.rows(got), frame.to_dict("records"))
    assert type(got["both"][0]) is int and type(got["both"][1]) is float
    assert type(got["kind"][0]) is ActorType and got["big"][0] == 2**70
    meta = columnar_read.read(columnar.encode({"t": columnar.Columns.of(frame.iloc[:0])}), ["t"])["t"]
    assert list(meta) == list(frame.columns) and all(v == [] for v in meta.values())


def _entry(store: cache.Store, key: str, rows: list[dict], columns: list[str], value: object) -> Path:
    store.put("parts", key, columnar.encode({"t": (rows, columns), "v": value}))
    return store.path("parts", key)  # type: ignore[return-value]


def test_joined_reads_give_what_each_entry_gives_and_one_new_entry_rereads_one_segment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pipeline/segments.py: many entries read as a few cached segments; a segment is read again
    from its entries only when it holds a new entry, and a damaged one is never served."""
    from pipeline import segments

    store = cache.Store(tmp_path / ".cache")
    entries = [_entry(store, cache.digest("e", n), [{"n": n, "sq": n * n}], ["n", "sq"], {"of": n})
               for n in range(300)]
    entries[7] = _entry(store, cache.digest("odd"), [{"n": 7}], ["n"], {"of": 7})   # other columns

    def flat(kind: str, given: list[Path]) -> tuple[list[int], list[object]]:
        ns, values = [], []
        for group in segments.read_joined(given, ["t", "v"], store, kind):
            ns += list(group["t"]["n"])
            values += group["v"]
        return ns, values

    expected = ([int(n) for n in range(300)], [{"of": n} for n in range(300)])
    assert flat("j", entries) == expected
    kept = sorted(p.name for p in (tmp_path / ".cache" / "j").iterdir())
    assert 300 // segments.MOST < len(kept) < 300 // 4          # a few segments, not an entry each
    reads = []
    real = columnar_read.read_kinds
    monkeypatch.setattr(columnar_read, "read_kinds", lambda e, names, **kw: reads.append(e) or real(e, names, **kw))
    assert flat("j", entries) == expected and reads == []        # all from the segments
    new = _entry(store, cache.digest("new"), [{"n": 1000, "sq": 0}], ["n", "sq"], {"of": 1000})
    more = [*entries[:150], new, *entries[150:]]
    ns, _ = flat("j", more)
    assert ns == [*range(150), 1000, *range(150, 300)]
    assert new in reads and len(reads) <= 2 * segments.MOST      # the new entry's segment (and a neighbour)
    reads.clear()
    for path in (tmp_path / ".cache" / "j").iterdir():
        path.write_bytes(b"damaged")
    assert flat("j", entries) == expected and len(reads) == 300   # read from the entries again
    # bytes (nothing cached): read one by one, the same values
    assert flat("j", [e.read_bytes() for e in entries]) == expected  # type: ignore[arg-type]
    # a cut depends only on the names around it
    names = [e.name for e in entries]
    before = {tuple(names[i] for i in r) for r in segments.cut(names)}
    grown = [*names[:150], "x", *names[150:]]
    after = {tuple(grown[i] for i in r) for r in segments.cut(grown)}
    assert len(before - after) <= 2


@pytest.mark.parametrize("arrow_text", [False, True])
@pytest.mark.parametrize("parts", [[[1, 2], [0.5]], [[1], [], [2]], [[], []], [[True], [1]], [[1, None], [2]],
                                   [["a", None], ["", "b"]], [["a"], [None, None], []], [[None], [None]],
                                   [["a"], [1]], [["é 😀"], [["x"]]]])
def test_a_joined_column_is_the_column_its_values_would_make(parts: list[list], arrow_text: bool) -> None:
    """Numbers read as numpy arrays, and text as Arrow arrays (as the segments read them), join
    to the frame a list of the same Python values makes; rows() gives the Python values back."""
    joined = corpus.Joined()
    for values in parts:
        data = columnar.encode({"t": ([{"v": v} for v in values], ["v"])})
        joined.add(columnar_read.read_kinds(data, ["t"], arrow_text=arrow_text)[0]["t"])
    flat = [v for values in parts for v in values]
    expected = pd.DataFrame([{"v": v} for v in flat], columns=["v"])
    got = joined.frame()
    assert list(got.dtypes) == list(expected.dtypes)
    pd.testing.assert_frame_equal(got, expected)
    data = joined.data()
    assert [r["v"] for r in (data if isinstance(data, list) else columnar_read.rows(data))] == flat


def test_results_read_as_segments_leave_no_stale_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cross-source stages read per-source results as they stream in (segments.read_joined);
    once read, the entries no build uses any more (another code, another codebook) are pruned,
    as run_cached prunes them: a code change at 10,000 sources left 10,000 stale files behind."""
    from pipeline.segments import read_joined

    monkeypatch.setenv(cores.WORKERS_ENV, "1")
    code = {"key": "code-1"}
    monkeypatch.setattr(per_source, "function_key", lambda fn: code["key"])
    jobs = [(f"job{n}", n) for n in range(40)]

    def build() -> list[int]:
        store = cache.Store(tmp_path / ".cache")
        with per_source.Runner(None) as runner:   # type: ignore[arg-type]
            names, coming = per_source.stream_cached("sq", _square, jobs, runner, "codebook", store)
            got = [v for group in read_joined(coming, ["t"], store, "joined-sq", names) for v in group["t"]["sq"]]
        store.prune("joined-sq")
        return got

    assert build() == [n * n for n in range(40)]
    code["key"] = "code-2"
    assert build() == [n * n for n in range(40)]
    assert len(list((tmp_path / ".cache" / "sq").iterdir())) == 40          # the first code's are gone
