/* Adds the visitor's own time beside times shown in an event's zone, and puts the visitor's
   zone in the registration form's hidden "timezone" field.
   Markup (from the `when` template tag):
     <span class="when" data-tz="Europe/Brussels" data-style="full|time"
           data-local-format="Your time: %s"><time datetime="...">…</time>–<time …>…</time></span>
   Nothing changes when the visitor is in a zone with the same wall-clock time, or when the
   browser lacks Intl time zone support: the server's rendering stays correct on its own. */
(function () {
  "use strict";

  var visitorZone;
  try {
    visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!visitorZone || !document.querySelectorAll) {
    return;
  }
  // The registration form sends it, so emails give times in the visitor's zone too.
  Array.prototype.forEach.call(
    document.querySelectorAll('input[type="hidden"][name="timezone"]'),
    function (field) { field.value = visitorZone; }
  );
  var language = document.documentElement.lang || undefined;

  function options(style, zone, withZoneName) {
    var chosen = style === "time"
      ? { hour: "2-digit", minute: "2-digit" }
      : { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
    chosen.timeZone = zone;
    if (withZoneName) {
      chosen.timeZoneName = "short";
    }
    return chosen;
  }

  function render(format, start, end) {
    if (end && typeof format.formatRange === "function") {
      return format.formatRange(start, end);
    }
    return end ? format.format(start) + " – " + format.format(end) : format.format(start);
  }

  var spans = document.querySelectorAll(".when[data-tz]");
  Array.prototype.forEach.call(spans, function (span) {
    var eventZone = span.getAttribute("data-tz");
    if (eventZone === visitorZone) {
      return;
    }
    var times = span.querySelectorAll("time[datetime]");
    if (!times.length) {
      return;
    }
    var start = new Date(times[0].getAttribute("datetime"));
    var end = times.length > 1 ? new Date(times[1].getAttribute("datetime")) : null;
    if (isNaN(start.getTime()) || (end && isNaN(end.getTime()))) {
      return;
    }
    var style = span.getAttribute("data-style") || "full";
    var text;
    try {
      var there = new Intl.DateTimeFormat(language, options(style, eventZone, false));
      var here = new Intl.DateTimeFormat(language, options(style, visitorZone, false));
      if (render(there, start, end) === render(here, start, end)) {
        return; // the same wall-clock time: nothing to add
      }
      text = render(new Intl.DateTimeFormat(language, options(style, visitorZone, true)), start, end);
    } catch (error) {
      return; // an unknown zone in an old browser
    }
    var local = document.createElement("span");
    local.className = "when-local";
    var template = span.getAttribute("data-local-format") || "%s";
    local.textContent = template.replace("%s", text);
    span.appendChild(local);
  });
})();
