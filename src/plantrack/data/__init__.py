"""Data layer: table schemas, reading, validation, provenance, loading, caches and safe writes."""

from .problems import DataError, Problem
from .tables import PlanData, bundled_data_dir, load

__all__ = ["DataError", "PlanData", "Problem", "bundled_data_dir", "load"]
