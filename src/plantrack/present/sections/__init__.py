"""The parts of a region's report and of the chapter notebooks, one module per topic, each reading one
:class:`~plantrack.present.context.ReportContext` and returning :class:`~plantrack.present.context.Fragment` HTML.

A topic's report section and its chapter paragraphs and tables live in the same module and read the same
computed frame (:func:`.comparison.compared`, :func:`.review.reviewed`): ``first`` (title and first screen),
``targets``, ``distance``, ``comparison``, ``review``, ``backtest``, ``method``, ``sources``, ``gaps`` make the
report (:data:`plantrack.present.report.SECTIONS` lists them in order); ``plan`` (chapter 01), ``comparison``
(02), ``review`` (03), ``sensitivity`` and ``path`` (04) and ``outlook`` (06) are the chapters' parts, over
:mod:`.base` (a frame's table, a paragraph, a count).
"""
