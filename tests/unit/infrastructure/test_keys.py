"""Key names: one short hash tag per attempt, shared by all its keys, never a brace."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from redis.crc import key_slot

from infrastructure.redis.keys import RedisKeys, attempt_of_tag, attempt_tag


@given(st.uuids(version=None) | st.builds(UUID, int=st.sampled_from([0, 2**128 - 1])))
def test_the_tag_is_22_characters_without_braces_and_names_the_attempt(attempt_id: UUID) -> None:
    tag = attempt_tag(attempt_id)
    assert len(tag) == 22
    assert "{" not in tag
    assert "}" not in tag
    assert attempt_of_tag(tag) == attempt_id
    assert attempt_of_tag(tag.encode()) == attempt_id


@pytest.mark.parametrize("tag", ["", "3", str(uuid4()), "a" * 21, "!" * 22])
def test_other_tags_name_no_attempt(tag: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (binascii.Error and UnicodeDecodeError too)
        attempt_of_tag(tag)


def test_an_attempts_keys_share_one_slot() -> None:
    keys, attempt_id = RedisKeys("hg"), uuid4()
    attempt, adaptive = keys.attempt(attempt_id), keys.adaptive(attempt_id)
    assert attempt == f"hg:a:{{{attempt_tag(attempt_id)}}}"
    assert adaptive == f"hg:cat:{{{attempt_tag(attempt_id)}}}"
    assert key_slot(attempt.encode()) == key_slot(adaptive.encode())
    assert key_slot(attempt.encode()) == key_slot(attempt_tag(attempt_id).encode())


def test_deadline_groups_are_their_own_hash_tags() -> None:
    keys = RedisKeys("hg")
    assert keys.deadlines(3) == "hg:deadlines:{3}"
    assert key_slot(b"hg:deadlines:{3}:0") == key_slot(b"hg:deadlines:{3}:n") == key_slot(b"3")


@pytest.mark.parametrize("prefix", ["", "hg{", "h}g"])
def test_a_prefix_with_a_brace_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="invalid Redis key prefix"):
        RedisKeys(prefix)
