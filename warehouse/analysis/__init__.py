"""The analysis: read-only queries on the published warehouse (queries), one Altair function
per chart (charts), the exported audit report (report) and the CJK font check (fonts)."""
