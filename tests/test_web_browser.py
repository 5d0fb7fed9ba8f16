"""The web page in a real browser: headless Chromium from Debian's packages, driven by
Selenium with the driver path given (so nothing is ever downloaded), on both databases.

Skipped when Chromium is not installed, unless CORPUS_REQUIRE_BROWSER is set (CI sets it
after installing chromium and chromium-driver). CORPUS_UPDATE_SCREENSHOT=1 writes the
article page's screenshot to docs/web-article.png for the README.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOT = ROOT / "docs" / "web-article.png"
WAIT_SECONDS = 90
HOSTILE = ('<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2">'
           '<a href="javascript:window.__xss=3">click</a>')


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("CORPUS_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (apt-get install chromium chromium-driver)")
        pytest.skip("Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never fetch anything
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                     "--window-size=1280,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    yield driver
    driver.quit()


class Page:
    """The browser on one server: open paths, find things, and check what a page loaded."""

    def __init__(self, driver, base: str):
        self.driver = driver
        self.base = base

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)
        self.check_loaded_nothing_from_elsewhere()

    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def submit(self, form_css: str, **fields) -> None:
        """Fill a form's fields as a user types, then press its button."""
        form = self.find(form_css)
        for name, value in fields.items():
            field = form.find_element("css selector", f'[name="{name}"]')
            field.clear()
            field.send_keys(value)
        self.click(form.find_element("css selector", "button[type=submit]"))

    def click(self, element) -> None:
        """Click a link or button and wait for the page it leads to (the old page is
        marked, so a page that has not yet gone is never taken for the new one)."""
        self.driver.execute_script("document.documentElement.dataset.leaving = 'yes'")
        element.click()
        self.wait_for("document.readyState === 'complete' && !document.documentElement.dataset.leaving")
        self.check_loaded_nothing_from_elsewhere()

    def wait_for(self, condition: str) -> None:
        """Wait until a JavaScript condition holds in the page (a busy machine may take a
        while: the bound is generous, and nothing waits longer than the condition needs)."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=(WebDriverException,)).until(
            lambda driver: driver.execute_script(f"return {condition}"))

    def check_loaded_nothing_from_elsewhere(self) -> None:
        loaded = self.driver.execute_script(
            "return performance.getEntries().map(e => e.name).filter(n => n.startsWith('http'))")
        assert loaded and all(name.startswith(self.base + "/") for name in loaded), loaded
        violations = [entry["message"] for entry in self.driver.get_log("browser")
                      if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]]
        assert not violations, violations

    @property
    def text(self) -> str:
        return self.find("main").text


@pytest.fixture
def page(browser, serve_page, listed_seeds):
    url = serve_page(listed_seeds)
    browser.get(url + "/static/style.css")
    browser.delete_all_cookies()
    browser.get_log("browser")  # start each test with an empty console
    return Page(browser, url)


def test_search_open_article_see_quotes_and_curate(page, listed_seeds):
    """Search, open an article, see its quotes highlighted, tag it, reject a quote, assign
    another to a speaker, merge two speakers, undo the rejection: each checked in the
    database as the page said."""
    corpus = listed_seeds
    page.open("/")
    assert len(page.find_all("table.articles tbody tr")) == 5
    page.submit("form.searchbox", q="Lavrov")
    assert page.find("h1").text == "2 matches for “Lavrov”"
    assert [m.text for m in page.find_all(".snippet mark")][:2] == ["Lavrov", "Lavrov"]
    opened = page.find('.results a.title[href="/articles/1"]')  # Lavrov, al-Jubeir and Putin are quoted
    article_id = 1
    page.click(opened)

    record = corpus.article(article_id)
    marks = page.find_all("mark.quote")
    assert {int(m.get_attribute("data-quote")) for m in marks} == {q["id"] for q in record["quotes"]}
    assert marks[0].value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"  # the stylesheet applies
    assert "Sergei Lavrov" in [a.text for a in page.find_all(".body .said a.speaker")]

    page.submit(f'form[action="/articles/{article_id}/tag"]', tag="checked")
    assert page.find(".flash").text == "tagged 'checked'"
    assert "checked" in corpus.article(article_id)["tags"]
    assert "checked" in [t.text for t in page.find_all(".tags .tag a")]

    others = [q for q in record["quotes"] if q["speaker"] != "Sergei Lavrov"]
    rejected, reassigned = others[0], others[-1]
    assert rejected is not reassigned
    page.submit(f'form[action="/quotes/{rejected["id"]}/reject"]')
    assert page.find(".flash").text == f"rejected quotes #{rejected['id']}"
    assert next(q for q in corpus.article(article_id)["quotes"] if q["id"] == rejected["id"])["status"] == "rejected"
    assert f'data-quote="{rejected["id"]}"' not in page.driver.page_source
    assert "rejected" in page.find(f"#quote-{rejected['id']}").get_attribute("class")

    page.submit(f'form[action="/quotes/{reassigned["id"]}/assign"]', speaker="Ban Ki-moon")
    assert "Ban Ki-moon" in page.find(".flash").text
    now = next(q for q in corpus.article(article_id)["quotes"] if q["id"] == reassigned["id"])
    assert now["speaker"] == "Ban Ki-moon"
    assert "Ban Ki-moon" in [a.text for a in page.find_all(".body .said a.speaker")]

    lavrov = next(a for a in page.find_all(".body .said a.speaker") if a.text == "Sergei Lavrov")
    lavrov_id = int(lavrov.get_attribute("href").rsplit("/", 1)[1])
    page.click(lavrov)
    assert page.driver.current_url == f"{page.base}/speakers/{lavrov_id}"
    putin = corpus.speakers(name="Vladimir Putin")[0]
    page.find("details.actions summary").click()
    page.wait_for("document.querySelector('details.actions').open")
    page.submit(f'form[action="/speakers/{lavrov_id}/merge"]', other=str(putin["id"]))
    assert page.find(".flash").text == f"merged #{putin['id']} into Sergei Lavrov"
    merged = corpus.speaker(lavrov_id)
    assert "Vladimir Putin" in merged["aliases"]
    assert f"{merged['quote_count']} quotes in" in page.text

    page.open("/history")
    rejection = next(e for e in corpus.history() if e["action"] == "quote-reject")
    page.click(page.find(f'#history-{rejection["id"]} button[type=submit]'))
    assert page.find(".flash").text.startswith(f"undid #{rejection['id']}")
    assert next(q for q in corpus.article(article_id)["quotes"] if q["id"] == rejected["id"])["status"] == "found"
    assert "(undone by" in page.find(f"#history-{rejection['id']}").text


def test_screenshot_of_the_article_page(page, tmp_path):
    page.open("/articles/1")
    shot = tmp_path / "article.png"
    assert page.driver.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    if os.environ.get("CORPUS_UPDATE_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copy(shot, SCREENSHOT)


def test_hostile_page_runs_nothing_even_without_the_policy(browser, serve_page, corpus):
    """Escaping alone must hold: the Content-Security-Policy is switched off in the browser
    for this test, so a missed escape would run."""
    body = (f"{HOSTILE}\n\nThe council met on Tuesday to discuss the new rules for the city market.\n\n"
            f"“{HOSTILE} is what they wrote on the wall,” said John Smith, the council leader.\n\n"
            "“We will open the market again next week,” said John Smith.\n\n"
            "Residents said the meeting ran late into the evening and more talks are planned.\n")
    result = corpus.add_bytes(body.encode(), source="hostile.txt", title=HOSTILE, outlet=HOSTILE,
                              url="javascript:window.__xss=4", tags=[HOSTILE[:90]], published="2016-03-01")
    article = corpus.article(result.article_id)
    assert any("<script>" in q["text"] for q in article["quotes"])
    smith = next(q["speaker_id"] for q in article["quotes"] if q["speaker"] == "John Smith")
    corpus.rename_speaker(smith, HOSTILE)

    page = Page(browser, serve_page(corpus))
    browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
    try:
        for path in ("/", f"/articles/{result.article_id}", f"/articles/{result.article_id}/raw",
                     "/search?q=council", "/speakers", f"/speakers/{smith}", "/charts",
                     f"/?tag={HOSTILE[:90]}"):
            browser.get(page.base + path)
            state = browser.execute_script("""return {
                xss: window.__xss === undefined ? null : window.__xss,
                scripts: document.querySelectorAll('script').length,
                images: document.querySelectorAll('img').length,
                handlers: document.querySelectorAll('[onerror]').length,
                javascript: [...document.querySelectorAll('a')].filter(a => /^\\s*javascript:/i.test(a.getAttribute('href') || '')).length,
            }""")
            assert state == {"xss": None, "scripts": 0, "images": 0, "handlers": 0, "javascript": 0}, (path, state)
        browser.get(page.base + f"/articles/{result.article_id}")
        assert page.find("h1").text == HOSTILE
        assert HOSTILE in page.find(".body").text
        assert page.find(".source").text.startswith("Source: javascript:window.__xss=4")
    finally:
        browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": False})
