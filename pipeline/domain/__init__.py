"""Domain values: the typed records, names and errors every layer speaks in.

Nothing here imports from the rest of keika.
"""
