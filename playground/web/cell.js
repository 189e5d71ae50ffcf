// The code cell: the editor and its examples, Run, the output or the
// traceback, and the graph of the last expression with the Stepper's
// controls (stepper_page.js, shared with the Stepper page).
import { drawGraph } from "./graph.js";
import { stepThrough } from "./stepper_page.js";

const $ = (id) => document.getElementById(id);
const COLLAPSED = {
  neurons: "Large, so each neuron is drawn as one node (its table lists its numbers).",
  layers: "Large, so each layer is drawn as one node.",
};

export class CodeCell {
  // onStop: ends a run that does not return (it restarts Python).
  constructor(python, examples, onStop) {
    this.python = python;
    this.stepping = null; // the AbortController of the graph being stepped through
    this.isReady = false; // Python is loaded
    this.editor = $("code");
    const menu = $("examples");
    for (const { title, file } of examples) menu.add(new Option(title, file));
    menu.addEventListener("change", () => menu.value && this.load(menu.value));
    $("run").addEventListener("click", () => this.run());
    $("stop").addEventListener("click", () => {
      $("output").textContent = ""; // the stopped run's output is not a result
      onStop();
    });
    this.editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && this.isReady) {
        event.preventDefault();
        this.run();
      }
    });
    this.enableStepping(false);
  }

  get code() {
    return this.editor.value;
  }

  set code(text) {
    this.editor.value = text;
  }

  // Code from a link: the menu says so, rather than name an example it is not.
  showLinked(text) {
    const menu = $("examples");
    menu.add(new Option("Code from the link", ""), 0);
    menu.selectedIndex = 0;
    this.code = text;
  }

  async load(file) {
    const response = await fetch(file);
    this.code = await response.text();
  }

  ready(isReady) {
    this.isReady = isReady;
    $("run").disabled = !isReady;
  }

  async run() {
    const button = $("run");
    button.disabled = true;
    $("stop").hidden = false;
    $("error").textContent = "";
    try {
      const result = await this.python.call("run", { code: this.code });
      $("output").textContent = result.output + (result.graph ? "" : result.value);
      $("error").textContent = result.error;
      // a graph left standing, after an error too, would look like this run's
      if (result.graph) await this.show(result.graph, "The cell's last expression");
      else this.clear();
    } catch (error) {
      $("error").textContent = error.message;
      this.clear();
    } finally {
      $("stop").hidden = true;
      button.disabled = !this.isReady;
    }
  }

  // Draw a graph description (playground/python/cell.py: describe) and step
  // through it; the previous graph's stepping stops.
  async show(graph, title) {
    this.stepping?.abort();
    await drawGraph($("graph"), graph.dot);
    $("graph-title").textContent = [title, COLLAPSED[graph.collapse]].filter(Boolean).join(". ");
    this.stepping = new AbortController();
    this.enableStepping(true);
    stepThrough(graph, { signal: this.stepping.signal });
  }

  clear() {
    this.stepping?.abort();
    for (const id of ["graph", "graph-title", "phase", "step", "rule", "note", "position"]) {
      $(id).replaceChildren();
    }
    this.enableStepping(false);
  }

  enableStepping(enabled) {
    for (const button of document.querySelectorAll(".stepper .controls button, #slider")) {
      button.disabled = !enabled;
    }
  }
}
