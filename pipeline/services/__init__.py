"""Services: ingest a fetch, queue and deliver notifications, re-parse the archive, run a crawl.

They own transactions; everything below them takes a Session.
"""
