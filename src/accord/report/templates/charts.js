(function () {
  var el = document.getElementById("accord-charts");
  if (!el || typeof Plotly === "undefined") { return; }
  var figs = JSON.parse(el.textContent);
  document.querySelectorAll("[data-chart]").forEach(function (div) {
    var f = figs[div.getAttribute("data-chart")];
    if (f) { Plotly.newPlot(div, f.data, f.layout, {responsive: true, displaylogo: false}); }
  });
})();
