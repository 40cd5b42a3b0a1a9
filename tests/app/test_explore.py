"""The exploration panels: set every control as a user would and check the state it leads to."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from plantrack import load
from plantrack.analysis.comparison import SHOW_ALL
from plantrack.analysis.projection import project_region
from plantrack.analysis.series import points
from plantrack.app.explore import MODELS, ActualPanel, Explorer, ProjectionPanel
from plantrack.data import PlanData

HV = "hv_invention_patents_per_10k"
NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "05_explore.ipynb"


@pytest.fixture
def panel(data) -> ProjectionPanel:
    return ProjectionPanel(data, "suzhou", HV)


def test_default_view_matches_the_engine(panel: ProjectionPanel, data) -> None:
    engine = project_region(data, "suzhou", indicators={HV}).iloc[0]
    assert panel.row["verdict"] == engine["verdict"] == "on_track"
    assert panel.row["R"] == pytest.approx(engine["R"]) == pytest.approx(2.10, abs=0.01)
    assert "快于预期" in panel.verdict.value and "R = 2.10" in panel.verdict.value
    assert panel.series["target"] == {"year": [2025], "value": [32.0]}
    assert panel.series["required"] == {"year": [2020, 2025], "value": [20.23, 32.0]}
    assert panel.series["band"]["central"][-1] == pytest.approx(engine["projection_central"])
    assert bytes(panel.chart.value) == panel.png and panel.png.startswith(b"\x89PNG")
    assert [label for label, _ in panel.indicator.options][:1] == ["万人高价值发明专利拥有量（件）"]


def test_growth_model_changes_the_verdict(panel: ProjectionPanel) -> None:
    rs = {}
    for model in ("damped", "linear", "observed"):
        panel.model.value = model
        rs[model] = panel.row["R"]
        assert panel.row["assumed_growth"] == pytest.approx(panel.row["R"] * panel.row["required_growth"])
    assert rs["damped"] == pytest.approx(rs["observed"] / 2)
    assert rs["linear"] < rs["observed"]
    panel.model.value = "custom"
    assert not panel.custom_growth.disabled
    panel.custom_growth.value = 0.02
    assert panel.row["verdict"] == "insufficient" and "明显滞后" in panel.verdict.value
    assert panel.row["assumed_growth"] == pytest.approx(0.02)
    panel.model.value = "observed"
    assert panel.custom_growth.disabled and panel.row["verdict"] == "on_track"


def test_damping_moves_the_damped_projection(panel: ProjectionPanel) -> None:
    panel.model.value = "damped"
    half = panel.row["projection_central"]
    panel.damping.value = 0.8
    assert panel.row["projection_central"] > half
    assert panel.row["assumed_growth"] == pytest.approx(0.8 * panel.row["observed_growth"])


def test_times_reading_turns_on_track_into_acceleration_needed(panel: ProjectionPanel) -> None:
    panel.times_reading.value = "multiple"
    assert panel.row["verdict"] == "acceleration_needed"
    assert panel.row["R"] == pytest.approx(0.89, abs=0.01)
    assert "需加快" in panel.verdict.value


def test_target_year_moves_the_target_and_the_required_path(panel: ProjectionPanel) -> None:
    assert (panel.target_year.min, panel.target_year.value) == (2021, 2025)
    panel.target_year.value = 2023
    assert panel.row["target_year"] == 2023
    assert panel.series["target"]["year"] == [2023]
    assert panel.series["band"]["year"] == [2020, 2023]
    assert panel.row["required_growth"] > 0.0961


def test_region_and_indicator_controls(panel: ProjectionPanel) -> None:
    panel.region.value = "tongzhou"
    assert panel.indicator.value == HV  # kept: Tongzhou targets it too
    assert panel.row["region_id"] == "tongzhou"
    panel.region.value = "china"
    assert panel.row["target_year"] == 2025 and panel.row["region_id"] == "china"
    ids = [v for _, v in panel.indicator.options]
    other = next(i for i in ids if i != panel.indicator.value)
    panel.indicator.value = other
    assert panel.row["indicator_id"] == other


def test_comparison_across_levels(dataset: PlanData) -> None:
    """Every region whose plan targets the indicator, in the order of regions.csv, each named; a gap is said."""
    panel = ProjectionPanel(dataset, "suzhou", HV)
    regions = list(panel.table["region_id"])
    targeting = dataset.lookup.targeting[HV]
    assert len(targeting) <= SHOW_ALL and regions == sorted(targeting, key=targeting.__getitem__)
    assert {"china", "jiangsu", "suzhou", "tongzhou"} <= set(regions)  # the country, a province, a city, a district
    html = panel.comparison.value
    for region in regions:
        assert dataset.region_name(region, "zh") in html
    assert "南通市无此指标目标" in html  # Tongzhou's parent has no target of its own


def test_text_from_data_is_escaped(data_copy: Path, edit_cell) -> None:
    edit_cell(data_copy / "regions.csv", 4, "name_zh", "<b>苏州市</b>")
    data = load(data_copy)
    p = ProjectionPanel(data, "suzhou", HV)
    assert "&lt;b&gt;苏州市&lt;/b&gt;" in p.comparison.value and "<b>苏州市</b>" not in p.comparison.value


def test_fallback_is_the_default_view_and_self_contained(data) -> None:
    ex = Explorer(data, "suzhou", HV)
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert "JupyterLab" in html and "快于预期" in html and "<script" not in html
    png = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", html)
    assert png and base64.b64decode(png.group(1)) == ex.projection.png
    ex.projection.model.value = "damped"
    assert ex._repr_mimebundle_()["text/html"] == html  # the static view stays the default one


def test_exported_notebook_shows_the_static_view(tmp_path: Path) -> None:
    """As JupyterLab saves it by default (no widget state), the HTML export shows the fallback."""
    from nbconvert import HTMLExporter

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}},
                   store_widget_state=False).execute()  # fmt: skip
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert "plantrack-explore-static" in html and "data:image/png;base64," in html
    assert "JupyterLab" in html
    assert 'type="application/vnd.jupyter.widget-view+json"' not in html


# ---------------------------------------------------------------- the actual-value form


def _fill(panel: ActualPanel, **values: str) -> None:
    for name, value in values.items():
        getattr(panel, name).value = value


CITATION = {
    "quote": "2023年末，全市每万人口高价值发明专利拥有量达27.5件。",
    "title": "2023年苏州市知识产权发展与保护状况",
    "issuer": "苏州市知识产权局",
    "date": "2024-04-26",
    "url": "https://example.org/suzhou-ip-2023",
    "tier": "A",
}


def test_preview_updates_the_projection_at_once(data) -> None:
    ex = Explorer(data, "suzhou", HV)
    form = ex.actual
    _fill(form, year="2023", value="27.5")
    assert form.previewing
    row = ex.projection.row
    assert (row["latest_year"], row["latest_value"]) == (2023, 27.5)
    assert ex.projection.series["history"]["year"] == [2020, 2023]
    assert "尚未保存" in form.status.value
    assert form.saved_data is data and len(data.observations) == len(load(data.data_dir).observations)  # unchanged
    form.undo_button.click()
    assert ex.projection.row["latest_year"] == 2020


def test_invalid_input_gets_a_message_next_to_the_field(data) -> None:
    form = Explorer(data, "suzhou", HV).actual
    _fill(form, year="20x3", value="27.5")
    assert "年份" in form.messages["year"].value and not form.previewing
    _fill(form, year="2023", value="abc")
    assert "数字" in form.messages["value"].value and form.messages["year"].value == ""
    _fill(form, value="27.5")
    assert form.previewing
    assert not form.save()  # no quote, no citation
    for field in ("quote", "title", "issuer", "url"):
        assert form.messages[field].value, field
    _fill(
        form, quote="全市每万人口高价值发明专利拥有量达27件", title="x", issuer="y", date="2024", url="https://e.org/a"
    )
    assert not form.save()
    assert "找不到数值 27.5" in form.messages["quote"].value


def test_save_writes_after_validation_and_never_overwrites_silently(data_copy: Path) -> None:
    ex = Explorer(load(data_copy), "suzhou", HV)
    form = ex.actual
    before = (data_copy / "observations.csv").read_bytes()
    _fill(form, year="2023", value="27.5", **CITATION)
    form.save_button.click()
    after = (data_copy / "observations.csv").read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    assert "已保存" in form.status.value and "sources.csv" in form.status.value
    assert len(load(data_copy).observations) == before.count(b"\n")
    assert ex.projection.row["latest_year"] == 2023 and not form.previewing

    _fill(form, value="28", quote="达28件")
    form.source.value = "added_suzhou_20240426"  # the source just added
    assert not form.save()
    assert "不会覆盖" in form.messages["year"].value
    assert (data_copy / "observations.csv").read_bytes() == after
    form.replace.value = True
    assert not form.save()  # the quote must be in the source's stored text
    assert "找不到这段文字" in form.messages["quote"].value
    form.source.value = ""  # a revised figure from a new source: its quote is stored as its text
    _fill(form, **{**CITATION, "quote": "修订后，2023年末全市每万人口高价值发明专利拥有量达28件。"})
    assert form.save()
    assert "替换了原有的行" in form.status.value
    obs = load(data_copy).observations
    mine = (obs["region_id"] == "suzhou") & (obs["indicator_id"] == HV) & (obs["year"] == 2023)
    assert obs[mine]["value"].tolist() == [28.0]


def test_indicator_change_drops_the_preview_and_offers_its_units(data) -> None:
    ex = Explorer(data, "suzhou", HV)
    _fill(ex.actual, year="2023", value="27.5")
    ex.projection.indicator.value = "new_works_registrations"
    assert not ex.actual.previewing and ex.projection.data is data
    assert ex.actual.unit.options[:2] == (("件", "件"), ("万件", "万件"))


def test_every_control_has_a_test(panel: ProjectionPanel) -> None:
    """A control added to the panel fails this until a test above sets it."""
    assert [c.description for c in panel.controls()] == [
        "地区", "指标", "增速假设", "自定义年增速", "减速系数", "目标年份", "“增长N倍”",
    ]  # fmt: skip
    assert set(MODELS) == {"observed", "custom", "damped", "linear"}


def test_method_line_is_in_chinese(panel: ProjectionPanel) -> None:
    text = panel.method_html()
    assert "证据等级：替代指标" in text and "万人发明专利拥有量：2015年 27.43 → 2020年 68.85" in text
    assert "compound annual" not in text and "reading" not in text
    panel.model.value = "damped"
    assert "中值按减速增速（实际增速×0.5），相当于 +10.1%/年" in panel.method_html()


# ---------------------------------------------------------------- speed without a different view


def _pixels(png: bytes):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def test_a_chart_moved_in_place_shows_what_a_new_one_shows(data) -> None:
    """Changes of assumption redraw only the data over a kept background: pixel for pixel a full draw."""
    from plantrack.app.explore import LiveChart as _LiveChart

    panel = ProjectionPanel(data, "suzhou", HV)
    for change in (("model", "damped"), ("damping", 0.8), ("target_year", 2024), ("model", "custom"),
                   ("custom_growth", 0.3), ("target_year", 2031)):  # fmt: skip
        getattr(panel, change[0]).value = change[1]
        fresh = _LiveChart()
        fresh.margins = panel._chart.margins  # the same margins: only the drawing is compared
        pts = points(data, "suzhou", HV, "increase")
        again = _pixels(fresh.png(("x",), pts, panel.row))
        moved = _pixels(panel.png)
        assert moved.shape == again.shape
        assert (abs(moved - again).sum(axis=2) > 60).mean() < 0.001, change  # the 128-colour palette rounds a little


def test_redrawing_keeps_every_glyph(data, recwarn: pytest.WarningsRecorder) -> None:
    panel = ProjectionPanel(data, "suzhou", HV)
    panel.region.value = "tongzhou"
    panel.indicator.value = [v for _, v in panel.indicator.options][-1]
    panel.times_reading.value = "multiple"
    panel.region.value = "jiangsu"
    assert not [w for w in recwarn if "Glyph" in str(w.message)]


def test_kept_comparison_is_the_one_the_assumptions_give(data) -> None:
    """The comparison across levels is kept per region, indicator and reading: other assumptions do not change it."""
    from plantrack.analysis.comparison import compare

    panel = ProjectionPanel(data, "suzhou", HV)
    for model, damping, growth in (("damped", 0.3, 0.1), ("linear", 0.5, 0.1), ("custom", 0.5, 0.25)):
        panel.model.value, panel.damping.value = model, damping
        panel.custom_growth.value = growth
        fresh = compare(data, HV, panel.assumptions(), region="suzhou")
        assert panel.table.equals(fresh), model
        assert panel.comparison.value == panel.comparison_html()
    panel.times_reading.value = "multiple"
    assert panel.table.equals(compare(data, HV, panel.assumptions(), region="suzhou"))


def test_a_preview_is_not_served_from_the_kept_results(data) -> None:
    ex = Explorer(data, "suzhou", HV)
    before = ex.projection.series["history"]["year"]
    _fill(ex.actual, year="2023", value="27.5")
    assert ex.projection.series["history"]["year"] == [*before, 2023]
    ex.actual.undo()
    assert ex.projection.series["history"]["year"] == before


def test_a_dragged_slider_redraws_once_with_the_latest_value(data, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a kernel (an event loop runs), values arriving while a redraw waits are gathered into one redraw."""
    import asyncio

    from plantrack.app import explore

    panel = ProjectionPanel(data, "suzhou", HV)
    panel.model.value = "damped"
    redraws = []
    real = panel.update
    monkeypatch.setattr(panel, "update", lambda: (redraws.append(panel.damping.value), real()))

    async def drag() -> None:
        for value in (0.55, 0.6, 0.65, 0.7, 0.75, 0.8):
            panel.damping.value = value  # as the front end sends them while the hand moves
        assert redraws == []  # nothing drawn yet: the handler returned at once
        await asyncio.sleep(explore.SLIDE_DELAY * 4)

    asyncio.run(drag())
    assert redraws == [0.8]
    assert panel.row["assumed_growth"] == pytest.approx(0.8 * panel.row["observed_growth"])
    panel.damping.value = 0.3  # no event loop: at once, as in a script
    assert redraws == [0.8, 0.3]


# ---------------------------------------------------------------- targets without data, tables


def _target_without_data(data) -> tuple[str, str]:
    """A region and indicator whose chart has no dated point (no history, no projection, no baseline)."""
    from plantrack.present.charts import has_dated_points, path_series

    for region in data.region_ids():
        if region not in data.lookup.region_plans:
            continue
        for row in project_region(data, region).to_dict("records"):
            pts = points(data, region, row["indicator_id"], "increase", row["as_of"])
            if not has_dated_points(path_series(pts, row)):
                return region, str(row["indicator_id"])
    pytest.skip("every target of the data has a dated point")


def test_a_target_without_data_is_drawn_over_the_plans_years(data) -> None:
    """Not an axis from 0 to 1: the plan's base year to the target year, with a note that there is no data yet."""
    from plantrack.analysis.plans import plan_span
    from plantrack.present.charts import NO_DATA

    region, indicator = _target_without_data(data)
    panel = ProjectionPanel(data, region, indicator)
    ax = panel._chart.fig.axes[0]
    start, end = plan_span(data, panel.plan)
    assert ax.get_xlim() == (start - 1, max(end, int(panel.row["target_year"])))
    assert [t for t in ax.texts if t.get_gid() == NO_DATA and t.get_visible()]
    panel.target_year.value = panel.target_year.max  # moved in place: the axis follows the target year
    assert ax.get_xlim() == (start - 1, panel.target_year.max)
    panel.region.value, panel.indicator.value = "suzhou", HV  # a chart with data: the note goes
    assert not [t for t in ax.texts if t.get_gid() == NO_DATA]
    assert ax.get_xlim()[0] > 1000


def test_comparison_table_is_built_by_the_table_helper(panel: ProjectionPanel) -> None:
    """One <table> from present.htmltable (escaped cells, this region's row marked), numbers from present.formats."""
    from plantrack.present.words import words

    html = panel.comparison.value
    assert html.count("<table") == 1 and '<table class="plantrack-compare">' in html
    assert html.count('<tr class="self">') == 1
    suzhou = panel.table[panel.table["region_id"] == "suzhou"].iloc[0]
    assert words("zh").growth(suzhou["required_growth"], "year") in html
    assert "style='background" not in html and "border='1'" not in html


# ---------------------------------------------------------------- the explorer in English

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def _words_shown(widget) -> list[str]:
    """Every text a widget and its children show: descriptions, placeholders, option labels, HTML."""
    import ipywidgets as W

    found = [getattr(widget, "description", ""), getattr(widget, "placeholder", "")]
    if isinstance(widget, W.Dropdown):
        found += [label for label, _ in widget.options]
    if isinstance(widget, W.HTML):
        found.append(widget.value)
    for child in getattr(widget, "children", ()):
        found += _words_shown(child)
    return [t for t in found if t]


def test_the_explorer_works_in_english(data) -> None:
    """With lang="en" no control, message or text is Chinese, except the data's own wording: plans' targets and
    sources' titles as written, and units as the sources write them (the value is typed in the quote's unit)."""
    from plantrack.data.entry import units_for

    ex = Explorer(data, "suzhou", HV, lang="en")
    form = ex.actual
    _fill(form, year="20x3", value="27.5")  # a message beside the year
    assert "whole number" in form.messages["year"].value
    _fill(form, year="2023", value="27.5")
    assert form.previewing and "Preview" in form.status.value
    assert not form.save()  # no quote, no citation: messages beside those fields
    assert "Not saved" in form.status.value and form.messages["quote"].value
    quoted = {*data.targets["target_text"].dropna().astype(str), *data.sources["title"].astype(str)}
    quoted |= {u for i in data.indicators["indicator_id"] for u in units_for(data, i)} - {""}
    shown = [*_words_shown(ex.box), ex.fallback, ex.projection.summary()]
    for region in [r for _, r in ex.projection.region.options]:
        ex.projection.region.value = region
        shown += [*_words_shown(ex.box), ex.projection.summary()]
    for model in MODELS:
        ex.projection.model.value = model
        shown += [ex.projection.method.value, ex.projection.verdict.value]
    chinese = []
    for text in shown:
        for q in sorted(quoted, key=len, reverse=True):
            text = text.replace(q, "")
        if CJK.search(text):
            chinese.append(text)
    assert chinese == []
    assert [c.description for c in ex.projection.controls()][:3] == ["Region", "Indicator", "Growth"]
    assert "Suzhou" in ex.fallback and "Targets across levels" in ex.projection.comparison.value


def test_the_explorer_refuses_a_language_without_words(data) -> None:
    from plantrack.data.params import ParameterError

    with pytest.raises(ParameterError, match="valid values: zh, en"):
        Explorer(data, "suzhou", HV, lang="fr")
