"""The scalar in a TensorBoard ``Summary.Value``: ``simple_value`` or a TF2 scalar tensor.

Legacy writers (tensorboardX, ``torch.utils.tensorboard``, SB3) store a float32
``simple_value``. TF2 writers (``tf.summary.scalar``, Keras, flax/clu) store a rank-0
TensorProto of the "scalars" plugin, in any numeric dtype, its value either in the typed
repeated field or in ``tensor_content`` bytes. Values of other plugins (images,
histograms, text, hparams, ...) are never decoded: the tensor stays an opaque byte string.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..data import Notice
from . import tfevents_proto as proto

SCALARS_PLUGIN = "scalars"      # the plugin whose tensors TensorBoard's scalar dashboard reads
DATA_CLASS_SCALAR = 1           # tensorboard.DataClass.DATA_CLASS_SCALAR (newer TF writers)

# TensorProto dtype -> (the repeated field holding its values, numpy dtype of tensor_content).
# half and bfloat16 keep their 16 bits in ``half_val`` (int32) and are widened by _widen.
_TENSOR_FIELDS: dict[int, tuple[str, str]] = {
    1: ("float_val", "<f4"), 2: ("double_val", "<f8"), 3: ("int_val", "<i4"),
    4: ("int_val", "<u1"), 5: ("int_val", "<i2"), 6: ("int_val", "<i1"),
    9: ("int64_val", "<i8"), 10: ("bool_val", "<?"), 14: ("half_val", "bfloat16"),
    17: ("int_val", "<u2"), 19: ("half_val", "half"), 22: ("uint32_val", "<u4"),
    23: ("uint64_val", "<u8"),
}
_DTYPE_NAMES = {7: "string", 8: "complex64", 18: "complex128", 20: "resource", 21: "variant"}
_KIND_NAMES = {"image": "images", "histo": "histograms", "audio": "audio",
               "obsolete_old_style_histogram": "histograms"}


def _widen(bits: np.ndarray, kind: str) -> np.ndarray:
    """16-bit floats given as their bit patterns -> float64."""
    bits = bits.astype(np.uint16)
    if kind == "bfloat16":
        return (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return bits.view(np.float16).astype(np.float64)


def tensor_scalar(raw: bytes) -> float | str:
    """The number in a serialized rank-0 TensorProto, or (a str) why there is none."""
    tensor = proto.TensorProto.FromString(raw)
    sizes = [dim.size for dim in tensor.tensor_shape.dim]
    if any(size != 1 for size in sizes):
        return f"a tensor of shape {sizes}, not a scalar"
    field, kind = _TENSOR_FIELDS.get(tensor.dtype, ("", ""))
    if not field:
        return f"a tensor of dtype {_DTYPE_NAMES.get(tensor.dtype, tensor.dtype)}, not a number"
    if tensor.tensor_content:
        raw_kind = "<u2" if field == "half_val" else kind
        values = np.frombuffer(tensor.tensor_content, dtype=raw_kind)
    else:
        values = np.asarray(getattr(tensor, field) or [0])   # TensorFlow: no values means zero
    if values.size != 1:
        return f"{values.size} values in a tensor of shape {sizes}"
    if field == "half_val":
        values = _widen(values, kind)
    return float(values[0])


class ScalarTags:
    """Reads the scalar of each Summary.Value and remembers what every other tag holds.

    TF2 writers put a tag's metadata (its plugin) only on the tag's first value in each
    file, so the verdict "this tag's tensors are scalars" is kept across values and files.
    """

    def __init__(self, warn: Callable[[Notice], None]) -> None:
        self._warn = warn
        self.plugins: dict[str, str] = {}   # non-scalar tag -> what it holds ("images", "text", ...)
        self._scalar_tensor: dict[str, bool] = {}
        self._warned: set[str] = set()

    def value(self, path: str, tag: str, value) -> float | None:
        """The number ``value`` holds, or None when it is not a scalar (left undecoded)."""
        kind = value.WhichOneof("value")
        if kind == "simple_value":
            return value.simple_value
        if kind == "tensor":
            if value.HasField("metadata"):
                self._note_plugin(tag, value.metadata)
            if self._scalar_tensor.get(tag, False):
                return self._tensor(path, tag, value.tensor)
            self.plugins.setdefault(tag, "tensors")
        elif kind is not None:
            self.plugins.setdefault(tag, _KIND_NAMES.get(kind, kind))
        return None

    def _note_plugin(self, tag: str, meta) -> None:
        plugin = meta.plugin_data.plugin_name
        scalar = plugin == SCALARS_PLUGIN or meta.data_class == DATA_CLASS_SCALAR
        self._scalar_tensor[tag] = scalar
        if not scalar and plugin:
            self.plugins[tag] = plugin

    def _tensor(self, path: str, tag: str, raw: bytes) -> float | None:
        number = tensor_scalar(raw)
        if isinstance(number, float):
            return number
        if tag not in self._warned:   # once per tag: a writer that does it once does it always
            self._warned.add(tag)
            self._warn(Notice(f"tag '{tag}' of the scalars plugin holds {number}; "
                              "such values were skipped", file=path))
        return None
