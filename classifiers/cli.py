"""``kiteguard classify``: judge text or HTML from a file or standard input.

    kiteguard classify [--json | --jsonl] [--html] [--sensitivity S] [FILE|-]

``--jsonl`` reads one JSON object per line, ``{"text": ...}`` or ``{"html": ...}``, and writes
one verdict per line, loading the model once for the whole batch. A bad line gets an
``{"error": ...}`` line in its place, so output lines always match input lines.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kiteguard.classifiers.extract import extract
from kiteguard.classifiers.labels import SENSITIVITIES

if TYPE_CHECKING:
    from kiteguard.classifiers.model import Classifier, Verdict


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("classify", help="judge a text or web page with the content classifier",
                                   description=__doc__.split("\n\n")[0])
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print the verdict as one JSON object")
    form.add_argument("--jsonl", action="store_true", help="read and write one JSON object per line")
    parser.add_argument("--html", action="store_true", help="the input is HTML: extract its text first")
    parser.add_argument("--sensitivity", choices=SENSITIVITIES, default="balanced")
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: the shipped model)")
    parser.add_argument("file", nargs="?", default="-", help="input file, or - for standard input")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, home: Any = None) -> int:
    # The model (numpy) is imported here, not at the top: every ``kiteguard`` command builds this
    # parser, and ``kiteguard check`` must start fast.
    from kiteguard.classifiers.model import ModelError
    from kiteguard.classifiers.page import load_classifier

    try:
        model = load_classifier(_model_folder(args.model, home))
    except ModelError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        source: IO[bytes] = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")
    except OSError as error:
        print(f"error: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 1
    with source:
        if args.jsonl:
            return _run_lines(model, source, args, sys.stdout)
        data = source.read()
    verdict = _judge(model, data if args.html else data.decode("utf-8", errors="replace"), args.html,
                     args.sensitivity)
    if args.json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False))
    else:
        print(_describe(verdict))
    return 0


def _model_folder(explicit: Path | None, home: Any) -> Path | None:
    if explicit is not None:
        return explicit
    installed = getattr(home, "model_dir", None)
    if installed is not None and (Path(installed) / "model.json").exists():
        return Path(installed)
    return None


def _judge(model: Classifier, content: bytes | str, is_html: bool, sensitivity: str) -> Verdict:
    text = extract(content).text() if is_html else str(content)
    return model.classify(text, sensitivity)


def _run_lines(model: Classifier, source: IO[bytes], args: argparse.Namespace, out: IO[str]) -> int:
    status = 0
    for number, raw in enumerate(source, 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
            if not isinstance(item, dict) or not isinstance(item.get("text", item.get("html")), str):
                raise ValueError('expected an object with a "text" or "html" string')
            is_html = "html" in item and "text" not in item
            verdict = _judge(model, item["html"] if is_html else item["text"], is_html or args.html,
                             args.sensitivity)
            line: dict[str, Any] = verdict.to_json()
        except ValueError as error:
            line, status = {"error": f"line {number}: {error}"}, 1
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return status


def _describe(verdict: Verdict) -> str:
    top = verdict.scores[verdict.category]
    because = f" — {', '.join(verdict.explain)}" if verdict.explain else ""
    return f"{verdict.category} ({top:.2f}, language {verdict.language}){because}"
