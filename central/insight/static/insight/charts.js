// Charts of the usage dashboard and the drop-off view (central/insight/templates/insight/),
// drawn by Chart.js 4 (vendored in ./chartjs, MIT). Data come from <script type="application/json">
// blocks; a file, not an inline script, so the Content-Security-Policy needs no 'unsafe-inline'.
(function () {
  "use strict";
  const read = (id) => { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };
  const colours = ["#1f5fa8", "#2e8b57", "#d2691e", "#8a2be2", "#b8860b", "#c0392b", "#16a085", "#7f8c8d"];
  Chart.defaults.font.family = '"Noto Sans CJK SC", "Noto Sans SC", sans-serif';
  Chart.defaults.animation = false;  // figures for reading, not a show (and screenshots are stable)
  const draw = (id, config) => { const el = document.getElementById(id); if (el) { new Chart(el, config); el.dataset.drawn = "1"; } };

  const data = read("dashboard-data");
  if (data) {
    draw("chart-visits", {type: "line", data: {labels: data.visits.map((r) => r[0]),
      datasets: [{label: "访问人次 visits", data: data.visits.map((r) => r[1]), borderColor: colours[0],
                  backgroundColor: colours[0], tension: 0.2}]},
      options: {scales: {y: {beginAtZero: true}}}});
    draw("chart-services", {type: "bar", data: {labels: data.services.map((r) => r[0]),
      datasets: [{label: "次数 count", data: data.services.map((r) => r[1]), backgroundColor: colours}]},
      options: {plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true}}}});
    const levels = data.ratings.levels;
    draw("chart-ratings", {type: "doughnut", data: {labels: ["非常满意", "满意", "基本满意", "不满意", "非常不满意"],
      datasets: [{data: ["5", "4", "3", "2", "1"].map((k) => levels[k]),
                  backgroundColor: ["#2e8b57", "#7cb342", "#c0ca33", "#f39c12", "#c0392b"]}]}});
    draw("chart-matters", {type: "bar", data: {labels: data.matters.map((r) => r[0]),
      datasets: [{label: "咨询次数 consultations", data: data.matters.map((r) => r[1]), backgroundColor: colours[1]}]},
      options: {indexAxis: "y", plugins: {legend: {display: false}}}});
  }
  const drop = read("dropoff-data");
  if (drop) {
    draw("chart-dropoff", {type: "bar", data: {labels: drop.labels, datasets: [
      {label: "到达 reached", data: drop.reached, backgroundColor: colours[0]},
      {label: "在此离开 left here", data: drop.left, backgroundColor: colours[5]}]},
      options: {indexAxis: "y", scales: {x: {beginAtZero: true}}}});
  }
})();
