"""How the Playground performs in headless Chromium on this machine. Run by
hand, never as a test (it needs npm, chromium and chromedriver):

    .venv/bin/python benchmarks/playground_page.py [--repeat 3] [--seconds 5]

It builds the page, serves it from a local thread, and for each repeat loads
it fresh (a warm server and the browser's cache) and measures:

* ready: from navigation start to the status saying Python and glassgrad
  are loaded (``performance.now()`` when the status changes);
* steps/s: training steps while Play runs, on the default settings (2-8-8-1
  tanh on 200 moons points, the whole set a step, Adam);
* redraws/s: how often the boundary, curve and network were drawn meanwhile
  (each report changes the step counter once);
* worst gap: the longest the main thread went without running a task while
  training (a ping through a MessageChannel, answered as soon as the thread
  is free): what Pause, the stepper and the editor would wait at most;
* longest task: the longest main-thread task the Long Tasks API saw
  meanwhile (it reports those of 50 ms or more; 0 means none). A gap with
  no long task is the thread waiting for a core, not the page's own work.

Figures are medians over the repeats.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playground import build  # noqa: E402
from tests.views.test_stepper import start_browser  # noqa: E402  # Debian's chromium, no download

# Installed before the page's own scripts run: the time the status first
# says "ready", and a ping-pong on a MessageChannel that records the longest
# wait between two of its tasks while `window.bench.measuring` is true.
PROBES = """
window.bench = { readyAt: null, measuring: false, worstGap: 0, longestTask: 0 };
new PerformanceObserver((list) => {
  for (const task of list.getEntries()) {
    if (bench.measuring) bench.longestTask = Math.max(bench.longestTask, task.duration);
  }
}).observe({ type: "longtask" });
new MutationObserver(() => {
  const status = document.querySelector("[data-testid=status]");
  if (bench.readyAt === null && status && status.textContent.includes("ready")) {
    bench.readyAt = performance.now();
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
const channel = new MessageChannel();
let last = performance.now();
channel.port1.onmessage = () => {
  const now = performance.now();
  if (bench.measuring) bench.worstGap = Math.max(bench.worstGap, now - last);
  last = now;
  channel.port2.postMessage(null);
};
channel.port2.postMessage(null);
"""

COUNT_REDRAWS = """
window.bench.redraws = 0;
new MutationObserver(() => bench.redraws++).observe(
  document.querySelector("[data-testid=train-steps]"), { childList: true, characterData: true });
"""


def measure(driver: Any, url: str, seconds: float) -> dict[str, float]:
    driver.get("about:blank")
    driver.get(url)
    while driver.execute_script("return window.bench.readyAt") is None:
        time.sleep(0.02)
    ready = driver.execute_script("return window.bench.readyAt") / 1000
    while not driver.execute_script(
        "return document.querySelector('[data-testid=train-loss]').dataset.value"
    ):
        time.sleep(0.02)
    steps_text = "return Number(document.querySelector('[data-testid=train-steps]').textContent)"
    play = driver.find_element("css selector", "[data-testid=train-play]")
    driver.execute_script(COUNT_REDRAWS)
    play.click()
    while driver.execute_script(steps_text) == 0:  # the first chunk is back
        time.sleep(0.01)
    driver.execute_script("bench.measuring = true; bench.redraws = 0")
    first, start = driver.execute_script(steps_text), time.perf_counter()
    time.sleep(seconds)
    last, elapsed = driver.execute_script(steps_text), time.perf_counter() - start
    redraws, gap, task = driver.execute_script(
        "bench.measuring = false; return [bench.redraws, bench.worstGap, bench.longestTask]"
    )
    play.click()
    return {
        "ready (s)": ready,
        "steps/s": (last - first) / elapsed,
        "redraws/s": redraws / elapsed,
        "worst gap (ms)": gap,
        "longest task (ms)": task,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="of Play, a repeat")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        site = build.build(Path(temporary) / "site")
        httpd = build.server(site, ("127.0.0.1", 0))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/"
        driver = start_browser(Path(temporary) / "profile")
        try:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBES})
            measure(driver, url, 1.0)  # warm the server and the browser's cache
            runs = [measure(driver, url, args.seconds) for _ in range(args.repeat)]
        finally:
            driver.quit()
            httpd.shutdown()
    print(f"The Playground in headless Chromium, medians of {args.repeat} loads")
    for name in runs[0]:
        values = [run[name] for run in runs]
        spread = ", ".join(f"{v:.3g}" for v in values)
        print(f"  {name:15} {statistics.median(values):8.3g}   ({spread})")


if __name__ == "__main__":
    main()
