/* rlplot report adapter: each section's embedded JSON -> one uPlot chart per panel.
   Thin on purpose: scales, axes, drawing and the drag selection are uPlot's. This file adds what a
   report needs on top: one legend per chart (a run's entry toggles it in every panel), the x zoom
   shared by the panels of a chart, a hover that names the nearest logged point, smoothing bands,
   the run filter, and building charts only when their section is open and on screen.
   Text from logs only ever reaches the page through textContent. */
(function () {
  "use strict";
  var doc = document;
  var HOVER_RADIUS = 24;        // px: a point further than this from the pointer is not "hovered"
  var PANEL_HEIGHT = 300;
  var charts = {};              // section id -> chart state (built charts only)
  var filterTerms = [];

  function el(tag, cls, text) {
    var node = doc.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function jsonOf(id) { return JSON.parse(doc.getElementById(id).textContent); }

  // Tick labels: one style per axis, scientific when the largest tick is huge or tiny.
  function fmtTicks(u, ticks) {
    var top = 0;
    ticks.forEach(function (v) { if (v != null) top = Math.max(top, Math.abs(v)); });
    var sci = top >= 1e5 || (top > 0 && top < 1e-3);
    return ticks.map(function (v) {
      if (v == null) return "";
      if (!sci || v === 0) return String(Number(v.toPrecision(6)));
      return Number(v.toPrecision(4)).toExponential().replace("e+", "e");
    });
  }

  function fmtSmooth(v) { return v == null ? "\u2013" : String(Number(v.toPrecision(6))); }
  // A logged value exactly (the shortest digits that read back); from a million on with an
  // exponent, which String() writes only from 1e21: 9.792887e+20, not 979288700000000000000.
  function fmtExact(v) { return Math.abs(v) >= 1e6 ? v.toExponential() : String(v); }

  // Percent panels (pct = the value of 100 %): ticks read "35%", as in the static figure.
  function fmtPercentTicks(pct) {
    return function (u, ticks) {
      return ticks.map(function (v) {
        return v == null ? "" : String(Number((v * 100 / pct).toPrecision(6))) + "%";
      });
    };
  }

  function fmtY(panel, v) {
    if (!panel.pct) return fmtExact(v);
    return fmtExact(v) + " (" + Number((v * 100 / panel.pct).toPrecision(4)) + "%)";
  }

  // First index i with xs[i] >= v (xs ascending).
  function lowerBound(xs, v) {
    var lo = 0, hi = xs.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (xs[mid] < v) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // The smoothed curve at x, linear between its points; null outside it or across a gap.
  function smoothAt(curve, x) {
    var sx = curve.sx, sy = curve.sy, i = lowerBound(sx, x);
    if (i < sx.length && sx[i] === x) return sy[i];
    if (i === 0 || i === sx.length || sy[i - 1] == null || sy[i] == null) return null;
    var t = (x - sx[i - 1]) / (sx[i] - sx[i - 1]);
    return sy[i - 1] + t * (sy[i] - sy[i - 1]);
  }

  function extent(arrays, pad) {
    var lo = Infinity, hi = -Infinity;
    arrays.forEach(function (values) {
      for (var i = 0; i < values.length; i++) {
        var v = values[i];
        if (v != null) { if (v < lo) lo = v; if (v > hi) hi = v; }
      }
    });
    if (lo === Infinity) return [0, 1];
    if (lo === hi) { var d = lo === 0 ? 1 : Math.abs(lo) * 0.05; return [lo - d, hi + d]; }
    var p = (hi - lo) * pad;
    return [lo - p, hi + p];
  }

  function visible(state, run) { return !state.hidden[run] && !state.filtered[run]; }

  function runMatches(run) {
    var name = run.toLowerCase();
    return filterTerms.every(function (t) { return name.indexOf(t) !== -1; });
  }

  // Smoothing bands under the series: filled between band_low and band_high.
  function drawBands(state, panel) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox;
      ctx.save();
      ctx.beginPath();
      ctx.rect(b.left, b.top, b.width, b.height);
      ctx.clip();
      panel.curves.forEach(function (c) {
        if (!c.lo || !visible(state, c.run)) return;
        ctx.beginPath();
        var i, started = false;
        for (i = 0; i < c.sx.length; i++) {
          if (c.hi[i] == null) continue;
          var px = u.valToPos(c.sx[i], "x", true), py = u.valToPos(c.hi[i], "y", true);
          if (started) ctx.lineTo(px, py); else { ctx.moveTo(px, py); started = true; }
        }
        for (i = c.sx.length - 1; i >= 0; i--) {
          if (c.lo[i] == null) continue;
          ctx.lineTo(u.valToPos(c.sx[i], "x", true), u.valToPos(c.lo[i], "y", true));
        }
        ctx.globalAlpha = 0.2;
        ctx.fillStyle = c.lc;
        ctx.fill();
      });
      ctx.restore();
    };
  }

  // The panels of one chart share the x range: a zoom in one sets it in the others.
  function shareZoom(state) {
    return function (u, key) {
      if (key !== "x" || state.syncing) return;
      state.syncing = true;
      state.plots.forEach(function (other) {
        if (other !== u) other.setScale("x", { min: u.scales.x.min, max: u.scales.x.max });
      });
      state.syncing = false;
    };
  }

  // Which points to draw (uPlot's point drawing in mode 2 takes an explicit list): those in the
  // current x range, the rest are clipped away anyway.
  function inView(u, si) {
    var xs = u.data[si][0], out = [];
    for (var i = lowerBound(xs, u.scales.x.min); i < xs.length && xs[i] <= u.scales.x.max; i++) out.push(i);
    return out;
  }

  function panelOptions(state, panel, width) {
    var yRange = extent([].concat.apply([], panel.curves.map(function (c) {
      return c.lo ? [c.y, c.sy, c.lo, c.hi] : [c.y, c.sy];
    })), 0.05);
    var series = [{}];
    panel.curves.forEach(function (c) {
      series.push({ label: c.run, stroke: c.pc, paths: function () { return null; }, alpha: 0.7,
                    points: { show: true, size: 5, width: 0, fill: c.pc, stroke: c.pc, filter: inView } });
      series.push({ label: c.run + " (smoothed)", stroke: c.lc, width: 2, paths: uPlot.paths.linear(),
                    points: { show: false } });
    });
    return {
      mode: 2, width: width, height: PANEL_HEIGHT, title: panel.title, series: series,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: true }, points: { show: false } },
      scales: {
        // Auto-ranging (first draw, double-click) gives the whole chart's x range in every panel.
        x: { time: false, range: function () { return state.xRange.slice(); } },
        y: { range: function () { return yRange.slice(); } }
      },
      axes: [
        { label: state.data.x_label, values: fmtTicks },
        { label: panel.y_label, size: 60, values: panel.pct ? fmtPercentTicks(panel.pct) : fmtTicks }
      ],
      hooks: { setScale: [shareZoom(state)], drawAxes: [drawBands(state, panel)] }
    };
  }

  function nearestPoint(state, panel, u) {
    var left = u.cursor.left, top = u.cursor.top;
    if (left == null || left < 0) return null;
    var x0 = u.posToVal(left - HOVER_RADIUS, "x"), x1 = u.posToVal(left + HOVER_RADIUS, "x");
    var best = null, bestD = HOVER_RADIUS * HOVER_RADIUS;
    panel.curves.forEach(function (c) {
      if (!visible(state, c.run)) return;
      for (var i = lowerBound(c.x, x0); i < c.x.length && c.x[i] <= x1; i++) {
        var dx = u.valToPos(c.x[i], "x") - left, dy = u.valToPos(c.y[i], "y") - top;
        var d = dx * dx + dy * dy;
        if (d <= bestD) { bestD = d; best = { curve: c, i: i }; }
      }
    });
    return best;
  }

  function attachHover(state, panel, u, holder) {
    var tip = el("div", "rl-tip"), ring = el("div", "rl-ring");
    tip.hidden = ring.hidden = true;
    holder.appendChild(tip);
    holder.appendChild(ring);
    u.hooks.setCursor = [function () {
      var hit = nearestPoint(state, panel, u);
      if (!hit) { tip.hidden = ring.hidden = true; return; }
      var c = hit.curve, x = c.x[hit.i], y = c.y[hit.i];
      tip.textContent = "";
      var head = tip.appendChild(el("div", "rl-tip-run"));
      head.appendChild(el("span", "swatch")).style.background = c.pc;
      head.appendChild(el("span", "name", c.run));
      tip.appendChild(el("div", "rl-tip-x", state.data.x_label + " = " + fmtExact(x)));
      tip.appendChild(el("div", "rl-tip-y", panel.y_label + " = " + fmtY(panel, y)));
      tip.appendChild(el("div", "rl-tip-smooth", "smoothed = " + fmtSmooth(smoothAt(c, x))));
      var ox = u.over.offsetLeft, oy = u.over.offsetTop;
      var px = ox + u.valToPos(x, "x"), py = oy + u.valToPos(y, "y");
      ring.style.left = px + "px"; ring.style.top = py + "px"; ring.style.borderColor = c.pc;
      tip.hidden = ring.hidden = false;
      var flip = px + 16 + tip.offsetWidth > holder.clientWidth;
      tip.style.left = (flip ? px - 16 - tip.offsetWidth : px + 16) + "px";
      tip.style.top = Math.max(0, py - tip.offsetHeight - 8) + "px";
    }];
  }

  function applyVisibility(state) {
    state.plots.forEach(function (u, p) {
      u.batch(function () {
        state.plotPanels[p].curves.forEach(function (c, i) {
          var show = visible(state, c.run);
          if (u.series[1 + 2 * i].show !== show) {
            u.setSeries(1 + 2 * i, { show: show });
            u.setSeries(2 + 2 * i, { show: show });
          }
        });
      });
      u.redraw(false, false);  // the bands are drawn by a hook, so redraw even if no series changed
    });
    state.legendItems.forEach(function (item) {
      item.button.setAttribute("aria-pressed", String(!state.hidden[item.run]));
      item.button.classList.toggle("filtered", !!state.filtered[item.run]);
    });
  }

  function makeLegend(state) {
    var legend = el("div", "rl-legend");
    state.legendItems = state.data.runs.map(function (run) {
      var curve = null;
      state.data.panels.forEach(function (p) { p.curves.forEach(function (c) { if (c.run === run) curve = curve || c; }); });
      var button = el("button", "rl-run");
      button.type = "button";
      button.title = "Click to hide or show this run";
      button.appendChild(el("span", "swatch")).style.background = curve ? curve.pc : "#888";
      button.appendChild(el("span", "name", run));
      button.addEventListener("click", function () {
        state.hidden[run] = !state.hidden[run];
        applyVisibility(state);
      });
      legend.appendChild(button);
      return { run: run, button: button };
    });
    return legend;
  }

  function panelWidth(live, n) {
    var total = live.clientWidth || 900;
    return Math.max(280, Math.floor((total - 12 * (n - 1)) / n));
  }

  function buildChart(sid) {
    if (charts[sid]) return charts[sid];
    var figure = doc.querySelector('figure.chart[data-section="' + sid + '"]');
    var live = figure.querySelector(".live");
    var data = jsonOf("rl-data-" + sid);
    var state = { sid: sid, data: data, plots: [], plotPanels: [], hidden: {}, filtered: {}, syncing: false };
    state.xRange = extent([].concat.apply([], data.panels.map(function (p) {
      return [].concat.apply([], p.curves.map(function (c) { return [c.x, c.sx]; }));
    })), 0.02);
    data.runs.forEach(function (run) { state.filtered[run] = !runMatches(run); });
    live.appendChild(makeLegend(state));
    var row = live.appendChild(el("div", "rl-panels"));
    var width = panelWidth(live, data.panels.length);
    data.panels.forEach(function (panel) {
      var holder = row.appendChild(el("div", "rl-panel"));
      if (!panel.curves.length) {  // uPlot needs a series; say what is missing instead
        holder.appendChild(el("p", "rl-empty", panel.title + ": no data")).style.width = width + "px";
        return;
      }
      var plotData = [null];
      panel.curves.forEach(function (c) { plotData.push([c.x, c.y], [c.sx, c.sy]); });
      var u = new uPlot(panelOptions(state, panel, width), plotData, holder);
      state.plots.push(u);
      state.plotPanels.push(panel);
      attachHover(state, panel, u, holder);
    });
    charts[sid] = state;
    applyVisibility(state);
    figure.classList.add("built");
    return state;
  }

  function applyFilter(sections, input, counter) {
    filterTerms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0, total = 0;
    sections.forEach(function (s) {
      var matching = s.runs.filter(runMatches).length;
      shown += matching;
      total += s.runs.length;
      doc.getElementById(s.id).hidden = matching === 0;
      var state = charts[s.id];
      if (!state) return;  // built later, with the filter as it is then
      var changed = false;
      s.runs.forEach(function (run) {
        var out = !runMatches(run);
        if (state.filtered[run] !== out) { state.filtered[run] = out; changed = true; }
      });
      // A hidden section is not redrawn now but when it shows again.
      if (matching === 0) state.stale = state.stale || changed;
      else if (changed || state.stale) { state.stale = false; applyVisibility(state); }
    });
    counter.textContent = filterTerms.length ? shown + " of " + total + " runs" : total + " runs";
  }

  function resizeAll() {
    Object.keys(charts).forEach(function (sid) {
      var state = charts[sid], live = doc.querySelector('figure.chart[data-section="' + sid + '"] .live');
      if (!live.clientWidth) return;
      var width = panelWidth(live, state.plots.length);
      state.plots.forEach(function (u) { u.setSize({ width: width, height: PANEL_HEIGHT }); });
    });
  }

  function start() {
    var index = jsonOf("rl-index");
    var firstReport = true;
    function ready() {
      if (!firstReport) return;
      firstReport = false;
      performance.mark("rlplot-interactive");
      doc.documentElement.setAttribute("data-rl-ready", "1");
    }
    // A chart is built when its section is open and it comes near the screen.
    var observer = new IntersectionObserver(function (entries) {
      try {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          buildChart(entry.target.getAttribute("data-section"));
        });
      } finally {
        ready();  // one chart that fails (and says so on the console) must not hold up the page
      }
    }, { rootMargin: "400px 0px" });
    var pending = 0;
    index.sections.forEach(function (s) {
      var section = doc.getElementById(s.id);
      var figure = section.querySelector("figure.chart");
      if (section.open) { observer.observe(figure); pending++; }
      section.addEventListener("toggle", function () {
        if (section.open && !charts[s.id]) observer.observe(figure);
      });
    });
    if (!pending) ready();

    var input = doc.getElementById("rl-filter"), counter = doc.getElementById("rl-filter-count");
    input.addEventListener("input", function () { applyFilter(index.sections, input, counter); });
    function setOpen(open) {
      index.sections.forEach(function (s) {
        var section = doc.getElementById(s.id);
        if (!section.hidden) section.open = open;
      });
    }
    doc.getElementById("rl-expand").addEventListener("click", function () { setOpen(true); });
    doc.getElementById("rl-collapse").addEventListener("click", function () { setOpen(false); });
    doc.getElementById("rl-toolbar").hidden = false;
    // Printing shows the static figures: open every section so that all of them print.
    window.addEventListener("beforeprint", function () {
      index.sections.forEach(function (s) { doc.getElementById(s.id).open = true; });
    });
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(resizeAll, 150);
    });
  }

  // For tests and the browser console: the built charts and a way to build one.
  window.rlplotReport = {
    charts: charts,
    build: buildChart,
    xRanges: function (sid) {
      return charts[sid] ? charts[sid].plots.map(function (u) { return [u.scales.x.min, u.scales.x.max]; }) : null;
    },
    shown: function (sid, run) { return charts[sid] ? visible(charts[sid], run) : null; }
  };
  start();
})();
