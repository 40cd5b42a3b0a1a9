"""The report's sections, one module each; :mod:`plantrack.present.report` lists them in order."""
