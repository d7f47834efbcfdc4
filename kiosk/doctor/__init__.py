"""`kiosk doctor`: checks a kiosk in place and says, for each failure, how to fix it.

Each check is a small function `(site) -> Result` with a plain pass / warn / fail and one
fix sentence an IT officer can act on. `warn` is for what the kiosk works without (no
microphone: touch only); `fail` is for what a resident would meet (no printer, demo PIN).
No Kivy; devices are asked the way the app asks them (DLE EOT, the SAM's status, lpstat).
"""
