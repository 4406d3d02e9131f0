"""Seed files: what a user writes, and the one-line errors a mistake in them gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.domain.errors import SeedError
from pipeline.seeds import load_seeds

ROOT = Path(__file__).parents[2]


def write(tmp_path: Path, text: str, name: str = "seeds.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_seeds_load() -> None:
    seedset = load_seeds(ROOT / "seeds")
    keys = [s.key for s in seedset.seeds]
    assert keys == ["oyama-benxi", "oyama-iea-history"]
    benxi = seedset.get("oyama-benxi")
    assert benxi.url.endswith("page004103.html")
    assert (benxi.schedule, benxi.timezone, benxi.obey_robots) == ("0 6 * * *", "Asia/Tokyo", True)


def test_defaults_apply_and_pages_override(tmp_path) -> None:
    path = write(
        tmp_path,
        """
[defaults]
schedule = "every 30m"
notify = ["json://127.0.0.1:9/hook"]
contact = "mailto:someone@example.org"

[[page]]
key = "a"
url = "http://127.0.0.1/a.html"

[[page]]
key = "b"
url = "http://127.0.0.1/b.html"
schedule = "0 7 * * 1"
notify = []
selectors = { content = "#main", entry = "h3" }
""",
    )
    seedset = load_seeds(path)
    a, b = seedset.seeds
    assert (a.schedule, a.notify) == ("every 30m", ("json://127.0.0.1:9/hook",))
    assert (b.schedule, b.notify) == ("0 7 * * 1", ())
    assert dict(b.selectors) == {"content": "#main", "entry": "h3"}
    assert seedset.contact == "mailto:someone@example.org"
    assert [s.key for s in seedset.select(["b"])] == ["b"]


def test_a_folder_loads_every_file_in_order(tmp_path) -> None:
    write(tmp_path, '[[page]]\nkey = "z"\nurl = "http://127.0.0.1/z"\n', "b.toml")
    write(tmp_path, '[[page]]\nkey = "y"\nurl = "http://127.0.0.1/y"\n', "a.toml")
    assert [s.key for s in load_seeds(tmp_path).seeds] == ["y", "z"]


def test_disabled_pages_are_not_crawled_unless_named(tmp_path) -> None:
    path = write(tmp_path, '[[page]]\nkey = "off"\nurl = "http://127.0.0.1/"\nenabled = false\n')
    seedset = load_seeds(path)
    assert seedset.select(None) == ()
    assert [s.key for s in seedset.select(["off"])] == ["off"]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            '[[page]]\nkey = "a"\nurl = "http://127.0.0.1/"\nshedule = "x"\n',
            ":4",
            "unknown key 'shedule'",
        ),
        ('[defaults]\ncolour = "red"\n', ":2", "unknown key 'colour' in [defaults]"),
        ('[[page]]\nkey = "a"\n', ":1", "needs a 'url'"),
        ('[[page]]\nkey = "A B"\nurl = "http://127.0.0.1/"\n', ":2", "key 'A B' must be"),
        ('[[page]]\nkey = "a"\nurl = "ftp://x/"\n', ":3", "url must be an http(s) URL"),
        (
            '[[page]]\nkey = "a"\nurl = "http://127.0.0.1/"\ntimeout = "fast"\n',
            ":4",
            "timeout must be a number of seconds",
        ),
        (
            '[[page]]\nkey = "a"\nurl = "http://127.0.0.1/"\ntimezone = "Mars/Base"\n',
            ":4",
            "unknown timezone",
        ),
        (
            '[[page]]\nkey = "a"\nurl = "http://127.0.0.1/"\nselectors = { rows = "tr" }\n',
            ":4",
            "unknown selector 'rows'",
        ),
        (
            '[[page]]\nkey = "a"\nurl = "http://127.0.0.1/"\nselectors = { entry = "h3[" }\n',
            ":4",
            "selector 'entry' is not valid CSS",
        ),
        (
            '[[page]]\nkey = "a"\nurl = "http://127.0.0.1/"\nmax_size = 0\n',
            ":4",
            "max_size must be positive",
        ),
        ('[page]\nkey = "a"\n', ":1", "use [[page]]"),
        ("[[page]\n", "", "Expected"),
    ],
)
def test_mistakes_name_file_line_and_key(tmp_path, text: str, where: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SeedError) as caught:
        load_seeds(path)
    assert str(caught.value).startswith(f"{path}{where}")
    assert message in str(caught.value)


def test_duplicate_keys_across_files_are_an_error(tmp_path) -> None:
    write(tmp_path, '[[page]]\nkey = "a"\nurl = "http://127.0.0.1/1"\n', "one.toml")
    write(tmp_path, '[[page]]\nkey = "a"\nurl = "http://127.0.0.1/2"\n', "two.toml")
    with pytest.raises(SeedError, match="key 'a' is already used"):
        load_seeds(tmp_path)


def test_unknown_page_key_lists_the_known_ones(tmp_path) -> None:
    path = write(tmp_path, '[[page]]\nkey = "a"\nurl = "http://127.0.0.1/"\n')
    with pytest.raises(SeedError, match=r"no page with key 'b'.*known: a"):
        load_seeds(path).get("b")


def test_missing_path_is_an_error(tmp_path) -> None:
    with pytest.raises(SeedError, match="no such seed file or folder"):
        load_seeds(tmp_path / "nope")
    with pytest.raises(SeedError, match=r"no \*\.toml seed files"):
        load_seeds(tmp_path)


PAGE = '[[page]]\nkey = "a"\nurl = "http://127.0.0.1/"\n'


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (PAGE + "timeout = nan\n", ":4", "timeout must be a finite number of seconds, not nan"),
        (PAGE + "timeout = inf\n", ":4", "timeout must be a finite number of seconds, not inf"),
        (PAGE + "allow_hosts = [1]\n", ":4", "allow_hosts must be a list of host names"),
        (
            PAGE + 'allow_hosts = ["https://www.example.jp/"]\n',
            ":4",
            "not 'https://www.example.jp/' in it",
        ),
        (
            '[[page]]\nkey = "a"\nurl = "http://127.0.0.1/a page.html"\n',
            ":3",
            "contains a space or control character",
        ),
        ('[[page]]\nkey = "a"\nurl = "http://127.0.0.1:99999/"\n', ":3", "http(s) URL"),
    ],
)
def test_values_that_would_fail_later_are_refused_at_load(
    tmp_path, text: str, where: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SeedError) as caught:
        load_seeds(path)
    assert str(caught.value).startswith(f"{path}{where}:")
    assert message in str(caught.value)


def test_a_seed_file_in_another_encoding_is_a_seed_error_naming_the_file(tmp_path) -> None:
    path = tmp_path / "sjis.toml"
    path.write_bytes('# 小山市\n[[page]]\nkey = "a"\nurl = "http://127.0.0.1/"\n'.encode("cp932"))
    with pytest.raises(SeedError) as caught:
        load_seeds(path)
    assert str(caught.value).startswith(f"{path}:1: not UTF-8 text")
    assert "save the seed file as UTF-8" in str(caught.value)


def test_a_literal_password_in_a_notify_target_warns_with_file_and_line(tmp_path, caplog) -> None:
    path = write(
        tmp_path,
        PAGE + 'notify = ["mailto://me:hunter2@127.0.0.1", "json://127.0.0.1/${TOKEN}"]\n',
    )
    with caplog.at_level("WARNING", logger="keika.seeds"):
        [seed] = load_seeds(path).seeds
    assert seed.notify[0] == "mailto://me:hunter2@127.0.0.1"  # still used, as written
    [record] = caplog.records
    assert record.getMessage().startswith(f"{path}:4: notify target mailto://me:***@127.0.0.1")
    assert "use ${NAME}" in record.getMessage() and "hunter2" not in record.getMessage()
