"""One chronology page (bytes) to a `ParsedPage`: page metadata plus dated entries in page order.

The steps are told in `read.py`'s docstring. Where each part lives, from the top down
(imports run downward only: the contract "Layers inside pipeline.parse" in pyproject.toml):

- `read`: `parse_page`, `explain_page`: the steps, in order
- `content`: choosing the content root
- `entry_elements`: a seed's entry selector: a record per element
- `page_info`: ID, title, update date, JSON-LD; `elsewhere`
- `flatten`: `_Flattener`: the content root to `_Item`s
- `group`: `_Grouper`: items to entries; `Trace`
- `cards`: cards dated at their end or in their header
- `labelled_dates`: sections dated by a labelled line (日程：…)
- `line_ends`: like lines ending with their date in brackets
- `links`: menus and link lists
- `tables`: layout tables, the column holding the dates
- `year_marks`: bare years and months marked in the item stream
- `hits`: whether an item is a date (_Hit, _hit, _row_hit)
- `matching`: dates in lines (_match, _strict_match, prefilters, a date ending a line)
- `bare_years`: a year written alone (1998, H30) and columns of them
- `day_order`: the page's order of a day and a month in figures (04/12/2015)
- `document`: decoded text to the prepared lxml tree (_document, _prepare, _unnest)
- `noise`: navigation, side bars, furniture and metadata lines (_is_noise, _Noise)
- `items`: `_Item`, the flattened content's unit
- `text`: an element's text as lines (BREAK, _lines, _text, _clean)
- `tree`: tag sets; an element's place in the tree"""

from __future__ import annotations

from pipeline.parse.group import Trace
from pipeline.parse.page_info import elsewhere
from pipeline.parse.read import explain_page, parse_page

__all__ = ["Trace", "elsewhere", "explain_page", "parse_page"]
