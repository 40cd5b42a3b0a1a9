"""Data layer: table schemas, reading, validation, provenance, loading, caches and safe writes."""

from .tables import PlanData, bundled_data_dir, load
from .validation import DataError, Problem

__all__ = ["DataError", "PlanData", "Problem", "bundled_data_dir", "load"]
