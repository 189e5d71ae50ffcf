// Drawing DOT text (from glassgrad's to_dot) as SVG with Graphviz compiled
// to WebAssembly (viz-js): the page has no `dot` program to run.
import { instance } from "./viz.js";

let viz = null;

export async function drawGraph(figure, dot) {
  viz ??= await instance();
  // Graphviz escapes every label in the SVG it writes, and the element is
  // built by a parser, so a label can only ever be text.
  figure.replaceChildren(viz.renderSVGElement(dot));
}
