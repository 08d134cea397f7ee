"""Text of snn dialect attributes, without a Python loop per element.

Arrays become MLIR's hex form of dense elements (``dense<"0x...">``: the raw
little-endian bytes, which the parser reads without tokenizing a number per
element); long synapse lists become ``dense_resource`` blobs appended to
the module, which the parser maps without copying or hashing. Scalars are
printed so that they read back bit for bit.
"""

import numpy as np

# Synapse arrays at least this long go to resource blobs.
RESOURCE_MIN_ELEMENTS = 4096

_ELEMENT = {np.dtype("<f4"): "f32", np.dtype("<i4"): "i32"}


def number(value, dtype=np.float64):
    """The shortest decimal that reads back as the same `dtype` value, in
    a form MLIR's float literal accepts (always with a '.')."""
    return np.format_float_scientific(dtype(value), unique=True, trim="0")


def f64(value):
    """A float attribute of type f64."""
    return f"{number(value)} : f64"


def tensor_type(shape, element="f32"):
    dims = "x".join(str(int(d)) for d in shape)
    return f"tensor<{dims}x{element}>" if dims else f"tensor<{element}>"


def splat(value, shape):
    """dense<v> : tensor<shape x f32>."""
    return f"dense<{number(value, np.float32)}> : {tensor_type(shape)}"


def hex_dense(array, shape=None, dtype="<f4"):
    """dense<"0x..."> of `array` cast to `dtype`, typed with `shape`."""
    a = np.ascontiguousarray(array, dtype=np.dtype(dtype))
    shape = a.shape if shape is None else shape
    return f'dense<"0x{a.tobytes().hex().upper()}"> : ' \
        f"{tensor_type(shape, _ELEMENT[np.dtype(dtype)])}"


def values(array, shape):
    """A per-neuron parameter: a splat when every value is the same."""
    a = np.asarray(array, dtype=np.float32)
    if a.size == 0:
        raise ValueError("empty parameter array")
    flat = a.reshape(-1)
    if a.ndim == 0 or np.all(flat == flat[0]):
        return splat(flat[0], shape)
    return hex_dense(a, shape)


class Resources:
    """The module's dialect_resources section: named blobs of raw bytes."""

    def __init__(self):
        self._blobs = {}

    def elements(self, key, array, dtype):
        """dense_resource<key> for long arrays, dense hex for short ones."""
        a = np.ascontiguousarray(array, dtype=np.dtype(dtype)).reshape(-1)
        if a.size < RESOURCE_MIN_ELEMENTS:
            return hex_dense(a, dtype=dtype)
        base, k = key, 1
        while key in self._blobs:  # names that differ only in punctuation
            k += 1
            key = f"{base}_{k}"
        self._blobs[key] = a
        return f"dense_resource<{key}> : " \
            f"{tensor_type(a.shape, _ELEMENT[np.dtype(dtype)])}"

    def text(self):
        if not self._blobs:
            return ""
        # A blob is its alignment (uint32, little endian) then its bytes.
        lines = [f'      {k}: "0x{np.uint32(a.itemsize).tobytes().hex()}'
                 f'{a.tobytes().hex()}"' for k, a in self._blobs.items()]
        return ("{-#\n  dialect_resources: {\n    builtin: {\n"
                + ",\n".join(lines) + "\n    }\n  }\n#-}\n")
