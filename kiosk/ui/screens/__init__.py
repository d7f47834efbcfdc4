"""One module and one .kv file per screen; `SCREENS` lists them in the order they are built."""
