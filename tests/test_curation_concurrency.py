"""Two processes curating the same article at once: both actions are applied, one after
the other (each seeing the other's result), or one gets a clear message; nothing is
half-done and no history entry records a value that was not there."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from corpus import Corpus

from conftest import ROOT, SEEDS

ROUNDS = 12

CURATOR = textwrap.dedent("""
    import sys
    from corpus import Corpus, CorpusError

    url, role, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Corpus(url) as corpus:
        quote = corpus.article(1)["quotes"][0]["id"]
        for i in range(rounds):
            corpus.edit([1], title=f"title {role}{i}", byline=f"byline {role}{i}", note=role)
            try:  # the other process may have left the quote as this one wants it
                corpus.reject_quotes([quote]) if (i + (role == "b")) % 2 else corpus.restore_quotes([quote])
            except CorpusError as exc:
                assert "already" in str(exc), exc
            corpus.tag(f"shared {i}", [1, 2], note=role)
    print("done")
""")


def run_together(url: str, *roles: str, rounds: int = ROUNDS, script: str = CURATOR) -> list[subprocess.CompletedProcess]:
    processes = [subprocess.Popen([sys.executable, "-c", script, url, role, str(rounds)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for role in roles]
    done = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr))
    return done


def test_two_processes_editing_and_tagging_one_article_both_apply(db_url):
    with Corpus(db_url) as corpus:
        list(corpus.add([str(SEEDS / "000_866a51af9ae93c57.txt"), str(SEEDS / "001_8bbc5c1762615b22.txt")]))
    for process in run_together(db_url, "a", "b"):
        assert process.returncode == 0 and process.stdout == "done\n", process.stderr
    with Corpus(db_url) as corpus:
        entries = list(reversed(corpus.history()))
        edits = [e for e in entries if e["action"] == "edit"]
        assert len(edits) == 2 * ROUNDS
        # Every edit saw the value the one before it left: no update was lost or half-applied.
        title = corpus.article(1)["title"]
        for before, after in zip(edits, edits[1:]):
            assert after["before"]["articles"]["1"]["title"] == before["after"]["articles"]["1"]["title"]
        assert edits[-1]["after"]["articles"]["1"]["title"] == title
        statuses = [e for e in entries if e["action"] in ("quote-reject", "quote-restore")]
        for before, after in zip(statuses, statuses[1:]):
            assert after["action"] != before["action"]  # each saw the state the other left
        # Each tag was made once, on both articles, and recorded once.
        assert sorted(t["tag"] for t in corpus.tags()) == sorted(f"shared {i}" for i in range(ROUNDS))
        assert {t["articles"] for t in corpus.tags()} == {2}
        assert len([e for e in entries if e["action"] == "tag"]) == ROUNDS


UNDOER = textwrap.dedent("""
    import sys
    from corpus import Corpus, CorpusError

    url, history_id = sys.argv[1], int(sys.argv[2])
    with Corpus(url) as corpus:
        try:
            corpus.undo(history_id)
            print("undone")
        except CorpusError as exc:
            print(exc)
""")


def test_two_processes_undoing_one_action_undo_it_once(db_url):
    with Corpus(db_url) as corpus:
        list(corpus.add([str(SEEDS / "000_866a51af9ae93c57.txt")]))
        title = corpus.article(1)["title"]
        entry = corpus.edit([1], title="A title")
    outcomes = sorted(p.stdout.strip() for p in run_together(db_url, str(entry["id"]), str(entry["id"]),
                                                              script=UNDOER))
    assert outcomes == [f"#{entry['id']} was already undone (by #2)", "undone"]
    with Corpus(db_url) as corpus:
        assert corpus.article(1)["title"] == title
        assert [e["action"] for e in corpus.history()] == ["undo", "edit"]
