/* The check-in page: scan tickets with the camera (jsQR), answer each scan at once, undo,
   live counts. Without JavaScript the page's forms do the same through the server. */
(function () {
  "use strict";
  var root = document.getElementById("check-in");
  if (!root) { return; }
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var answerBox = document.getElementById("check-in-answer");
  var countLabel = root.querySelector("[data-count=label]");
  var scanner = document.getElementById("scanner");
  var toggle = document.getElementById("camera-toggle");
  var video = document.getElementById("camera");
  var canvas = document.getElementById("camera-frame");
  var stream = null;
  var busy = false;
  var lastCode = "";
  var lastSeenAt = 0;
  // A ticket held in front of the camera is one scan: it counts again only once it has been
  // out of sight this long (so "checked in" does not turn into "already checked in").
  var AWAY_MS = 3000;

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf,
                "Accept": "application/json"},
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () {
        return {result: "error", tone: "danger", message: root.dataset.labelOffline};
      });
    });
  }

  function paragraph(className, text) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function showCounts(counts) {
    if (counts && counts.label) { countLabel.textContent = counts.label; }
  }

  function show(answer) {
    answerBox.replaceChildren();
    answerBox.className = "check-in-answer answer-" + (answer.tone || "danger");
    answerBox.dataset.result = answer.result || "";
    answerBox.appendChild(paragraph("answer-message", answer.message || ""));
    if (answer.organization) { answerBox.appendChild(paragraph("answer-detail", answer.organization)); }
    if (answer.can_undo) {
      answerBox.appendChild(paragraph("answer-detail", root.dataset.labelSessions + " " +
        (answer.sessions && answer.sessions.length ? answer.sessions.join("; ") : root.dataset.labelNone)));
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-secondary";
      button.textContent = root.dataset.labelUndo;
      button.addEventListener("click", function () {
        button.disabled = true;
        post(root.dataset.undoUrl, {registration: answer.registration}).then(show, offline);
      });
      var line = document.createElement("p");
      line.appendChild(button);
      answerBox.appendChild(line);
    }
    answerBox.hidden = false;
    showCounts(answer.counts);
  }

  function offline() {
    show({result: "error", tone: "danger", message: root.dataset.labelOffline});
  }

  function checkIn(body) {
    busy = true;
    return post(root.dataset.scanUrl, body).then(show, offline).then(function () { busy = false; });
  }

  // The typed code and the "check in" buttons of the search answer here, without a reload.
  var codeForm = document.getElementById("code-form");
  codeForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = codeForm.querySelector("input[name=code]");
    checkIn({code: input.value}).then(function () { input.value = ""; input.focus(); });
  });
  root.querySelectorAll("form[data-check-in]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      checkIn({registration: form.querySelector("input[name=registration]").value});
    });
  });

  function scanFrame() {
    if (!stream) { return; }
    if (!busy && video.readyState >= 2 && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d", {willReadFrequently: true});
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
      var now = Date.now();
      if (found && found.data) {
        var again = found.data === lastCode && now - lastSeenAt < AWAY_MS;
        lastCode = found.data;
        lastSeenAt = now;
        if (!again) { checkIn({code: found.data}); }
      }
    }
    window.setTimeout(scanFrame, 150);
  }

  function stopCamera() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    toggle.textContent = root.dataset.labelStart;
  }

  function startCamera() {
    lastCode = "";
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        toggle.textContent = root.dataset.labelStop;
        return video.play();
      })
      .then(scanFrame)
      .catch(function () {
        stopCamera();
        show({result: "camera", tone: "warn", message: root.dataset.labelCameraRefused});
      });
  }

  if (window.jsQR && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    scanner.hidden = false;
    toggle.addEventListener("click", function () { if (stream) { stopCamera(); } else { startCamera(); } });
  }

  // Counts from the other helpers' phones too.
  window.setInterval(function () {
    if (document.hidden) { return; }
    fetch(root.dataset.countsUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(showCounts, function () {});
  }, 5000);
}());
