"""Ratings and usage events (issue 15): what a bureau reports, never who it was about.

No Kivy here: the UI calls the recorder at the moments of the usage-events contract
(docs/api.md) and hands the rating screen's answers to `rating.submit`.
"""
