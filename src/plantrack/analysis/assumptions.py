"""What an assessment assumes, validated once where it is made: readings, growth model, damping, as-of year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from ..data.params import ParameterError, one_of

TimesReading = Literal["increase", "multiple"]
TIMES_READINGS: tuple[str, ...] = ("increase", "multiple")

GROWTH_MODELS: tuple[str, ...] = ("observed", "damped", "linear")
GrowthModel = Literal["observed", "damped", "linear"]


@dataclass(frozen=True)
class Assumptions:
    """What an assessment assumes; every field is a parameter of the notebooks and the CLI.

    ``growth_model`` picks the central projection (and the growth R is judged on):
    ``observed`` = the previous plan's CAGR, ``damped`` = ``damping`` × that rate, ``linear`` =
    the same absolute yearly change. ``custom_growth`` replaces the observed rate (a what-if).
    ``as_of``: the year of the assessment; only observations up to it are used (None: this year,
    read from the clock). Checked once, here: a wrong value raises :class:`ParameterError`.
    """

    times_reading: TimesReading = "increase"
    damping: float = 0.5
    custom_growth: float | None = None  # overrides the observed growth (a what-if), per year or per period
    growth_model: GrowthModel = "observed"
    as_of: int | None = None

    def __post_init__(self) -> None:
        check_assumptions(self.times_reading, self.damping, self.growth_model, self.as_of)

    @property
    def year(self) -> int:
        """The as-of year: ``as_of``, or the current calendar year."""
        return self.as_of if self.as_of is not None else current_year()


def current_year() -> int:
    """This calendar year, from the clock."""
    return datetime.date.today().year


def check_assumptions(
    times_reading: str, damping: float, growth_model: str = "observed", as_of: int | None = None
) -> None:
    """The reading of 增长N倍 and the growth model are known, damping lies in [0, 1], as_of is a plausible year."""
    one_of("times_reading", times_reading, TIMES_READINGS)
    one_of("growth_model", growth_model, GROWTH_MODELS)
    if not 0 <= damping <= 1:
        raise ParameterError(f"damping must be between 0 and 1, not {damping}")
    if as_of is not None and not (isinstance(as_of, int) and 2000 <= as_of <= current_year() + 1):
        raise ParameterError(f"as_of must be a year from 2000 to {current_year() + 1}, not {as_of!r}")
