"""The Python package against the command line: the same counts, the same messages."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import qualkit
from conftest import BUNDLED_CODEBOOK, BUNDLED_TRANSCRIPTS, ROOT, read_csv, run_cli

MENTION_COLUMNS = ["theme", "start", "end", "text", "rule_kind", "rule", "rule_theme"]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_counts_equal_analyze_on_the_bundled_example(bundled_report: Path) -> None:
    codebook = qualkit.Codebook.load(BUNDLED_CODEBOOK)
    turns = qualkit.read_transcripts(BUNDLED_TRANSCRIPTS).filter(pc.field("counted"))
    mentions = codebook.code(turns["text"]).to_pylist()
    by_theme: dict[str, list[dict]] = defaultdict(list)
    for m in mentions:
        by_theme[m["theme"]].append(m)
    sessions = turns["session"].to_pylist()
    speakers = turns["speaker"].to_pylist()
    roles = turns["role"].to_pylist()
    frequencies = read_csv(bundled_report / "theme_frequencies.csv")
    assert [f["theme"] for f in frequencies] == [t["id"] for t in codebook.themes]
    assert sum(int(f["mentions"]) for f in frequencies) == len(mentions) > 500
    for f in frequencies:
        found = by_theme[f["theme"]]
        assert len(found) == int(f["mentions"]), f["theme"]
        assert len({m["row"] for m in found}) == int(f["segments"]), f["theme"]
        people = {(sessions[m["row"]], speakers[m["row"]]) for m in found if roles[m["row"]] != "group"}
        assert len(people) == int(f["speakers"]), f["theme"]
        assert len({sessions[m["row"]] for m in found}) == int(f["sessions"]), f["theme"]


def test_mentions_carry_the_provenance_of_mentions_csv(bundled_report: Path) -> None:
    codebook = qualkit.Codebook.load(BUNDLED_CODEBOOK)
    turns = qualkit.read_transcripts(BUNDLED_TRANSCRIPTS).filter(pc.field("counted"))
    batch = turns.select(["session", "line", "turn", "speaker", "text"]).to_batches()[0]
    coded = codebook.code_batch(batch)
    assert coded.schema.names == ["session", "line", "turn", "speaker"] + MENTION_COLUMNS
    ours = [
        (r["session"], r["turn"], r["theme"], r["start"], r["end"], r["text"], r["rule_kind"], r["rule"], r["rule_theme"])
        for r in coded.to_pylist()
    ]
    theirs = [
        (r["session"], int(r["turn"]), r["theme"], int(r["start"]), int(r["end"]), r["text"], r["rule_kind"], r["rule"], r["rule_theme"])
        for r in read_csv(bundled_report / "mentions.csv")
    ]
    assert sorted(ours) == sorted(theirs)
    assert len(ours) == len(theirs) > 500


def test_turns_table_reads_the_bundled_transcripts() -> None:
    turns = qualkit.read_transcripts([BUNDLED_TRANSCRIPTS])
    assert turns.schema.names == [
        "session", "file", "line", "turn", "timestamp", "speaker", "role",
        "question", "question_text", "section", "attributes", "text", "counted",
    ]
    rows = turns.to_pylist()
    assert sorted({r["session"] for r in rows}) == ["mc-01", "mc-02", "mc-03", "mc-04"]
    first = next(r for r in rows if r["session"] == "mc-01" and r["turn"] == 3)
    assert first["speaker"] == "Marcus" and first["role"] == "participant"
    assert first["timestamp"] == "00:02:44" and first["line"] == 13
    assert first["file"].endswith("2025-03-04-south-la.txt")
    assert dict(first["attributes"])["site"] == "South Los Angeles"
    assert {r["role"] for r in rows} >= {"moderator", "participant"}
    assert all(r["counted"] == (r["role"] in ("participant", "group")) for r in rows)
    assert all(r["section"] is None for r in rows)


def test_markdown_headings_are_the_turns_sections() -> None:
    turns = qualkit.read_transcripts(ROOT / "tests" / "fixtures" / "markdown" / "podcast.md")
    got = [(r["speaker"], r["section"]) for r in turns.to_pylist() if r["speaker"] == "Ben Okafor"]
    assert got == [("Ben Okafor", "Opening"), ("Ben Okafor", "Why do people pay?")]


def test_themes_check_and_test_of_the_bundled_codebook() -> None:
    codebook = qualkit.Codebook.load(BUNDLED_CODEBOOK)
    themes = codebook.themes
    assert len(themes) == 25
    assert themes[0]["id"] == "organizer_qualities" and themes[0]["parent"] is None
    assert themes[1] == {**themes[1], "id": "values", "parent": "organizer_qualities"}
    assert codebook.language == "english"
    tested = codebook.test()
    assert tested["failures"] == [] and tested["passed"] > 20
    assert isinstance(codebook.check(), list)


def test_a_cached_codebook_is_compiled_once_until_its_file_changes(tmp_path: Path) -> None:
    path = write(tmp_path / "cb.toml", '[[theme]]\nid = "trust"\nterms = ["trust"]\n')
    first = qualkit.Codebook.cached(path)
    assert qualkit.Codebook.cached(str(path)) is first
    write(path, '[[theme]]\nid = "trust"\nterms = ["trust", "honest*"]\n')
    again = qualkit.Codebook.cached(path)
    assert again is not first
    assert again.themes[0]["terms"] == ["trust", "honest*"]
    assert again.code(["honesty"]).num_rows == 1 and first.code(["honesty"]).num_rows == 0


def test_a_failing_example_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "cb.toml", """
[[theme]]
id = "trust"
terms = ["trust"]
examples = ["We trust them.", "They kept their word."]
""")
    tested = qualkit.Codebook.load(path).test()
    assert tested["passed"] == 1
    [failure] = tested["failures"]
    assert failure["theme"] == "trust" and failure["kind"] == "example"
    assert failure["text"] == "They kept their word." and failure["line"] == 5


def test_a_bad_codebook_raises_the_message_the_cli_prints(tmp_path: Path, qualkit_bin: Path) -> None:
    path = write(tmp_path / "bad.toml", '[[theme]]\nid = "Bad Id"\nterms = ["x"]\n')
    with pytest.raises(qualkit.CodebookError) as raised:
        qualkit.Codebook.load(path)
    cli = run_cli(qualkit_bin, "codebook", "check", str(path))
    assert cli.returncode == 2
    assert cli.stderr.strip() == f"error: {raised.value}"
    assert "bad.toml:2" in str(raised.value)
    assert isinstance(raised.value, qualkit.Error)


def test_a_bad_transcript_raises_the_message_the_cli_prints(tmp_path: Path, qualkit_bin: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"Moderator: hello\nAna: caf\xe9 con leche\n")
    with pytest.raises(qualkit.TranscriptError) as raised:
        qualkit.read_transcripts(path)
    cli = run_cli(qualkit_bin, "transcripts", "inspect", str(path))
    assert cli.returncode == 2
    assert f"error: {raised.value}" in cli.stderr
    assert "broken.txt:2" in str(raised.value)
    with pytest.warns(qualkit.ReadWarning, match="1 invalid byte sequence replaced with U\\+FFFD"):
        turns = qualkit.read_transcripts(path, lossy=True)
    assert turns["text"].to_pylist() == ["hello", "caf\ufffd con leche"]


def test_unknown_options_and_missing_columns_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(qualkit.UsageError, match="--no-such-flag"):
        qualkit.read_transcripts(BUNDLED_TRANSCRIPTS, no_such_flag=True)
    codebook = qualkit.Codebook.load(BUNDLED_CODEBOOK)
    batch = pa.record_batch({"id": [1], "answer": ["trust"]})
    with pytest.raises(qualkit.UsageError, match="no column 'text'.*id, answer"):
        codebook.code_batch(batch)
    with pytest.raises(qualkit.UsageError, match="must be strings"):
        codebook.code(pa.array([1, 2]))
    with pytest.raises(qualkit.FileError, match="missing.toml"):
        qualkit.Codebook.load(tmp_path / "missing.toml")


def test_a_file_that_cannot_be_read_among_others_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Moderator: What do you trust?\nAna: I trust my neighbours.\n")
    (tmp_path / "b.txt").write_bytes(b"Ana: caf\xe9\n")
    with pytest.warns(qualkit.ReadWarning, match="not read: .*b.txt:1"):
        turns = qualkit.read_transcripts(tmp_path)
    assert turns["session"].to_pylist() == ["a", "a"]
    with pytest.raises(qualkit.TranscriptError):
        qualkit.read_transcripts(tmp_path, strict=True)


UNICODE_CODEBOOK = """
[[theme]]
id = "trust"
terms = ["trust*", "confianza"]
[[theme]]
id = "vertrauen"
terms = ["vertrauen"]
"""


def test_texts_in_any_unicode_have_character_offsets(tmp_path: Path) -> None:
    codebook = qualkit.Codebook.load(write(tmp_path / "cb.toml", UNICODE_CODEBOOK))
    texts = [
        "🙂🙂 Trust me, “trustworthy” — 信頼 trust",
        "Ünïcödé: ich habe Vertrauen. Confianza!",
        "",
        "no mention here",
    ]
    mentions = codebook.code(texts).to_pylist()
    assert [(m["row"], m["theme"], m["text"]) for m in mentions] == [
        (0, "trust", "Trust"),
        (0, "trust", "trustworthy"),
        (0, "trust", "trust"),
        (1, "trust", "Confianza"),
        (1, "vertrauen", "Vertrauen"),
    ]
    for m in mentions:
        assert texts[m["row"]][m["start"]:m["end"]] == m["text"]
    assert mentions[0]["start"] == 3 and mentions[0]["rule"] == "trust*"


def test_every_kind_of_input_codes_alike(tmp_path: Path) -> None:
    codebook = qualkit.Codebook.load(write(tmp_path / "cb.toml", UNICODE_CODEBOOK))
    texts = ["trust", None, "more trust and trusting", "vertrauen"]
    expected = codebook.code(texts).to_pylist()
    assert [m["row"] for m in expected] == [0, 2, 2, 3]
    chunked = pa.chunked_array([texts[:2], texts[2:]], type=pa.string())
    assert codebook.code(chunked).to_pylist() == expected
    assert codebook.code(pa.array(texts, type=pa.large_string())).to_pylist() == expected
    assert codebook.code(pa.array(texts, type=pa.string_view())).to_pylist() == expected
    assert codebook.code(pa.array(texts).dictionary_encode()).to_pylist() == expected
    pandas = pytest.importorskip("pandas") if not _required() else __import__("pandas")
    assert codebook.code(pandas.Series(texts)).to_pylist() == expected
    polars = pytest.importorskip("polars") if not _required() else __import__("polars")
    assert codebook.code(polars.Series(texts)).to_pylist() == expected
    with pytest.raises(qualkit.UsageError, match="not one string"):
        codebook.code("trust")


def test_empty_inputs_give_empty_tables(tmp_path: Path) -> None:
    codebook = qualkit.Codebook.load(write(tmp_path / "cb.toml", UNICODE_CODEBOOK))
    empty = codebook.code([])
    assert empty.num_rows == 0 and empty.schema.names == ["row"] + MENTION_COLUMNS
    batch = pa.record_batch({"id": pa.array([], pa.int64()), "text": pa.array([], pa.string())})
    coded = codebook.code_batch(batch)
    assert coded.num_rows == 0 and coded.schema.names == ["id"] + MENTION_COLUMNS
    assert coded.schema.field("id").type == pa.int64()


def test_code_batch_repeats_the_rows_columns_for_each_mention(tmp_path: Path) -> None:
    codebook = qualkit.Codebook.load(write(tmp_path / "cb.toml", UNICODE_CODEBOOK))
    batch = pa.record_batch({
        "id": ["a", "b", "c"],
        "wave": [1, 2, 3],
        "answer": ["trust and trust", "nothing", "Vertrauen"],
    })
    coded = codebook.code_batch(batch, text_column="answer").to_pylist()
    assert [(r["id"], r["wave"], r["theme"], r["start"]) for r in coded] == [
        ("a", 1, "trust", 0),
        ("a", 1, "trust", 10),
        ("c", 3, "vertrauen", 0),
    ]


def test_analyze_writes_the_reports_of_the_command_line(bundled_report: Path) -> None:
    committed = ROOT / "reports" / "metaconnects"
    names = ["theme_frequencies.csv", "mentions.csv", "segment_matrix.csv", "quotes.md", "comparison.csv"]
    for name in names:
        assert (bundled_report / name).read_bytes() == (committed / name).read_bytes(), name
    manifest = json.loads((bundled_report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"]["args"][:3] == ["qualkit", "analyze", "transcripts/metaconnects"]
    assert "--summary-by" in manifest["command"]["args"]


def test_analyze_errors_leave_nothing_half_written(tmp_path: Path) -> None:
    with pytest.raises(qualkit.UsageError, match="--tables"):
        qualkit.analyze([BUNDLED_TRANSCRIPTS], BUNDLED_CODEBOOK, tmp_path / "out", tables="nonsense")
    assert not (tmp_path / "out").exists()


def _required() -> bool:
    import os

    return os.environ.get("QUALKIT_REQUIRE_TOOLS") == "1"
