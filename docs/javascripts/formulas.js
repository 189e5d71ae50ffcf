// Renders the formulas pymdownx.arithmatex leaves in a page (its generic
// mode writes \( ... \) inline and \[ ... \] as a block) with the KaTeX that
// the site bundles in assets/katex/. Material's document$ emits once a page
// is in place. A formula KaTeX cannot parse throws: the browser tests fail
// on any console error, so a broken formula cannot go unnoticed.
document$.subscribe(() => {
  for (const element of document.querySelectorAll(".arithmatex")) {
    const tex = element.textContent.trim();
    katex.render(tex.slice(2, -2), element, {
      displayMode: tex.startsWith("\\["),
      throwOnError: true,
    });
  }
});
