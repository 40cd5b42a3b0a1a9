"""What an assessment assumes, validated once where it is made: readings, growth model, damping, as-of year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..data.params import ParameterError, _one_of

TimesReading = Literal["increase", "multiple"]
TIMES_READINGS: tuple[str, ...] = ("increase", "multiple")

GROWTH_MODELS: tuple[str, ...] = ("observed", "damped", "linear")
GrowthModel = Literal["observed", "damped", "linear"]


@dataclass(frozen=True)
class Assumptions:
    """What a projection assumes; every field is a parameter of the notebooks and the CLI.

    ``growth_model`` picks the central projection (and the growth R is judged on):
    ``observed`` = the 13th-plan CAGR, ``damped`` = ``damping`` × that rate, ``linear`` =
    the same absolute yearly change. ``custom_growth`` replaces the observed rate (a what-if).
    """

    times_reading: TimesReading = "increase"
    damping: float = 0.5
    custom_growth: float | None = None  # overrides the observed growth (a what-if), per year or per period
    growth_model: GrowthModel = "observed"

    def describe(self, lang: str = "en") -> str:
        """Plain-words summary for reports (``lang`` zh or en)."""
        reading = "增长N倍 = ×(1+N)" if self.times_reading == "increase" else "增长N倍 = ×N"
        central = central_growth(self.growth_model, self.damping, lang)
        if lang == "zh":
            custom = f"；增速手动设为 {self.custom_growth:.1%}" if self.custom_growth is not None else ""
            return f"“{reading}”；中值按{central}；区间取{band_scenarios(self.damping, lang)}{custom}"
        custom = f"; growth set by hand to {self.custom_growth:.1%}" if self.custom_growth is not None else ""
        return f"reading {reading}; central projection on {central}; band: {band_scenarios(self.damping, lang)}{custom}"


def central_growth(growth_model: str, damping: float, lang: str = "zh") -> str:
    """The growth the central projection uses, in words; reports, the method column and the explorer all say it so."""
    if lang == "zh":
        return {"observed": "实际增速", "damped": f"减速增速（实际增速×{damping:g}）", "linear": "线性趋势"}[
            growth_model
        ]
    return {
        "observed": "the observed growth",
        "damped": f"damped growth (observed × {damping:g})",
        "linear": "the linear trend",
    }[growth_model]


def band_scenarios(damping: float, lang: str = "zh") -> str:
    """The three scenarios whose lowest and highest ends make the projection band, in words."""
    if lang == "zh":
        return f"实际增速、减速增速（×{damping:g}）、线性趋势"
    return f"observed growth, damped growth (×{damping:g}) and a linear trend"




def check_assumptions(times_reading: str, damping: float, growth_model: str = "observed") -> None:
    """The reading of 增长N倍 and the growth model are known and the damping share lies in [0, 1]."""
    _one_of("times_reading", times_reading, TIMES_READINGS)
    _one_of("growth_model", growth_model, GROWTH_MODELS)
    if not 0 <= damping <= 1:
        raise ParameterError(f"damping must be between 0 and 1, not {damping}")


