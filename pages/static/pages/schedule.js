/* The manage page's session choices: says which ticked sessions overlap in time while the
   attendee ticks them, before saving. The server's conflict check stays the authority (its
   warning shows after saving); this only spares a round trip.
   Markup: <ul data-overlaps> with checkboxes carrying data-start, data-end (ISO 8601) and
   data-title; <div id="overlap-warning" data-message="“%(first)s” and “%(second)s” …"
   data-heading="…" hidden>. */
(function () {
  "use strict";

  var list = document.querySelector("[data-overlaps]");
  var warning = document.getElementById("overlap-warning");
  if (!list || !warning) {
    return;
  }
  var boxes = Array.prototype.slice.call(
    list.querySelectorAll('input[type="checkbox"][data-start][data-end]')
  );

  function span(box) {
    return { box: box, start: Date.parse(box.dataset.start), end: Date.parse(box.dataset.end),
             title: box.dataset.title || "" };
  }

  // Pairs of ticked sessions that overlap, in start order (as registrations.services does).
  function overlaps() {
    var ticked = boxes.filter(function (box) { return box.checked; }).map(span);
    ticked.sort(function (a, b) { return a.start - b.start; });
    var pairs = [];
    for (var i = 0; i < ticked.length; i += 1) {
      for (var j = i + 1; j < ticked.length; j += 1) {
        if (ticked[j].start >= ticked[i].end) {
          break;
        }
        pairs.push([ticked[i], ticked[j]]);
      }
    }
    return pairs;
  }

  function show() {
    var pairs = overlaps();
    boxes.forEach(function (box) { box.closest(".choice").classList.remove("is-overlapping"); });
    while (warning.firstChild) {
      warning.removeChild(warning.firstChild);
    }
    if (!pairs.length) {
      warning.hidden = true;
      return;
    }
    var heading = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = warning.dataset.heading;
    heading.appendChild(strong);
    warning.appendChild(heading);
    var items = document.createElement("ul");
    pairs.forEach(function (pair) {
      var item = document.createElement("li");
      item.textContent = warning.dataset.message
        .replace("%(first)s", pair[0].title).replace("%(second)s", pair[1].title);
      items.appendChild(item);
      pair.forEach(function (one) { one.box.closest(".choice").classList.add("is-overlapping"); });
    });
    warning.appendChild(items);
    warning.hidden = false;
  }

  // Not on load: the page already says what the saved sessions overlap with.
  list.addEventListener("change", show);
})();
