"""The workbook as a researcher meets it: JupyterLab in headless Chromium, driven by Playwright.

A ``jupyter lab`` server (the README's command) runs on a free localhost port with a random
token, on copies of ``notebooks/`` and ``data/`` (``PLANTRACK_DATA`` points the kernels at the
copy, so the values entered here never reach ``data/``). In the page: the explorer's controls
change the verdict and R as plantrack's Python API says they should, the entry form previews,
refuses and saves; a chapter notebook and the report notebook run without error output and
show their charts; the exploration notebook exported to HTML shows its static view offline.
Every page must log no console error and send no request off the machine.

Chromium is the system one (``/usr/bin/chromium``, installed by ``.ci/run``), never a browser
downloaded by Playwright. Without it these tests skip, unless ``PLANTRACK_REQUIRE_BROWSER=1``
(set by ``.ci/run``) makes that a failure. On failure a screenshot is written to a temporary
folder (the path is printed); ``PLANTRACK_BROWSER_SHOTS=DIR`` also keeps one per step.
Run them alone with ``.venv/bin/pytest -m browser``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn

import nbformat
import psutil
import pytest

from plantrack import bundled_data_dir, load
from plantrack.analysis.assumptions import Assumptions
from plantrack.analysis.projection import project_region
from plantrack.app.explore import MODELS
from plantrack.data.entry import Entry, check_entry, preview, units_for
from plantrack.data.params import default_plan
from plantrack.data.tables import PlanData
from plantrack.data.values import present
from plantrack.present.labels import verdict as verdict_label
from plantrack.present.words import words
from tests.conftest import REPORTS

try:
    from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, Request, expect, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None  # type: ignore[assignment]

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
OFFLINE_EXPORT = NOTEBOOKS / "export_offline.json"  # nbconvert config of the README's offline export
CHROMIUM = os.environ.get("PLANTRACK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("PLANTRACK_REQUIRE_BROWSER", "") not in ("", "0")
HV = "hv_invention_patents_per_10k"
TIMEOUT_MS = 60_000  # one kernel round trip with a chart redraw takes well under a second; CI machines vary
RUN_ALL_MS = 240_000
#: Chromium reaches this machine only: everything else goes to a closed proxy port and resolves to nothing
#: (loopback never goes through a proxy); the pages record such requests (``Tab.outside``) to fail on them
OFFLINE = [
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]
LOCAL = re.compile(r"^(file:|data:|blob:|(https?|wss?)://(127\.0\.0\.1|localhost)[:/])")


def _unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail where PLANTRACK_REQUIRE_BROWSER asks for the browser tests."""
    if REQUIRED:
        pytest.fail(f"{reason}; PLANTRACK_REQUIRE_BROWSER=1 makes the browser tests mandatory", pytrace=False)
    pytest.skip(f"{reason} (.ci/run installs it; run with PLANTRACK_REQUIRE_BROWSER=1 to make this a failure)")


def _jupyter() -> list[str]:
    """The environment's own ``jupyter`` command (the one ``make lab`` runs)."""
    script = Path(sys.executable).with_name("jupyter")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "jupyter"]


def _descendants() -> dict[int, psutil.Process]:
    return {p.pid: p for p in psutil.Process().children(recursive=True)}


def _end(procs: list[psutil.Process], what: str) -> None:
    """Wait for ``procs`` to end; kill any left (they were started by this module) and fail naming them."""
    _, alive = psutil.wait_procs(procs, timeout=20)
    if not alive:
        return
    names = [f"{p.pid} {' '.join(p.cmdline()[:3])}" for p in alive if p.is_running()]
    for p in alive:
        p.kill()
    psutil.wait_procs(alive, timeout=10)
    pytest.fail(f"{what} left processes running (now killed): {names}", pytrace=False)


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless system Chromium; on teardown every Chromium and Playwright process it started must be gone."""
    if sync_playwright is None:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    if not CHROMIUM or not Path(CHROMIUM).exists():
        _unavailable(f"Chromium not found ({CHROMIUM or 'no chromium on PATH'}; PLANTRACK_CHROMIUM may name another)")
    before = set(_descendants())
    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=OFFLINE)
    except Exception as err:
        pw.stop()
        _unavailable(f"Chromium at {CHROMIUM} does not start under Playwright: {err}")
    expect.set_options(timeout=TIMEOUT_MS)
    yield chromium
    ours = [p for pid, p in _descendants().items() if pid not in before and _is_browser(p)]
    assert ours, "the Chromium and Playwright processes should be visible as this process's descendants"
    chromium.close()
    pw.stop()
    _end(ours, "Chromium/Playwright")


def _is_browser(p: psutil.Process) -> bool:
    try:
        cmd = " ".join(p.cmdline())
    except psutil.Error:
        return False
    return "chrom" in cmd or "playwright" in cmd


@pytest.fixture(scope="module")
def shot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: PLANTRACK_BROWSER_SHOTS (one per step), else a temporary folder (on failure only)."""
    chosen = os.environ.get("PLANTRACK_BROWSER_SHOTS")
    if chosen:
        Path(chosen).mkdir(parents=True, exist_ok=True)
        return Path(chosen)
    return tmp_path_factory.mktemp("browser-screenshots")


@dataclass
class Tab:
    """A page with what it logged: console errors, uncaught exceptions and requests sent off the machine."""

    page: Page
    shots: Path
    name: str
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def request(self, request: Request) -> None:
        """Record requests for anything but local files, data and this machine (Chromium cannot send them)."""
        if not LOCAL.match(request.url):
            self.outside.append(request.url)

    def console(self, msg: ConsoleMessage) -> None:
        """Record console errors with where they come from."""
        if msg.type == "error":
            self.errors.append(f"{msg.text} ({msg.location.get('url', '')})")

    def shot(self, step: str, show: Locator | None = None) -> None:
        """A screenshot of this step (scrolled to ``show``), kept when PLANTRACK_BROWSER_SHOTS names a folder."""
        if os.environ.get("PLANTRACK_BROWSER_SHOTS"):
            if show is not None:
                show.scroll_into_view_if_needed()
            self.page.screenshot(path=self.shots / f"{self.name}-{step}.png")

    def assert_quiet(self) -> None:
        """No console error, no uncaught exception, no request off the machine."""
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.outside, f"requests leaving the machine (blocked): {self.outside}"


@pytest.fixture
def tab(browser: Browser, shot_dir: Path, request: pytest.FixtureRequest) -> Iterator[Tab]:
    """A fresh browser context and page; a screenshot to ``shot_dir`` when the test failed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    t = Tab(page, shot_dir, request.node.name)
    context.on("request", t.request)
    page.on("console", t.console)
    page.on("pageerror", lambda e: t.errors.append(f"uncaught: {e}"))
    yield t
    reports = request.node.stash.get(REPORTS, {})
    if any(r.failed for r in reports.values()):
        path = shot_dir / f"{request.node.name}-failed.png"
        try:
            page.screenshot(path=path)
            print(f"\nscreenshot of the failed page: {path}")
        except Exception as err:  # a crashed page cannot be photographed; the failure says why
            print(f"\nno screenshot ({err})")
    context.close()


# ---------------------------------------------------------------- the JupyterLab server


@dataclass
class Lab:
    """A running ``jupyter lab`` on copies of notebooks/ and data/."""

    url: str
    token: str
    notebooks: Path
    data: Path
    log: Path
    proc: subprocess.Popen[bytes]

    def api(self, path: str, method: str = "GET") -> Any:
        """Call the server's REST API with the token; the JSON answer, or None."""
        req = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )  # fmt: skip
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def open(self, tab: Tab, notebook: str) -> None:
        """Open a notebook in a workspace of its own (no tabs restored from another test)."""
        workspace = re.sub(r"\W", "-", tab.name)[:60]
        tab.page.goto(f"{self.url}/lab/workspaces/{workspace}/tree/{notebook}?token={self.token}")
        expect(tab.page.locator(".jp-NotebookPanel .jp-Cell").first).to_be_visible(timeout=RUN_ALL_MS)

    def stop_kernels(self) -> None:
        """End the kernels of all sessions (a test's notebook keeps its kernel after the page closes)."""
        for s in self.api("/api/sessions") or []:
            self.api(f"/api/sessions/{s['id']}", "DELETE")

    def tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lab_environment(root: Path, data: Path) -> dict[str, str]:
    """Kernels read the data copy; Jupyter's config, runtime, settings and workspaces live under ``root``."""
    env = dict(os.environ)
    dirs = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "share",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
    }
    for var, name in dirs.items():
        (root / name).mkdir()
        env[var] = str(root / name)
    # no news feed and no update check: JupyterLab would otherwise ask, and then fetch them from the web
    settings = root / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
    )
    env["PLANTRACK_DATA"] = str(data)
    env.pop("JUPYTER_PATH", None)
    return env


def _answers(server: Lab) -> bool:
    try:
        server.api("/api/status")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False
    return True


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """``jupyter lab`` on a free port with a random token; stopped on teardown, with every kernel it started."""
    root = tmp_path_factory.mktemp("lab")
    notebooks, data = root / "notebooks", root / "data"
    shutil.copytree(NOTEBOOKS, notebooks)
    shutil.copytree(bundled_data_dir(), data)
    port, token = _free_port(), secrets.token_hex(24)
    log = root / "lab.log"
    cmd = [
        *_jupyter(), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={notebooks}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly", *(["--allow-root"] if os.geteuid() == 0 else []),
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=_lab_environment(root, data), stdout=out, stderr=subprocess.STDOUT)
    server = Lab(f"http://127.0.0.1:{port}", token, notebooks, data, log, proc)
    deadline = time.monotonic() + 180
    while not _answers(server):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"jupyter lab did not start (exit {proc.poll()}):\n{server.tail()}", pytrace=False)
        time.sleep(0.3)
    yield server
    started = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    try:
        server.api("/api/shutdown", "POST")  # shuts its kernels down, then the server
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"jupyter lab did not stop:\n{server.tail()}", pytrace=False)
    _end(started, "jupyter lab")


# ---------------------------------------------------------------- notebooks in the page

KERNEL_READY = """() => [...document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem')]
    .some(e => /^(?!No Kernel).+ \\| Idle$/.test(e.textContent.trim()))"""
ALL_RUN = """([n]) => {
    const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')];
    const counts = prompts.map(p => (p.textContent.match(/\\[(\\d+)\\]/) || [])[1]);
    return prompts.length === n && counts.every((c, i) => c === String(i + 1));
}"""


def run_all(lab: Lab, tab: Tab, notebook: str) -> None:
    """Open a notebook, Run → Run All Cells, and wait until a fresh kernel has run each cell once, in order."""
    n = sum(c.cell_type == "code" for c in nbformat.read(lab.notebooks / notebook, as_version=4).cells)
    lab.open(tab, notebook)
    page = tab.page
    page.wait_for_function(KERNEL_READY, timeout=RUN_ALL_MS)  # Run All before that would ask which kernel to start
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        page.wait_for_function(ALL_RUN, arg=[n], timeout=RUN_ALL_MS)
    except Exception:
        prompts = page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputPrompt").all_inner_texts()
        pytest.fail(f"{notebook}: not every cell ran (prompts {prompts}); server log:\n{lab.tail()}", pytrace=False)


def assert_no_error_output(tab: Tab, notebook: str) -> None:
    """No traceback and nothing on stderr in any output."""
    bad = tab.page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
        " .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"
    )
    assert bad.count() == 0, f"{notebook}: error output: {bad.all_inner_texts()}"


def assert_images_drawn(images: Locator, at_least: int) -> None:
    """At least ``at_least`` images, each decoded (natural width > 0) and shown."""
    expect(images.first).to_be_visible()
    assert images.count() >= at_least, f"{images.count()} images, expected {at_least} or more"
    for i in range(images.count()):
        img = images.nth(i)
        img.scroll_into_view_if_needed()
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), f"image {i} is not drawn"


# ---------------------------------------------------------------- what the analysis says


@dataclass(frozen=True)
class Expected:
    """The verdict label and R plantrack's Python API gives for a target under some assumptions."""

    label: str
    r: float | None


def analysis(data: PlanData, region: str, indicator: str, assumptions: Assumptions) -> Expected:
    row = project_region(data, region, default_plan(data, region), None, assumptions, {indicator}).iloc[0]
    r = float(row["R"]) if present(row.get("R")) else None
    return Expected(verdict_label(str(row["verdict"]), r, row.get("progress_ratio")), r)


R_SHOWN = """([want]) => {
    const el = document.querySelector('.plantrack-verdict .plantrack-R');
    const m = el && el.textContent.match(/-?\\d+(\\.\\d+)?/);
    return !!m && Math.abs(parseFloat(m[0]) - want) < 0.0051;
}"""


def expect_verdict(tab: Tab, want: Expected, step: str) -> None:
    """The page's verdict shows the analysis's label and R (two decimals), or no R when there is none."""
    verdict = tab.page.locator(".plantrack-verdict")
    r = verdict.locator(".plantrack-R")
    if want.r is None:
        expect(r, f"{step}: no R expected").to_have_count(0)
    else:
        try:
            tab.page.wait_for_function(R_SHOWN, arg=[want.r], timeout=TIMEOUT_MS)
        except Exception:
            shown = r.all_inner_texts()
            pytest.fail(f"{step}: R shown {shown}, the analysis gives {want.r:.4f}", pytrace=False)
    expect(verdict, f"{step}: verdict label").to_contain_text(want.label)
    tab.shot(step, verdict)


def select(tab: Tab, hook: str, index: int) -> None:
    """Pick an option of one of the explorer's dropdowns, as a click in the page would."""
    tab.page.locator(f".plantrack-{hook} select").select_option(index=index)


def fill(tab: Tab, **fields: str) -> None:
    """Type into the entry form's fields and leave each (text fields send their value on change)."""
    for name, value in fields.items():
        box = tab.page.locator(f".plantrack-entry-{name}").locator("input, textarea")
        box.fill(value)
        box.press("Tab")


# ---------------------------------------------------------------- the tests


def test_explorer_in_jupyterlab(lab: Lab, tab: Tab) -> None:
    """Controls change the verdict as the analysis says; the form previews, refuses beside the field, saves."""
    page = tab.page
    run_all(lab, tab, "05_explore.ipynb")
    assert_no_error_output(tab, "05_explore.ipynb")
    expect(page.locator(".plantrack-verdict")).to_be_visible()  # the widgets, so the widget manager works
    expect(page.locator(".jp-NotebookPanel .plantrack-explore-static")).to_have_count(0)
    assert_images_drawn(page.locator(".jp-NotebookPanel img.widget-image"), 1)
    data = load(lab.data)
    models = list(MODELS)

    # growth model: observed (the default) → damped → custom, the slider at its lowest → linear → damped
    expect_verdict(tab, analysis(data, "suzhou", HV, Assumptions()), "observed")
    select(tab, "model", models.index("damped"))
    expect_verdict(tab, analysis(data, "suzhou", HV, Assumptions(growth_model="damped")), "damped")
    select(tab, "model", models.index("custom"))
    slider = page.locator(".plantrack-custom-growth")
    expect(slider.locator(".widget-readout")).to_have_attribute("contenteditable", "true")  # enabled by the kernel
    slider.locator(".noUi-handle").press("Home")
    expect(slider.locator(".widget-readout")).not_to_have_text("10.0%")
    custom = float(slider.locator(".widget-readout").inner_text().strip().rstrip("%").replace("\u2212", "-")) / 100
    want = analysis(data, "suzhou", HV, Assumptions(custom_growth=custom))
    assert want.label != analysis(data, "suzhou", HV, Assumptions()).label, "the custom rate should move the verdict"
    expect_verdict(tab, want, "custom")
    select(tab, "model", models.index("linear"))
    expect_verdict(tab, analysis(data, "suzhou", HV, Assumptions(growth_model="linear")), "linear")
    select(tab, "model", models.index("damped"))
    damped = Assumptions(growth_model="damped")
    expect_verdict(tab, analysis(data, "suzhou", HV, damped), "damped-again")

    # region: Tongzhou, whose latest plan targets the same indicator (the panel keeps it)
    regions = page.locator(".plantrack-region option").all_inner_texts()
    select(tab, "region", regions.index(data.region_name("tongzhou")))
    indicator = page.locator(".plantrack-indicator select")
    expect(indicator.locator("option:checked")).to_have_text(_name_as_written(data, "tongzhou", HV))
    before = analysis(data, "tongzhou", HV, damped)
    expect_verdict(tab, before, "region")

    # a newer value (made up; written only to the temporary copy): previewed at once
    unit = units_for(data, HV)[0]
    typed = {"year": "2023", "value": "12.5"}
    previewed = preview(data, Entry("tongzhou", HV, typed["year"], typed["value"], unit))
    want = analysis(previewed, "tongzhou", HV, damped)
    assert want != before, "the previewed value should change what the panel shows"
    fill(tab, **typed)
    expect(page.locator(".plantrack-status")).to_contain_text(typed["value"])
    expect_verdict(tab, want, "preview")

    # save with the quote missing: the message beside the quote field, nothing written
    observations = lab.data / "observations.csv"
    bundled = (bundled_data_dir() / "observations.csv").read_bytes()
    saved_before = observations.read_bytes()
    citation = {
        "title": "浏览器测试（虚构数据，仅写入临时副本）",
        "issuer": "plantrack 测试",
        "date": "2024-01-01",
        "url": "https://example.org/plantrack-browser-test",
    }
    fill(tab, **citation)
    page.locator(".plantrack-entry-tier select").select_option(index=1)  # a new source's tier: A
    entry = Entry("tongzhou", HV, typed["year"], typed["value"], unit, **citation, tier="A")
    messages = check_entry(data, entry, say=words("zh").sayer("entry_check"))
    assert set(messages) == {"quote"}, messages
    page.locator(".plantrack-save").click()
    message = page.locator(".plantrack-message-quote")
    expect(message).to_contain_text(messages["quote"])
    for other in ("year", "value", "title", "issuer", "date", "url", "tier"):
        expect(page.locator(f".plantrack-message-{other}")).to_be_empty()
    _assert_beside(page.locator(".plantrack-entry-quote"), message)
    tab.shot("missing-quote")
    assert observations.read_bytes() == saved_before

    # save a complete entry: written to the temporary observations.csv (and its new source to sources.csv)
    quote = "（测试用虚构句子）2023年末，全区每万人口高价值发明专利拥有量达12.5件。"
    fill(tab, quote=quote)
    assert not check_entry(data, replace(entry, quote=quote))
    page.locator(".plantrack-save").click()
    expect(page.locator(".plantrack-status")).to_contain_text(str(observations))
    expect(message).to_be_empty()
    tab.shot("saved")
    rows = observations.read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(saved_before.decode("utf-8").splitlines()) + 1
    assert rows[-1].startswith(f"tongzhou,{HV},2023,") and ",12.5," in rows[-1] and quote in rows[-1]
    saved = load(lab.data)
    obs = saved.observations
    assert obs[(obs["region_id"] == "tongzhou") & (obs["indicator_id"] == HV)]["value"].tolist() == [12.5]
    expect_verdict(tab, analysis(saved, "tongzhou", HV, damped), "after-save")
    assert (bundled_data_dir() / "observations.csv").read_bytes() == bundled, "data/ must never be written"
    tab.assert_quiet()
    lab.stop_kernels()


def _name_as_written(data: PlanData, region: str, indicator: str) -> str:
    t = data.targets
    rows = t[(t["region_id"] == region) & (t["plan"] == default_plan(data, region)) & (t["indicator_id"] == indicator)]
    return str(rows.iloc[0]["name_as_written"])


def _assert_beside(field_box: Locator, message: Locator) -> None:
    """``message`` sits to the right of ``field_box``, on the same line."""
    f, m = field_box.bounding_box(), message.bounding_box()
    assert f and m, "field or message not laid out"
    assert m["x"] >= f["x"] + f["width"] - 2, f"message not right of the field: {f} {m}"
    assert m["y"] < f["y"] + f["height"] and f["y"] < m["y"] + m["height"], f"message not beside the field: {f} {m}"


def test_chapter_notebook_in_jupyterlab(lab: Lab, tab: Tab) -> None:
    """Chapter 4 runs in JupyterLab without error output, draws its charts and prints the analysis's tally."""
    import plantrack.present.report as rpt

    run_all(lab, tab, "04_projection.ipynb")
    assert_no_error_output(tab, "04_projection.ipynb")
    assert_images_drawn(tab.page.locator(".jp-NotebookPanel .jp-OutputArea-output img"), 2)
    tally = rpt.tally_line(rpt.context("suzhou", data_dir=str(lab.data)))
    expect(tab.page.locator(".jp-NotebookPanel")).to_contain_text(tally)
    tab.shot("done")
    tab.assert_quiet()
    lab.stop_kernels()


def test_report_notebook_in_jupyterlab(lab: Lab, tab: Tab) -> None:
    """The report notebook previews in JupyterLab: every section, its chart, the analysis's tally, no error."""
    import plantrack.present.report as rpt

    run_all(lab, tab, "report.ipynb")
    assert_no_error_output(tab, "report.ipynb")
    assert_images_drawn(tab.page.locator(".jp-NotebookPanel .jp-OutputArea-output img"), 1)
    ctx = rpt.context("suzhou", data_dir=str(lab.data))
    notebook = tab.page.locator(".jp-NotebookPanel")
    expect(notebook).to_contain_text(rpt.tally_line(ctx))
    tables = notebook.locator(".jp-OutputArea-output table")
    assert tables.count() >= 1 and tables.first.locator("tr").count() > 1
    tab.shot("done")
    tab.assert_quiet()
    lab.stop_kernels()


def test_exported_explorer_is_static_and_offline(tab: Tab, tmp_path: Path) -> None:
    """The README's export of 05_explore (executed by nbconvert) shows the static view with nothing fetched."""
    shutil.copytree(bundled_data_dir(), tmp_path / "data")
    shutil.copy(NOTEBOOKS / "05_explore.ipynb", tmp_path)
    env = {**os.environ, "PLANTRACK_DATA": str(tmp_path / "data")}
    cmd = [
        *_jupyter(), "nbconvert", "--config", str(OFFLINE_EXPORT), "--to", "html", "--execute",
        str(tmp_path / "05_explore.ipynb"), "--output-dir", str(tmp_path / "out"),
    ]  # fmt: skip
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    page = tab.page
    page.goto((tmp_path / "out" / "05_explore.html").as_uri())
    page.wait_for_load_state("networkidle")
    static = page.locator(".plantrack-explore-static")
    expect(static).to_be_visible()
    assert_images_drawn(static.locator("img"), 1)
    expect(static.locator("table").first).to_be_visible()
    assert static.locator("table tr").count() > 1
    want = analysis(load(tmp_path / "data"), "suzhou", HV, Assumptions())
    expect(static.locator(".plantrack-R").first).to_contain_text(f"{want.r:.2f}")
    expect(static).to_contain_text(want.label)
    expect(page.locator("script[type='application/vnd.jupyter.widget-state+json']")).to_have_count(0)
    tab.shot("export")
    tab.assert_quiet()
