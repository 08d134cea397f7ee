"""Makes `import pyNN.snnc` work from the build tree.

An installed snnc links the backend into PyNN's package folder
(docs/pynn.md). In the build tree the backend is build/python/pyNN_backend/snnc;
PyNN is a regular package, so its search path can take one more folder:
SNNC_PYNN_DIR names it (ctest sets it), else the folder is taken from the
`snnc` package found on sys.path.
"""

import os

import pyNN

_dir = os.environ.get("SNNC_PYNN_DIR")
if not _dir:
    import snnc
    _dir = os.path.join(os.path.dirname(os.path.dirname(snnc.__file__)), "pyNN_backend")
if os.path.isdir(os.path.join(_dir, "snnc")) and _dir not in pyNN.__path__:
    pyNN.__path__.append(_dir)
