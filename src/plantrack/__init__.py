"""plantrack: Chinese five-year IP plan targets as data, compared, assessed and reported.

Layers, imports pointing down only: ``app`` → ``present`` → ``analysis`` → ``data``.
"""

from .data import DataError, PlanData, Problem, bundled_data_dir, load

__all__ = ["DataError", "PlanData", "Problem", "bundled_data_dir", "load"]
__version__ = "0.2.0"
