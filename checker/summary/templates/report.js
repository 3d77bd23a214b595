// privcheck report: sorting, filtering and click-through, in plain JavaScript with no network.
// It reads everything from the DOM's data attributes and writes only classes and text, never
// markup, so nothing from a policy can become code here.
(function () {
  "use strict";
  var table = document.getElementById("matrix-table");

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) return;
    var own = el.querySelector(":scope > details");  // a policy's own section
    if (own) own.open = true;
    for (var n = el; n; n = n.parentElement) {
      if (n.tagName === "DETAILS") n.open = true;
    }
    el.scrollIntoView({ block: "start" });
    el.classList.add("flash");
    setTimeout(function () { el.classList.remove("flash"); }, 1600);
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Printing (or saving as PDF) shows every finding: open each closed section for the print,
  // and close again afterwards those that were closed.
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details"),
      function (d) { return !d.open; });
    closedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

  // Enter in the filter box must not submit (and reload) the page: no inline handler, which
  // the page's Content-Security-Policy would block.
  var filters = document.getElementById("filters");
  if (filters) filters.addEventListener("submit", function (ev) { ev.preventDefault(); });
  if (!table) return;

  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var fPack = document.getElementById("f-pack");
  var fRule = document.getElementById("f-rule");
  var fStatus = document.getElementById("f-status");
  var fSearch = document.getElementById("f-search");
  var count = document.getElementById("f-count");
  var colCells = table.querySelectorAll("[data-rule]");
  var rank = { "fail": 0, "waived": 1, "pass": 2, "not-applicable": 3, "": 4 };

  function visibleColumn(el) {
    return (!fPack.value || el.getAttribute("data-pack") === fPack.value) &&
      (!fRule.value || el.getAttribute("data-rule") === fRule.value);
  }

  function apply() {
    for (var i = 0; i < colCells.length; i++) {
      colCells[i].classList.toggle("hidden-col", !visibleColumn(colCells[i]));
    }
    var needle = fSearch.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = !needle || row.getAttribute("data-path").toLowerCase().indexOf(needle) >= 0;
      if (ok && fStatus.value) {
        ok = false;
        var cells = row.querySelectorAll("td.cell");
        for (var j = 0; j < cells.length; j++) {
          if (visibleColumn(cells[j]) && cells[j].getAttribute("data-status") === fStatus.value) {
            ok = true;
            break;
          }
        }
      }
      row.classList.toggle("hidden-row", !ok);
      shown += ok ? 1 : 0;
    });
    count.textContent = "Showing " + shown + " of " + rows.length + " policies";
  }

  function sortBy(th) {
    var key = th.getAttribute("data-key");
    var rule = th.getAttribute("data-rule");
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    var ths = table.tHead.rows[0].cells;
    for (var i = 0; i < ths.length; i++) ths[i].setAttribute("aria-sort", "none");
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    function value(row) {
      if (key === "path") return row.getAttribute("data-path");
      if (key === "score") return parseFloat(row.getAttribute("data-score"));
      if (key === "failed") return -parseInt(row.getAttribute("data-failed"), 10);
      var cell = row.querySelector('td[data-rule="' + CSS.escape(rule) + '"]');
      return rank[cell ? cell.getAttribute("data-status") : ""];
    }
    rows.sort(function (a, b) {
      var va = value(a), vb = value(b);
      var c = va < vb ? -1 : va > vb ? 1 : 0;
      if (c === 0) c = parseInt(a.getAttribute("data-index"), 10) - parseInt(b.getAttribute("data-index"), 10);
      return c * dir;
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
  }

  table.tHead.addEventListener("click", function (ev) {
    var th = ev.target.closest("th.sortable");
    if (th) sortBy(th);
  });
  [fPack, fRule, fStatus].forEach(function (el) { el.addEventListener("change", apply); });
  fSearch.addEventListener("input", apply);
  document.getElementById("f-reset").addEventListener("click", function () {
    fPack.value = ""; fRule.value = ""; fStatus.value = ""; fSearch.value = "";
    apply();
  });
  function pickRule(bar) {
    fPack.value = ""; fRule.value = bar.getAttribute("data-rule");
    apply();
    document.getElementById("matrix").scrollIntoView({ block: "start" });
  }
  Array.prototype.forEach.call(document.querySelectorAll("svg.chart .bar"), function (bar) {
    bar.addEventListener("click", function () { pickRule(bar); });
    bar.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pickRule(bar); }
    });
  });
  apply();
})();
