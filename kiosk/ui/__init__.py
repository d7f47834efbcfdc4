"""The touchscreen app (Kivy). Nothing outside this package and kiosk/app.py imports Kivy."""
