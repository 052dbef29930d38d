"""The line model (--content model|auto): recorded like a rule, a fixed point, reversible, never empties a page."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from cleaner import Options, clean_bytes, clean_text
from cleaner.cli import main
from cleaner.content.select import RULE, reads_as_page
from cleaner.record.explain import fates
from cleaner.record.restore import restore_bytes
from cleaner.record.sidecar import Sidecar, dumps, schema, to_sidecar

from .conftest import SEEDS_EXPECTED, SEEDS_RAW, SLICE, needs_devset, tree_bytes

MODEL = Options(content="model")
PAGES = sorted((SLICE / "text-page").glob("*.txt"))
DUMPS = sorted((SLICE / "text-recall").glob("*.txt"))


def test_the_model_drops_lines_of_whole_pages_and_records_each_with_its_score(ruleset) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    dropped = 0
    for path in PAGES:
        result = clean_bytes(path.read_bytes(), ruleset, options=MODEL)
        by_model = [d for d in result.record.dropped if d.rule == RULE]
        dropped += len(by_model)
        assert all(d.score is not None and 0 <= d.score < 1 for d in by_model)
        sidecar = json.loads(dumps(to_sidecar(result, path.name)))
        validator.validate(sidecar)
        assert sidecar["options"]["content"] == "model"
    assert dropped > 10 * len(PAGES)  # whole pages carry menus: the model takes many lines of each


@pytest.mark.parametrize("options", [MODEL, Options(content="auto")], ids=["model", "auto"])
def test_cleaning_a_model_output_again_changes_nothing(options: Options, ruleset) -> None:
    changed = []
    for path in [*PAGES, *DUMPS]:
        once = clean_bytes(path.read_bytes(), ruleset, options=options).text
        if clean_text(once, ruleset, options=options).text != once:
            changed.append(path.name)
    assert changed == []


def test_restore_gives_back_every_input_with_the_model_on(ruleset) -> None:
    for path in PAGES:
        data = path.read_bytes()
        result = clean_bytes(data, ruleset, options=MODEL)
        assert restore_bytes(result.text, Sidecar.from_json(json.loads(dumps(to_sidecar(result, "x"))))) == data


def test_no_document_comes_out_empty_because_of_the_model(ruleset) -> None:
    menu = "\n".join(["Home", "News", "Sport", "Weather", "Contact", "Imprint", "Privacy", "Login"]) + "\n"
    assert clean_text(menu, ruleset).text  # the rules leave it
    assert clean_text(menu, ruleset, options=MODEL).text  # so must the model: its best block stays


def test_the_default_is_the_model_and_the_seeds_stay_byte_exact(tmp_path: Path) -> None:
    """Seeds stay byte-exact with the model, the default; sidecars of rules-only runs state no content mode."""
    assert main(["clean", str(SEEDS_RAW), "-o", str(tmp_path / "model"), "--quiet"]) == 0
    assert main(["clean", str(SEEDS_RAW), "-o", str(tmp_path / "rules"), "--quiet", "--content", "rules"]) == 0
    for path in SEEDS_RAW.glob("*.txt"):
        for mode in ("model", "rules"):
            assert (tmp_path / mode / path.name).read_bytes() == (SEEDS_EXPECTED / path.name).read_bytes()
        options = [json.loads((tmp_path / m / (path.stem + ".meta.json")).read_text("utf-8"))["options"]
                   for m in ("model", "rules")]
        assert options[0]["content"] == "model" and "content" not in options[1]


def test_auto_runs_the_model_on_pages_not_on_article_dumps() -> None:
    article = ["This is a sentence of an article that goes on for a while and ends with a full stop."] * 6
    assert not reads_as_page(article + ["Share", "Tweet"])
    assert reads_as_page(article[:1] + ["Home", "News", "Sport", "Contact us", "Imprint"] * 8)


def test_fix_then_restore_with_the_model_is_byte_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / ".git").mkdir()
    for path in PAGES[:10]:
        shutil.copy(path, corpus / path.name)
    before = tree_bytes(corpus)
    monkeypatch.chdir(tmp_path)
    assert main(["fix", "corpus", "--content", "model"]) == 1
    assert main(["fix", "corpus", "--content", "model"]) == 0  # a fixed point
    assert main(["restore", *(f"corpus/{p.name}" for p in PAGES[:10])]) == 0
    assert tree_bytes(corpus) == before


def test_explain_shows_the_models_score_of_every_line(ruleset, capsys: pytest.CaptureFixture[str]) -> None:
    path = PAGES[0]
    result = clean_bytes(path.read_bytes(), ruleset, options=MODEL)
    scored = [f for f in fates(result) if f.fate != "blank" and f.rule != "cleaner/title"]
    model_lines = [f for f in scored if f.rule == RULE or f.fate == "kept"]
    assert model_lines and all(f.score is not None for f in model_lines)
    assert main(["explain", str(path), "--content", "model"]) == 0
    out = capsys.readouterr().out
    assert f"{RULE} 0." in out


def test_the_shipped_model_is_the_one_the_docs_name() -> None:
    """docs/line-model.md states the model file's sha256 and the digest of the data it was trained on; a retrained
    model must update both (tools/train_line_model.py --write prints them)."""
    import hashlib

    from .conftest import REPO

    shipped = hashlib.sha256((REPO / "cleaner" / "content" / "line-model.json").read_bytes()).hexdigest()
    readme = (REPO / "docs" / "line-model.md").read_text("utf-8")
    assert f"model file: `sha256:{shipped}`" in readme


@needs_devset
def test_the_docs_name_the_data_the_model_was_trained_on() -> None:
    import importlib.util

    from .conftest import DEVSET, REPO

    spec = importlib.util.spec_from_file_location("train_line_model", REPO / "tools" / "train_line_model.py")
    assert spec and spec.loader
    trainer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(trainer)
    ids = [json.loads(line)["id"] for line in (DEVSET / "pages.jsonl").read_text("utf-8").splitlines() if line.strip()]
    assert f"training data: `{trainer.data_digest(DEVSET, ids)}`" in (REPO / "docs" / "line-model.md").read_text("utf-8")


def test_the_configuration_file_chooses_the_content_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".git").mkdir()
    shutil.copy(PAGES[0], tmp_path / "page.txt")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cleaner.toml").write_text('content = "model"\n', "utf-8")
    assert main(["clean", "page.txt", "-o", "out", "--quiet"]) == 0
    sidecar = json.loads((tmp_path / "out" / "page.meta.json").read_text("utf-8"))
    assert sidecar["options"]["content"] == "model" and any(d["rule"] == RULE for d in sidecar["dropped"])
    (tmp_path / "cleaner.toml").write_text('content = "everything"\n', "utf-8")
    assert main(["clean", "page.txt", "-o", "out2", "--quiet"]) == 2
    assert "content must be one of rules, model, auto" in capsys.readouterr().err


def test_html_is_left_to_trafilatura_and_the_rules(ruleset) -> None:
    """On extracted HTML the model cost article text and removed next to nothing (docs/line-model.md): it does not run
    there, and a text dump of the same page still gets it."""
    import gzip

    page = sorted((SLICE / "html").glob("*.html.gz"))[0]
    data = gzip.decompress(page.read_bytes())
    by_rules = clean_bytes(data, ruleset, format="html")
    with_model = clean_bytes(data, ruleset, options=Options(content="model"), format="html")
    assert with_model.text == by_rules.text and with_model.record.scores == {}
    dump = (SLICE / "text-page" / page.name.replace(".html.gz", ".txt")).read_text("utf-8")
    assert any(d.rule == RULE for d in clean_text(dump, ruleset, options=Options(content="model")).record.dropped)
