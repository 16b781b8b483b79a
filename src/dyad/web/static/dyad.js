// dyad: draw the Plotly charts whose specs the server embedded as JSON, and
// scroll each highlighted evidence sentence into view inside its text box.
(function () {
  "use strict";
  function drawCharts() {
    if (!window.Plotly) return;
    document.querySelectorAll("div.chart[data-spec]").forEach(function (div) {
      var el = document.getElementById(div.getAttribute("data-spec"));
      if (!el) return;
      var spec;
      try { spec = JSON.parse(el.textContent); } catch (e) { return; }
      window.Plotly.newPlot(div, spec.data, spec.layout,
        { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"] });
      div.on("plotly_click", function (ev) {
        var points = (ev && ev.points) || [];
        for (var i = 0; i < points.length; i++) {
          var url = points[i].customdata;
          // only links to this server's own pages
          if (typeof url === "string" && url.charAt(0) === "/" && "/\\".indexOf(url.charAt(1)) < 0) {
            window.location.href = url;
            return;
          }
        }
      });
    });
  }
  function scrollMarks() {
    document.querySelectorAll(".scrollbox").forEach(function (box) {
      var mark = box.querySelector("mark.evidence");
      if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - box.clientHeight / 3);
    });
  }
  function ready() { drawCharts(); scrollMarks(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
