"""podcast.toml: defaults, the init template, and one clear line for every mistake."""

import tomllib

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
