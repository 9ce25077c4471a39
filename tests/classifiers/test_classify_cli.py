from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pytest

from kiteguard.classifiers import cli
from kiteguard.classifiers.model import Classifier


@pytest.fixture
def model_dir(seed_model: Classifier, tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    seed_model.save(folder)
    return folder


def run(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="kiteguard")
    cli.register(parser.add_subparsers())
    args = parser.parse_args(["classify", *argv])
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        status = args.handler(args, None)
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return status, out.getvalue(), err.getvalue()


def test_plain_text_from_stdin(model_dir: Path) -> None:
    status, out, _ = run(["--model", str(model_dir)], "chơi tài xỉu ở nhà cái uy tín".encode())
    assert status == 0
    assert out.startswith("gambling (") and "language vi" in out and "tài xỉu" in out


def test_json_for_an_html_file(model_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes("<title>Phim sex không che</title><script>var x='phở bò'</script>".encode())
    status, out, _ = run(["--model", str(model_dir), "--json", "--html", str(page)])
    verdict = json.loads(out)
    assert status == 0
    assert verdict["category"] == "adult"
    assert set(verdict) == {"category", "scores", "language", "explain"}


def test_jsonl_answers_line_for_line_and_marks_bad_lines(model_dir: Path) -> None:
    lines = [
        json.dumps({"text": "nạp tiền chơi tài xỉu"}),
        "not json",
        json.dumps({"html": "<h1>Công thức nấu phở bò</h1>"}),
        json.dumps({"url": "no text here"}),
    ]
    status, out, _ = run(["--model", str(model_dir), "--jsonl"], "\n".join(lines).encode())
    answers = [json.loads(line) for line in out.splitlines()]
    assert status == 1  # some lines were bad; the good ones were still answered
    assert [a.get("category") for a in answers] == ["gambling", None, "safe", None]
    assert answers[1]["error"].startswith("line 2:") and answers[3]["error"].startswith("line 4:")
    assert answers[0]["language"] == "vi" and answers[0]["explain"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--model", "/nonexistent/model"], "cannot read the classifier model"),
        (["/nonexistent/input.txt"], "cannot read /nonexistent/input.txt"),
    ],
)
def test_errors_are_one_line(model_dir: Path, argv: list[str], message: str) -> None:
    if argv[0] != "--model":
        argv = ["--model", str(model_dir), *argv]
    status, out, err = run(argv)
    assert status == 1 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
