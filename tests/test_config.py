"""podcast.toml: defaults, the init template, and one clear line for every mistake."""

import dataclasses
import tomllib
import typing

import pytest

from audiogen import config
from audiogen.errors import AudiogenError
from audiogen.commands.init import TEMPLATE


def test_init_template_parses_to_the_defaults():
    cfg = config.from_dict(tomllib.loads(TEMPLATE))
    defaults = config.Config()
    for table in ("show", "lesson", "voices", "audio", "build"):
        assert getattr(cfg, table) == getattr(defaults, table), table


def test_values_are_read_and_ints_become_floats(tmp_path):
    path = tmp_path / "podcast.toml"
    path.write_text('[show]\ntitle = "출근길 영어"\nbase_url = "https://example.com/pod"\n'
                    "[lesson]\npause_factor = 2\n", encoding="utf-8")
    cfg = config.load(path)
    assert cfg.show.title == "출근길 영어"
    assert cfg.lesson.pause_factor == 2.0 and isinstance(cfg.lesson.pause_factor, float)
    assert cfg.root == tmp_path.resolve()
    assert cfg.path("seeds") == tmp_path.resolve() / "seeds"


@pytest.mark.parametrize("text, message", [
    ("[show]\ntitel = 'x'\n", "unknown key 'titel' in [show] (did you mean 'title'?)"),
    ("[sho]\ntitle = 'x'\n", "unknown table [sho] (did you mean 'show'?)"),
    ("[lesson]\nchunks = 'yes'\n", "[lesson] chunks: expected true or false"),
    ("[lesson]\nchunk_words = 1.5\n", "[lesson] chunk_words: expected a whole number"),
    ("[show]\ntitle = 3\n", "[show] title: expected str"),
    ("[show]\nseeds = 'seeds'\n", "[show] seeds: expected a list of strings"),
    ("[show]\nbase_url = 'example.com'\n", "base_url: expected an absolute http(s) URL"),
    ("[lesson]\nslow_speed = 2.0\n", "slow_speed must be between 0.5 and 1.0"),
    ("[audio]\nbitrate = 'loud'\n", "bitrate must look like '96k'"),
    ("show = 1\n", "'show' must be a table"),
    ("[show\n", "invalid TOML"),
])
def test_mistakes_name_the_key(tmp_path, text, message):
    path = tmp_path / "podcast.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AudiogenError) as e:
        config.load(path)
    assert message in str(e.value)
    assert "\n" not in str(e.value)


def test_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(AudiogenError, match="config file not found"):
        config.load(tmp_path / "nope.toml")


@pytest.mark.parametrize("url", ["ftp://x/", "/relative/", "http://", "https://x/a?b=1", "https://x y/"])
def test_bad_base_urls(url):
    with pytest.raises(AudiogenError):
        config.check_base_url(url)


def test_base_url_gets_one_trailing_slash():
    assert config.check_base_url("https://example.com/pod//") == "https://example.com/pod/"


def test_every_number_setting_declares_its_range():
    """A number without a declared range could be -5, 1e5 or nan; a new setting plugs in with one
    `setting(default, low=, high=)` beside its field."""
    missing = []
    tables = [f.name for f in dataclasses.fields(config.Config) if f.name not in ("root", "source")]
    assert {"show", "lesson", "audio", "build"} <= set(tables)
    for table in tables:  # every table, including ones added later
        cls = type(getattr(config.Config(), table))
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            if hints[f.name] in (int, float) and config.rule_of(f) is None:
                missing.append(f"[{table}] {f.name}")
    assert missing == []


@pytest.mark.parametrize("text, message", [
    ("[audio]\ngap = -5\n", "[audio] gap must be between 0.0 and 5.0, got -5.0"),
    ("[audio]\npart_gap = 1e5\n", "[audio] part_gap must be between 0.0 and 10.0, got 100000.0"),
    ("[lesson]\npause_factor = nan\n", "[lesson] pause_factor must be between 0.0 and 5.0, got nan"),
    ("[lesson]\nmax_minutes = inf\n", "[lesson] max_minutes must be between 0.5 and 60.0, got inf"),
    ("[lesson]\nchunk_words = 100000\n", "[lesson] chunk_words must be between 2 and 35, got 100000"),
    ("[build]\nconcurrency = 0\n", "[build] concurrency must be between 1 and 32, got 0"),
    ("[audio]\nsample_rate = 8000\n", "[audio] sample_rate must be one of 22050, 24000, 32000, 44100, 48000, got 8000"),
    ("[show]\nlanguage = 'fr'\n", "[show] language must be one of 'ko', 'en', got 'fr'"),
])
def test_numbers_out_of_range_are_one_line_naming_the_key_and_range(tmp_path, text, message):
    path = tmp_path / "podcast.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AudiogenError) as e:
        config.load(path)
    assert str(e.value) == f"{path}: {message}"


def test_a_new_setting_plugs_in_with_one_line():
    @dataclasses.dataclass
    class Extra:
        corrections: str = config.setting("update", choices=("update", "republish"))
        level: float = config.setting(1.0, low=0.0, high=2.0)

    fields = {f.name: config.rule_of(f) for f in dataclasses.fields(Extra)}
    assert fields["corrections"].problem("republish") is None
    assert fields["corrections"].problem("again") == "must be one of 'update', 'republish', got 'again'"
    assert fields["level"].problem(float("nan")) == "must be between 0.0 and 2.0, got nan"
    assert Extra().corrections == "update"
