"""jieba tokenizers that share one load of jieba's main dictionary per process.

Every tokenizer ihms makes is its own ``jieba.Tokenizer``, so the words one adds (a
project's user dictionary, the policy terms, a codebook's category names) never reach
another, nor jieba's global tokenizer. Loading the main dictionary takes about 0.7 s a
tokenizer; a word-count command makes two and the test suite hundreds. So the dictionary
is loaded once, and each new tokenizer starts from a copy of its word table (about
15 ms for its half-million entries): what :meth:`jieba.Tokenizer.initialize` would have
read, without reading it again.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

__all__ = ["fresh_tokenizer"]

_LOCK = threading.Lock()
_MAIN: Any = None


def fresh_tokenizer() -> Any:
    """A new ``jieba.Tokenizer`` holding jieba's main dictionary and nothing added."""
    global _MAIN
    import jieba

    with _LOCK:
        if _MAIN is None:
            jieba.setLogLevel(logging.WARNING)
            main = jieba.Tokenizer()
            main.initialize()
            _MAIN = main
    tok = jieba.Tokenizer()
    tok.FREQ = dict(_MAIN.FREQ)
    tok.total = _MAIN.total
    tok.initialized = True
    return tok
