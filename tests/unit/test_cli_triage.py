"""`python -m bot triage check`: the rules file checked and measured against the corpus."""

import pytest
import yaml

from bot.__main__ import main
from bot.domain.triage import BUNDLED_RULES


@pytest.fixture(autouse=True)
def _settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "q.sqlite3"))


def _rules_without(tmp_path, *ids: str):
    raw = yaml.safe_load(BUNDLED_RULES.read_text(encoding="utf-8"))
    path = tmp_path / "weaker.yaml"
    kept = [rule for rule in raw if rule["id"] not in ids]
    path.write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
    return path


def test_bundled_rules_meet_the_targets(capsys):
    assert main(["triage", "check", str(BUNDLED_RULES)]) == 0
    out = capsys.readouterr().out
    assert "immediate" in out and "recall 100.0%" in out
    assert "raised" in out and "target at most 5%" in out
    assert "kk-latn 100%" in out
    assert "Targets met. Set TRIAGE_FILE=" in out


def test_weaker_rules_are_refused_with_the_messages_they_under_read(tmp_path, capsys):
    path = _rules_without(tmp_path, "violence_feared", "threat_to_kill")
    assert main(["triage", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "UNDER-READ immediate as high: 'отчим избивает меня каждый день, мне страшно'" in out
    assert "UNDER-READ immediate as normal: 'oltiremin dedi ogey akem'" in out
    assert "miss the targets" in out


def test_another_corpus(tmp_path, capsys):
    corpus = tmp_path / "corpus.yaml"
    corpus.write_text(
        "- {tier: immediate, lang: kk-latn, text: 'meni öltiremin'}\n"
        "- {tier: normal, lang: ru, text: 'кровать сломалась'}\n",
        encoding="utf-8",
    )
    assert main(["triage", "check", str(BUNDLED_RULES), "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert f"Corpus {corpus}: 2 messages" in out


def test_a_corpus_that_cannot_be_read(tmp_path, capsys):
    missing = tmp_path / "nope.yaml"
    assert main(["triage", "check", str(BUNDLED_RULES), "--corpus", str(missing)]) == 1
    assert "cannot read the corpus" in capsys.readouterr().out


def test_a_broken_rules_file(tmp_path, capsys):
    path = tmp_path / "broken.yaml"
    path.write_text("- id: x\n  urgency: urgent\n  stems: [бьет]\n", encoding="utf-8")
    assert main(["triage", "check", str(path)]) == 1
    assert "Error: rule 1 (x): unknown urgency «urgent»" in capsys.readouterr().out
