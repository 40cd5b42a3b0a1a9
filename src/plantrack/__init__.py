"""plantrack: Chinese five-year IP plan targets as data, compared, projected and reported."""

from .data import PlanData, bundled_data_dir, load
from .validation import DataError, Problem

__all__ = ["DataError", "PlanData", "Problem", "bundled_data_dir", "load"]
__version__ = "0.1.0"
