// The training view: settings, Play / Pause / Step / Reset, the boundary
// with the points, the loss curve, the network's weights, the generated step
// and the exported script. Python trains (playground/python/training.py);
// while playing, this asks it for one chunk of steps at a time, draws what
// comes back, and asks again, so the page never waits on Python.
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const CHUNK_MS = 100; // training time a chunk; drawing and the next ask come between
const MAX_STEPS_A_CHUNK = 10000;
const CLASS_COLORS = ["#ff7f0e", "#1f77b4"]; // class 0, class 1; weights < 0 and >= 0
const BACKGROUND_STRENGTH = 0.5; // of a class's colour where the network is sure
const EDGE_WIDTH = 4; // px, for a weight of magnitude 2 or more

export class TrainingView {
  constructor(python, onNeuron) {
    this.python = python;
    this.onNeuron = onNeuron; // (layer, index) -> shows that neuron's graph
    this.form = $("settings");
    this.playing = false;
    this.loop = null; // the promise of the loop that trains while playing
    this.setup = null; // what configure answered: points, extent, grid, source
    this.curve = []; // [steps, loss] of each report since Reset
    this.exportUrl = "";
    this.form.addEventListener("change", () => this.reset());
    this.form.addEventListener("submit", (event) => event.preventDefault());
    $("train-reset").addEventListener("click", () => this.reset());
    $("train-step").addEventListener("click", () => this.step());
    $("train-play").addEventListener("click", () => (this.playing ? this.pause() : this.play()));
  }

  // The form as strings, for links (the pasted points only when they are used).
  get fields() {
    const fields = Object.fromEntries(new FormData(this.form));
    if (fields.dataset !== "pasted") delete fields.pasted;
    return fields;
  }

  set fields(fields) {
    for (const [name, value] of Object.entries(fields)) {
      const input = this.form.elements.namedItem(name);
      if (input) input.value = value;
    }
  }

  // The form as recipe.Settings' fields.
  settings() {
    const f = this.fields;
    const list = (text) => text.split(",").map((s) => s.trim()).filter(Boolean);
    const settings = {
      dataset: f.dataset,
      points: Number(f.points),
      layers: list(f.layers).map(Number),
      activation: list(f.activation),
      optimizer: f.optimizer,
      lr: Number(f.lr),
      batch: Number(f.batch),
      seed: Number(f.seed),
    };
    if (f.dataset === "pasted") {
      settings.pasted = f.pasted.split("\n").filter((line) => line.trim())
        .map((line) => list(line).map(Number));
    }
    return settings;
  }

  async reset() {
    this.form.querySelector(".pasted").hidden = this.fields.dataset !== "pasted";
    try {
      this.setup = await this.python.call("configure", { settings: this.settings() });
    } catch (error) {
      this.pause();
      this.failed(error);
      return;
    }
    $("train-error").textContent = "";
    $("source").textContent = this.setup.source;
    this.curve = [];
    this.enable(true);
    this.show(this.setup);
    if (!this.playing) await this.refreshExport();
  }

  async step() {
    await this.train(0, 1);
    await this.refreshExport();
  }

  play() {
    this.playing = true;
    this.showPlaying();
    this.loop ??= this.trainWhilePlaying(); // Pause then Play again: the same loop goes on
  }

  async trainWhilePlaying() {
    while (this.playing && (await this.train(CHUNK_MS, MAX_STEPS_A_CHUNK)));
    this.loop = null;
    await this.refreshExport();
  }

  pause() {
    this.playing = false;
    this.showPlaying();
  }

  // One chunk; false when it failed.
  async train(milliseconds, steps) {
    try {
      this.show(await this.python.call("train", { milliseconds, steps }));
      return true;
    } catch (error) {
      this.pause();
      this.failed(error);
      return false;
    }
  }

  failed(error) {
    $("train-error").textContent = error.message;
    this.enable(false);
  }

  enable(enabled) {
    $("train-step").disabled = $("train-play").disabled = !enabled;
  }

  showPlaying() {
    const button = $("train-play");
    button.textContent = this.playing ? "Pause" : "Play";
    button.setAttribute("aria-pressed", String(this.playing));
  }

  async refreshExport() {
    const script = await this.python.call("export");
    $("export").textContent = script;
    URL.revokeObjectURL(this.exportUrl);
    this.exportUrl = URL.createObjectURL(new Blob([script], { type: "text/x-python" }));
    $("download").href = this.exportUrl;
  }

  show(report) {
    $("train-steps").textContent = String(report.steps);
    const loss = $("train-loss");
    // six significant digits: a loss that trains towards 0 stays readable
    loss.textContent = report.loss === null ? report.loss_repr : report.loss.toPrecision(6);
    loss.dataset.value = report.loss_repr;
    if (this.curve.at(-1)?.[0] !== report.steps) this.curve.push([report.steps, report.loss]);
    this.drawBoundary(report.boundary);
    this.drawCurve();
    this.drawNetwork(report.weights);
  }

  // P(class 1) on the grid, then the points.
  drawBoundary(probabilities) {
    const { grid, extent, points, labels } = this.setup;
    const cells = new ImageData(grid, grid);
    probabilities.forEach((p, i) => {
      const [r, g, b] = shade(p ?? 0.5);
      cells.data.set([r, g, b, 255], 4 * i);
    });
    const small = new OffscreenCanvas(grid, grid);
    small.getContext("2d").putImageData(cells, 0, 0);
    const canvas = $("boundary");
    const context = canvas.getContext("2d");
    context.imageSmoothingEnabled = true;
    context.drawImage(small, 0, 0, canvas.width, canvas.height);
    const [x0, x1, y0, y1] = extent;
    points.forEach(([x, y], i) => {
      context.beginPath();
      const px = ((x - x0) / (x1 - x0)) * canvas.width;
      const py = ((y1 - y) / (y1 - y0)) * canvas.height;
      context.arc(px, py, 3.5, 0, 2 * Math.PI);
      context.fillStyle = CLASS_COLORS[labels[i]];
      context.fill();
      context.strokeStyle = "#fff";
      context.stroke();
    });
  }

  drawCurve() {
    const canvas = $("curve");
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, canvas.width, canvas.height);
    const finite = this.curve.filter(([, loss]) => loss !== null);
    if (finite.length < 2) return;
    const lastStep = finite.at(-1)[0] || 1;
    const top = Math.max(...finite.map(([, loss]) => loss)) || 1;
    context.beginPath();
    for (const [step, loss] of finite) {
      context.lineTo((step / lastStep) * canvas.width, canvas.height * (1 - loss / top));
    }
    context.strokeStyle = "#d62728";
    context.lineWidth = 2;
    context.stroke();
    context.fillStyle = "#555";
    context.font = "12px system-ui, sans-serif";
    context.fillText(`${top.toFixed(3)}`, 4, 14);
  }

  // Columns of neurons, the inputs first; an edge per weight, its colour the
  // sign and its width the size. A neuron opens its graph when clicked.
  drawNetwork(weights) {
    const svg = $("network");
    const width = svg.clientWidth || 400;
    const height = svg.clientHeight || 220;
    const sizes = [2, ...weights.map((layer) => layer.length)];
    const at = (column, row) => [
      (width * (column + 0.5)) / sizes.length,
      (height * (row + 0.5)) / sizes[column],
    ];
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const drawing = [];
    weights.forEach((layer, i) => {
      layer.forEach((neuron, j) => {
        for (let k = 0; k < sizes[i]; k++) {
          const w = neuron[k] ?? 0;
          const [x1, y1] = at(i, k);
          const [x2, y2] = at(i + 1, j);
          drawing.push(element("line", {
            x1, y1, x2, y2,
            stroke: CLASS_COLORS[Number(w >= 0)],
            "stroke-width": Math.max(0.5, Math.min(Math.abs(w) / 2, 1) * EDGE_WIDTH),
            "stroke-opacity": 0.75,
          }));
        }
      });
    });
    for (let k = 0; k < 2; k++) drawing.push(node(at(0, k), "input", `input ${"xy"[k]}`));
    weights.forEach((layer, i) => {
      layer.forEach((_, j) => {
        const label = `layer ${i}, neuron ${j}: step through its graph`;
        const g = node(at(i + 1, j), "neuron", label);
        g.addEventListener("click", () => this.onNeuron(i, j));
        g.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            this.onNeuron(i, j);
          }
        });
        drawing.push(g);
      });
    });
    svg.replaceChildren(...drawing);
  }
}

function node([cx, cy], kind, label) {
  const g = element("g", { class: kind, "aria-label": label });
  if (kind === "neuron") {
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
  }
  const title = element("title", {});
  title.textContent = label;
  g.append(title, element("circle", { cx, cy, r: 9 }));
  return g;
}

function element(name, attributes) {
  const e = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) e.setAttribute(key, String(value));
  return e;
}

// Class 0's colour (p = 0) through white (0.5) to class 1's (1), kept pale
// so that the points stand out on it.
function shade(p) {
  const color = p < 0.5 ? [255, 127, 14] : [31, 119, 180];
  const strength = Math.abs(p - 0.5) * 2 * BACKGROUND_STRENGTH;
  return color.map((c) => Math.round(255 + (c - 255) * strength));
}
