"""Modules loaded when first used (the standard library's `importlib.util.LazyLoader`), so
`corpus --help` and `corpus list` do not pay for what only adding needs: trafilatura and
jusText (cleaning), datasketch with numpy and scipy (near-duplicates), the quote extractor."""
from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    """The module `name`, its code run on first attribute access. Its parent package is
    imported now, so name only modules whose parents are cheap (corpus's own)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
