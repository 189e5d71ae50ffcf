// The Playground's Python: Pyodide in this Web Worker, so that running code
// and training never block the page. Once loaded it posts {ready: versions}
// (or {failed: message}); then each message {id, name, args} runs the
// Python call `name` (playground/python/api.py) and is answered with
// {id, result} or {id, error}. {id, name: "resources"} answers with the URLs
// this worker fetched, for the tests that check where everything came from.
import { loadPyodide } from "./pyodide/pyodide.mjs";

async function bytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}

async function start() {
  // Fetch glassgrad and the page's Python while Pyodide starts.
  const files = fetch("manifest.json")
    .then((response) => response.json())
    .then(async (manifest) => ({
      wheels: await Promise.all(manifest.wheels.map(bytes)),
      python: await bytes(manifest.python),
    }));
  const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", import.meta.url).href });
  const { wheels, python } = await files;
  for (const wheel of wheels) pyodide.unpackArchive(wheel, "wheel");
  pyodide.unpackArchive(python, "zip", { extractDir: "/home/pyodide" });
  const versions = pyodide.runPython(`
import sys, importlib.metadata
sys.path.insert(0, "/home/pyodide")
import autograd, nn, playground.python.api
f"Python {sys.version.split()[0]}, glassgrad {importlib.metadata.version('glassgrad')}"
`);
  return { call: pyodide.pyimport("playground.python.api").call, versions };
}

const python = start();
python.then(
  ({ versions }) => postMessage({ ready: versions }),
  (error) => postMessage({ failed: String(error) }),
);

onmessage = async ({ data: { id, name, args } }) => {
  if (name === "resources") {
    postMessage({ id, result: performance.getEntriesByType("resource").map((e) => e.name) });
    return;
  }
  try {
    const { call } = await python;
    postMessage({ id, ...JSON.parse(call(name, JSON.stringify(args))) });
  } catch (error) {
    postMessage({ id, error: String(error) });
  }
};
