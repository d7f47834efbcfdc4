"""The central service: content publishing (TUF), appointments, queues and the kiosk fleet.

A Django project in its own import package. `kiosk/` never imports it; it imports the
kiosk's content loader and validator so that content is checked by the same code that
serves it.
"""
