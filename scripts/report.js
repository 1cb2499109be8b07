// Draws the fastgpu report from the JSON in #report-data (scripts/report_html.py):
// per workload a sortable ranked table, the baseline verdicts, the JCT CDFs and
// the time series as small multiples; then one section per run with its metrics,
// parameters and a Gantt chart of its GPUs over time. Chart.js is loaded before.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const app = document.getElementById("app");
  Chart.defaults.animation = false;  // draw at once: the page is read, not watched
  Chart.defaults.font.size = 11;
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                   "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#8c6d31", "#843c39", "#7b4173",
                   "#3182bd", "#e6550d", "#31a354", "#756bb1"];
  const policies = [];
  data.workloads.forEach(w => w.rows.forEach(r => { if (!policies.includes(r.policy)) policies.push(r.policy); }));
  const colour = p => PALETTE[policies.indexOf(p) % PALETTE.length];

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  // Numbers in the unit a reader expects: durations in s / min / h / d, fractions in %.
  function duration(s) {
    if (s === null || !isFinite(s)) return "n/a";
    const a = Math.abs(s);
    if (a >= 2 * 86400) return (s / 86400).toPrecision(3) + " d";
    if (a >= 2 * 3600) return (s / 3600).toPrecision(3) + " h";
    if (a >= 2 * 60) return (s / 60).toPrecision(3) + " min";
    return s.toPrecision(3) + " s";
  }
  function fmt(kind, v) {
    if (v === null || v === undefined || !isFinite(v)) return "n/a";
    if (kind === "time") return duration(v);
    if (kind === "fraction") return (100 * v).toFixed(1) + " %";
    if (kind === "count") return Number.isInteger(v) ? String(v) : v.toFixed(1);
    return v.toPrecision(3);
  }
  function cellText(kind, c) {
    if (c.lo === null || c.lo === c.hi) return fmt(kind, c.mean);  // no interval, or one of width 0
    return fmt(kind, c.mean) + " [" + fmt(kind, c.lo) + ", " + fmt(kind, c.hi) + "]";
  }
  const runById = {}, runIndex = {};
  data.runs.forEach((r, i) => { runById[r.id] = r; runIndex[r.id] = i; });

  // --- ranked table ---------------------------------------------------------------
  function rankedTable(w) {
    const metrics = data.metrics;
    const head = el("tr", {}, el("th", {"data-col": "rank"}, "rank"), el("th", {"data-col": "policy"}, "policy"),
                    el("th", {"data-col": "seeds"}, "seeds"),
                    ...metrics.map(m => el("th", {"data-col": m.key, title: "click to sort"}, m.label)));
    const table = el("table", {class: "ranked", "data-workload": w.name}, el("thead", {}, head));
    const body = el("tbody");
    for (const r of w.rows) {
      const link = el("a", {href: "#run-" + runIndex[r.run], "data-run": r.run}, r.policy);
      const tr = el("tr", {class: "policy-row"}, el("td", {"data-value": r.rank}, r.rank),
                    el("td", {"data-value": r.policy}, link),
                    el("td", {"data-value": r.seeds.length}, r.seeds.length));
      for (const m of metrics) {
        const c = r.cells[m.key];
        const td = el("td", {"data-value": c && c.mean !== null ? c.mean : ""}, c ? cellText(m.kind, c) : "n/a");
        if (c && c.clipped) td.title = "interval clipped at the metric's physical bound";
        if (c && c.n > 1 && c.n < data.min_seeds_for_ci) td.title = c.n + " seeds: too few for an informative interval";
        tr.append(td);
      }
      body.append(tr);
    }
    table.append(body);
    head.querySelectorAll("th").forEach((th, i) => th.addEventListener("click", () => sortBy(table, i, th)));
    return table;
  }
  function sortBy(table, col, th) {
    const rows = Array.from(table.tBodies[0].rows);
    const up = th.dataset.sorted !== "asc";
    table.querySelectorAll("th").forEach(h => { delete h.dataset.sorted; });
    th.dataset.sorted = up ? "asc" : "desc";
    const key = tr => {
      const v = tr.cells[col].dataset.value;
      const x = parseFloat(v);
      return v === "" ? null : (isNaN(x) ? v : x);
    };
    rows.sort((a, b) => {
      const x = key(a), y = key(b);
      if (x === null || y === null) return (x === null) - (y === null);  // n/a last either way
      const d = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
      return up ? d : -d;
    });
    rows.forEach(r => table.tBodies[0].append(r));
  }

  function verdictTable(w) {
    const rows = w.verdicts;
    const metricKind = {utilisation: "fraction", bounded_slowdown_mean: "plain"};
    const t = el("table", {class: "verdicts"}, el("tr", {}, ...["policy", "metric", "pairs", "baseline mean",
      "policy mean", "difference (95 % interval)", "verdict"].map(h => el("th", {}, h))));
    for (const v of rows) {
      const kind = metricKind[v.metric] || "time";
      const diff = fmt(kind, v.difference_mean) + (isFinite(v.difference_half_width)
        ? " [" + fmt(kind, v.difference_mean - v.difference_half_width) + ", "
          + fmt(kind, v.difference_mean + v.difference_half_width) + "]" : "");
      t.append(el("tr", {class: "verdict-" + v.verdict.replace(/ /g, "-")}, el("td", {}, v.policy),
                  el("td", {}, v.metric), el("td", {}, v.pairs), el("td", {}, fmt(kind, v.baseline_mean)),
                  el("td", {}, fmt(kind, v.policy_mean)), el("td", {}, diff), el("td", {}, v.verdict)));
    }
    return t;
  }

  // --- charts ---------------------------------------------------------------------
  function chart(canvas, config) {
    const c = new Chart(canvas, config);
    const points = c.data.datasets.reduce((n, d) => n + d.data.length, 0);
    canvas.dataset.chart = points > 0 ? "drawn" : "empty";
    canvas.dataset.points = points;
    return c;
  }
  // Log-axis ticks at round durations rather than Chart.js' powers of ten.
  const DURATION_MARKS = {1: "1 s", 10: "10 s", 60: "1 min", 600: "10 min", 3600: "1 h", 36000: "10 h", 86400: "1 d",
                          864000: "10 d", 8640000: "100 d"};
  function durationTicks(axis) {
    axis.ticks = Object.keys(DURATION_MARKS).map(Number).filter(v => v >= axis.min && v <= axis.max).map(v => ({value: v}));
  }
  function cdfChart(w) {
    const canvas = el("canvas", {class: "cdf", width: 900, height: 380});
    const datasets = Object.entries(w.cdf).map(([p, pts]) => ({
      label: p, data: pts.map(([x, y]) => ({x, y})), showLine: true, pointRadius: 0, borderWidth: 1.5,
      borderColor: colour(p), backgroundColor: colour(p), stepped: "before"}));
    chart(canvas, {type: "scatter", data: {datasets}, options: {responsive: false,
      plugins: {legend: {position: "right"}, title: {display: true,
        text: "JCT CDF: finished jobs of all seeds (JCT under 1 s drawn at 1 s)"}},
      scales: {x: {type: "logarithmic", title: {display: true, text: "job completion time (end − submit)"},
                   afterBuildTicks: durationTicks, ticks: {callback: v => DURATION_MARKS[v] || "", autoSkip: false}},
               y: {min: 0, max: 1, title: {display: true, text: "jobs with JCT ≤ x"},
                   ticks: {callback: v => (100 * v).toFixed(0) + " %"}}}}});
    return canvas;
  }
  function seriesMultiples(w) {
    const grid = el("div", {class: "multiples"});
    const entries = Object.entries(w.series);
    const tmax = Math.max(...entries.map(([, s]) => s.t[s.t.length - 1] || 0));
    const qmax = Math.ceil(Math.max(1, ...entries.map(([, s]) => Math.max(...s.queue))));
    const div = tmax >= 3 * 86400 ? 86400 : tmax >= 3 * 3600 ? 3600 : tmax >= 180 ? 60 : 1;
    const unit = {86400: "d", 3600: "h", 60: "min", 1: "s"}[div];
    for (const [p, s] of entries) {
      const canvas = el("canvas", {class: "series", width: 300, height: 170});
      chart(canvas, {type: "scatter", data: {datasets: [
        {label: "utilisation", data: s.t.map((t, i) => ({x: t / div, y: s.util[i]})), yAxisID: "y",
         showLine: true, pointRadius: 0, borderWidth: 1.2, borderColor: colour(p)},
        {label: "queue", data: s.t.map((t, i) => ({x: t / div, y: s.queue[i]})), yAxisID: "q",
         showLine: true, pointRadius: 0, borderWidth: 1, borderColor: "#999", borderDash: [3, 2]}]},
        options: {responsive: false, plugins: {legend: {display: false},
          title: {display: true, text: p + " (seed " + s.seed + ")", color: colour(p)}},
          scales: {x: {type: "linear", min: 0, max: tmax / div, title: {display: true, text: "time (" + unit + ")"}},
                   y: {min: 0, max: 1, ticks: {callback: v => (100 * v).toFixed(0) + "%"}},
                   q: {position: "right", min: 0, max: qmax, grid: {display: false}}}}});
      grid.append(el("figure", {}, canvas));
    }
    return grid;
  }

  function ganttChart(run) {
    const g = run.gantt;
    const canvas = el("canvas", {class: "gantt", width: 1100, height: Math.min(900, 60 + 9 * run.num_gpus)});
    const span = g.bars.reduce((m, b) => Math.max(m, b[2]), 0);
    const div = span >= 3 * 86400 ? 86400 : span >= 3 * 3600 ? 3600 : span >= 180 ? 60 : 1;
    const unit = {86400: "d", 3600: "h", 60: "min", 1: "s"}[div];
    const labels = Array.from({length: run.num_gpus}, (_, i) => "GPU " + i);
    const hue = j => "hsl(" + ((j * 137.508) % 360).toFixed(0) + ",60%,55%)";  // golden angle: neighbours differ
    chart(canvas, {type: "bar", data: {labels, datasets: [{label: "jobs",
      data: g.bars.map(b => ({x: [b[1] / div, b[2] / div], y: "GPU " + b[0], job: b[3]})),
      backgroundColor: g.bars.map(b => hue(b[3])), barPercentage: 1.0, categoryPercentage: 0.85}]},
      options: {indexAxis: "y", responsive: false, plugins: {legend: {display: false},
        tooltip: {callbacks: {label: c => "job row " + c.raw.job + ": " + duration(c.raw.x[0] * div) + " – "
                                            + duration(c.raw.x[1] * div)}}},
        scales: {x: {type: "linear", min: 0, max: span / div, title: {display: true, text: "time (" + unit + ")"}},
                 y: {ticks: {autoSkip: true, font: {size: 9}}}}}});
    return canvas;
  }

  // --- per-run view ---------------------------------------------------------------
  const runSection = el("section", {id: "run-view"});
  const select = el("select", {id: "run-select"});
  data.runs.forEach(r => select.append(el("option", {value: r.id},
    r.policy + " · " + r.workload + " · seed " + r.seed + (r.gantt ? "" : " (no Gantt)"))));
  select.addEventListener("change", () => { window.location.hash = "#run-" + runIndex[select.value]; });
  let ganttInstance = null;
  function showRun(id) {
    const run = runById[id];
    select.value = id;
    const body = document.getElementById("run-body");
    body.replaceChildren();
    if (ganttInstance) { ganttInstance.destroy(); ganttInstance = null; }
    const metrics = el("table", {class: "run-metrics"});
    for (const [k, v] of Object.entries(run.metrics)) metrics.append(el("tr", {}, el("th", {}, k), el("td", {}, v === null ? "n/a" : v)));
    const params = el("table", {class: "run-params"});
    for (const [k, v] of Object.entries(Object.assign({}, run.params, run.sweep))) params.append(el("tr", {}, el("th", {}, k), el("td", {}, v)));
    body.append(el("h3", {}, run.policy + " on " + run.workload + ", seed " + run.seed + " (" + run.num_gpus + " GPUs)"));
    if (run.gantt) {
      const g = run.gantt;
      body.append(el("p", {class: "note"}, "Each bar is one job's last run on each GPU it ended on, from the start of "
        + "that run to its end (a preempted or migrated job shows only its last placement). "
        + (g.jobs_drawn < g.jobs_ran ? "Showing the " + g.jobs_drawn + " earliest-starting of " + g.jobs_ran
           + " jobs (at most " + data.limits.gantt_bars + " bars keep the page small)." : "All " + g.jobs_ran + " jobs that ran.")));
      const canvas = ganttChart(run);
      body.append(el("div", {class: "gantt-box"}, canvas));
      ganttInstance = Chart.getChart(canvas);
    } else {
      body.append(el("p", {class: "note"}, "No Gantt for this run: with many runs the page carries it for the smallest seed of each policy only."));
    }
    body.append(el("div", {class: "run-tables"}, el("div", {}, el("h4", {}, "summary"), metrics),
                   el("div", {}, el("h4", {}, "parameters"), params)));
  }

  // --- page -----------------------------------------------------------------------
  app.append(el("p", {}, "File " + data.file + ", written by fastgpu " + data.version + " (" + data.git + ") at "
    + data.created + ". Cells: mean over the seeds [95 % confidence interval, Student t]. With fewer than "
    + data.min_seeds_for_ci + " seeds no interval is shown: with 2 seeds it is t(1) = 12.7 standard errors wide and "
    + "says little. Intervals are clipped at physical bounds (no negative time, utilisation within 0–100 %). "
    + "Click a column to sort, a policy to see its run."));
  for (const w of data.workloads) {
    const sec = el("section", {class: "workload"}, el("h2", {}, "Workload " + w.name));
    sec.append(rankedTable(w));
    if (w.verdicts.length) {
      const title = "Paired with baseline '" + w.verdicts[0].baseline + "' (difference = policy − baseline, per seed; "
        + w.verdicts.filter(v => v.verdict === "better").length + " better, "
        + w.verdicts.filter(v => v.verdict === "worse").length + " worse)";
      const details = el("details", {}, el("summary", {}, title), verdictTable(w));
      if (w.verdicts.length <= 30) details.open = true;  // a long table waits for a click
      sec.append(details);
    }
    sec.append(el("h3", {}, "Job completion time"), cdfChart(w));
    sec.append(el("h3", {}, "Utilisation (coloured, left axis) and queue length (grey, right axis) over time"));
    if (w.series_averaged > 1) {
      sec.append(el("p", {class: "note"}, "Each point is the mean of " + w.series_averaged
        + " monitor samples (at most " + data.limits.series_points + " points per run keep the page small)."));
    }
    sec.append(seriesMultiples(w));
    app.append(sec);
  }
  runSection.append(el("h2", {}, "Runs"), el("p", {class: "back"}, el("a", {href: "#"}, "← all policies")),
                    el("label", {}, "run: ", select), el("div", {id: "run-body"}));
  app.append(runSection);
  // "#run-N" is the page of the N-th run (0-based, in the order of the run list): the
  // workload sections are hidden and the run view shows that run; no hash, the overview.
  function route() {
    const linked = /^#run-(\d+)$/.exec(window.location.hash);
    const run = linked ? data.runs[Number(linked[1])] : null;
    document.body.classList.toggle("single-run", run !== null);
    showRun(run ? run.id : (data.runs.find(r => r.gantt) || data.runs[0]).id);
    window.scrollTo(0, 0);
  }
  window.addEventListener("hashchange", route);
  route();

  // For the browser test: what was drawn, and any error on the way.
  document.body.dataset.rows = document.querySelectorAll("tr.policy-row").length;
  document.body.dataset.charts = document.querySelectorAll("canvas[data-chart=drawn]").length;
  document.getElementById("js-errors").textContent = window.reportErrors.join("\n");
  document.body.dataset.status = window.reportErrors.length ? "errors" : "ready";
})();
