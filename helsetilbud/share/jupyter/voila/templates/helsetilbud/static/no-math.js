/* An inert MathJax for helsetilbud's pages (docs/decisions/0025-no-mathjax.md). ipywidgets
   typesets every label and description with the page's LaTeX typesetter. None of these pages
   shows mathematics, a "$" an office writes must stay a "$", and MathJax 3 cost every page
   view about a tenth of its time in the browser. Voilà's MathJax 2 plugin loads this file
   instead of MathJax and hands it each element; nothing is changed. */
window.MathJax = {
  helsetilbud: "ingen matematikk",
  Hub: {
    Config: function () {},
    Configured: function () {},
    Queue: function () {},
    Register: { StartupHook: function () {} },
  },
  InputJax: { TeX: { resetEquationNumbers: function () {} } },
};
