"""The form for a newer actual value (year, value, quote, source): previewed in the projection at
once, saved to ``observations.csv`` only after the whole dataset validates."""

from __future__ import annotations

from html import escape

import ipywidgets as W

from ...data.entry import FIELDS, Entry, EntryError, preview, save_entry, units_for
from ...data.tables import load
from ...data.validation import DataError
from .options import STYLE, layout
from .panel import ProjectionPanel


class ActualPanel:
    """Enter a newer actual value: messages next to the fields, preview at once, save after validation."""

    def __init__(self, projection: ProjectionPanel) -> None:
        self.projection = projection
        self.saved_data = projection.data  # the data as on disk; previews never change it
        self.year = W.Text(description="年份", placeholder="如 2023", continuous_update=False, style=STYLE)
        self.value = W.Text(description="数值", placeholder="按原文的单位", continuous_update=False, style=STYLE)
        self.unit = W.Dropdown(description="单位", style=STYLE)
        self.quote = W.Textarea(
            description="原文摘录", placeholder="含该数值的原文句子，逐字粘贴", style=STYLE, layout=layout()
        )
        self.source = W.Dropdown(description="来源", style=STYLE, layout=layout())
        self.title = W.Text(description="标题", style=STYLE, layout=layout())
        self.issuer = W.Text(description="发布单位", style=STYLE, layout=layout())
        self.date = W.Text(description="发布日期", placeholder="YYYY-MM-DD", style=STYLE)
        self.url = W.Text(description="网址", placeholder="https://…", style=STYLE, layout=layout())
        self.tier = W.Dropdown(
            description="来源等级",
            options=[
                ("（请选择）", ""),
                ("A 官方网站或统计公报", "A"),
                ("B 国家通讯社或官方媒体", "B"),
                ("C 可识别原文的转载", "C"),
            ],
            style=STYLE,
        )
        self.note = W.Text(description="备注", style=STYLE, layout=layout())
        self.replace = W.Checkbox(description="替换已有数值", value=False)
        self.messages = {f: W.HTML() for f in (*FIELDS, "indicator")}
        self.preview_button = W.Button(description="预览（不保存）", icon="eye")
        self.save_button = W.Button(description="校验并保存", button_style="primary", icon="save")
        self.undo_button = W.Button(description="撤销预览", icon="undo")
        self.status = W.HTML()
        self.previewing = False
        hooks = {f"entry-{f}": getattr(self, f) for f in FIELDS} | {f"message-{f}": m for f, m in self.messages.items()}
        hooks |= {"preview": self.preview_button, "save": self.save_button, "undo": self.undo_button}
        for hook, w in {**hooks, "replace": self.replace, "status": self.status}.items():
            w.add_class(f"plantrack-{hook}")  # stable hooks for the browser test (tests/browser/test_browser.py)
        self._fill_sources()
        self._fill_units()
        for field in (self.year, self.value, self.unit):
            field.observe(self._on_field, names="value")
        self.source.observe(self._on_source, names="value")
        projection.region.observe(self._on_target, names="value")
        projection.indicator.observe(self._on_target, names="value")
        self.preview_button.on_click(lambda _: self.apply_preview())
        self.save_button.on_click(lambda _: self.save())
        self.undo_button.on_click(lambda _: self.undo())

    def _fill_sources(self) -> None:
        s = self.saved_data.sources
        self.source.options = [("新来源（填写下方引用信息）", "")] + [
            (f"{r['title']}（{r['source_id']}）", str(r["source_id"])) for r in s.to_dict("records")
        ]
        self.source.value = ""

    def _fill_units(self) -> None:
        units = units_for(self.saved_data, self.projection.indicator.value)
        self.unit.options = [(u or "（无单位）", u) for u in units]
        self.unit.value = units[0]

    def _on_source(self, _: object) -> None:
        new = self.source.value == ""
        for w in (self.title, self.issuer, self.date, self.url, self.tier):
            w.disabled = not new

    def _on_target(self, _: object) -> None:
        self.undo()
        self._fill_units()

    def _on_field(self, _: object) -> None:
        if str(self.year.value).strip() and str(self.value.value).strip():
            self.apply_preview()

    def entry(self) -> Entry:
        """The form as an :class:`~plantrack.data.entry.Entry` for the selected region and indicator."""
        return Entry(
            region=self.projection.region.value,
            indicator=self.projection.indicator.value,
            year=self.year.value,
            value=self.value.value,
            unit=self.unit.value,
            quote=self.quote.value,
            source_id=self.source.value,
            title=self.title.value,
            issuer=self.issuer.value,
            date=self.date.value,
            url=self.url.value,
            tier=self.tier.value,
            note=self.note.value,
        )

    def _show(self, messages: dict[str, str]) -> None:
        for field, html in self.messages.items():
            text = messages.get(field, "")
            html.value = f"<span style='color:#b2182b'>⚠ {escape(text)}</span>" if text else ""

    def apply_preview(self) -> bool:
        """Add the value in memory and redraw the projection; False (with messages) when it is invalid."""
        try:
            data = preview(self.saved_data, self.entry(), replace_existing=self.replace.value)
        except EntryError as err:
            self._show(err.messages)
            self.status.value = ""
            return False
        self._show({})
        self.projection.data = data
        self.projection.update()
        self.previewing = True
        self.status.value = (
            f"预览：{escape(str(self.year.value))}年 {escape(str(self.value.value))}{escape(self.unit.value)}"
            "（尚未保存；点击“校验并保存”写入 data/observations.csv）"
        )
        return True

    def undo(self) -> None:
        """Drop the previewed value."""
        if self.previewing:
            self.projection.data = self.saved_data
            self.projection.update()
        self.previewing = False
        self.status.value = ""

    def save(self) -> bool:
        """Validate the dataset with the value in place and write it; False (with messages) when refused."""
        folder = self.saved_data.data_dir
        try:
            saved = save_entry(folder, self.entry(), replace_existing=self.replace.value)
        except EntryError as err:
            self._show(err.messages)
            problem = err.messages.get("save", "请按提示修改。")
            self.status.value = f"<span style='color:#b2182b'>未保存：{escape(problem)}</span>"
            return False
        except (DataError, OSError) as err:  # the folder's data is invalid, or it cannot be read: beside the button
            self._show({})
            text = escape(str(err)).replace("\n", "<br>")
            self.status.value = f"<span style='color:#b2182b'>未保存：{text}</span>"
            return False
        self._show({})
        self.saved_data = load(folder)
        self.projection.data = self.saved_data
        self.previewing = False
        self._fill_sources()
        self.projection.update()
        replaced = f"；替换了原有的行：{escape(saved.replaced)}" if saved.replaced else ""
        self.status.value = (
            f"已保存至 {escape(str(folder / 'observations.csv'))} 第 {saved.line} 行"
            f"（来源 {escape(saved.source_id)}{'，新增于 sources.csv' if saved.new_source else ''}）{replaced}"
        )
        return True

    def widget(self) -> W.Widget:
        """The form: each field with its message beside it, then the buttons and the status line."""
        fields = {
            "year": self.year,
            "value": self.value,
            "unit": self.unit,
            "quote": self.quote,
            "source": self.source,
            "title": self.title,
            "issuer": self.issuer,
            "date": self.date,
            "url": self.url,
            "tier": self.tier,
            "note": self.note,
        }
        rows = [W.HBox([w, self.messages[f]]) for f, w in fields.items()]
        return W.VBox(
            [
                W.HTML(
                    "<h4>录入新的实际值</h4><p>数值立即进入预测；保存前整套数据会重新校验，已有数值不会被悄悄覆盖。</p>"
                ),
                self.messages["indicator"],
                *rows,
                self.replace,
                W.HBox([self.preview_button, self.undo_button, self.save_button]),
                self.status,
            ]
        )
