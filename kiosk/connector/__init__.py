"""The kiosk's link to the central service: a central-backed Desk, an outbox that loses
nothing offline, signed content updates (python-tuf) and heartbeats. No Kivy here.

Nothing is read at import time; `kiosk.connector.factory` builds the parts from the config.
"""
