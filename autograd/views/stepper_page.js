// Stepping through a graph, one frame at a time. A frame is one node being
// computed (forward) or differentiated (backward); see autograd/views/stepper.py,
// whose Stepper.page_data() gives `data`. The Stepper page inlines this module
// and starts it on its own frames; the Playground imports it and starts it on
// each graph it draws, stopping the previous one through `signal`.
// The page holds the controls and the drawn SVG under the ids used below.
// Every label and note is data: this script writes text with textContent
// only, never as HTML.

export function stepThrough(data, { signal } = {}) {
  const frames = data.frames;
  const PLAY_INTERVAL_MS = 800;

  const $ = (id) => document.getElementById(id);
  const slider = $("slider");
  const playButton = $("play");
  slider.max = String(frames.length - 1);

  // Graphviz writes each node as <g class="node"><title>v3</title>...</g>
  // and each edge as <g class="edge"><title>v3->v1_op</title>...</g>
  // (an edge's ends may name a port: "v3:a").
  const drawn = new Map(); // node name -> its <g>
  for (const g of document.querySelectorAll("#graph g.node")) {
    drawn.set(g.querySelector("title").textContent, g);
  }
  const baseName = (end) => end.split(":")[0];
  const edges = [];
  for (const g of document.querySelectorAll("#graph g.edge")) {
    const [tail, head] = g.querySelector("title").textContent.split("->").map(baseName);
    edges.push({ g, tail, head });
  }

  // Each Value node's "data ..." and "grad ..." texts, to hide until known.
  const hideable = [];
  for (const [name, node] of Object.entries(data.nodes)) {
    const g = drawn.get(name);
    if (!g) continue;
    for (const text of g.querySelectorAll("text")) {
      const content = text.textContent;
      for (const [word, known] of [["data", node.computed], ["grad", node.final]]) {
        if (content.startsWith(word + " ")) {
          hideable.push({ text, content, hidden: word + " ?", known });
        }
      }
    }
  }

  // The drawn nodes between an input and the node (an op's ellipse).
  const valueNames = new Set(Object.keys(data.nodes));
  function helpersOf(name) {
    return edges
      .filter((e) => e.head === name && !valueNames.has(e.tail))
      .map((e) => e.tail);
  }

  let current = 0;
  let timer = null;

  function show(index) {
    current = Math.max(0, Math.min(frames.length - 1, index));
    const frame = frames[current];

    for (const item of hideable) {
      item.text.textContent = current >= item.known ? item.content : item.hidden;
    }
    for (const [name, node] of Object.entries(data.nodes)) {
      const g = drawn.get(name);
      if (g) g.classList.toggle("pending", current < node.computed);
    }

    for (const g of drawn.values()) g.classList.remove("current", "current-op");
    for (const e of edges) e.g.classList.remove("active");
    const helpers = helpersOf(frame.node);
    const ends = new Set([frame.node, ...helpers]);
    drawn.get(frame.node)?.classList.add("current");
    for (const name of helpers) drawn.get(name)?.classList.add("current-op");
    for (const e of edges) {
      const intoNode = ends.has(e.head) && e.tail !== e.head;
      if (intoNode && (helpers.includes(e.tail) || frame.inputs.includes(e.tail))) {
        e.g.classList.add("active");
      }
    }
    reveal(drawn.get(frame.node));

    const backward = frame.phase === "backward";
    const count = backward ? frames.length - data.forward_count : data.forward_count;
    const number = backward ? current - data.forward_count + 1 : current + 1;
    $("phase").textContent = `${backward ? "Backward" : "Forward"} pass: node ${number} of ${count}`;
    $("step").textContent = frame.text;
    $("rule").textContent = frame.rule;
    $("note").textContent = frame.note;
    $("rule-row").hidden = !frame.rule;
    $("note-row").hidden = !frame.note;
    slider.value = String(current);
    $("position").textContent = `${current + 1} / ${frames.length}`;
    $("previous").disabled = $("first").disabled = current === 0;
    $("next").disabled = $("last").disabled = current === frames.length - 1;
    if (current === frames.length - 1) pause();
  }

  // Scroll the graph (only the graph, not the page) to show a node.
  function reveal(g) {
    if (!g) return;
    const figure = $("graph");
    const box = g.getBoundingClientRect();
    const view = figure.getBoundingClientRect();
    if (box.top < view.top || box.bottom > view.bottom) {
      figure.scrollTop += box.top - view.top - (view.height - box.height) / 2;
    }
    if (box.left < view.left || box.right > view.right) {
      figure.scrollLeft += box.left - view.left - (view.width - box.width) / 2;
    }
  }

  function play() {
    if (current === frames.length - 1) show(0);
    timer = setInterval(() => show(current + 1), PLAY_INTERVAL_MS);
    playButton.textContent = "Pause";
    playButton.setAttribute("aria-pressed", "true");
  }

  function pause() {
    clearInterval(timer);
    timer = null;
    playButton.textContent = "Play";
    playButton.setAttribute("aria-pressed", "false");
  }

  const listening = { signal };
  $("first").addEventListener("click", () => show(0), listening);
  $("previous").addEventListener("click", () => show(current - 1), listening);
  $("next").addEventListener("click", () => show(current + 1), listening);
  $("last").addEventListener("click", () => show(frames.length - 1), listening);
  playButton.addEventListener("click", () => (timer === null ? play() : pause()), listening);
  slider.addEventListener("input", () => show(Number(slider.value)), listening);
  signal?.addEventListener("abort", pause);
  $("fit").addEventListener("click", (event) => {
    const fit = $("graph").classList.toggle("fit");
    event.target.setAttribute("aria-pressed", String(fit));
    reveal(drawn.get(frames[current].node));
  }, listening);

  const KEYS = {
    ArrowLeft: () => current - 1,
    ArrowRight: () => current + 1,
    Home: () => 0,
    End: () => frames.length - 1,
  };
  document.addEventListener("keydown", (event) => {
    const target = KEYS[event.key];
    // The slider handles these keys itself, a text field moves its caret with
    // them, and modified keys belong to the browser.
    const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
    if (!target || typing || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    event.preventDefault();
    show(target());
  }, listening);

  show(0);
}
