"""`keika serve`: a read-only web view of the change log, with Atom feeds and a JSON API."""
