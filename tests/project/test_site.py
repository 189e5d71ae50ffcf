"""The documentation site as ``./dev docs --build DIR`` writes it: the API
reference holds every public name, the live views and the notebook are
today's, and, opened in headless Chromium (as the Stepper's tests drive it),
every page loads with no console error and nothing from outside its origin,
its formulas render, the embedded Stepper steps and the search answers.

The site is built once for this module (about 5 s). Without the docs extra
(``./dev docs`` installs it) or npm, the tests skip; in CI they fail instead.
"""

from __future__ import annotations

import configparser
import functools
import html
import http.server
import importlib.util
import inspect
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import autograd
import nn
from tests.views.test_stepper import start_browser

ROOT = Path(__file__).resolve().parents[2]
# What the pages finish doing once loaded: Material's scripts, KaTeX.
SETTLED = """return document.readyState === "complete"
  && !document.querySelector(".arithmatex:not(:has(.katex))");"""
OUTSIDE = """return performance.getEntriesByType("resource")
  .map((entry) => entry.name)
  .filter((url) => !url.startsWith(location.origin + "/"));"""


def need(found: bool, what: str) -> None:
    if found:
        return
    message = f"{what} is missing: ./dev docs installs the docs extra, and KaTeX with npm"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need(importlib.util.find_spec("mkdocs") is not None, "mkdocs")
    need(
        shutil.which("npm") is not None or (ROOT / "docs/tools/node_modules/katex").exists(),
        "npm",
    )
    folder = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        ["bash", str(ROOT / "dev"), "docs", "--build", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def origin(site: Path) -> Iterator[str]:
    """The site served from a thread on 127.0.0.1, at a sub-path, as a
    project site is hosted: nothing may assume it sits at the root."""
    root = site.parent / "host"
    root.mkdir()
    (root / "glassgrad").symlink_to(site)
    handler = functools.partial(QuietFiles, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/glassgrad/"
    server.shutdown()


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """A page load is some twenty requests: not worth a line each."""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = start_browser(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def open_page(browser: Any, url: str) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(SETTLED))
    return browser


def nav_pages(site: Path) -> list[str]:
    """Every page the navigation reaches, as a path under the site."""
    links = re.findall(r'<a href="([^"#]*)"\s+class="md-nav__link', read(site, "index.html"))
    pages = sorted({"" if link in ("", ".", "./") else link.removeprefix("./") for link in links})
    assert len(pages) == 15 and "tutorial/notebook/" in pages  # as mkdocs.yml's nav
    return pages


def reference_entry(page: str, anchor: str) -> str:
    """The HTML from a name's heading to the next heading."""
    return page.split(anchor, 1)[1].split('class="doc doc-heading"')[1]


# --- the built files ---------------------------------------------------------


@pytest.mark.parametrize("package", [autograd, nn], ids=["autograd", "nn"])
def test_every_public_name_has_a_docstring_and_a_reference_entry(site, package):
    page = read(site, f"reference/{package.__name__}/index.html")
    for name in package.__all__:
        anchor = f'id="{package.__name__}.{name}"'
        assert anchor in page, f"{name} is missing from the reference"
        entry = reference_entry(page, anchor)
        assert "<p>" in entry, f"{name} has no docstring in the reference"
        obj = getattr(package, name)
        if callable(obj):
            assert obj.__doc__, name
        if inspect.isfunction(obj) or inspect.isclass(obj) and "__init__" in vars(obj):
            assert "doc-signature" in entry, f"{name} shows no signature"


def test_the_reference_shows_the_examples_as_code(site):
    page = read(site, "reference/autograd/index.html")
    entry = reference_entry(page, 'id="autograd.Value"')
    assert "Examples:" in entry and "&gt;&gt;&gt;" in entry and "<blockquote>" not in entry


def test_the_footer_names_the_version(site):
    metadata = configparser.ConfigParser()
    metadata.read(ROOT / "setup.cfg")
    assert f"glassgrad {metadata['metadata']['version']}" in read(site, "index.html")


def test_the_live_views_are_what_the_code_on_their_pages_makes(site):
    seeing = read(site, "guides/seeing/index.html")
    for name in ("z.svg", "loss_neurons.svg", "loss_layers.svg"):
        assert f'src="../{name}"' in seeing or f'src="{name}"' in seeing, name
    z = read(site, "guides/seeing/z.svg")
    assert z.startswith("<?xml") and all(f">{t}<" in z for t in ("w", "h", "tanh"))
    neurons = read(site, "guides/seeing/loss_neurons.svg")
    assert "layers.1.neurons.15" in neurons and "layers.2.neurons.0" in neurons
    assert "layers.0" in read(site, "guides/seeing/loss_layers.svg")

    stepping = read(site, "guides/stepping/index.html")
    assert '<iframe class="stepper" src="stepper.html"' in stepping
    stepper = read(site, "guides/stepping/stepper.html")
    data = json.loads(stepper.split('id="stepper-data">')[1].split("</script>")[0])
    assert len(data["frames"]) == 44  # a 2-2-1 network with biases: 22 nodes, twice
    assert data["frames"][-1]["phase"] == "backward"


def test_the_notebook_page_shows_todays_outputs(site):
    raw = read(site, "tutorial/notebook/index.html")
    assert '<iframe sandbox="allow-scripts" srcdoc="' in raw  # the Stepper, inline
    page = html.unescape(raw)
    assert "hidden sums: [7.6, 3.9, 6.5]" in page
    for student in range(3):  # printed by the cell that compares them
        assert f"student {student}: o_delta = " in page
    assert "Predicted score for a student who studied 4 hours and slept 8: 90.1 / 100" in page
    assert '<g id="graph0" class="graph"' in page and "layers.0.neurons.2" in page  # drawn


def test_no_page_loads_a_script_style_or_picture_from_elsewhere(site):
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        loads = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*", text)
        outside = [tag for tag in loads if re.search(r'(?:src|href)="(?:https?:)?//', tag)]
        assert outside == [], path
    for path in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", path.read_text()), path


# --- the site in a browser ---------------------------------------------------


def test_every_page_loads_with_no_error_and_nothing_from_outside(site, origin, browser):
    browser.get_log("browser")  # only this test's pages' messages from here on
    for page in nav_pages(site):
        open_page(browser, origin + page)
        assert browser.execute_script(OUTSIDE) == [], page
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], page


def test_the_formulas_render_as_mathematics(site, origin, browser):
    driver = open_page(browser, origin + "tutorial/")
    rendered = driver.execute_script(
        """return {
          formulas: document.querySelectorAll(".arithmatex").length,
          displays: document.querySelectorAll(".arithmatex .katex-display").length,
          errors: document.querySelectorAll(".katex-error").length,
          raw: [...document.querySelectorAll(".arithmatex")].filter(
            (e) => !e.querySelector(".katex")).length,
        };"""
    )
    assert rendered["formulas"] >= 20 and rendered["displays"] >= 6
    assert rendered["errors"] == 0 and rendered["raw"] == 0  # no TeX left as text


def test_the_embedded_stepper_steps(site, origin, browser):
    data = json.loads(
        read(site, "guides/stepping/stepper.html")
        .split('id="stepper-data">')[1]
        .split("</script>")[0]
    )
    texts = [frame["text"] for frame in data["frames"]]
    driver = open_page(browser, origin + "guides/stepping/")
    driver.switch_to.frame(driver.find_element("css selector", "iframe.stepper"))
    try:
        step = driver.find_element("id", "step")
        assert step.text == texts[0]
        driver.find_element("id", "next").click()
        assert step.text == texts[1]
        driver.find_element("id", "last").click()
        assert step.text == texts[-1] and driver.find_element("id", "phase").text.startswith(
            "Backward"
        )
    finally:
        driver.switch_to.default_content()


def test_the_search_answers_offline(site, origin, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    driver = open_page(browser, origin)
    driver.find_element("css selector", "label.md-search__icon, .md-search__input").click()
    field = driver.find_element("css selector", "input.md-search__input")
    field.send_keys("gradgradcheck")
    WebDriverWait(driver, 20).until(
        lambda d: d.find_elements("css selector", ".md-search-result__item a")
    )
    found = [
        a.get_attribute("href")
        for a in driver.find_elements("css selector", ".md-search-result__item a")
    ]
    assert any(
        "/reference/autograd/" in url and url.endswith("#autograd.gradgradcheck") for url in found
    ), found


def test_code_blocks_have_a_copy_button(site, origin, browser):
    driver = open_page(browser, origin + "guides/values/")
    blocks = driver.find_elements("css selector", ".highlight pre")
    buttons = driver.find_elements("css selector", '.highlight pre button[data-md-type="copy"]')
    assert len(blocks) == len(buttons) >= 4


def test_home_the_tutorial_and_its_page_lead_to_the_playground(site, origin, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    links = {
        "": "playground/index.html",
        "tutorial/": "../playground/index.html",
        "guides/playground/": "../../playground/index.html",
    }
    for page, link in links.items():
        driver = open_page(browser, origin + page)
        driver.find_element("css selector", f'a[href="{link}"]').click()
        WebDriverWait(driver, 20).until(lambda d: d.title == "glassgrad Playground")
        assert driver.current_url == origin + "playground/index.html"
