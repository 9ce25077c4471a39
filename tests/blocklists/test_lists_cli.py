from __future__ import annotations

import argparse
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from blocklist_files import write

from kiteguard.blocklists import cli
from kiteguard.blocklists.registry import ListsBusy, registry_lock
from kiteguard.proxy.paths import Home


def run(home: Home, *argv: str, language: str = "en") -> int:
    parser = argparse.ArgumentParser(prog="kiteguard")
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["lists", *argv, "--language", language])
    return int(args.handler(args, home))


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


@pytest.fixture
def list_server(tmp_path: Path) -> Iterator[str]:
    """A plain HTTP server on 127.0.0.1 serving a folder."""
    folder = tmp_path / "served"
    write(folder / "vn-gambling.txt", "0.0.0.0 cado.example\n0.0.0.0 lode.example\n")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_import_status_explain_remove(home: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "porn.txt", "# my list\n0.0.0.0 bad.example\n0.0.0.0 10.0.0.1\n0.0.0.0 nodots\n")
    assert run(home, "import", str(path), "--category", "adult") == 0
    out = capsys.readouterr().out
    assert "Imported porn.txt as list 1 (adult): 1 domains; skipped 0 rules, 1 IPs, 1 junk lines" in out

    assert run(home, "explain", "https://www.bad.example/x") == 0
    assert "www.bad.example: adult in porn.txt (list 1), line 2: 0.0.0.0 bad.example" in capsys.readouterr().out

    assert run(home, "status") == 0
    status = capsys.readouterr().out
    assert "Kiteguard starter list" in status and "porn.txt" in status

    assert run(home, "remove", "1") == 0
    assert run(home, "explain", "bad.example") == 0
    assert "bad.example is on no list." in capsys.readouterr().out


def test_the_starter_list_can_be_switched_off(home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(home, "explain", "roblox.com") == 0
    assert "games in Kiteguard starter list" in capsys.readouterr().out
    assert run(home, "remove", "starter") == 0
    assert run(home, "explain", "roblox.com") == 0
    assert "on no list" in capsys.readouterr().out
    assert run(home, "status") == 0
    assert "off" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["remove", "42"], "there is no list with id '42'"),
        (["import", "missing.txt", "--category", "adult"], "does not exist"),
        (["import", "{page}", "--category", "adult"], "was refused: an HTML page"),
        (["import", "{list}", "--category", "cartoons"], "'cartoons' is not a category"),
        (["import", "{list}"], "say which category"),
        (["add", "ftp://lists.example/x.txt", "--category", "adult"], "is not an http(s) URL"),
    ],
)
def test_mistakes_get_one_line_and_exit_1(
    home: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    page = write(tmp_path / "page.html", "<html><body>Not found</body></html>")
    listed = write(tmp_path / "list.txt", "a.example\n")
    argv = [arg.format(page=page, list=listed) for arg in argv]
    assert run(home, *argv) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_add_fetches_and_update_reports(home: Home, list_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(home, "add", f"{list_server}/vn-gambling.txt", "--category", "gambling") == 0
    assert "List 1 ok: 2 domains" in capsys.readouterr().out
    assert run(home, "update") == 0
    assert "List 1 " in capsys.readouterr().out
    assert run(home, "explain", "lode.example") == 0
    assert "gambling" in capsys.readouterr().out


def test_a_failed_download_exits_1_and_says_why(
    home: Home, list_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(home, "add", f"{list_server}/gone.txt", "--category", "gambling") == 1
    assert "List 1 failed: the server answered HTTP 404" in capsys.readouterr().out


def test_export_writes_a_file(home: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "kiteguard.hosts"
    assert run(home, "export", "--format", "hosts", "--category", "chat", "--output", str(target)) == 0
    text = target.read_text()
    assert "0.0.0.0 zalo.me" in text and "roblox.com" not in text


def test_catalogue_lists_sources_with_licences(home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(home, "catalogue") == 0
    out = capsys.readouterr().out
    assert "hostsvn-gambling" in out and "MIT" in out and "CC BY-SA 4.0" in out


def test_one_lists_command_at_a_time(home: Home) -> None:
    with registry_lock(home.lists_dir):
        with pytest.raises(ListsBusy, match="another kiteguard command"):
            with registry_lock(home.lists_dir, wait=False):
                pass
    with registry_lock(home.lists_dir, wait=False):
        pass  # released when the holder finished


def test_messages_speak_vietnamese_by_default(home: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listed = write(tmp_path / "porn.txt", "bad.example\n")
    assert run(home, "import", str(listed), "--category", "adult", language="vi") == 0
    assert "Đã nhập porn.txt thành danh sách 1 (adult): 1 tên miền; bỏ qua 0 quy tắc" in capsys.readouterr().out
    assert run(home, "explain", "good.example", language="vi") == 0
    assert "good.example không có trong danh sách nào." in capsys.readouterr().out
    assert run(home, "remove", "99", language="vi") == 1
    assert capsys.readouterr().err.startswith("Lỗi: ")
    parser = argparse.ArgumentParser(prog="kiteguard")
    cli.register(parser.add_subparsers(dest="command", required=True))
    assert parser.parse_args(["lists", "status"]).language == "vi"
