// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Numbers as the page's language writes them (US Spanish groups digits as English does).
  var format = new Intl.NumberFormat(document.documentElement.lang === "es" ? "es-US" : "en-US");

  // The counter's noun in the page's language: the page renders each form, this only
  // picks one ("1 firma", "1,000,000 de firmas", "12,480 firmas").
  function nounFor(root, count) {
    if (count === 1) { return root.getAttribute("data-noun-one"); }
    if (count !== 0 && count % 1000000 === 0) { return root.getAttribute("data-noun-million"); }
    return root.getAttribute("data-noun-other");
  }

  function liveCounter(root) {
    var url = root.getAttribute("data-count-url");
    var seconds = Math.max(2, parseInt(root.getAttribute("data-poll-seconds"), 10) || 4);
    var number = root.querySelector("[data-count]");
    var nounEl = root.querySelector("[data-count-noun]");
    var bar = root.querySelector("[data-progress]");
    var percent = root.querySelector("[data-percent]");
    var announce = root.querySelector("[data-count-announce]");
    var current = parseInt(number.textContent.replace(/[^0-9]/g, ""), 10) || 0;
    var timer = null;
    var failures = 0;

    function render(data) {
      if (typeof data.signatures !== "number" || data.signatures === current) { return; }
      current = data.signatures;
      number.textContent = format.format(current);
      var noun = nounFor(root, current);
      if (nounEl) { nounEl.textContent = noun; }
      if (bar) { bar.value = Math.min(current, data.goal); bar.max = data.goal; }
      if (percent) { percent.textContent = String(Math.min(100, Math.floor(current * 100 / data.goal))); }
      if (announce) { announce.textContent = format.format(current) + " " + noun; }
    }

    function schedule() {
      clearTimeout(timer);
      if (document.hidden) { return; }  // resumes on visibilitychange
      // Back off while the server is struggling; jitter spreads a crowd out.
      var delay = seconds * 1000 * Math.min(8, Math.pow(2, failures)) * (0.85 + Math.random() * 0.3);
      timer = setTimeout(poll, delay);
    }

    function poll() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) { failures = 0; render(data); })
        .catch(function () { failures += 1; })
        .then(schedule);
    }

    document.addEventListener("visibilitychange", function () {
      if (document.hidden) { clearTimeout(timer); } else { poll(); }
    });
    schedule();
  }

  function copyButton(button) {
    var input = document.querySelector(button.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        // Every public page's button says it in its own language; the English
        // fallback is for the organizers' English-only pages.
        button.textContent = button.getAttribute("data-copied") || "Link copied";
      });
    });
  }

  // The phone's own share sheet, where the browser has one; the plain links
  // stay for everyone else, and come back if the share sheet fails.
  function shareBox(box) {
    var button = box.querySelector("[data-share-native]");
    var fallbacks = box.querySelector("[data-share-fallbacks]");
    var data = {
      title: box.getAttribute("data-share-title"),
      text: box.getAttribute("data-share-text"),
      url: box.getAttribute("data-share-url")
    };
    if (!button || typeof navigator.share !== "function") { return; }
    if (typeof navigator.canShare === "function" && !navigator.canShare(data)) { return; }
    button.hidden = false;
    if (fallbacks) { fallbacks.hidden = true; }
    button.addEventListener("click", function () {
      Promise.resolve()
        .then(function () { return navigator.share(data); })
        .catch(function (error) {
          // AbortError: the person closed the sheet; anything else, offer the links.
          if (!error || error.name !== "AbortError") {
            if (fallbacks) { fallbacks.hidden = false; }
          }
        });
    });
  }

  function printButton(button) {
    if (typeof window.print !== "function") { return; }
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-share]"), shareBox);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), printButton);
    Array.prototype.forEach.call(document.querySelectorAll("[data-count-url]"), liveCounter);
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), copyButton);
    var summary = document.querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
  });
})();
