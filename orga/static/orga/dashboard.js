// Draws the dashboard's charts with Chart.js from the data the page carries in a JSON block
// (no inline script: the page's CSP forbids it). The table beside each chart has the figures.
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart + "-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var datasets = [
      { label: canvas.dataset.labelRegistered, data: data.registered, stepped: true, borderColor: "#1f5fa8", backgroundColor: "#1f5fa8" },
      { label: canvas.dataset.labelConfirmed, data: data.confirmed, stepped: true, borderColor: "#2e7d32", backgroundColor: "#2e7d32" }
    ];
    if (data.capacity) {
      datasets.push({ label: canvas.dataset.labelCapacity, data: data.labels.map(function () { return data.capacity; }),
        borderColor: "#b3261e", backgroundColor: "#b3261e", borderDash: [6, 4], pointRadius: 0 });
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    canvas.dataset.drawn = "true";
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
