"""The values a column of the curated tables may hold (the models in :mod:`.models` allow only these)."""

from __future__ import annotations

MEASURES = (
    "stock",
    "share",
    "rate",
    "score",
    "annual_flow",
    "annual_growth_rate",
    "period_total",
    "status",
)
#: measures that only accumulate: met before the target year, they stay met (METHOD §6 "early achievement")
ACCUMULATING = ("stock", "period_total")
DIRECTIONS = ("higher", "lower")
#: what a unit or an indicator counts (units.csv, indicators.csv ``magnitude``): ``absolute`` an amount that grows
#: with a region's size (people, firms, patents, yuan), ``relative`` a rate, share, score or count per person or firm
MAGNITUDES = ("absolute", "relative")
LEVELS = ("national", "province", "prefecture", "district")
ATTRIBUTES = ("约束性", "预期性")
TARGET_KINDS = ("point", "lower_bound", "upper_bound", "range", "qualitative", "missing")
VALUE_QUALIFIERS = ("exact", "approx", "lower_bound", "upper_bound")
METHODS = ("stated", "derived")
GROWTH_PHRASES = ("times_increase", "ratio", "percent_increase", "pp_increase")
PROXY_KINDS = ("related_indicator", "parent_region", "previous_plan_record")
TIERS = ("A", "B", "C")  # A official site or bulletin, B national news agency or state medium, C identified copy
#: what is wrong with an observation's quote (observations.csv ``quote_issue``, several separated by ``;``): the
#: row's grade is one tier lower and the report says why; the words for each code are in the catalogues
QUOTE_ISSUES = (
    "garbled",  # the stored copy's text is garbled (mixed encodings, pinyin residues: 發(fā)明 for 发明)
    "wording_differs",  # the sentence's wording differs from the indicator (有效…授权量 used as annual grants)
)
USES = ("yes", "no")  # "no": a conflicting value kept as data but not used (the note says why)
#: how an ambiguous target was read; the words for each code are in present/catalogue/*.toml
READINGS = (
    "previous_total_as_baseline",
    "total_over_plan",
    "new_over_plan",
    "target_year_inferred",
    "annual_or_total_ambiguous",
    "completion_counts_more",
    "completion_counts_other",
    "same_series_as_other_table",
)
#: where figures of an indicator are usually published (``published.csv``); the words for each are in the catalogues
CHANNELS = (
    "cnipa_statistics",  # the national IP office's statistics: annual report, monthly data, press conferences
    "copyright_registrations",  # copyright administrations' registration statistics
    "statistical_bulletin",  # the statistics bureau's annual communiqué
    "value_added_release",  # IP office and statistics bureau releases on IP-intensive industries' value added
    "satisfaction_survey",  # the survey report on public satisfaction with IP protection
    "pledge_registration",  # the IP office's pledge-registration figures (national and provincial releases)
    "court_white_paper",  # courts' white papers on judicial IP protection
    "protection_centre",  # the IP protection centre's own reports and site (pre-examination)
    "designation_lists",  # lists of designated or approved bodies (demonstration, pilot, centre, base)
    "ip_service_survey",  # the IP office's yearly statistical survey of the IP service industry
    "local_ip_office",  # the local IP office's (market regulator's) work summaries, reviews and press conferences
    "plan_review",  # only the region's own review of a finished plan reports it
)
#: how an indicator is computed from others (indicators.csv ``relation``); METHOD §6 "part of the period reported"
RELATIONS = ("sum_of_flow", "difference_of_stock", "per_10k")
DEFINITIONS = ("same", "differ")  # whether the related series counts the same thing (checked against the quotes)
#: readings of a column that could also be read the other way (a year's value, not a period total): the
#: assessment judges the target under both and marks it fragile where they differ (METHOD §6)
TWO_WAY_READINGS = ("previous_total_as_baseline", "annual_or_total_ambiguous")
YEAR_RANGE = (1990, 2050)
