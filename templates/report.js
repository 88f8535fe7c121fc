// keyblast HTML report: highlighting, sorting, filtering, and building the details of a large
// page's lower-risk changes when they are opened. Every highlight set was computed
// when the report was written (data-hl: node numbers, data-he: edge numbers), so this only
// switches classes. Sets data-keyblast="ready" on <html> once everything is wired.
(function () {
  'use strict';
  var d = document;
  var root = d.documentElement;
  window.addEventListener('error', function (e) {
    root.setAttribute('data-keyblast-error', String(e.message));
  });
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  var svg = d.getElementById('graph');
  var lit = [];
  var pinned = null;

  function mark(el) {
    if (el) { el.classList.add('hl'); lit.push(el); }
  }
  function numbers(el, name) {
    var v = el.getAttribute(name);
    return v ? v.split(' ') : [];
  }
  // Highlights what `src` (a table row or a graph node) points at; null clears.
  function light(src) {
    each(lit, function (el) { el.classList.remove('hl'); });
    lit = [];
    if (svg) { svg.classList.toggle('focus', !!src); }
    if (!src) { return; }
    numbers(src, 'data-hl').forEach(function (k) { mark(d.getElementById('n' + k)); });
    numbers(src, 'data-he').forEach(function (k) { mark(d.getElementById('e' + k)); });
    var row = src.getAttribute('data-row');
    mark(src.tagName === 'TR' ? src : (row === null ? null : d.getElementById('r' + row)));
  }
  function pin(src) {
    pinned = pinned === src ? null : src;
    light(pinned);
  }
  each(d.querySelectorAll('[data-hl]'), function (el) {
    el.addEventListener('mouseenter', function () { light(el); });
    el.addEventListener('mouseleave', function () { light(pinned); });
    el.addEventListener('click', function (e) {
      if (!e.target.closest('a')) { pin(el); }
    });
    if (el.tagName !== 'TR') {
      el.addEventListener('focus', function () { light(el); });
      el.addEventListener('blur', function () { light(pinned); });
      el.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pin(el); }
      });
    }
  });
  // Large pages keep the details of their lower-risk changes in a data block
  // (src/report/html/lazy.rs): a section's markup, rendered by the report's own template, is
  // put in place when the section is opened.
  var bodies = null;
  function fill(section) {
    var slot = section.querySelector(':scope > .body[data-lazy]');
    if (!slot) { return; }
    if (bodies === null) {
      var data = d.getElementById('kb-details');
      bodies = data ? JSON.parse(data.textContent) : [];
    }
    var html = bodies[Number(slot.getAttribute('data-lazy'))];
    if (typeof html === 'string') { slot.outerHTML = html; }
  }
  d.addEventListener('toggle', function (e) {
    if (e.target.tagName === 'DETAILS' && e.target.open) { fill(e.target); }
  }, true);
  // #c<N> (a change's section) opens it and pins its highlight: a link to share. Opening
  // fills a section built when opened through the toggle event, as a click does.
  function follow() {
    var m = /^#c(\d+)$/.exec(location.hash);
    if (!m) { return; }
    var section = d.getElementById('c' + m[1]);
    if (section) { section.open = true; }
    var row = d.getElementById('r' + m[1]);
    if (row) { pinned = row; light(row); }
  }
  window.addEventListener('hashchange', follow);

  var table = d.getElementById('changes');
  if (table) {
    var body = table.tBodies[0];
    var heads = table.querySelectorAll('th[data-sort]');
    var key = function (row, col, num) {
      var cell = row.cells[col];
      var v = cell.getAttribute('data-v');
      if (v === null) { v = cell.textContent.trim().toLowerCase(); }
      return num ? Number(v) : v;
    };
    each(heads, function (th) {
      th.querySelector('button').addEventListener('click', function () {
        var col = th.cellIndex;
        var num = th.getAttribute('data-sort') === 'num';
        var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
        each(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a, col, num);
          var y = key(b, col, num);
          var c = x < y ? -1 : (x > y ? 1 : 0);
          return c * dir || Number(a.getAttribute('data-i')) - Number(b.getAttribute('data-i'));
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });

    var boxes = d.querySelectorAll('input[name="risk"]');
    var query = d.getElementById('q');
    var shown = d.getElementById('shown');
    var hint = d.getElementById('low-hint');
    var filter = function () {
      var want = {};
      each(boxes, function (b) { want[b.value] = b.checked; });
      var text = query.value.trim().toLowerCase();
      var n = 0;
      each(body.rows, function (r) {
        var ok = want[r.getAttribute('data-risk')] &&
          (!text || r.textContent.toLowerCase().indexOf(text) >= 0);
        r.hidden = !ok;
        if (ok) { n += 1; }
      });
      shown.textContent = n + ' of ' + body.rows.length + ' shown';
      if (hint) { hint.hidden = d.getElementById('show-low').checked; }
    };
    each(boxes, function (b) { b.addEventListener('change', filter); });
    query.addEventListener('input', filter);
    filter();
  }

  // Printing shows everything.
  window.addEventListener('beforeprint', function () {
    each(d.querySelectorAll('details'), function (el) { fill(el); el.open = true; });
    light(null);
  });
  follow();
  // how long after navigation the page became interactive (the browser test bounds it)
  root.setAttribute('data-keyblast-ready-ms', String(Math.round(performance.now())));
  root.setAttribute('data-keyblast', 'ready');
}());
