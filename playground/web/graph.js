// Drawing DOT text (from glassgrad's to_dot) as SVG with Graphviz compiled
// to WebAssembly (viz-js): the page has no `dot` program to run. viz-js
// (1.4 MB) loads with the first graph, so that it never delays Python's start.
let viz = null;

export async function drawGraph(figure, dot) {
  viz ??= await (await import("./viz.js")).instance();
  // Graphviz escapes every label in the SVG it writes, and the element is
  // built by a parser, so a label can only ever be text.
  figure.replaceChildren(viz.renderSVGElement(dot));
}
