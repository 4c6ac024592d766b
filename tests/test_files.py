"""Files replaced whole or not at all (audiogen.files), as every writer of kept files relies on."""

import os
import stat

import pytest

from audiogen.files import replacing, write_atomically


def test_a_symlink_at_the_path_is_replaced_not_written_through(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("theirs")
    link = tmp_path / "state.json"
    link.symlink_to(target)
    write_atomically(link, "ours")
    assert not link.is_symlink() and link.read_text() == "ours"
    assert target.read_text() == "theirs"


def test_a_failure_inside_the_block_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "episode.mp3"
    path.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), replacing(path, ".part") as tmp:
        tmp.write_bytes(b"half of the new")
        raise KeyboardInterrupt
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["episode.mp3"]


def test_the_new_file_is_readable_by_others_and_holds_the_text_as_utf8(tmp_path):
    path = tmp_path / "seed.md"
    write_atomically(path, "연봉 = 기본급 + 성과급\n")
    assert path.read_bytes() == "연봉 = 기본급 + 성과급\n".encode()
    assert stat.S_IMODE(os.stat(path).st_mode) & 0o044 == 0o044
