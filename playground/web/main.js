// The Playground's page: starts Python in its worker, puts a link's code
// and settings in place (code never runs before the user clicks Run), and
// wires the code cell, the training view and Share together.
import { CodeCell } from "./cell.js";
import { readLink, writeLink } from "./links.js";
import { Python } from "./python.js";
import { TrainingView } from "./training.js";

const $ = (id) => document.getElementById(id);

function showStatus(text, state) {
  const status = $("status");
  status.textContent = text;
  status.className = state;
}

const python = new Python(); // starts loading Python at once
const manifest = await (await fetch("manifest.json")).json();
// For the browser's console (and the tests): playground.python.call("run", { code: "..." }).
globalThis.playground = { python };
const cell = new CodeCell(python, manifest.examples, () => {
  python.restart();
  whenReady(training.reset());
});

// "ready" once Python is loaded and the training view set up on it, so that
// every button works from then on.
function whenReady(trainingSetUp) {
  showStatus("Loading Python…", "");
  cell.ready(false);
  Promise.all([python.ready, trainingSetUp]).then(
    ([versions]) => {
      showStatus(`Python is ready: ${versions}`, "ready");
      cell.ready(true);
    },
    (error) => showStatus(`Python failed to load: ${error.message}`, "failed"),
  );
}

const training = new TrainingView(python, async (layer, index) => {
  try {
    const graph = await python.call("neuron", { layer, index });
    await cell.show(graph, `Layer ${layer}, neuron ${index}, at the first point`);
    $("graph").scrollIntoView({ block: "nearest" });
  } catch (error) {
    $("train-error").textContent = error.message;
  }
});

async function openLink() {
  const link = readLink(location.hash);
  training.fields = link.fields;
  $("error").textContent = link.problem;
  if (link.code !== null) cell.showLinked(link.code);
  else await cell.load(manifest.examples[0].file);
  await training.reset();
}

$("share").addEventListener("click", () => {
  history.replaceState(null, "", writeLink(cell.code, training.fields));
  $("shared").textContent = "The link in the address bar now holds this code and these settings.";
});
addEventListener("hashchange", openLink);
whenReady(openLink());
