// The order page's countdown: seconds left until the order expires, from the server's expiresAt.
(function () {
  function tick() {
    var span = document.getElementById('time-left');
    if (!span) { return; }
    var left = Math.max(0, Math.round((Date.parse(span.dataset.expiresAt) - Date.now()) / 1000));
    span.textContent = String(left);
  }
  if (!window.ticketingCountdown) { window.ticketingCountdown = setInterval(tick, 1000); }
  tick();
})();
