"""Process start-up: exempt what the imports created from garbage collection, once per process.

pandas, matplotlib, seaborn, nbconvert and papermill leave well over 100,000 objects that
live as long as the process. Every full collection rescans them: 0.04-0.08 s each,
measured in a report kernel while it drew the chart and in the renderer while it exported
a page. ``gc.freeze`` moves them to the permanent generation; objects created later are
collected as usual.
"""

from __future__ import annotations

import gc
from functools import cache


@cache
def freeze_imported_objects() -> None:
    """Freeze the objects that exist now (call once the heavy imports are done; later calls do nothing)."""
    gc.freeze()
