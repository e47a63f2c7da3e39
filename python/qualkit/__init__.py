"""qualkit in Python: codebooks, transcripts and coding, with Arrow tables in and out.

The same engine as the ``qualkit`` command line, built from this repository with maturin::

    import qualkit

    codebook = qualkit.Codebook.load("codebooks/metaconnects.toml")
    turns = qualkit.read_transcripts(["transcripts/metaconnects"])
    mentions = codebook.code(turns["text"])            # a pyarrow.Table of mentions
    qualkit.analyze(["transcripts/metaconnects"], "codebooks/metaconnects.toml", "out")

Keyword options are the command line's flags, with ``_`` for ``-``: ``speaker_pattern=…``
is ``--speaker-pattern …``, ``lossy=True`` is ``--lossy``, a list is joined with commas.
Errors are :class:`qualkit.Error` subclasses carrying the message the command line prints.
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Iterable, Sequence

import pyarrow as pa

from . import _qualkit
from ._qualkit import (
    CodebookError,
    CodingError,
    Error,
    FileError,
    OutputError,
    TableError,
    TranscriptError,
    UsageError,
    __version__,
)

__all__ = [
    "Codebook",
    "read_transcripts",
    "analyze",
    "Error",
    "FileError",
    "TranscriptError",
    "CodebookError",
    "CodingError",
    "UsageError",
    "OutputError",
    "TableError",
    "ReadWarning",
    "__version__",
]


class ReadWarning(UserWarning):
    """What reading transcripts noticed: a guessed label convention or moderator, a file
    that could not be read while the others were (the command line's ``warning:`` lines)."""


def _flags(options: dict[str, Any]) -> list[str]:
    """Keyword options as command-line flags: ``speaker_pattern="…"`` → ``--speaker-pattern
    …``; ``True`` → the bare flag; ``False`` or ``None`` → nothing; a list or tuple → its
    items joined with commas; anything else → ``str()``."""
    flags: list[str] = []
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            flags.append(flag)
        elif isinstance(value, (list, tuple)):
            flags += [flag, ",".join(str(v) for v in value)]
        else:
            flags += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return flags


def _paths(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def read_transcripts(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], **options: Any
) -> pa.Table:
    """Reads transcript files and folders (every format qualkit reads) into a table of turns.

    Columns: ``session``, ``file``, ``line``, ``turn`` (1-based), ``timestamp``,
    ``speaker``, ``role``, ``question``, ``question_text``, ``section`` (the Markdown
    heading the turn is under), ``attributes`` (a map of the
    session's and speaker's attributes), ``text`` and ``counted`` (whether ``qualkit
    analyze`` codes and counts the turn: participants and group voices, not moderators).

    ``options`` are the command line's reading flags (``speaker_pattern``,
    ``participants``, ``moderators``, ``guide``, ``lossy``, ``strict``, ``input_format``,
    ``text_column``, …). Reader warnings and files that could not be read are raised as
    :class:`ReadWarning`; when no file can be read (or with ``strict=True`` the first that
    cannot), the error is raised.
    """
    batch, noticed, failed = _qualkit.read_transcripts(_paths(paths), _flags(options))
    for message in noticed:
        warnings.warn(message, ReadWarning, stacklevel=2)
    for message in failed:
        warnings.warn(f"not read: {message}", ReadWarning, stacklevel=2)
    return pa.Table.from_batches([batch])


def analyze(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    codebook: str | os.PathLike[str],
    out: str | os.PathLike[str],
    **options: Any,
) -> int:
    """Runs ``qualkit analyze PATHS --codebook CODEBOOK --out OUT`` with ``options`` as its
    flags (``tables="summary"``, ``force=True``, ``quiet=True``, ``by="site"``, …): the
    same reports, written the same way (atomically; a failed run leaves the earlier ones).

    Returns the command line's exit code: 0, or 3 when some files could not be read (the
    reports cover the others). Errors raise a :class:`qualkit.Error` subclass.
    """
    argv = _paths(paths) + ["--codebook", os.fspath(codebook), "--out", os.fspath(out)]
    return _qualkit.analyze(argv + _flags(options))


def _strings(texts: Any) -> pa.Array:
    """``texts`` as one Arrow array of strings: a list of ``str``, a ``pyarrow`` array or
    chunked array, a ``polars`` or ``pandas`` Series, or anything with ``__arrow_c_array__``."""
    if isinstance(texts, pa.ChunkedArray):
        return texts.combine_chunks() if texts.num_chunks != 1 else texts.chunk(0)
    if isinstance(texts, pa.Array):
        return texts
    module = type(texts).__module__.split(".")[0]
    if module == "polars":
        return _strings(texts.to_arrow())
    if module == "pandas":
        return pa.Array.from_pandas(texts, type=pa.string())
    if hasattr(texts, "__arrow_c_array__"):
        return pa.array(texts)
    if isinstance(texts, str):
        raise UsageError("texts must be a list of strings, not one string: code([text])")
    return pa.array(list(texts), type=pa.string())


# Codebooks compiled once per process (Codebook.cached), by file, modification time and size.
_CACHED: dict[tuple[str, int, int], "Codebook"] = {}


class Codebook:
    """A codebook, read from a file in any format qualkit reads and compiled for coding.

    Coding releases the GIL and runs on every core; the compiled codebook can be shared by
    threads (and is compiled once per process on Spark executors, see the examples)."""

    __slots__ = ("_inner",)

    def __init__(self, inner: _qualkit.Codebook) -> None:
        self._inner = inner

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "Codebook":
        """Reads, checks and compiles the codebook at ``path`` (TOML, CSV, REFI-QDA
        ``.qdc``, LIWC ``.dic``, Yoshikoder, Lexicoder, quanteda YAML, …, by extension).
        What reading left out (a LIWC entry qualkit cannot use, say) is a warning."""
        inner = _qualkit.Codebook.load(os.fspath(path))
        for note in inner.notes:
            warnings.warn(f"{inner.path}: {note}", ReadWarning, stacklevel=2)
        return cls(inner)

    @classmethod
    def cached(cls, path: str | os.PathLike[str]) -> "Codebook":
        """The codebook at ``path``, read and compiled once per process: for functions an
        engine calls once per batch (Spark's ``mapInArrow``, a multiprocessing pool). A file
        changed since (another size or modification time) is read again."""
        full = os.path.abspath(os.fspath(path))
        stat = os.stat(full)
        key = (full, stat.st_mtime_ns, stat.st_size)
        codebook = _CACHED.get(key)
        if codebook is None:
            codebook = _CACHED[key] = cls.load(full)
        return codebook

    @property
    def name(self) -> str:
        """The codebook's name."""
        return self._inner.name

    @property
    def path(self) -> str:
        """The file it was read from."""
        return str(self._inner.path)

    @property
    def language(self) -> str:
        """The language of its stemmer."""
        return self._inner.language

    @property
    def themes(self) -> list[dict[str, Any]]:
        """The themes in codebook order: dicts of ``id``, ``label``, ``parent``, ``brief``,
        ``terms``, ``patterns``, ``exclude``."""
        return self._inner.themes

    def check(self) -> list[dict[str, Any]]:
        """The warnings of ``qualkit codebook check`` (dicts of ``line``, ``theme``,
        ``message``); an empty list when the codebook is clean."""
        return self._inner.check()

    def test(self) -> dict[str, Any]:
        """Runs the codebook's examples and counterexamples (``qualkit codebook test``):
        ``{"passed": n, "failures": [{"theme", "kind", "text", "line", "reason"}, …]}``."""
        return self._inner.test()

    def code(self, texts: Sequence[str] | Any) -> pa.Table:
        """Codes each text: a table with one row per mention, of ``row`` (the text's index),
        ``theme``, ``start`` and ``end`` (character offsets: ``texts[row][start:end]`` is
        the mention), ``text``, ``rule_kind``, ``rule`` and ``rule_theme`` (as in
        ``mentions.csv``). Mentions roll up to parent themes. Null texts have none."""
        batch = self._inner._code_array(_strings(texts))
        return pa.Table.from_batches([batch])

    def code_batch(self, batch: pa.RecordBatch, text_column: str = "text") -> pa.RecordBatch:
        """Codes the column ``text_column`` of a record batch (for engines that map over
        Arrow batches, e.g. Spark's ``mapInArrow``): one row per mention, with the batch's
        other columns, then ``theme``, ``start``, ``end``, ``text``, ``rule_kind``,
        ``rule``, ``rule_theme``."""
        return self._inner._code_batch(batch, text_column)

    def __repr__(self) -> str:
        return repr(self._inner)
