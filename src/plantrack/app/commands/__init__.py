"""The command line's commands, one module per group: :mod:`.assess` (project, compare, review, backtest),
:mod:`.tables` (validate, export, template, import) and :mod:`.batch` (render), over :mod:`.common`
(shared options, the table view). :mod:`plantrack.app.cli` assembles them into the ``plantrack`` parser.
"""
