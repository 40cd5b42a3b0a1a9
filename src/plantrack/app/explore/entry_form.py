"""The form for a newer actual value (year, value, quote, source): previewed in the projection at
once, saved to ``observations.csv`` only after the whole dataset validates."""

from __future__ import annotations

from html import escape

import ipywidgets as W

from ...data.entry import FIELDS, Entry, EntryError, preview, save_entry, units_for
from ...data.tables import load
from ...data.units import normalise_unit
from ...data.validation import DataError
from ...data.vocabulary import TIERS
from ...present.htmltable import html
from ...present.words import words
from .options import STYLE, layout
from .panel import ProjectionPanel


class ActualPanel:
    """Enter a newer actual value: messages next to the fields, preview at once, save after validation."""

    def __init__(self, projection: ProjectionPanel) -> None:
        self.projection = projection
        self.w = w = words(projection.lang)  # the panel's language
        self.say = w.sayer("entry_check")  # words for the checks of data/entry
        self.saved_data = projection.data  # the data as on disk; previews never change it
        self.year = W.Text(
            description=w("entry_form.year"), placeholder=w("entry_form.year_hint"), continuous_update=False,
            style=STYLE,
        )  # fmt: skip
        self.value = W.Text(
            description=w("entry_form.value"), placeholder=w("entry_form.value_hint"), continuous_update=False,
            style=STYLE,
        )  # fmt: skip
        self.unit = W.Dropdown(description=w("entry_form.unit"), style=STYLE)
        self.quote = W.Textarea(
            description=w("entry_form.quote"), placeholder=w("entry_form.quote_hint"), style=STYLE, layout=layout()
        )
        self.source = W.Dropdown(description=w("entry_form.source"), style=STYLE, layout=layout())
        self.title = W.Text(description=w("entry_form.title_field"), style=STYLE, layout=layout())
        self.issuer = W.Text(description=w("entry_form.issuer"), style=STYLE, layout=layout())
        self.date = W.Text(description=w("entry_form.date"), placeholder="YYYY-MM-DD", style=STYLE)
        self.url = W.Text(description=w("entry_form.url"), placeholder="https://…", style=STYLE, layout=layout())
        self.tier = W.Dropdown(
            description=w("entry_form.tier"),
            options=[(w("entry_form.tier_choose"), "")] + [(w(f"entry_form.tier_{t}"), t) for t in TIERS],
            style=STYLE,
        )
        self.note = W.Text(description=w("entry_form.note"), style=STYLE, layout=layout())
        self.replace = W.Checkbox(description=w("entry_form.replace"), value=False)
        self.messages = {f: W.HTML() for f in (*FIELDS, "indicator")}
        self.preview_button = W.Button(description=w("entry_form.preview"), icon="eye")
        self.save_button = W.Button(description=w("entry_form.save"), button_style="primary", icon="save")
        self.undo_button = W.Button(description=w("entry_form.undo"), icon="undo")
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
        self.source.options = [(self.w("entry_form.new_source"), "")] + [
            (self.w("entry_form.source_option", title=r["title"], source=r["source_id"]), str(r["source_id"]))
            for r in s.to_dict("records")
        ]
        self.source.value = ""

    def _fill_units(self) -> None:
        units = units_for(self.saved_data, self.projection.indicator.value)
        self.unit.options = [(self._unit_label(u), u) for u in units]
        self.unit.value = units[0]

    def _unit_label(self, unit: str) -> str:
        """A unit as the sources write it; in another language with its meaning (万件 (×10000 pieces))."""
        if not unit:
            return self.w("entry_form.no_unit")
        scaled = normalise_unit(unit)
        if self.w.as_written or scaled is None:
            return unit
        base, k = scaled
        scale = "" if k == 1 else f"×{k:g} "
        return self.w("entry_form.unit_meaning", unit=unit, meaning=f"{scale}{self.w.unit(base)}")

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
        for field, shown in self.messages.items():
            text = messages.get(field, "")
            shown.value = f"<span style='color:#b2182b'>⚠ {escape(text)}</span>" if text else ""

    def apply_preview(self) -> bool:
        """Add the value in memory and redraw the projection; False (with messages) when it is invalid."""
        try:
            data = preview(self.saved_data, self.entry(), replace_existing=self.replace.value, say=self.say)
        except EntryError as err:
            self._show(err.messages)
            self.status.value = ""
            return False
        self._show({})
        self.projection.data = data
        self.projection.update()
        self.previewing = True
        self.status.value = self.w(
            "entry_form.previewing",
            year=escape(str(self.year.value)),
            value=escape(str(self.value.value)),
            unit=escape(self.unit.value),
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
            saved = save_entry(folder, self.entry(), replace_existing=self.replace.value, say=self.say)
        except EntryError as err:
            self._show(err.messages)
            problem = err.messages.get("save", self.w("entry_form.fix"))
            self.status.value = self._refused(escape(problem))
            return False
        except (DataError, OSError) as err:  # the folder's data is invalid, or it cannot be read: beside the button
            self._show({})
            self.status.value = self._refused(escape(str(err)).replace("\n", "<br>"))
            return False
        self._show({})
        self.saved_data = load(folder)
        self.projection.data = self.saved_data
        self.previewing = False
        self._fill_sources()
        self.projection.update()
        w = self.w
        self.status.value = w(
            "entry_form.saved",
            file=escape(str(folder / "observations.csv")),
            line=saved.line,
            source=escape(saved.source_id),
            new=w("entry_form.saved_new_source") if saved.new_source else "",
            replaced=w("entry_form.saved_replaced", row=escape(saved.replaced)) if saved.replaced else "",
        )
        return True

    def _refused(self, problem: str) -> str:
        """The status line of a refused save (``problem`` already escaped)."""
        return f"<span style='color:#b2182b'>{self.w('entry_form.not_saved', problem=problem)}</span>"

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
                W.HTML(str(html("<h4>{}</h4><p>{}</p>", self.w("entry_form.title"), self.w("entry_form.lead")))),
                self.messages["indicator"],
                *rows,
                self.replace,
                W.HBox([self.preview_button, self.undo_button, self.save_button]),
                self.status,
            ]
        )
