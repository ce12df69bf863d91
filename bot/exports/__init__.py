"""Exports of the campaign's records: the final report (``docx``) and all reports (``xlsx``).

The builders live in their own modules so that python-docx loads only when a report is made.
"""
