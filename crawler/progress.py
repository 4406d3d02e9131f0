"""A progress bar while pages are fetched — only on an interactive terminal.

A Scrapy extension: it counts one step per FetchResult (each target yields exactly one), so
the bar reaches the end exactly when every page has been reported.
"""

from __future__ import annotations

import sys
from typing import Any, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured


class FetchProgress:
    """A `rich` progress bar on stderr, advanced per item; off when stderr is not a TTY."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.progress: Any = None
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        if not crawler.settings.getbool("KEIKA_PROGRESS", True) or not sys.stderr.isatty():
            raise NotConfigured  # no message: Scrapy would log one at WARNING
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.advance, signal=signals.item_scraped)
        crawler.signals.connect(extension.advance, signal=signals.item_dropped)
        crawler.signals.connect(extension.advance, signal=signals.item_error)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider: Any) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        total = len(getattr(spider, "targets", ()) or ()) or None
        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.progress.start()
        self.task = self.progress.add_task("fetching", total=total)

    def advance(self, *args: Any, **kwargs: Any) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)

    def closed(self, spider: Any) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
