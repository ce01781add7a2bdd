"""WeasyPrint's C libraries, loaded without a compiler (see _load_weasyprint_libraries)."""

from __future__ import annotations

import ctypes.util
import sys


def _load_weasyprint_libraries() -> None:
    """Load WeasyPrint's C libraries by their file names only.

    WeasyPrint tries several names per library ('libgobject-2.0-0', 'gobject-2.0', ...,
    'libgobject-2.0.so.0'); each name dlopen() cannot load directly goes to
    ctypes.util.find_library, which runs ldconfig and gcc (three gcc runs per build, and the
    zero-byte temporary files gcc leaves when the build stops it early). Every list ends in a
    name the dynamic loader finds by itself, so the search is skipped; only if that fails is the
    import tried again the slow way.
    """
    if "weasyprint.text.ffi" in sys.modules:
        return
    real = ctypes.util.find_library
    ctypes.util.find_library = lambda _name: None
    try:
        import weasyprint.text.ffi  # noqa: F401
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = real
    import weasyprint.text.ffi  # noqa: F401, F811 - the slow way, only if the fast one failed


_load_weasyprint_libraries()      # on import: the render host imports this module before WeasyPrint
