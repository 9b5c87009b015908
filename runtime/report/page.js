// Draws a clusterscript report from the JSON in #report-data. No network,
// no libraries: SVG and DOM only. Sizes are kept bounded for big worlds:
// lanes collapse, graphs and the transcript are paged.
(function () {
  "use strict";
  var timings = { start: performance.now() };
  var R = JSON.parse(document.getElementById("report-data").textContent);
  timings.parsed = performance.now();
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function titled(e, text) { e.appendChild(sv("title", {}, text)); return e; }
  function section(id) { return document.getElementById(id); }
  function pad(n, w) { var s = String(n); while (s.length < w) s = "0" + s; return s; }
  var epoch = Date.UTC(2004, 0, 5, 8, 0, 0);
  function clock(ms) {
    var d = new Date(epoch + ms);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2) + " " +
      pad(d.getUTCHours(), 2) + ":" + pad(d.getUTCMinutes(), 2) + ":" + pad(d.getUTCSeconds(), 2) + "." + pad(d.getUTCMilliseconds(), 3);
  }

  // ---- Timeline ----
  // The axis is stretched to the width of the window when it is narrower.
  var axis = R.axis;
  (function () {
    var room = Math.max(600, (document.documentElement.clientWidth || 1200) - 250);
    if (axis.width >= room) return;
    var k = room / axis.width;
    axis = { at: axis.at, label: axis.label, width: room,
      x: axis.x.map(function (x) { return x * k; }),
      gaps: axis.gaps.map(function (g) { return { x0: g.x0 * k, x1: g.x1 * k, label: g.label }; }) };
  })();
  // A span that lasts to the end of the run is drawn to the end of the axis.
  function xEnd(at) { return at >= R.to ? axis.width - 4 : xOf(at); }
  function xOf(at) {
    var a = axis.at, lo = 0, hi = a.length - 1;
    if (at <= a[0]) return axis.x[0];
    if (at >= a[hi]) return axis.x[hi];
    while (lo < hi) { var m = (lo + hi + 1) >> 1; if (a[m] <= at) lo = m; else hi = m - 1; }
    if (a[lo] === at || lo + 1 >= a.length) return axis.x[lo];
    var f = (at - a[lo]) / (a[lo + 1] - a[lo]);
    return axis.x[lo] + f * (axis.x[lo + 1] - axis.x[lo]);
  }
  var LANE = 30, SUB = 16, AXIS = 36, RUNROW = 26, CLUSTERROW = 20, LABELW = 190;
  var manyGroups = 0;
  R.lanes.forEach(function (l) { manyGroups += distinctGroups(l).length; });
  var expanded = R.lanes.map(function () { return manyGroups <= 40 && R.lanes.length <= 16; });

  function distinctGroups(l) {
    if (l._groups) return l._groups;
    var seen = {}, out = [];
    l.groups.slice().sort(function (a, b) { return a.from - b.from; })
      .forEach(function (g) { if (!(g.group in seen)) { seen[g.group] = out.length; out.push(g.group); } });
    l._groups = out; l._row = seen;
    return out;
  }
  function countSteps(l) {
    if (l._steps) return l._steps;
    var d = [];
    l.groups.forEach(function (g) { d.push([g.from, 1]); if (!g.open) d.push([g.to, -1]); });
    d.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var n = 0, steps = [];
    d.forEach(function (p) { n += p[1]; if (steps.length && steps[steps.length - 1][0] === p[0]) steps[steps.length - 1][1] = n; else steps.push([p[0], n]); });
    l._steps = steps;
    return steps;
  }
  var maxOwned = 1;
  R.lanes.forEach(function (l) { countSteps(l).forEach(function (s) { if (s[1] > maxOwned) maxOwned = s[1]; }); });

  function drawTimeline() {
    var box = section("timeline").querySelector(".tl");
    box.textContent = "";
    var rows = [], y = AXIS + RUNROW, lastCluster = null;
    R.lanes.forEach(function (l, i) {
      if (l.cluster !== lastCluster) { rows.push({ cluster: l.cluster, y: y }); y += CLUSTERROW; lastCluster = l.cluster; }
      var h = LANE + (expanded[i] ? distinctGroups(l).length * SUB : 0);
      rows.push({ lane: i, y: y, h: h });
      y += h;
    });
    var height = y + 8, width = axis.width;
    var labels = sv("svg", { "class": "labels", width: LABELW, height: height });
    var plot = sv("svg", { "class": "plot", width: width, height: height });
    var defs = sv("defs", {});
    var hatch = sv("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
    hatch.appendChild(sv("rect", { width: 6, height: 6, fill: "#f2f4f7" }));
    hatch.appendChild(sv("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#d0d5dd", "stroke-width": 2 }));
    defs.appendChild(hatch);
    ["failover", "failback"].forEach(function (k) {
      var m = sv("marker", { id: "head-" + k, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
      m.appendChild(sv("path", { d: "M0,0 L10,5 L0,10 z", fill: k === "failback" ? "#0e9384" : "#6941c6" }));
      defs.appendChild(m);
    });
    plot.appendChild(defs);
    // idle gaps, across the whole height
    axis.gaps.forEach(function (g) {
      plot.appendChild(titled(sv("rect", { "class": "gapband", x: g.x0 + 3, y: 0, width: g.x1 - g.x0 - 6, height: height }), g.label));
      plot.appendChild(sv("text", { "class": "gap", x: (g.x0 + g.x1) / 2, y: 12, "text-anchor": "middle" }, g.label.replace("idle ", "")));
    });
    // axis labels where there is room
    var lastX = -1e9;
    axis.x.forEach(function (x, i) {
      plot.appendChild(sv("line", { x1: x, y1: AXIS - 6, x2: x, y2: AXIS, stroke: "#98a2b3" }));
      if (x - lastX >= 58) { plot.appendChild(sv("text", { "class": "axis", x: x, y: AXIS - 10, "text-anchor": "middle" }, axis.label[i])); lastX = x; }
    });
    labels.appendChild(sv("text", { "class": "sub", x: 6, y: AXIS - 10 }, "virtual time →"));
    labels.appendChild(sv("text", { "class": "node", x: 6, y: AXIS + 17 }, "run"));
    plot.appendChild(sv("line", { x1: 0, y1: AXIS + RUNROW - 1, x2: width, y2: AXIS + RUNROW - 1, stroke: "#eaecf0" }));
    var laneY = {};
    rows.forEach(function (r) {
      if (r.cluster !== undefined) {
        labels.appendChild(sv("text", { "class": "sub", x: 6, y: r.y + 14 }, "cluster " + (r.cluster || "?")));
        return;
      }
      var l = R.lanes[r.lane];
      laneY[r.lane] = r.y + LANE / 2;
      var g = sv("g", { "class": "lane" + (expanded[r.lane] ? " expanded" : ""), "data-node": l.node, "data-cluster": l.cluster });
      l.states.forEach(function (s) {
        var x0 = xOf(s.from), x1 = Math.max(s.open ? xEnd(s.to) : xOf(s.to), x0 + 2);
        g.appendChild(titled(sv("rect", { "class": "state-" + s.state, x: x0, y: r.y + 3, width: x1 - x0, height: LANE - 14, rx: 3 }),
          l.node + " " + s.state + " from " + clock(s.from) + " to " + clock(s.to)));
      });
      // the number of groups owned, as a step area in the lane
      var steps = countSteps(l), pts = [], base = r.y + LANE - 3, scale = 9 / maxOwned;
      for (var k = 0; k < steps.length; k++) {
        var x0 = xOf(steps[k][0]), x1 = k + 1 < steps.length ? xOf(steps[k + 1][0]) : (l.to >= R.to ? xEnd(l.to) : xOf(l.to));
        var hgt = steps[k][1] * scale;
        if (hgt > 0 && x1 > x0) pts.push("M" + x0 + "," + base + "V" + (base - hgt) + "H" + x1 + "V" + base + "Z");
      }
      if (pts.length) g.appendChild(titled(sv("path", { "class": "owned-count", d: pts.join("") }), l.node + ": groups owned over time"));
      if (expanded[r.lane]) {
        distinctGroups(l);
        l.groups.forEach(function (o) {
          var gy = r.y + LANE + l._row[o.group] * SUB, x0 = xOf(o.from), x1 = Math.max(o.open ? xEnd(o.to) : xOf(o.to), x0 + 3);
          var bar = sv("g", { "class": "owned-bar", "data-group": o.group });
          bar.appendChild(titled(sv("rect", { "class": "owned", x: x0, y: gy + 2, width: x1 - x0, height: SUB - 4, rx: 2 }),
            o.group + " on " + l.node + " from " + clock(o.from) + " to " + clock(o.to)));
          if (x1 - x0 > 40) bar.appendChild(sv("text", { x: x0 + 4, y: gy + SUB - 4, fill: "#fff", style: "fill:#fff;font-size:10px" }, o.group));
          g.appendChild(bar);
        });
      }
      plot.appendChild(g);
      var lab = sv("g", { "class": "lane-label", "data-lane": r.lane, tabindex: 0 });
      var owned = l.groups.filter(function (o) { return o.open; }).length;
      lab.appendChild(sv("text", { "class": "node", x: 18, y: r.y + 19 }, l.node));
      lab.appendChild(sv("text", { "class": "sub", x: 100, y: r.y + 19 }, owned + (owned === 1 ? " group" : " groups")));
      lab.appendChild(sv("text", { "class": "sub", x: 5, y: r.y + 19 }, expanded[r.lane] ? "▾" : "▸"));
      titled(lab, (expanded[r.lane] ? "collapse " : "expand ") + l.node + ": " + distinctGroups(l).length + " groups owned during the run");
      if (expanded[r.lane]) distinctGroups(l).forEach(function (name, k) {
        lab.appendChild(sv("text", { "class": "sub", x: 30, y: r.y + LANE + k * SUB + 12 }, name.length > 26 ? name.slice(0, 25) + "…" : name));
      });
      lab.addEventListener("click", function () { expanded[r.lane] = !expanded[r.lane]; drawTimeline(); });
      labels.appendChild(lab);
      plot.appendChild(sv("line", { x1: 0, y1: r.y + r.h, x2: width, y2: r.y + r.h, stroke: "#f2f4f7" }));
    });
    // marks, over everything
    var runY = AXIS + RUNROW / 2;
    var stack = {};
    R.marks.forEach(function (m) {
      var x = xOf(m.at);
      var y0 = m.lane >= 0 ? laneY[m.lane] : runY;
      var g = sv("g", { "class": "mark " + m.kind, "data-seq": m.seq, "data-lane": m.lane, "data-to": m.to });
      var tip = clock(m.at) + "  " + m.text + (m.reason ? "\nreason: " + m.reason : "");
      if (m.to >= 0 && m.lane >= 0 && m.to !== m.lane) {
        var y1 = laneY[m.to];
        var k = m.kind === "failback" ? "failback" : "failover";
        g.appendChild(sv("line", { x1: x, y1: y0, x2: x, y2: y1 + (y1 > y0 ? -6 : 6), "marker-end": "url(#head-" + k + ")" }));
        g.appendChild(sv("circle", { "class": "dot", cx: x, cy: y0, r: 4 }));
      } else {
        // several marks at one instant on one row are stacked sideways
        var key = (m.lane >= 0 ? m.lane : "run") + "@" + x;
        var n = stack[key] = (stack[key] || 0) + 1;
        var cx = x + (n - 1) * 5;
        if (m.kind === "check") g.appendChild(sv("path", { "class": "dot", d: "M" + (cx - 5) + "," + y0 + "l5,-5l5,5l-5,5z" }));
        else if (m.kind === "failure") g.appendChild(sv("path", { "class": "dot", d: "M" + (cx - 6) + "," + (y0 - 6) + "l12,12m0,-12l-12,12", style: "stroke:#b42318;stroke-width:3" }));
        else g.appendChild(sv("circle", { "class": "dot", cx: cx, cy: y0, r: 5 }));
      }
      titled(g, tip);
      g.addEventListener("click", function () { showEvent(m.seq); });
      plot.appendChild(g);
    });
    box.appendChild(labels);
    box.appendChild(plot);
  }

  function timelineControls() {
    var s = section("timeline");
    var c = s.querySelector(".controls");
    var all = el("button", { type: "button", id: "expand-all" }, "Expand all lanes");
    var none = el("button", { type: "button", id: "collapse-all" }, "Collapse all lanes");
    all.onclick = function () { expanded = expanded.map(function () { return true; }); drawTimeline(); };
    none.onclick = function () { expanded = expanded.map(function () { return false; }); drawTimeline(); };
    c.appendChild(all); c.appendChild(none);
    c.appendChild(el("span", { "class": "sub" }, R.lanes.length + " node lanes · " + R.marks.length + " marks · click a lane's name to open it, a mark to find its event"));
    var legend = s.querySelector(".legend");
    [["state-Up", "Up"], ["state-Down", "Down"], ["state-Paused", "Paused"], ["state-Joining", "Joining"], ["owned-count", "groups owned"]].forEach(function (p) {
      var sp = el("span", {}); var svg = sv("svg", { width: 14, height: 12 });
      svg.appendChild(sv("rect", { "class": p[0], width: 14, height: 12, rx: 2 })); sp.appendChild(svg); sp.appendChild(document.createTextNode(" " + p[1])); legend.appendChild(sp);
    });
    [["failover", "failover (old → new owner)"], ["failback", "failback"], ["move", "move"], ["fault", "fault"], ["recovery", "repair/boot"], ["check", "check"], ["failed", "left Failed / run failed"]].forEach(function (p) {
      var sp = el("span", {}); var svg = sv("svg", { width: 12, height: 12 });
      var g = sv("g", { "class": "mark " + p[0] }); g.appendChild(sv("circle", { "class": "dot", cx: 6, cy: 6, r: 5 })); svg.appendChild(g);
      sp.appendChild(svg); sp.appendChild(document.createTextNode(" " + p[1])); legend.appendChild(sp);
    });
  }

  // ---- Dependency graphs ----
  var graphPage = 0, graphFilter = "", GRAPHS_PER_PAGE = 24;
  function graphList() {
    if (!graphFilter) return R.graphs;
    var f = graphFilter.toLowerCase();
    return R.graphs.filter(function (g) {
      if (g.group.toLowerCase().indexOf(f) >= 0 || (g.owner || "").toLowerCase().indexOf(f) >= 0) return true;
      return g.nodes.some(function (n) { return n.name.toLowerCase().indexOf(f) >= 0; });
    });
  }
  function drawGraph(g) {
    var card = el("div", { "class": "graph", "data-group": g.group });
    var h = el("h3", {}, g.group + " ");
    h.appendChild(el("span", { "class": "sub" }, g.state + (g.owner ? " on " + g.owner : "") + " · cluster " + g.cluster));
    card.appendChild(h);
    var svg = sv("svg", { width: g.width, height: Math.max(g.height, 20), "class": "depgraph" });
    var defs = sv("defs", {});
    var m = sv("marker", { id: "dep-head", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto" });
    m.appendChild(sv("path", { d: "M0,0 L10,5 L0,10 z", fill: "#667085" }));
    defs.appendChild(m); svg.appendChild(defs);
    g.edges.forEach(function (e) {
      var a = g.nodes[e[0]], b = g.nodes[e[1]];
      var x1 = a.x + a.w / 2, y1 = a.y + 36, x2 = b.x + b.w / 2, y2 = b.y;
      if (b.y <= a.y) { y1 = a.y; y2 = b.y + 36; }
      var my = (y1 + y2) / 2;
      svg.appendChild(titled(sv("path", { "class": "dep", d: "M" + x1 + "," + y1 + " C" + x1 + "," + my + " " + x2 + "," + my + " " + x2 + "," + y2, "marker-end": "url(#dep-head)" }),
        a.name + " depends on " + b.name));
    });
    g.nodes.forEach(function (n) {
      var r = sv("g", { "class": "res " + n.state.replace(/ /g, "-"), "data-state": n.state });
      r.appendChild(sv("rect", { x: n.x, y: n.y, width: n.w, height: 36, rx: 5 }));
      var max = Math.floor((n.w - 10) / 6.2);
      var name = n.name.length > max ? n.name.slice(0, max - 1) + "…" : n.name;
      var type = n.type.length > max + 2 ? n.type.slice(0, max + 1) + "…" : n.type;
      r.appendChild(sv("text", { x: n.x + n.w / 2, y: n.y + 15, "text-anchor": "middle" }, name));
      r.appendChild(sv("text", { "class": "type", x: n.x + n.w / 2, y: n.y + 29, "text-anchor": "middle" }, type));
      titled(r, n.name + " (" + n.type + "): " + n.state);
      svg.appendChild(r);
    });
    if (!g.nodes.length) svg.appendChild(sv("text", { "class": "sub", x: 8, y: 14 }, "no resources"));
    card.appendChild(svg);
    return card;
  }
  function drawGraphs() {
    var s = section("groups"), box = s.querySelector(".graphs"), pager = s.querySelector(".pager");
    var list = graphList(), pages = Math.max(1, Math.ceil(list.length / GRAPHS_PER_PAGE));
    graphPage = Math.min(graphPage, pages - 1);
    box.textContent = "";
    list.slice(graphPage * GRAPHS_PER_PAGE, (graphPage + 1) * GRAPHS_PER_PAGE).forEach(function (g) { box.appendChild(drawGraph(g)); });
    pagerTo(pager, graphPage, pages, list.length + " of " + R.graphs.length + " groups", function (p) { graphPage = p; drawGraphs(); });
  }
  function graphControls() {
    var c = section("groups").querySelector(".controls");
    var input = el("input", { type: "search", id: "graph-filter", placeholder: "group, node or resource" });
    var t;
    input.addEventListener("input", function () { clearTimeout(t); t = setTimeout(function () { graphFilter = input.value; graphPage = 0; drawGraphs(); }, 120); });
    var lab = el("label", {}, "Show groups matching "); lab.appendChild(input); c.appendChild(lab);
    c.appendChild(el("span", { "class": "sub" }, "boxes: a resource, filled by its final state; an arrow points from a resource to one it depends on"));
  }

  function pagerTo(box, page, pages, what, go) {
    box.textContent = "";
    var prev = el("button", { type: "button", "class": "prev" }, "‹ previous"), next = el("button", { type: "button", "class": "next" }, "next ›");
    prev.disabled = page <= 0; next.disabled = page >= pages - 1;
    prev.onclick = function () { go(page - 1); }; next.onclick = function () { go(page + 1); };
    box.appendChild(prev); box.appendChild(el("span", { "class": "page" }, "page " + (page + 1) + " of " + pages + " · " + what)); box.appendChild(next);
  }

  // ---- NLB ----
  var hostColours = ["#5b8def", "#f79009", "#12b76a", "#9e77ed", "#ee46bc", "#0ba5ec", "#f04438", "#84adff", "#66c61c", "#fdb022"];
  function drawNLB() {
    var box = section("nlb");
    if (!box) return;
    box = box.querySelector(".nlb");
    R.nlb.forEach(function (c) {
      box.appendChild(el("h3", {}, "NLB cluster " + c.name));
      var legend = el("div", { "class": "legend" });
      c.hosts.forEach(function (h, i) {
        var sp = el("span", {}); var svg = sv("svg", { width: 14, height: 12 });
        svg.appendChild(sv("rect", { width: 14, height: 12, rx: 2, fill: hostColours[i % hostColours.length] })); sp.appendChild(svg);
        sp.appendChild(document.createTextNode(" " + h)); legend.appendChild(sp);
      });
      box.appendChild(legend);
      if (!c.rules.length) box.appendChild(el("p", { "class": "sub" }, "no port rules"));
      c.rules.forEach(function (r) {
        var d = el("div", { "class": "nlb-rule", "data-rule": r.rule });
        d.appendChild(el("div", {}, "rule " + r.rule + (r.filtering ? " · " + r.filtering + " host" + (r.filtering === "multiple" ? "s" : "") : "")));
        r.shares.forEach(function (s) {
          var row = el("div", { "class": "row share" });
          row.appendChild(el("span", { "class": "when" }, clock(s.at).slice(0, 19)));
          var bar = el("div", { "class": "bar", title: s.text });
          s.counts.forEach(function (n, i) {
            if (n > 0) bar.appendChild(el("span", { style: "width:" + (n / 60 * 100) + "%;background:" + hostColours[i % hostColours.length], title: c.hosts[i] + ": " + n + " buckets" }));
          });
          row.appendChild(bar);
          row.appendChild(el("span", { "class": "sub" }, s.counts.map(function (n, i) { return n ? c.hosts[i] + " " + n : ""; }).filter(Boolean).join(", ") || "no host"));
          d.appendChild(row);
        });
        if (r.final) {
          d.appendChild(el("div", { "class": "sub" }, "final map of the 60 buckets"));
          var grid = el("div", { "class": "buckets" });
          r.final.forEach(function (h, b) {
            grid.appendChild(el("span", { style: "background:" + (h >= 0 ? hostColours[h % hostColours.length] : "#f2f4f7"), title: "bucket " + b + ": " + (h >= 0 ? c.hosts[h] : "no host") }, String(b)));
          });
          d.appendChild(grid);
        }
        box.appendChild(d);
      });
    });
  }

  // ---- Transcript ----
  var T = R.transcript, PAGE = 200, tPage = 0, shown = null, hit = -1;
  var kindOn = T.kinds.map(function () { return true; });
  var subjectF = "", textF = "";
  function filterEvents() {
    var out = [], s = subjectF.toLowerCase(), t = textF.toLowerCase();
    for (var i = 0; i < T.seq.length; i++) {
      if (!kindOn[T.kind[i]]) continue;
      if (s) { var sub = T.subject[i] >= 0 ? T.subjects[T.subject[i]].toLowerCase() : ""; if (sub.indexOf(s) < 0) continue; }
      if (t && T.text[i].toLowerCase().indexOf(t) < 0) continue;
      out.push(i);
    }
    shown = out;
  }
  function drawTranscript() {
    var s = section("transcript"), body = s.querySelector("tbody");
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    tPage = Math.max(0, Math.min(tPage, pages - 1));
    body.textContent = "";
    var frag = document.createDocumentFragment();
    shown.slice(tPage * PAGE, (tPage + 1) * PAGE).forEach(function (i) {
      var tr = el("tr", { "class": "kind-" + T.kinds[T.kind[i]] + (i === hit ? " hit" : ""), id: "ev-" + T.seq[i] });
      tr.appendChild(el("td", {}, String(T.seq[i])));
      tr.appendChild(el("td", {}, clock(T.at[i])));
      tr.appendChild(el("td", { "class": "kind" }, T.kinds[T.kind[i]]));
      tr.appendChild(el("td", { "class": "subject" }, T.subject[i] >= 0 ? T.subjects[T.subject[i]] : ""));
      tr.appendChild(el("td", { "class": "text" }, T.text[i]));
      frag.appendChild(tr);
    });
    body.appendChild(frag);
    var what = shown.length + (shown.length === T.seq.length ? " events" : " of " + T.seq.length + " events");
    s.querySelectorAll(".pager").forEach(function (p) { pagerTo(p, tPage, pages, what, function (n) { tPage = n; drawTranscript(); }); });
  }
  function transcriptControls() {
    var c = section("transcript").querySelector(".controls");
    var counts = T.kinds.map(function () { return 0; });
    T.kind.forEach(function (k) { counts[k]++; });
    var kinds = el("span", { "class": "kinds" });
    T.kinds.forEach(function (k, i) {
      var lab = el("label", {}), box = el("input", { type: "checkbox", "data-kind": k });
      box.checked = true;
      box.addEventListener("change", function () { kindOn[i] = box.checked; tPage = 0; filterEvents(); drawTranscript(); });
      lab.appendChild(box); lab.appendChild(document.createTextNode(" " + k + " (" + counts[i] + ") "));
      kinds.appendChild(lab);
    });
    c.appendChild(kinds);
    function field(id, label, set) {
      var input = el("input", { type: "search", id: id }), t;
      input.addEventListener("input", function () { clearTimeout(t); t = setTimeout(function () { set(input.value); tPage = 0; filterEvents(); drawTranscript(); }, 150); });
      var lab = el("label", {}, label + " "); lab.appendChild(input); c.appendChild(lab);
    }
    field("filter-subject", "subject", function (v) { subjectF = v; });
    field("filter-text", "text", function (v) { textF = v; });
  }
  // showEvent opens the transcript at an event, clearing filters that hide it.
  function showEvent(seq) {
    var i = T.seq.indexOf(seq);
    if (i < 0) return;
    if (shown.indexOf(i) < 0) {
      kindOn = kindOn.map(function () { return true; }); subjectF = ""; textF = "";
      section("transcript").querySelectorAll("input").forEach(function (x) { if (x.type === "checkbox") x.checked = true; else x.value = ""; });
      filterEvents();
    }
    hit = i;
    tPage = Math.floor(shown.indexOf(i) / PAGE);
    drawTranscript();
    var row = document.getElementById("ev-" + seq);
    if (row) row.scrollIntoView({ block: "center" });
  }

  // ---- Explore matrix ----
  function drawMatrix() {
    var M = R.matrix;
    if (!M) return;
    var s = section("explore"), box = s.querySelector(".matrix"), cases = s.querySelector(".cases");
    var table = el("table", { "class": "matrix" }), head = el("tr", {});
    head.appendChild(el("th", {}, "point"));
    M.kinds.forEach(function (k) { head.appendChild(el("th", {}, k)); });
    table.appendChild(head);
    M.points.forEach(function (p) {
      var tr = el("tr", {});
      tr.appendChild(el("th", {}, p.point + ". " + p.where));
      p.cells.forEach(function (c, k) {
        var td = el("td", { "class": c.outcome ? "o-" + c.outcome : "" });
        if (c.cases) {
          var a = el("a", { href: "#" + c.anchor, title: c.cases.length + " case(s), worst " + c.outcome }, c.outcome + (c.cases.length > 1 ? " (" + c.cases.length + ")" : ""));
          td.appendChild(a);
        }
        tr.appendChild(td);
      });
      table.appendChild(tr);
    });
    box.appendChild(table);
    box.appendChild(el("p", { "class": "sub" }, "Each cell is the worst outcome of its cases (broken > unavailable > runbook-failed > step-limit > survived); follow it to the cases."));
    M.points.forEach(function (p) {
      p.cells.forEach(function (c, k) {
        if (!c.cases) return;
        var d = el("div", { "class": "cell-cases", id: c.anchor });
        d.appendChild(el("h3", {}, "point " + p.point + " · " + M.kinds[k] + ": " + p.where));
        c.cases.forEach(function (ci) {
          var cs = M.cases[ci], div = el("div", { "class": "case o-" + cs.outcome + "-edge", id: cs.anchor });
          div.appendChild(el("strong", {}, "case " + cs.id + " "));
          div.appendChild(el("code", {}, cs.fault));
          div.appendChild(el("span", {}, " → " + cs.outcome + (cs.reason ? ": " + cs.reason : "")));
          if (cs.replay) { div.appendChild(el("br")); div.appendChild(el("code", { "class": "replay" }, cs.replay)); }
          d.appendChild(div);
        });
        cases.appendChild(d);
      });
    });
  }

  timelineControls();
  drawTimeline();
  timings.timeline = performance.now();
  graphControls();
  drawGraphs();
  drawNLB();
  timings.graphs = performance.now();
  transcriptControls();
  filterEvents();
  drawTranscript();
  timings.transcript = performance.now();
  drawMatrix();
  // For the tests and benchmarks: when the script began and finished each
  // part, in ms since the page was opened.
  window.reportTimings = timings;
  window.reportReady = performance.now();
})();
