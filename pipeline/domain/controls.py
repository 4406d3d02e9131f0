"""Text from pages, servers and users shown safely: control characters written as escapes.

`visible` makes control characters (ESC sequences, NUL, a carriage return, bidi overrides)
visible instead of letting a terminal or a log reader act on them; `VisibleFormatter` does so
for every log message, so a server's Content-Type or error page cannot colour, rewrite or
forge a line of `keika schedule`'s or `keika worker`'s log.
"""

from __future__ import annotations

import logging
import re

# C0 controls but tab and newline, DEL, C1 controls, the Unicode bidi/format overrides that can
# make a line read differently from what it holds (the Arabic letter mark among them), and the
# characters that show as nothing (a zero-width space, a word joiner, a BOM, the invisible
# operators, the Mongolian vowel separator, the noncharacters U+FFFE/U+FFFF): an edit that only
# adds one would otherwise read "- 開館 / + 開館". The joiners U+200C/U+200D stay: scripts and
# emoji sequences are written with them.
CONTROL_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff]"
)


def visible(text: str, *, newlines: bool = True) -> str:
    """`text` with control characters shown as escapes (\\x1b, \\u202e); newlines kept or shown."""
    shown = CONTROL_RE.sub(_escape, text)
    return shown if newlines else shown.replace("\n", "\\n")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class VisibleFormatter(logging.Formatter):
    """A log formatter that shows each message's control characters as escapes (a traceback's
    and a multi-line message's newlines are kept)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = visible(record.message)
        return super().formatMessage(record)
