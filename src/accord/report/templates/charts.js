(function () {
  var el = document.getElementById("accord-charts");
  if (!el) { return; }
  function draw() {
    var figs = JSON.parse(el.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (div) {
      var f = figs[div.getAttribute("data-chart")];
      if (f) { Plotly.newPlot(div, f.data, f.layout, {responsive: true, displaylogo: false}); }
    });
  }
  function say(text) {
    document.querySelectorAll("[data-chart]").forEach(function (div) {
      div.textContent = text;
      div.className += " chart-missing";
    });
  }
  if (typeof Plotly !== "undefined") { draw(); return; }
  // plotly.js travels gzip-compressed and base64-encoded inside the page; unpack it here.
  var packed = document.getElementById("accord-plotly");
  if (!packed) { return; }
  if (typeof DecompressionStream === "undefined") {
    say("The charts need a browser from 2023 or later (DecompressionStream); the text and tables above are complete.");
    return;
  }
  var bin = atob(packed.textContent);
  var bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  new Response(stream).text().then(function (code) {
    var s = document.createElement("script");
    s.textContent = code;
    document.head.appendChild(s);
    try { draw(); } catch (err) { say("The charts could not be drawn: " + err); }
  }, function (err) { say("The charts could not be unpacked: " + err); });
})();
