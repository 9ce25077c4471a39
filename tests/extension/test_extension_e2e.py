"""The extension in real headless Chromium, through a real Kiteguard service.

Two browsers are paired to two children by the pairing URL. One child is blocked (time used
up), reads the block page, asks for more time in the popup; the parent approves; the page
loads. A blocked image inside an allowed page shows the in-page overlay. On the same URL the
two children are treated differently. Set KITEGUARD_SCREENSHOTS=DIR to also save screenshots.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kiteguard.proxy.store import Store

from kgtest import Kiteguard, Upstream, _wait_until_running, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
EXTENSION = Path(__file__).resolve().parents[2] / "extension"
LAUNCHER = Path(__file__).with_name("categorised_launcher.py")
EXTENSION_ID = "gkblapfmfdaeicgfjcceikmagidlkmkn"  # from the manifest's public key
POLICY_FILE = Path("/etc/chromium/policies/managed/kiteguard-e2e-extension.json")
LOCALES = {"vi": "vi_VN", "en": "en_US"}  # Chromium on Linux takes its UI language from the environment
CATEGORIES = {"games.test": "games", "video.test": "video", "adult.test": "adult", "chat.test": "chat"}
POLICY = """
language = "{language}"
timezone = "Asia/Ho_Chi_Minh"
default_profile = "guest"

[[profiles]]
name = "guest"
block = ["adult", "games", "video"]

[[profiles]]
name = "lan"
block = ["adult"]
warn = ["chat"]
  [profiles.quotas]
  games = 0

[[profiles]]
name = "minh"
block = ["adult", "video"]
"""

if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)
if not Path("/usr/lib/chromium/locales/vi.pak").exists():
    pytest.skip("Chromium's Vietnamese UI is not installed (apt-get install chromium-l10n)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")


def import_policy(home: Path, language: str) -> None:
    path = home.parent / f"policy-{language}.toml"
    path.write_text(POLICY.format(language=language), encoding="utf-8")
    result = run_cli(home, "policy", "import", str(path))
    assert result.returncode == 0, result.stderr


def spki_hash(ca_pem: Path) -> str:
    certificate = x509.load_pem_x509_certificate(ca_pem.read_bytes())
    der = certificate.public_key().public_bytes(serialization.Encoding.DER,
                                                serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


@dataclass
class Browser:
    context: object
    extension_id: str
    worker: object

    def page(self):  # noqa: ANN201 - a Playwright page
        return self.context.new_page()

    def popup(self):  # noqa: ANN201
        page = self.page()
        page.set_viewport_size({"width": 360, "height": 640})  # the size of the toolbar popup
        page.goto(f"chrome-extension://{self.extension_id}/popup/popup.html")
        return page

    def session(self) -> dict:
        return self.worker.evaluate("chrome.storage.session.get(null)")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, upstream: Upstream) -> Iterator[Kiteguard]:
    home = tmp_path_factory.mktemp("e2e") / "home"
    home.mkdir()
    import_policy(home, "vi")
    command = [sys.executable, str(LAUNCHER), str(home), str(upstream.http_port), str(upstream.https_port),
               str(upstream.ca_pem), *(f"{host}={category}" for host, category in CATEGORIES.items())]
    running = _wait_until_running(home, command)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def playwright() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        yield p


def launch(playwright, service: Kiteguard, folder: Path, language: str) -> Browser:  # noqa: ANN001
    args = [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", f"--lang={language}",
        f"--proxy-server=http://127.0.0.1:{service.proxy_port}",
        f"--proxy-bypass-list=<-loopback>;127.0.0.1:{service.ui_port}",
        f"--ignore-certificate-errors-spki-list={spki_hash(service.ca_pem)}",
        f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}",
    ]
    context = playwright.chromium.launch_persistent_context(
        str(folder), executable_path=str(CHROMIUM), headless=True, args=args, locale=language,
        env={**os.environ, "LANGUAGE": language, "LANG": f"{LOCALES[language]}.UTF-8",
             "LC_ALL": f"{LOCALES[language]}.UTF-8"},
        viewport={"width": 1000, "height": 700},
    )
    worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
    return Browser(context, worker.url.split("/")[2], worker)


def pair(browser: Browser, service: Kiteguard, profile: str) -> None:
    """The way the setup wizard pairs: it opens the pairing URL with a code the parent created."""
    made = run_cli(service.home, "browsers", "code", profile, "--json")
    assert made.returncode == 0, made.stderr
    url = json.loads(made.stdout)["url"]
    page = browser.page()
    page.goto(url)
    page.wait_for_url("**/popup/popup.html?paired=1", timeout=15_000)
    wait_for(lambda: browser.session().get("liveConnected") is True, "the live channel to connect")
    page.close()


def wait_for(condition, what: str, timeout: float = 15.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def policy_revision(service: Kiteguard) -> int:
    with urllib.request.urlopen(f"{service.ui}/healthz", timeout=5) as reply:
        return int(json.load(reply)["policy_revision"])


def text_of(page) -> str:  # noqa: ANN001
    return page.inner_text("body")


@pytest.fixture(scope="module")
def browsers(playwright, service: Kiteguard, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:  # noqa: ANN001
    lan = launch(playwright, service, tmp_path_factory.mktemp("lan-profile"), "vi")
    minh = launch(playwright, service, tmp_path_factory.mktemp("minh-profile"), "en")
    pair(lan, service, "lan")
    pair(minh, service, "minh")
    yield {"lan": lan, "minh": minh}
    lan.context.close()
    minh.context.close()


def screenshot(page, name: str) -> None:  # noqa: ANN001
    folder = os.environ.get("KITEGUARD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_the_extension_id_is_stable(browsers: dict) -> None:
    assert browsers["lan"].extension_id == EXTENSION_ID


def test_pairing_shows_the_childs_name_and_time_left(browsers: dict) -> None:
    popup = browsers["lan"].popup()
    popup.wait_for_selector("#greeting:not([hidden])")
    assert popup.inner_text("#greeting") == "Chào lan!"
    assert "trò chơi: đã hết giờ" in popup.inner_text("#time-list")
    assert "111" in popup.inner_text("#help")
    popup.close()


def test_two_children_are_treated_differently_on_the_same_url(browsers: dict) -> None:
    lan_page, minh_page = browsers["lan"].page(), browsers["minh"].page()
    lan_page.goto("https://video.test/")
    minh_page.goto("https://video.test/")
    assert "Hello from video.test" in text_of(lan_page)
    assert "Kiteguard" in text_of(minh_page) and "Hello from" not in text_of(minh_page), (
        browsers["minh"].worker.evaluate("chrome.storage.local.get(null)"),
        browsers["minh"].worker.evaluate("chrome.declarativeNetRequest.getDynamicRules()"),
        browsers["minh"].session(), service.log[-3000:],
    )
    lan_page.close()
    minh_page.close()


def test_a_blocked_image_inside_an_allowed_page_shows_the_overlay(browsers: dict) -> None:
    for name, title in (("lan", "Một phần trang này đã bị ẩn"), ("minh", "Part of this page was hidden")):
        page = browsers[name].page()
        page.goto("https://games.test/" if name == "minh" else "https://video.test/")
        page.evaluate("document.body.append(Object.assign(new Image(), {src: 'https://adult.test/pic.png'}))")
        overlay = page.locator("kiteguard-panel [role=status]")
        overlay.wait_for(timeout=15_000)
        assert title in overlay.inner_text()
        screenshot(page, f"overlay-{'vi' if name == 'lan' else 'en'}")
        page.close()


SEND_FORM = """
const form = document.createElement("form");
form.innerHTML = '<textarea name="comment" aria-label="Viết bình luận"></textarea><button>Đăng</button>';
window.sent = [];
form.addEventListener("submit", (event) => { event.preventDefault(); window.sent.push(form.comment.value); });
document.body.append(form);
"""


def test_think_before_you_send_asks_gently_and_always_lets_the_child_send(browsers: dict, service: Kiteguard) -> None:
    page = browsers["lan"].page()
    page.goto("https://video.test/")
    page.evaluate(SEND_FORM)
    box = page.locator("textarea")
    # A kind message goes straight through.
    box.click()
    box.type("Chúc mừng sinh nhật bạn!")
    page.wait_for_timeout(1500)  # the text is scored after a pause in typing
    page.click("form button")
    assert page.evaluate("window.sent") == ["Chúc mừng sinh nhật bạn!"]
    # A hurtful one gets the prompt first; "change my message" does not send it.
    box.fill("")
    box.type("Mày ngu quá, đồ ngốc")
    page.wait_for_timeout(1500)
    page.click("form button")
    prompt = page.locator("kiteguard-panel [role=alertdialog]")
    prompt.wait_for(timeout=5000)
    assert "Tin này có thể làm tổn thương người khác. Vẫn gửi chứ?" in prompt.inner_text()
    screenshot(page, "send-prompt-vi")
    page.click("kiteguard-panel button >> text=Sửa lại tin nhắn")
    assert page.evaluate("window.sent") == ["Chúc mừng sinh nhật bạn!"]
    # Pressing send again asks again; "send anyway" always sends.
    page.click("form button")
    page.click("kiteguard-panel button >> text=Vẫn gửi")
    wait_for(lambda: len(page.evaluate("window.sent")) == 2, "the message to be sent anyway")
    counts = Store(service.home / "kiteguard.sqlite3").query("SELECT checked, flagged FROM chat_checks")
    assert [row["flagged"] for row in counts] == [1] and counts[0]["checked"] >= 2  # counts only, never the text
    page.close()


def test_continuing_past_a_warning_leaves_a_gentle_reminder_on_the_page(browsers: dict) -> None:
    page = browsers["lan"].page()
    page.goto("https://chat.test/")
    assert "Hello from" not in text_of(page), service.log[-3000:]  # the proxy's warning page comes first
    page.click("#kiteguard-continue")
    page.wait_for_selector("text=Hello from chat.test")
    reminder = page.locator("kiteguard-panel [role=status]")
    reminder.wait_for(timeout=15_000)
    assert "Nhắc nhở nhỏ" in reminder.inner_text() and "trò chuyện" in reminder.inner_text()
    screenshot(page, "warn-reminder-vi")
    page.close()


def test_blocked_ask_for_time_parent_approves_page_loads(browsers: dict, service: Kiteguard) -> None:
    lan = browsers["lan"]
    page = lan.page()
    page.goto("http://games.test/")
    blocked = text_of(page)
    assert "Kiteguard" in blocked and "Hello from" not in blocked and "111" in blocked
    screenshot(page, "block-page-vi")

    popup = lan.popup()
    popup.wait_for_selector("#ask:not([hidden])")
    popup.select_option("#ask-minutes", "15")
    popup.fill("#ask-message", "Con làm xong bài tập rồi ạ")
    popup.click("#ask-form button[type=submit]")
    wait_for(lambda: popup.inner_text("#ask-result") != "", "the request to be sent")
    assert popup.inner_text("#ask-result") == "Đã gửi. Bố mẹ sẽ trả lời tại đây."
    assert "đang chờ" in popup.inner_text("#request-list")
    screenshot(popup, "popup-vi")

    listed = run_cli(service.home, "requests", "list", "--status", "pending", "--profile", "lan", "--json")
    pending = json.loads(listed.stdout)["requests"]
    assert [(r["kind"], r["category"], r["minutes"], r["message"]) for r in pending] == [
        ("time", "games", 15, "Con làm xong bài tập rồi ạ")]
    approved = run_cli(service.home, "requests", "approve", str(pending[0]["id"]))  # the parent says yes
    assert approved.returncode == 0, approved.stderr

    def loads() -> bool:
        page.goto("http://games.test/")
        return "Hello from games.test" in text_of(page)

    wait_for(loads, "the approved page to load", timeout=10)
    popup.reload()
    popup.wait_for_selector("#requests:not([hidden])")
    wait_for(lambda: "đồng ý" in popup.inner_text("#request-list"), "the answer in the popup")
    popup.close()
    page.close()


def test_english_popup_and_block_page(browsers: dict, service: Kiteguard) -> None:
    minh = browsers["minh"]
    popup = minh.popup()
    popup.wait_for_selector("#greeting:not([hidden])")
    assert popup.inner_text("#greeting") == "Hi, minh!"
    assert popup.inner_text("#help-title") == "I need help"
    popup.click("#privacy summary")
    assert "Your words are never saved" in popup.inner_text("#privacy")
    screenshot(popup, "popup-en")
    popup.close()
    before = policy_revision(service)
    import_policy(service.home, "en")  # the block page follows the household language
    wait_for(lambda: policy_revision(service) > before, "the running service to take the new policy")
    page = minh.page()
    page.goto("https://video.test/")
    assert "Kiteguard stopped this page" in text_of(page)
    screenshot(page, "block-page-en")
    page.close()



def test_browser_policy_presets_the_pairing(playwright, service: Kiteguard, tmp_path: Path) -> None:  # noqa: ANN001
    """What the installer does: a managed policy with a one-time code pairs the browser on first start."""
    if not os.access("/etc", os.W_OK):
        pytest.skip("writing Chromium's managed policy needs root")
    code = json.loads(run_cli(service.home, "browsers", "code", "minh", "--json").stdout)["code"]
    settings = {"pairingCode": code, "apiBase": f"http://127.0.0.1:{service.ui_port}"}
    created = [folder for folder in (POLICY_FILE.parents[2], POLICY_FILE.parents[1], POLICY_FILE.parent)
               if not folder.exists()]
    POLICY_FILE.parent.mkdir(parents=True, exist_ok=True)
    POLICY_FILE.write_text(json.dumps({"3rdparty": {"extensions": {EXTENSION_ID: settings}}}))
    try:
        browser = launch(playwright, service, tmp_path / "managed-profile", "en")
        wait_for(lambda: browser.session().get("status", {}) and browser.session()["status"]["profile"] == "minh",
                 "the policy's code to pair the browser", timeout=30)
        page = browser.page()
        page.goto("https://video.test/")
        assert "stopped this page" in text_of(page) or "đã dừng trang này" in text_of(page)
        browser.context.close()
    finally:  # the policy folder is machine-wide: leave it exactly as it was
        POLICY_FILE.unlink(missing_ok=True)
        for folder in reversed(created):
            folder.rmdir()
