"""The registry file's trust rule, on a real SQLite file: a stamp still equal to the database's means no
write since, and any committed write — even one that leaves mtime and size as they were — makes it stale.
No Chroma here: the store's use of the file is tested in ``tests/test_registry_file.py``."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from vectorstore.config import StoreConfig
from vectorstore.registry_file import FILE_NAME, RegistryEntry, RegistryFile, RegistryState, sqlite_stamp

pytestmark = pytest.mark.unit

STATE = RegistryState({"a": RegistryEntry("v1", '{"doc_id":"a"}', 3)}, "model@1/384", "model（版本 1）")


def database(chroma: Path) -> Path:
    chroma.mkdir(parents=True, exist_ok=True)
    path = chroma / "chroma.sqlite3"
    with sqlite3.connect(path) as db:  # rollback journal, as Chroma keeps it
        db.execute("create table t (k text primary key, v text)")
        db.execute("insert into t values ('a', 'one')")
    return path


def test_a_file_is_trusted_only_for_the_stamp_it_was_written_for(tmp_path):
    sqlite = database(tmp_path / "chroma")
    file = RegistryFile(tmp_path / "segments", tmp_path / "chroma", "policy_clauses")
    stamp = file.stamp()
    assert stamp is not None and stamp == sqlite_stamp(sqlite)
    file.save(STATE, stamp)
    assert file.load(stamp) == STATE and STATE.versions == {"a": "v1"}
    assert [p.name for p in file.path.parent.iterdir()] == [FILE_NAME]  # written whole: no temporary left behind
    assert RegistryFile(tmp_path / "segments", tmp_path / "chroma", "other_collection").load(stamp) is None

    with sqlite3.connect(sqlite) as db:
        db.execute("update t set v = 'two' where k = 'a'")  # a write from "another process"
    now = file.stamp()
    assert now != stamp and file.load(now) is None


def test_a_write_that_keeps_mtime_and_size_still_changes_the_stamp(tmp_path):
    """Two writes within one timestamp tick: SQLite's change counter tells them apart."""
    sqlite = database(tmp_path / "chroma")
    before = os.stat(sqlite)
    stamp = sqlite_stamp(sqlite)
    with sqlite3.connect(sqlite) as db:
        db.execute("update t set v = 'owt' where k = 'a'")
    os.utime(sqlite, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(sqlite)
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)
    assert sqlite_stamp(sqlite) != stamp


def test_no_database_no_stamp_and_a_damaged_file_is_not_trusted(tmp_path):
    file = RegistryFile(tmp_path / "segments", tmp_path / "chroma", "policy_clauses")
    assert file.stamp() is None
    database(tmp_path / "chroma")
    stamp = file.stamp()
    assert stamp is not None
    file.path.parent.mkdir(parents=True)
    file.path.write_text("{not json", encoding="utf-8")
    assert file.load(stamp) is None
    file.path.write_text(json.dumps({"format": 0, "collection": "policy_clauses", "stamp": list(stamp)}), encoding="utf-8")
    assert file.load(stamp) is None


def test_a_server_store_keeps_no_registry_file(tmp_path):
    """Server mode asks the server every time (another host may write): no file, and nothing opened here."""
    from vectorstore.chroma_store import ClauseStore

    store = ClauseStore(StoreConfig(path=tmp_path / "chroma", host="127.0.0.1", port=9), check_model=False)
    assert store._file is None and store._client is None
