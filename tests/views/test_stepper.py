"""The Stepper page: its frames and HTML from Python, then the page itself
driven in a real browser (headless Chromium through Selenium).

Regenerate the README's screenshot (the tutorial's page at its o_delta step):
``STEPPER_SCREENSHOT=docs/stepper.png .venv/bin/python -m pytest \
tests/views/test_stepper.py -k tutorial``
"""

from __future__ import annotations

import html
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from autograd import Value, backward_steps
from autograd.core.engine import topological_order
from autograd.views.plan import node_ids
from autograd.views.stepper import Stepper
from nn import MLP, sse_loss

ROOT = Path(__file__).resolve().parents[2]
INSTALL_BROWSER = "sudo apt-get install chromium chromium-driver"
WINDOW_SIZE = (1280, 800)
EXAM_SCORES = runpy.run_path(str(ROOT / "examples" / "exam_scores.py"))
HOSTILE = [
    "<script>window.injected = 1</script>",
    '<img src=x onerror="window.injected = 1">',
    "</script><script>window.injected = 1</script>",
    "<!-- \"quotes\" 'and' & ampersands -->",
    "line\u2028separator",
]


def tutorial_loss() -> tuple[MLP, Value]:
    """The tutorial's untrained 2-3-1 network on its first student, named as
    examples/exam_scores.py names it."""
    model = EXAM_SCORES["tutorial_network"]()
    loss, _ = EXAM_SCORES["first_student_loss"](model)
    return model, loss


def small_graph() -> tuple[Value, Value, Value]:
    w, h = Value(0.4, label="w"), Value(2.0, label="h")
    z = w * h
    z.label = "z"
    return (z + 1).tanh(), w, z


# --- frames and HTML, without a browser --------------------------------------


def test_frames_replay_creation_order_then_the_backward_steps():
    model, loss = tutorial_loss()
    stepper = Stepper(loss, params=model.named_parameters())
    _, fresh = tutorial_loss()
    steps = [str(step) for step in backward_steps(fresh)]
    forward = [f for f in stepper.frames if f.phase == "forward"]
    backward = [f for f in stepper.frames if f.phase == "backward"]
    assert [f.text for f in backward] == steps
    assert len(forward) == len(backward) == len(steps) == 23
    # inputs first: every node comes after the inputs it reads
    made = [f.node for f in forward]
    for i, frame in enumerate(forward):
        assert all(made.index(x) < i for x in frame.inputs)
    assert forward[-1].text == f"loss = 0.5 * v1 = {loss.data:.4g}"
    assert backward[0].text.startswith("loss = 0.5 * v1 grad=1 -> v1 += 1 * 0.5 = 0.5")


def test_backward_frames_carry_the_rule_docstring_and_the_note():
    y, w, z = small_graph()
    stepper = Stepper(y, notes={z: "the product"})
    by_text = {f.text.split(" grad=")[0]: f for f in stepper.frames if f.phase == "backward"}
    assert by_text["v0 = tanh(v1)"].rule == "d(tanh a)/da = 1 - tanh(a)**2 = 1 - out**2"
    assert by_text["z = w * h"].rule == "d(a*b)/da = b, d(a*b)/db = a"
    assert by_text["z = w * h"].note == "the product"
    assert by_text["w = leaf"].rule == "" and by_text["w = leaf"].note == ""
    ids = node_ids(y)
    assert by_text["z = w * h"].node == ids[z]
    assert by_text["z = w * h"].inputs == [ids[w], ids[z.inputs[1]]]  # type: ignore[index]  # a Value


def test_constructing_a_stepper_leaves_every_grad_as_it_was_and_shows_this_pass():
    y, w, z = small_graph()
    y.backward()
    y.backward()  # leaves accumulated two passes
    before = {node: node.grad for node in (y, w, z)}
    calls: list[float] = []
    w.register_hook(calls.append)
    stepper = Stepper(y)
    assert {node: node.grad for node in (y, w, z)} == before
    assert w.grad == pytest.approx(2 * 2.0 * (1 - y.data**2))
    one_pass = 2.0 * (1 - y.data**2)
    assert calls == [pytest.approx(one_pass)]  # the pass ran once, hooks included
    assert f"grad {one_pass:.4g}" in stepper.drawing.source  # not the accumulated two
    assert f"grad {w.grad:.4g}" not in stepper.drawing.source


def test_bad_arguments_are_named():
    y, _, z = small_graph()
    with pytest.raises(TypeError, match="steps through a Value, got float"):
        Stepper(1.0)  # type: ignore[arg-type]  # the mistake under test
    with pytest.raises(TypeError, match="keyed by Values, got a str"):
        Stepper(y, notes={"z": "the product"})  # type: ignore[dict-item]  # under test
    with pytest.raises(TypeError, match="must be a str, got int"):
        Stepper(y, notes={z: 3})  # type: ignore[dict-item]  # under test
    with pytest.raises(ValueError, match="'elsewhere' is for .* not in the loss's graph"):
        Stepper(y, notes={Value(1.0): "elsewhere"})


def test_the_page_is_one_file_that_loads_nothing():
    y, _, _ = small_graph()
    page = Stepper(y).html()
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 1 and page.count("<script") == 2 and page.count("<style") == 1
    assert not re.search(r"\b(src|href)\s*=|<link|@import|url\(", page)
    assert "default-src 'none'" in page  # its CSP: no network, no other script


def test_labels_and_notes_cannot_break_out_of_the_page():
    y, _, _ = small_graph()
    notes = dict(zip(topological_order(y), HOSTILE, strict=True))
    page = Stepper(y, notes=notes).html()
    data = page.split('<script type="application/json" id="stepper-data">')[1]
    data = data.split("</script>")[0]
    assert not set("<>&\u2028\u2029") & set(data)
    assert {f["note"] for f in json.loads(data)["frames"]} == set(HOSTILE)
    assert page.count("</script>") == 2  # only the page's own


def test_jupyter_shows_the_page_in_a_sandboxed_frame():
    y, _, _ = small_graph()
    stepper = Stepper(y)
    frame = stepper._repr_html_()
    assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame
    srcdoc = frame.split('srcdoc="')[1].split('"')[0]
    assert html.unescape(srcdoc) == stepper.html()


def test_save_writes_the_page(tmp_path):
    y, _, _ = small_graph()
    stepper = Stepper(y)
    path = stepper.save(tmp_path / "y.html")
    assert path.read_text(encoding="utf-8") == stepper.html()


# --- the page in a browser ---------------------------------------------------


def start_browser(profile: Path) -> Any:
    """Headless Chromium driven by Debian's chromedriver: nothing is
    downloaded (an explicit driver path keeps Selenium Manager out)."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        webdriver = None  # type: ignore[assignment]  # selenium is optional here
    if webdriver is None or chromium is None or driver is None:
        missing = "selenium" if webdriver is None else "chromium or chromedriver"
        message = f"{missing} is missing: {INSTALL_BROWSER}, and the test extras in .venv"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size={WINDOW_SIZE[0]},{WINDOW_SIZE[1]}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = start_browser(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Callable[[Stepper], Any]]:
    """Save a Stepper's page, open it; after the test, the page must have
    logged no console errors."""

    def opener(stepper: Stepper) -> Any:
        path = stepper.save(tmp_path / "page.html")
        browser.get(path.as_uri())
        return browser

    yield opener
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


STATE = """
const nodes = {};
for (const g of document.querySelectorAll("#graph g.node")) {
  nodes[g.querySelector("title").textContent] = {
    texts: [...g.querySelectorAll("text")].map((t) => t.textContent),
    current: g.classList.contains("current"),
    pending: g.classList.contains("pending"),
  };
}
const active = [...document.querySelectorAll("#graph g.edge.active title")].map(
  (t) => t.textContent.split("->").map((end) => end.split(":")[0])
);
return {
  nodes,
  edges: active,
  step: document.getElementById("step").textContent,
  note: document.getElementById("note").textContent,
  rule: document.getElementById("rule").textContent,
  slider: document.getElementById("slider").value,
};
"""


def page_state(driver: Any) -> dict[str, Any]:
    state: dict[str, Any] = driver.execute_script(STATE)
    return state


def click(driver: Any, button: str, times: int = 1) -> None:
    element = driver.find_element("id", button)
    for _ in range(times):
        element.click()


def move_slider(driver: Any, frame: int) -> None:
    """Drag the slider to a frame, as a pointer would: set it, fire input."""
    driver.execute_script(
        """const slider = document.getElementById("slider");
        slider.value = arguments[0];
        slider.dispatchEvent(new Event("input"));""",
        frame,
    )


def shown(state: dict[str, Any], node: str, word: str) -> str:
    """The node's "data ..." or "grad ..." text as the page shows it."""
    (text,) = [t for t in state["nodes"][node]["texts"] if t.startswith(word + " ")]
    return str(text)


@pytest.mark.parametrize("k", [0, 4, 5, 20])
def test_next_k_times_shows_the_kth_backward_step(open_page, k):
    model, loss = tutorial_loss()
    stepper = Stepper(loss, params=model.named_parameters())
    steps = list(backward_steps(loss))  # the same pass; now every .grad holds it
    ids = node_ids(loss, params=model.named_parameters())
    driver = open_page(stepper)
    click(driver, "next", len(steps) + k)  # past the forward pass, then k steps
    state = page_state(driver)

    assert driver.find_element("id", "step").text == str(steps[k])
    assert state["step"] == str(steps[k])
    current = [name for name, node in state["nodes"].items() if node["current"]]
    assert current == [ids[steps[k].node]]
    for j, step in enumerate(steps):
        expected = f"grad {step.node.grad:.4g}" if j <= k else "grad ?"
        assert shown(state, ids[step.node], "grad") == expected
        assert shown(state, ids[step.node], "data") == f"data {step.node.data:.4g}"
    inputs = {ids[x] for x in steps[k].node.inputs if isinstance(x, Value)}
    assert inputs <= {tail for tail, _ in state["edges"]}  # the edges contributions travel
    assert state["slider"] == str(len(steps) + k)


def test_a_collapsed_network_highlights_the_neuron_of_each_step(open_page):
    model = EXAM_SCORES["tutorial_network"]()
    xs = EXAM_SCORES["scaled"](EXAM_SCORES["HOURS"])
    loss = sse_loss([model(x) for x in xs], [0.92, 0.86, 0.89])
    params = model.named_parameters()
    stepper = Stepper(loss, params=params, collapse="neurons")
    ids = node_ids(loss, params=params, collapse="neurons")
    neuron = ids[model.layers[0].neurons[1].w[0]]
    assert neuron.startswith("m")  # one drawn node for the neuron
    frames = [i for i, frame in enumerate(stepper.frames) if frame.node == neuron]
    assert len(frames) == 2 * (2 + 3 * 2)  # forward and backward: 2 weights, 3 samples' z and a
    driver = open_page(stepper)
    for i in frames:
        move_slider(driver, i)
        state = page_state(driver)
        current = [name for name, node in state["nodes"].items() if node["current"]]
        assert current == [neuron] and state["step"] == stepper.frames[i].text


def test_the_forward_pass_shows_data_as_it_is_computed_and_no_gradient(open_page):
    y, w, z = small_graph()
    ids = node_ids(y)
    driver = open_page(Stepper(y))
    state = page_state(driver)  # frame 0: the first node made
    assert state["step"] == "w = 0.4"  # w * h reads w first
    assert shown(state, ids[z], "data") == "data ?" and state["nodes"][ids[z]]["pending"]
    click(driver, "next", 2)
    state = page_state(driver)
    assert state["step"] == "z = w * h = 0.8"
    assert shown(state, ids[z], "data") == "data 0.8" and not state["nodes"][ids[z]]["pending"]
    assert shown(state, ids[y], "data") == "data ?"
    assert all(shown(state, ids[n], "grad") == "grad ?" for n in (y, w, z))
    tails = {tail for tail, _ in state["edges"]}
    assert {ids[w], ids[z.inputs[1]]} <= tails and len(state["edges"]) == 3  # type: ignore[index]  # a Value


def test_keys_and_slider_move_between_frames(open_page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    y, _, _ = small_graph()
    stepper = Stepper(y)
    last = len(stepper.frames) - 1
    driver = open_page(stepper)
    keys = ActionChains(driver)
    keys.send_keys(Keys.END).perform()
    assert page_state(driver)["step"] == stepper.frames[last].text
    keys.send_keys(Keys.ARROW_LEFT).perform()
    assert page_state(driver)["step"] == stepper.frames[last - 1].text
    keys.send_keys(Keys.HOME).perform()
    assert page_state(driver)["step"] == stepper.frames[0].text
    keys.send_keys(Keys.ARROW_RIGHT).perform()
    assert page_state(driver)["step"] == stepper.frames[1].text
    assert driver.find_element("id", "previous").is_enabled()

    slider = driver.find_element("id", "slider")
    slider.send_keys(Keys.END)  # the slider's own keys
    assert page_state(driver)["step"] == stepper.frames[last].text
    assert not driver.find_element("id", "next").is_enabled()


def test_fit_to_width_shrinks_a_wide_graph_into_view(open_page):
    model, loss = tutorial_loss()
    driver = open_page(Stepper(loss, params=model.named_parameters()))
    widths = """const figure = document.getElementById("graph");
    return [figure.querySelector("svg").getBoundingClientRect().width, figure.clientWidth];"""
    svg, view = driver.execute_script(widths)
    assert svg > 2 * view  # the tutorial's graph at 100%: scroll to see it
    fit = driver.find_element("id", "fit")
    fit.click()
    assert fit.get_attribute("aria-pressed") == "true"
    svg, view = driver.execute_script(widths)
    assert svg <= view
    fit.click()
    assert fit.get_attribute("aria-pressed") == "false"
    assert driver.execute_script(widths)[0] > 2 * view


def test_play_advances_and_pause_stops(open_page):
    from selenium.webdriver.support.ui import WebDriverWait

    y, _, _ = small_graph()
    stepper = Stepper(y)
    driver = open_page(stepper)
    play = driver.find_element("id", "play")
    play.click()
    assert play.get_attribute("aria-pressed") == "true" and play.text == "Pause"
    WebDriverWait(driver, 10).until(lambda d: page_state(d)["slider"] != "0")
    play.click()
    assert play.get_attribute("aria-pressed") == "false" and play.text == "Play"
    # playing to the end stops by itself
    click(driver, "last")
    click(driver, "previous", 2)
    play.click()
    last = str(len(stepper.frames) - 1)
    WebDriverWait(driver, 30).until(lambda d: page_state(d)["slider"] == last)
    assert play.get_attribute("aria-pressed") == "false"


def test_hostile_notes_show_as_text_and_never_run(open_page):
    y, _, _ = small_graph()
    stepper = Stepper(y, notes=dict(zip(topological_order(y), HOSTILE, strict=True)))
    driver = open_page(stepper)
    for frame in stepper.frames:
        state = page_state(driver)
        assert state["step"] == frame.text and state["note"] == frame.note
        click(driver, "next")
    assert driver.execute_script("return window.injected === undefined")
    assert driver.execute_script("return document.querySelectorAll('img, script').length") == 2


def test_hostile_labels_are_drawn_as_text_and_never_run(open_page):
    y, _, _ = small_graph()
    for node, text in zip(topological_order(y), HOSTILE, strict=True):
        node.label = text
    stepper = Stepper(y)
    driver = open_page(stepper)
    click(driver, "last")
    state = page_state(driver)
    assert state["step"] == stepper.frames[-1].text
    texts = [text for node in state["nodes"].values() for text in node["texts"]]
    assert set(HOSTILE) <= set(texts)
    assert driver.execute_script("return window.injected === undefined")
    assert driver.execute_script("return document.querySelectorAll('img, script').length") == 2


def tutorial_screenshot(driver: Any, page: Path, png: Path) -> str:
    """Open the tutorial's page, step to the backward step at the
    tutorial's o_delta, screenshot it; return the panel's note."""
    driver.set_window_size(*WINDOW_SIZE)
    driver.get(page.as_uri())
    while not (
        "o_delta" in driver.find_element("id", "note").text
        and driver.find_element("id", "phase").text.startswith("Backward")
    ):
        click(driver, "next")
    driver.save_screenshot(str(png))
    note: str = driver.find_element("id", "note").text
    return note


def write_tutorial_page(path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "examples" / "exam_scores.py"), "--quiet", "--html", str(path)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def test_the_tutorials_page_steps_to_o_delta(browser, open_page, tmp_path):
    page = tmp_path / "tutorial.html"
    png = Path(os.environ.get("STEPPER_SCREENSHOT") or tmp_path / "stepper.png")
    write_tutorial_page(page)
    note = tutorial_screenshot(browser, page, png)
    assert note == "the tutorial's o_delta = -grad = +0.117430"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_each_nodes_data_shows_at_the_frame_that_computes_it() -> None:
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    a = (x * y).tanh()
    b = (x + y).exp()
    out = a + b
    stepper = Stepper(out)
    drawn = node_ids(out)
    forward = [f for f in stepper.frames if f.phase == "forward"]
    for i, frame in enumerate(forward):
        assert stepper.node_times[frame.node]["computed"] == i, frame.text
    backward = [f for f in stepper.frames if f.phase == "backward"]
    for i, frame in enumerate(backward):
        assert stepper.node_times[frame.node]["final"] == len(forward) + i
    product = a.inputs[0]
    assert isinstance(product, Value)
    assert stepper.node_times[drawn[product]]["computed"] == 2  # x, y, then x * y
