"""Applications: an outcome turned into a case that staff of the receiving body pick up.

No Kivy here: the UI calls `kiosk.applications.submit.Applications` (built by
`factory.make_applications`) and the small checkers (`idnumber`, `phone`, `codes`);
see docs/api.md "Applications (issue 13)".
"""
