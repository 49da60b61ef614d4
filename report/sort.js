//<![CDATA[
// Sorts the metrics table by the column whose heading is clicked. Without
// script the table keeps the order it was written in, complexity first.
// The CDATA markers (comments to JavaScript) keep the page readable by an
// XML parser, which is how the tests look at its structure.
(function () {
  "use strict";
  var table = document.getElementById("metrics");
  if (!table) {
    return;
  }
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  // Ties keep the order the page was written in.
  var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
    return { row: row, index: index };
  });
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function key(row, column, numeric) {
    var cell = row.cells[column];
    var value = cell.getAttribute("data-sort");
    if (value === null) {
      value = cell.textContent;
    }
    if (!numeric) {
      return value;
    }
    var n = parseFloat(value);
    return isNaN(n) ? -Infinity : n;
  }

  function sortBy(th, column) {
    var numeric = th.getAttribute("data-sort") === "number";
    var current = th.getAttribute("aria-sort");
    // Numbers start with the largest, which is what a designer looks
    // for; names start at A. A second click turns the order round.
    var descending = current ? current === "ascending" : numeric;
    var keyed = rows.map(function (r) {
      return { row: r.row, index: r.index, key: key(r.row, column, numeric) };
    });
    keyed.sort(function (a, b) {
      var c = numeric ? (a.key > b.key) - (b.key > a.key) : collator.compare(a.key, b.key);
      return (descending ? -c : c) || a.index - b.index;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (k) {
      fragment.appendChild(k.row);
    });
    body.appendChild(fragment);
    headers.forEach(function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  headers.forEach(function (th, column) {
    // Buttons only where they work: the page without script has none.
    var button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) {
      button.appendChild(th.firstChild);
    }
    th.appendChild(button);
    button.addEventListener("click", function () {
      sortBy(th, column);
    });
  });
})();
//]]>
