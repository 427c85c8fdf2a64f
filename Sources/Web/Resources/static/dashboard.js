// Live dashboard: replaces the <main> content with each server-rendered snapshot from the event stream.
// The server escapes every value; this script only swaps HTML the server produced.
(function () {
  "use strict";
  var main = document.getElementById("dashboard");
  var live = document.getElementById("live");
  var url = document.body.getAttribute("data-events");
  if (!main || !url || !window.EventSource) { return; }
  function setLive(ok) {
    if (!live) { return; }
    live.classList.toggle("down", !ok);
    live.textContent = live.getAttribute(ok ? "data-live" : "data-reconnecting");
  }
  // EventSource reconnects by itself and sends Last-Event-ID, so the server skips a snapshot we already show.
  var source = new EventSource(url);
  source.addEventListener("snapshot", function (event) {
    main.innerHTML = event.data;
    setLive(true);
  });
  source.addEventListener("open", function () { setLive(true); });
  source.addEventListener("error", function () { setLive(false); });
})();
