"""The Playground: its Python on CPython first, then the built page in
headless Chromium (Selenium, Debian's chromium and chromedriver), glassgrad
running in it on Pyodide.

The site is built once a session (``playground.build``, which needs npm) and
served from a thread on 127.0.0.1. Without npm or a browser the page tests
skip; in CI (``CI`` set) they fail instead. Screenshots of each view, for a
person to look at, and the README's:
``PLAYGROUND_SCREENSHOTS=docs .venv/bin/python -m pytest tests/project/test_playground.py``
writes ``docs/playground.png`` (and ``code.png``, ``training.png``: delete those).
"""

from __future__ import annotations

import base64
import math
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from autograd import OPS, Value, backward_steps
from nn import MLP
from playground import build
from playground.python import cell, recipe, training
from tests.views.test_stepper import HOSTILE, start_browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "playground" / "examples").glob("*.py"))
READY_SECONDS = 30  # Pyodide loads in ~3 s here; a loaded CI machine gets room
SMALL = """\
from autograd import Value
w, h = Value(0.4, label="w"), Value(2.0, label="h")
z = w * h + 1
z.label = "z"
y = z.tanh()
y"""


def last_value(code: str, name: str) -> Value:
    """CPython's own run of the code: the Value named ``name``."""
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    value = namespace[name]
    assert isinstance(value, Value)
    return value


def backward_texts(code: str, name: str) -> list[str]:
    return [str(step) for step in backward_steps(last_value(code, name))]


# --- the page's Python, on CPython ----------------------------------------------


def test_run_gives_output_value_and_the_frames_of_the_stepper():
    result = cell.run("print('hello')\n" + SMALL)
    assert result["output"] == "hello\n" and result["error"] == ""
    assert result["value"].startswith("Value(data=0.9")
    graph = result["graph"]
    frames = graph["frames"]
    expected = backward_texts(SMALL, "y")
    assert [f["text"] for f in frames[graph["forward_count"] :]] == expected
    assert len(frames) == 2 * len(expected) == 2 * 5
    assert frames[graph["forward_count"]]["rule"] == "d(tanh a)/da = 1 - tanh(a)**2 = 1 - out**2"
    assert graph["dot"].startswith("digraph {") and graph["collapse"] == ""


def test_a_failing_cell_shows_the_users_line_and_the_next_run_works():
    result = cell.run("x = 1\ny = x / 0\n")
    assert result["graph"] is None
    error = result["error"]
    assert error.startswith("Traceback") and error.rstrip().endswith("division by zero")
    assert 'File "<cell>", line 2' in error and "y = x / 0" in error
    assert "cell.py" not in error  # the page's own frames are left out
    assert cell.run("def broken(:\n")["error"].rstrip().endswith("SyntaxError: invalid syntax")
    assert cell.run(SMALL)["error"] == ""


def test_a_last_expression_that_is_no_value_is_shown_not_drawn():
    result = cell.run("2 + 3")
    assert result["value"] == "5" and result["graph"] is None
    assert cell.run("x = 1")["value"] == ""


@pytest.fixture
def op_table_kept() -> Iterator[None]:
    """The custom op example registers "softsign" as the README does: take it
    out again, so that the README's own registration finds the name free."""
    before = dict(OPS)
    yield
    OPS.clear()
    OPS.update(before)


def test_each_example_runs_and_a_large_graph_is_collapsed(op_table_kept):
    collapses = {}
    for path in EXAMPLES:
        result = cell.run(path.read_text(encoding="utf-8"))
        assert result["error"] == "", path.name
        collapses[path.stem] = result["graph"]["collapse"]
    assert collapses == {
        "1_tutorial": "",
        "2_neuron": "",
        "3_sigmoid": "",
        "4_custom_op": "",
        "5_moons": "neurons",
    }


def test_models_in_the_cell_name_the_parameters_and_two_get_prefixes():
    one = MLP(2, [1], seed=0)
    assert [name for name, _ in cell.parameters_in({"m": one, "n": 3})] == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
    ]
    two = cell.parameters_in({"a": one, "b": MLP(1, [1], seed=0), "same": one})
    assert [name for name, _ in two] == [
        "a.layers.0.neurons.0.w.0",
        "a.layers.0.neurons.0.w.1",
        "a.layers.0.neurons.0.b",
        "b.layers.0.neurons.0.w.0",
        "b.layers.0.neurons.0.b",
    ]


def test_the_network_draws_mlps_weights_from_the_same_seed():
    network = recipe.Network([8, 8], ["tanh", "tanh"], seed=3)
    mlp = MLP(2, [8, 8, 1], activation="tanh", seed=3)
    assert [(n, p.data) for n, p in network.named_parameters()] == [
        (n, p.data) for n, p in mlp.named_parameters()
    ]
    assert network([0.3, -0.2]).data == mlp([0.3, -0.2]).data
    mixed = recipe.Network([4, 3], ["relu", "sigmoid"], seed=0)
    assert [layer.neurons[0].activation for layer in mixed.layers] == ["relu", "sigmoid", "linear"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"dataset": "spiral"}, "dataset must be one of"),
        ({"points": 3}, "points must be a whole number from 4"),
        ({"layers": (8, 0)}, "a layer's size must be a whole number from 1"),
        ({"layers": (8, 8), "activation": ("tanh", "relu", "relu")}, "one per hidden layer"),
        ({"activation": ("softmax",)}, "activation must be one of"),
        ({"lr": 0.0}, "lr must be above 0"),
        ({"dataset": "pasted", "pasted": ((0.0, 0.0, 1),)}, "both classes"),
        ({"dataset": "pasted", "pasted": ((0.0, 0.0, 1), (1.0, 1.0, 2))}, "class must be 0 or 1"),
        ({"dataset": "pasted", "pasted": ((0.0, None, 1), (1.0, 1.0, 0))}, "is x, y and its class"),
        ({"dataset": "pasted", "pasted": ((0.0, 1),)}, "is x, y and its class"),
    ],
)
def test_settings_say_what_is_wrong(fields, message):
    with pytest.raises(ValueError, match=message):
        recipe.Settings(**fields)


def test_training_lowers_the_loss_in_shuffled_minibatches():
    run = recipe.Training(recipe.Settings(points=40, batch=16, lr=0.05))
    first = run.loss()
    batches = [run.step() for _ in range(60)]
    assert run.steps == 60 and run.loss() < 0.6 * first
    assert len(set(batches)) == 60  # a new batch (or new weights) every step
    again = recipe.Training(recipe.Settings(points=40, batch=16, lr=0.05))
    assert [again.step() for _ in range(60)] == batches  # the seed decides everything


def test_the_boundary_is_the_networks_probability_at_each_cell():
    view = training.TrainingView(recipe.Settings(layers=(5, 3), activation=("relu", "tanh")))
    for _ in range(5):
        view.training.step()
    grid = view.boundary()
    assert len(grid) == training.GRID**2
    for i in (0, 17, 801, len(grid) - 1):
        x, y = view.columns[i % training.GRID], view.rows[i // training.GRID]
        logit = view.training.model([x, y]).data
        assert grid[i] == pytest.approx(1 / (1 + math.exp(-logit)), abs=1e-4)  # 4 decimals sent


def test_the_exported_script_reproduces_the_training_on_cpython(tmp_path):
    settings = recipe.Settings(dataset="circles", points=60, layers=(6,), batch=25, seed=4)
    view = training.TrainingView(settings)
    for _ in range(7):
        view.training.step()
    script = tmp_path / "exported.py"
    script.write_text(view.export(), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout.splitlines()[-1]) == view.training.loss()  # same machine: bitwise


def test_settings_from_the_pages_json_become_tuples():
    settings = training.settings_from(
        {
            "layers": [3],
            "activation": ["relu"],
            "dataset": "pasted",
            "pasted": [[0, 1, 0], [1, 0, 1]],
        }
    )
    assert settings.layers == (3,) and settings.activation == ("relu",)
    assert settings.pasted == ((0, 1, 0), (1, 0, 1))
    assert recipe.make_data(settings) == ([[0, 1], [1, 0]], [0, 1])


# --- the page, in a browser -------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("npm") is None:
        message = "npm is missing: the Playground's build needs Node.js with npm"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return build.build(tmp_path_factory.mktemp("playground"))


@pytest.fixture(scope="session")
def url(site: Path) -> Iterator[str]:
    """The site served under a sub-path, as a docs site will host it."""
    root = site.parent / "served"
    root.mkdir()
    (root / "playground").symlink_to(site)
    httpd = build.server(root, ("127.0.0.1", 0))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/playground/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, url: str) -> Iterator[Any]:
    driver = start_browser(tmp_path_factory.mktemp("chromium-profile"))
    driver.set_window_size(1280, 1300)
    yield driver
    driver.quit()


def by(driver: Any, testid: str) -> Any:
    return driver.find_element("css selector", f"[data-testid={testid}]")


def wait(driver: Any, condition: Callable[[Any], Any], seconds: float = 20) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.05).until(condition)


@pytest.fixture
def open_page(browser: Any, url: str) -> Iterator[Callable[..., Any]]:
    """Load the page (with a hash), wait for Python; afterwards the page must
    have logged no errors."""

    def opener(hash: str = "") -> Any:
        browser.get("about:blank")  # a hash alone would not reload the page
        browser.get(url + hash)
        wait(browser, lambda d: "ready" in by(d, "status").text, READY_SECONDS)
        wait(browser, lambda d: by(d, "train-loss").get_attribute("data-value"))
        return browser

    yield opener
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


@pytest.fixture
def page(open_page: Callable[..., Any], browser: Any, url: str) -> Any:
    """The page as loaded, reused between tests that set their own state."""
    if browser.current_url != url or "ready" not in by(browser, "status").text:
        return open_page()
    return browser


def set_code(driver: Any, code: str) -> None:
    driver.execute_script(
        """const editor = document.querySelector("[data-testid=code]");
        editor.value = arguments[0];
        editor.dispatchEvent(new Event("input"));""",
        code,
    )


def run(driver: Any, code: str) -> None:
    """Put code in the editor, click Run, wait until it has been drawn."""
    set_code(driver, code)
    button = by(driver, "run")
    button.click()
    wait(driver, lambda d: button.is_enabled())  # disabled while it runs and draws


def step_text(driver: Any) -> str:
    return " ".join(by(driver, "step-text").text.split())


def steps_done(driver: Any) -> int:
    return int(by(driver, "train-steps").text)


def export_text(driver: Any) -> str:
    return str(by(driver, "export").get_attribute("textContent"))


def configure(driver: Any, settings: recipe.Settings) -> None:
    """Fill in the form as a person would, Reset, and check that the page
    trains exactly these settings (its export says so)."""
    fields = {
        "dataset": settings.dataset,
        "points": settings.points,
        "layers": ",".join(map(str, settings.layers)),
        "activation": ",".join(settings.activation),
        "optimizer": settings.optimizer,
        "lr": settings.lr,
        "batch": settings.batch,
        "seed": settings.seed,
    }
    form = driver.find_element("id", "settings")
    for name, value in fields.items():
        field = form.find_element("name", name)
        driver.execute_script("arguments[0].value = arguments[1]", field, str(value))
    by(driver, "train-reset").click()
    wait(driver, lambda d: f"main({settings!r}, steps=0)" in export_text(d))
    assert steps_done(driver) == 0


def link(code: str, padded: bool = False) -> str:
    text = base64.urlsafe_b64encode(code.encode()).decode()
    return text if padded else text.rstrip("=")


def screenshot(driver: Any, name: str, folder: str | Path | None = None) -> None:
    """The whole page, into ``folder``, else the folder PLAYGROUND_SCREENSHOTS
    names, else nowhere."""
    folder = folder or os.environ.get("PLAYGROUND_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    width, height = driver.get_window_size().values()
    page_height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(
        width, page_height + height - driver.execute_script("return innerHeight")
    )
    driver.save_screenshot(str(Path(folder) / f"{name}.png"))
    driver.set_window_size(width, height)


@pytest.mark.parametrize("padded", [False, True])
def test_a_links_code_is_shown_and_does_not_run_until_run_is_clicked(open_page, padded):
    code = '# ∂ of a product, é\nprint("it ran")\n' + SMALL
    assert len(code.encode()) % 3 != 0  # so the padding differs
    driver = open_page(f"#code={link(code, padded)}&dataset=circles&layers=4,2&lr=0.2")
    assert by(driver, "code").get_attribute("value") == code
    time.sleep(0.5)  # time enough for a run that should not happen
    assert by(driver, "output").get_attribute("textContent") == ""
    assert driver.execute_script("return document.querySelectorAll('#graph svg').length") == 0
    form = driver.find_element("id", "settings")
    values = {
        name: form.find_element("name", name).get_attribute("value")
        for name in ("dataset", "layers", "lr")
    }
    assert values == {"dataset": "circles", "layers": "4,2", "lr": "0.2"}
    run(driver, code)  # the same code, now by clicking Run
    assert by(driver, "output").text == "it ran"
    assert step_text(driver) == "w = 0.4"  # the first forward frame


def test_a_broken_link_says_so_and_the_page_works(open_page):
    driver = open_page("#code=%%%not-base64")
    assert "not base64url" in by(driver, "error").text
    run(driver, SMALL)
    assert by(driver, "error").text == ""


def test_run_draws_and_steps_through_the_backward_pass_as_cpython_does(page):
    code = (ROOT / "playground" / "examples" / "1_tutorial.py").read_text(encoding="utf-8")
    expected = backward_texts(code, "loss")
    run(page, code)
    assert page.execute_script("return document.querySelectorAll('#graph svg g.node').length") > 40
    by(page, "step-last").click()
    shown = [step_text(page)]
    previous = by(page, "step-prev")
    for _ in expected[1:]:
        previous.click()
        shown.append(step_text(page))
    assert shown[::-1] == expected
    previous.click()  # before the backward pass: the forward pass's last node
    assert step_text(page) == f"loss = 0.5 * v1 = {last_value(code, 'loss').data:.4g}"
    by(page, "step-next").click()
    assert step_text(page) == expected[0]
    current = "return document.querySelectorAll('#graph g.node.current').length"
    assert page.execute_script(current) == 1
    screenshot(page, "code")


def test_arrow_keys_step_except_while_typing_in_the_editor(page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    run(page, SMALL)
    expected = backward_texts(SMALL, "y")
    by(page, "step-last").click()
    page.find_element("tag name", "h1").click()  # focus off the editor and the controls
    ActionChains(page).send_keys(Keys.ARROW_LEFT).perform()
    assert step_text(page) == expected[-2]
    by(page, "code").send_keys(Keys.ARROW_LEFT)
    assert step_text(page) == expected[-2]


def test_hostile_labels_are_text_in_the_graph_and_the_panel(page):
    labels = [*HOSTILE, "<img src=x onerror=alert(1)>"]
    code = "from autograd import Value\n"
    code += "".join(f"v{i} = Value({i + 1}.0, label={text!r})\n" for i, text in enumerate(labels))
    code += (
        "out = "
        + " * ".join(f"v{i}" for i in range(len(labels)))
        + f"\nout.label = {labels[-1]!r}\nout"
    )
    expected = backward_texts(code, "out")
    run(page, code)
    texts = page.execute_script(
        "return [...document.querySelectorAll('#graph svg text')].map((t) => t.textContent)"
    )
    assert set(labels) <= set(texts)
    by(page, "step-last").click()
    assert step_text(page) == " ".join(expected[-1].split())
    for _ in expected[1:]:
        by(page, "step-prev").click()
    assert step_text(page) == " ".join(expected[0].split())
    assert page.execute_script("return window.injected === undefined")
    assert page.execute_script("return document.querySelectorAll('img, iframe').length") == 0


def test_a_cell_without_a_value_leaves_no_graph_standing(page):
    run(page, SMALL)
    run(page, "print(6 * 7)\n6 * 7")
    assert by(page, "output").text == "42\n42"
    assert page.execute_script("return document.querySelectorAll('#graph svg').length") == 0
    assert step_text(page) == "" and not by(page, "step-next").is_enabled()


def test_an_exception_is_shown_and_the_next_run_works(page):
    run(page, "from autograd import Value\nx = Value(1.0)\nx.nothing\n")
    error = by(page, "error").text
    assert "AttributeError" in error and 'File "<cell>", line 3' in error
    run(page, SMALL)
    assert by(page, "error").text == ""
    assert step_text(page) == "w = 0.4"


def test_stop_ends_a_cell_that_never_returns_and_python_comes_back(page):
    set_code(page, "while True:\n    pass\n")
    by(page, "run").click()
    stop = by(page, "stop")
    wait(page, lambda d: stop.is_displayed())
    time.sleep(0.3)  # it is looping
    assert not by(page, "run").is_enabled()
    stop.click()
    wait(page, lambda d: "Python was restarted" in by(d, "error").text)
    wait(page, lambda d: "ready" in by(d, "status").text, READY_SECONDS)
    assert not stop.is_displayed()
    run(page, SMALL)
    assert by(page, "error").text == "" and step_text(page) == "w = 0.4"
    wait(page, lambda d: by(d, "train-step").is_enabled())  # the training view is back too


def test_training_lowers_the_loss_and_pause_stops_it(page):
    configure(page, recipe.Settings(lr=0.05, seed=1))
    first = float(by(page, "train-loss").get_attribute("data-value"))
    by(page, "train-step").click()
    wait(page, lambda d: steps_done(d) == 1)
    play = by(page, "train-play")
    play.click()
    assert play.text == "Pause" and play.get_attribute("aria-pressed") == "true"
    wait(page, lambda d: steps_done(d) >= 150)
    play.click()
    assert play.text == "Play"  # at once, while the last chunk finishes
    wait(page, lambda d: f"steps={steps_done(d)})" in export_text(d))
    stopped = steps_done(page)
    time.sleep(0.4)
    assert steps_done(page) == stopped
    loss = float(by(page, "train-loss").get_attribute("data-value"))
    assert loss < 0.7 * first
    assert "def loss_and_grad(params, grads, x, y):" in by(page, "source").get_attribute(
        "textContent"
    )
    # the boundary is drawn in both classes' colours
    colours = page.execute_script(
        """const c = document.querySelector("[data-testid=boundary]");
        const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let blue = 0, orange = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 2] > d[i] + 60) blue++;
          if (d[i] > d[i + 2] + 60) orange++;
        }
        return [blue, orange];"""
    )
    assert min(colours) > 10_000  # of 160,000 pixels
    screenshot(page, "training")


def test_the_export_reproduces_the_pages_loss_on_cpython(page, tmp_path):
    configure(
        page,
        recipe.Settings(dataset="spirals", layers=(6, 5), activation=("relu", "tanh"), batch=30),
    )
    for _ in range(3):
        by(page, "train-step").click()
    wait(page, lambda d: "steps=3)" in export_text(d))
    script = tmp_path / "exported.py"
    script.write_text(export_text(page), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    page_loss = float(by(page, "train-loss").get_attribute("data-value"))
    assert float(done.stdout.splitlines()[-1]) == pytest.approx(page_loss, abs=1e-9, rel=0)


def test_pasted_points_are_trained_on(page):
    form = page.find_element("id", "settings")
    page.execute_script(
        """arguments[0].elements.pasted.value = "0, 0, 0\\n1, 1, 1\\n0, 1, 0\\n 1 , 0, 1\\n";
        arguments[0].elements.dataset.value = "pasted";
        arguments[0].dispatchEvent(new Event("change"));""",
        form,
    )
    pasted = "pasted=((0, 0, 0), (1, 1, 1), (0, 1, 0), (1, 0, 1))"
    wait(page, lambda d: pasted in export_text(d) and "steps=0)" in export_text(d))
    assert form.find_element("name", "pasted").is_displayed()
    by(page, "train-step").click()
    wait(page, lambda d: steps_done(d) == 1)
    page.execute_script(
        """arguments[0].elements.pasted.value = "0, 0, 0\\n1, 1, 0";
        arguments[0].dispatchEvent(new Event("change"));""",
        form,
    )
    wait(page, lambda d: "both classes" in by(d, "train-error").text)
    assert not by(page, "train-step").is_enabled()


def test_a_neuron_opens_its_graph_in_the_stepper(page):
    settings = recipe.Settings(layers=(8, 8), seed=2)
    configure(page, settings)
    graph = training.TrainingView(settings).neuron_graph(1, 2)  # CPython's
    expected = [frame["text"] for frame in graph["frames"][graph["forward_count"] :]]
    assert expected[0].startswith("layers.1.neurons.2 = tanh(")
    page.find_elements("css selector", "#network .neuron")[8 + 2].click()
    wait(page, lambda d: "Layer 1, neuron 2" in d.find_element("id", "graph-title").text)
    by(page, "step-last").click()
    shown = [step_text(page)]
    for _ in expected[1:]:
        by(page, "step-prev").click()
        shown.append(step_text(page))
    assert shown[::-1] == expected


def test_every_resource_comes_from_the_pages_origin(page, url):
    fetched = page.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    in_worker = page.execute_async_script(
        "playground.python.call('resources').then(arguments[arguments.length - 1])"
    )
    names = {Path(u).name for u in fetched + in_worker}
    assert {"viz.js", "stepper_page.js", "pyodide.asm.wasm", "python_stdlib.zip"} <= names
    assert any(u.endswith(".whl") for u in in_worker)
    outside = [u for u in fetched + in_worker if not u.startswith(url)]
    assert outside == []


def test_share_writes_the_code_and_settings_into_the_link(page):
    set_code(page, "x = 1  # é")
    by(page, "share").click()
    fragment = page.execute_script("return location.hash")[1:]
    from urllib.parse import parse_qs

    fields = {k: v[0] for k, v in parse_qs(fragment).items()}
    assert base64.urlsafe_b64decode(fields["code"] + "==").decode() == "x = 1  # é"
    assert fields["dataset"] == "moons" and "pasted" not in fields


def test_the_readmes_screenshot(page, tmp_path):
    """Both views at once: the tutorial a few steps into its backward pass,
    and a network part way through training (written to docs/ when
    PLAYGROUND_SCREENSHOTS names it, else to a temporary folder)."""
    folder = Path(os.environ.get("PLAYGROUND_SCREENSHOTS") or tmp_path)
    configure(page, recipe.Settings())
    by(page, "train-play").click()
    wait(page, lambda d: steps_done(d) >= 120)
    by(page, "train-play").click()
    code = (ROOT / "playground" / "examples" / "1_tutorial.py").read_text(encoding="utf-8")
    expected = backward_texts(code, "loss")
    run(page, code)
    by(page, "step-last").click()
    for _ in range(len(expected) - 4):
        by(page, "step-prev").click()
    assert step_text(page) == expected[3]
    screenshot(page, "playground", folder)
    assert (folder / "playground.png").read_bytes()[:4] == b"\x89PNG"


def test_an_error_clears_the_graph_and_the_loss_reads_to_six_digits(page):
    run(page, "from autograd import Value\nValue(2.0, label='a') * 3")
    assert page.find_elements("css selector", '[data-testid="graph"] svg')
    run(page, "1 / 0")
    assert "ZeroDivisionError" in by(page, "error").text
    assert not page.find_elements("css selector", '[data-testid="graph"] svg')
    by(page, "train-step").click()
    wait(page, lambda d: steps_done(d) >= 1)
    loss = by(page, "train-loss")
    shown, exact = loss.text, float(loss.get_attribute("data-value"))
    assert len(shown.replace(".", "").lstrip("0")) >= 6 and float(shown) == pytest.approx(
        exact, rel=1e-5
    )


def test_code_from_a_link_is_named_so_in_the_menu(open_page):
    code = base64.urlsafe_b64encode(b"x = 1").decode().rstrip("=")
    driver = open_page("#code=" + code)
    menu = driver.find_element("id", "examples")
    assert menu.get_property("value") == ""
    assert menu.find_elements("tag name", "option")[0].text == "Code from the link"
    assert by(driver, "code").get_property("value") == "x = 1"
