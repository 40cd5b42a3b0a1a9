"""Rendered reports: self-contained, complete, deterministic; bad parameters write nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

from plantrack.analysis.projection import project_region, verdict_tally
from plantrack.app.cli import main
from plantrack.app.render import render
from plantrack.data import PlanData

pytestmark = pytest.mark.filterwarnings("error:.*Glyph.*missing")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    result = render(["suzhou"], out_dir=out, jobs=1, progress=False)
    assert not result.failed, result.failed
    return out


def test_report_is_self_contained(rendered: Path) -> None:
    html = (rendered / "suzhou.zh.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    for pattern in (r"""src=["']?https?:""", r"""<link[^>]+href=["']?https?:""", r"url\(\s*['\"]?https?:", r"@import"):
        assert not re.search(pattern, html, re.I), pattern
    assert "<input" not in html and "jp-InputArea" not in html, "code cells must not be exported"
    assert "injected-parameters" not in html and "region: str" not in html
    assert 'src="data:image/png;base64,' in html and "@font-face" in html


def test_report_content_matches_the_engine(rendered: Path, data: PlanData) -> None:
    html = (rendered / "suzhou.zh.html").read_text(encoding="utf-8")
    assert "苏州市知识产权规划目标进展评估" in html
    projection = project_region(data, "suzhou")
    for name in projection["name_as_written"]:
        assert name.replace("“", "&ldquo;") in html or name in html, name
    tally = verdict_tally(projection)
    chips = re.findall(
        r'<div class="count"[^>]*><b>(\d+)</b><span class="chip"[^>]*><span class="arrow">[^<]*</span> ([^<]+)</span>',
        html,
    )
    counts = {label: n for n, label in chips}
    from plantrack.present.labels import verdict

    for key, n in tally.items():
        if n:
            assert counts[verdict(key)] == str(n)
    for section in (
        "一、总体判断",
        "二、全部目标",
        "三、距离目标",
        "四、与上级和全国目标比较",
        "五、“十三五”规划完成情况",
        "六、方法与假设",
        "七、资料来源与原文",
    ):
        assert section in html
    index = (rendered / "index.html").read_text(encoding="utf-8")
    assert "suzhou.zh.html" in index and "苏州市" in index


def test_data_text_is_escaped(data_copy: Path, tmp_path: Path) -> None:
    from tests.conftest import read_rows, write_rows

    path = data_copy / "targets.csv"
    rows = read_rows(path)
    col = rows[0].index("note")
    for r in rows[1:]:
        if r[0] == "tongzhou" and r[1] == "14th":
            r[col] = "Reading: <script>alert(1)</script> & more"
    write_rows(path, rows)
    import plantrack.present.report as rpt

    ctx = rpt.context("tongzhou", data_dir=str(data_copy))
    html = rpt.full_report(ctx)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_index_tally_matches_project(tmp_path: Path, data: PlanData) -> None:
    result = render(["tongzhou"], out_dir=tmp_path, jobs=1, progress=False)
    assert result.tallies["tongzhou"] == dict(verdict_tally(project_region(data, "tongzhou")))
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "tongzhou.zh.html" in index and "通州区" in index


def test_same_data_gives_the_same_html(rendered: Path, tmp_path: Path) -> None:
    again = render(["suzhou"], out_dir=tmp_path, jobs=1, progress=False)
    assert not again.failed
    assert (tmp_path / "suzhou.zh.html").read_bytes() == (rendered / "suzhou.zh.html").read_bytes()


def test_report_size(rendered: Path) -> None:
    assert (rendered / "suzhou.zh.html").stat().st_size < 1.5e6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "mars"], "unknown region 'mars'; valid values: china, jiangsu, suzhou, tongzhou, wujiang"),
        (["--lang", "fr"], "unknown lang 'fr'; valid values: zh, en"),
        (["--target-year", "2019"], "target year 2019 is before the baseline or plan start"),
        (["--jobs", "0"], "--jobs must be at least 1"),
    ],
)
def test_bad_parameters_write_nothing(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["render", "--out", str(out), "--quiet", *args]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not out.exists()


def test_failed_region_leaves_no_html(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ipynb"
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [
        new_code_cell('region = "x"', metadata={"tags": ["parameters"]}),
        new_code_cell("raise RuntimeError('boom')"),
    ]
    nbformat.write(nb, broken)
    result = render(["wujiang"], out_dir=tmp_path / "out", jobs=1, progress=False, notebook=broken)
    assert "wujiang" in result.failed and "boom" in result.failed["wujiang"]
    assert not list((tmp_path / "out").glob("*.html"))


def test_charts_have_every_glyph() -> None:
    import plantrack.present.report as rpt

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for region in ("suzhou", "tongzhou"):
            ctx = rpt.context(region)
            assert "data:image/png" in rpt.distance_chart(ctx)
            assert "data:image/png" in rpt.indicator_chart(ctx, ctx.projection["indicator_id"].iloc[0])


def test_english_report() -> None:
    import plantrack.present.report as rpt

    html = rpt.full_report(rpt.context("suzhou", lang="en"))
    assert "Suzhou: progress towards the IP plan targets" in html and "1. Summary" in html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_report_in_headless_chromium_offline(rendered: Path, tmp_path: Path) -> None:
    shot = tmp_path / "suzhou.png"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1280,2400",
        f"--screenshot={shot}",
        (rendered / "suzhou.zh.html").as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 50_000, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line]
    assert not console, console
    failed = [line for line in proc.stderr.splitlines() if "ERR_" in line and "net::" in line]
    assert not failed, f"the report tried to load something: {failed}"


def test_chart_legend_names_the_verdict_colours() -> None:
    import matplotlib.pyplot as plt

    import plantrack.present.report as rpt
    from plantrack.analysis.verdict import CATEGORIES
    from plantrack.present.charts import distance_figure
    from plantrack.present.labels import verdict

    fig = distance_figure(rpt.context("suzhou").projection)
    names = [t.get_text() for t in fig.legends[0].get_texts()]
    plt.close(fig)
    p = rpt.context("suzhou").projection
    shown = set(p.loc[p["target_value"].notna() & p["latest_value"].notna(), "verdict"])
    assert names[-1] == "预测（中，线为区间）"
    assert names[:-1] == [f"最新值：{verdict(v)}" for v in CATEGORIES if v in shown]
    unprojected = p.assign(projection_central=None, projection_low=None, projection_high=None)
    fig = distance_figure(unprojected, "en")
    names = [t.get_text() for t in fig.legends[0].get_texts()]
    plt.close(fig)
    assert not any(n.startswith("projection") for n in names), "no projection marker where nothing is projected"
    assert all(n.startswith("latest: ") for n in names)


def test_sections_send_html_and_a_one_line_label(monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython.display

    import plantrack.present.report as rpt

    sent: list[dict] = []
    monkeypatch.setattr(IPython.display, "publish_display_data", lambda data, **kw: sent.append(data))
    section = rpt.distance_chart(rpt.context("suzhou"))
    section._ipython_display_()
    assert sent == [{"text/html": str(section), "text/plain": "[HTML] 三、距离目标"}]


def test_comparison_names_each_unit_once() -> None:
    import plantrack.present.report as rpt

    html = rpt.comparison(rpt.context("suzhou"))
    assert "知识产权保护社会满意度（分）" in html and "（分）（分）" not in html and "（）" not in html


def test_english_comparison_uses_english_names() -> None:
    import plantrack.present.report as rpt

    html = rpt.comparison(rpt.context("suzhou", lang="en"))
    assert "1.10× Jiangsu" in html and "Value added of copyright industries, share of GDP (%)" in html
    assert "江苏省" not in html and "中国" not in html


def test_render_command_skips_the_iri_grammars(tmp_path: Path) -> None:
    """jsonschema's rfc3987-syntax import costs ~1 s per `plantrack render`; the command blocks it and still works."""
    import sys

    code = (
        "import sys; from plantrack.app.cli import main; "
        f"code = main(['render', '--region', 'china', '--quiet', '--out', {str(tmp_path)!r}]); "
        "print(code, sys.modules.get('rfc3987_syntax', 'absent'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert out.stdout.split()[-2:] == ["0", "None"], out.stdout + out.stderr
    assert (tmp_path / "china.zh.html").is_file()
