"""Odd inputs give one clear line each and the rest of the work goes on (issue #9, item
13): oversized local files, manifests with bad rows or in another encoding, ids past 64
bits, --jobs far beyond the work, control characters in names and tags."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from test_safety_workers import children

TEXT = ("The foreign minister said on Monday that talks on the ceasefire would resume in Geneva after a "
        "short pause, in a statement carried by state media. Officials said the talks would last days. ")


def write_text(path: Path, title: str) -> Path:
    path.write_text(f"{title}\n\n{TEXT}{title}.\n")
    return path


def test_local_files_are_capped_like_web_pages(cli, tmp_path):
    small = write_text(tmp_path / "small.txt", "Talks resume on grain")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(10_000_001)  # sparse: its size is what is checked, before reading
    result = cli("add", str(huge), str(small))
    assert result.exit_code == 1
    assert f"failed  {huge}: too large (10,000,001 bytes; the limit is 10,000,000: --max-size to raise it)" \
        in result.stderr
    assert "1 added, 0 already present, 1 failed" in result.stdout
    medium = write_text(tmp_path / "medium.txt", "Talks resume on water " + "word " * 400)
    capped = cli("add", str(medium), "--max-size", "1kB")
    assert capped.exit_code == 1 and "the limit is 1,000: --max-size to raise it" in capped.stderr
    assert cli("add", str(medium), "--max-size", "5kB").exit_code == 0
    bad = cli("add", str(medium), "--max-size", "lots")
    assert bad.exit_code == 1
    assert bad.stderr == "error: not a size: 'lots' (use bytes, or a number with kB, MB or GB)\n"


def test_a_manifest_row_that_cannot_be_read_fails_alone(cli, tmp_path):
    for name in ("a", "b", "c", "d"):
        write_text(tmp_path / f"{name}.txt", f"Talks resume on {name} matters")
    manifest = tmp_path / "list.csv"
    manifest.write_text("path,published,title\n"
                        "a.txt,2016-03-01,\n"
                        "b.txt,last tuesday,\n"
                        ",,\n"
                        "\n"
                        "c.txt,2016-03-02,A title,an extra field\n"
                        "d.txt,2016-03-03,\n")
    result = cli("add", "--manifest", str(manifest))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"failed  {manifest}:3: not a date: 'last tuesday'" in result.stderr
    assert f"failed  {manifest}:4: a row needs a path or a url" in result.stderr
    assert f"failed  {manifest}:6: more fields than the header names" in result.stderr
    assert "2 added, 0 already present, 3 failed" in result.stdout
    titles = sorted(row["title"] for row in json.loads(cli("list", "--json").stdout))
    assert titles == ["Talks resume on a matters", "Talks resume on d matters"]


def test_a_jsonl_manifest_with_numbers_objects_and_broken_lines(cli, tmp_path):
    for name in ("a", "b"):
        write_text(tmp_path / f"{name}.txt", f"Talks resume on {name} matters")
    manifest = tmp_path / "list.jsonl"
    manifest.write_text('{"path": "a.txt", "title": 5}\n'
                        '{"path": "a.txt", "tags": {"x": 1}}\n'
                        '{"path": "a.txt", "published": 2016}\n'
                        '{"path": "a.txt", "tags": ["ok", 3]}\n'
                        '["a.txt"]\n'
                        '{"path": "a.txt"\n'
                        '{"path": "b.txt", "tags": ["syria", "talks"], "title": "B"}\n')
    result = cli("add", "--manifest", str(manifest))
    assert result.exit_code == 1 and "Traceback" not in result.output
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed  ")]
    assert failures == [
        f"failed  {manifest}:1: title must be text, not a number (5)",
        f"failed  {manifest}:2: tags must be text, not an object",
        f"failed  {manifest}:3: published must be text, not a number (2016)",
        f"failed  {manifest}:4: tags must be text, not a list of non-text values",
        f"failed  {manifest}:5: each line must be a JSON object",
        f"failed  {manifest}:6: not JSON (Expecting ',' delimiter)",
    ]
    assert "1 added, 0 already present, 6 failed" in result.stdout


def test_a_manifest_that_is_not_utf8_is_one_line(cli, tmp_path):
    write_text(tmp_path / "a.txt", "Talks resume")
    manifest = tmp_path / "latin.csv"
    manifest.write_bytes("path,title\na.txt,Caf\u00e9 talks\n".encode("latin-1"))
    result = cli("add", "--manifest", str(manifest))
    assert result.exit_code == 1
    assert result.output == f"error: {manifest}: not UTF-8 text (byte 21); save it as UTF-8\n"


@pytest.mark.parametrize("number", [2**31, 2**63, 2**64 + 1])
def test_ids_past_the_database_range_are_one_line(cli, tmp_path, number):
    assert cli("add", str(write_text(tmp_path / "a.txt", "Talks resume"))).exit_code == 0
    for command in (["show", str(number)], ["tag", "x", str(number)], ["quotes", "reject", str(number)],
                    ["edit", str(number), "--title", "T"], ["speakers", "show", str(number)]):
        result = cli(*command)
        assert result.exit_code == 1, (command, result.output)
        assert "Traceback" not in result.output and result.output.startswith("error: "), (command, result.output)
        assert len(result.output.splitlines()) == 1, (command, result.output)


def test_jobs_are_capped_at_the_documents_and_twice_the_cores(db_url, tmp_path):
    for i in range(3):
        write_text(tmp_path / f"doc{i}.txt", f"Talks resume on matter number {i}")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "corpus", "--db", db_url, "add", str(tmp_path), "--jobs", "100"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    most = 0
    while process.poll() is None:
        most = max(most, len(children(process.pid)))
        time.sleep(0.01)
    assert process.returncode == 0, process.stderr.read()
    assert b"3 added" in process.stdout.read()
    assert 1 <= most <= min(3, (os.cpu_count() or 1) * 2)


def test_control_characters_in_file_names_and_tags_are_escaped(cli, tmp_path):
    path = write_text(tmp_path / "evil\x1b[2J\x07.txt", "Talks resume")
    result = cli("add", str(path), "--tag", "red\x1b[31mtag")
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "evil\\x1b[2J\\x07.txt" in result.stdout
    table = cli("tags", "--table")
    assert "red\\x1b[31mtag" in table.stdout and "\x1b" not in table.stdout
    missing = cli("add", str(tmp_path / "gone\x1b]0;owned\x07.txt"))
    assert "gone\\x1b]0;owned\\x07.txt: no such file or directory" in missing.stderr
    assert "\x1b" not in missing.output
