// Progressive enhancement only: the site reads fully without this script.
(function () {
  "use strict";

  // History strips: one tab stop per strip, arrow keys move between days, and the
  // focused or hovered day shows its figure in a visible tooltip.
  function setupStrip(strip) {
    var days = Array.prototype.slice.call(strip.querySelectorAll("li"));
    if (!days.length) return;
    var tip = document.createElement("div");
    tip.className = "strip-tip";
    tip.hidden = true;
    strip.parentNode.appendChild(tip);
    var current = days.length - 1;

    function show(day) {
      tip.textContent = day.getAttribute("data-tip");
      tip.hidden = false;
      var box = strip.parentNode.getBoundingClientRect();
      var r = day.getBoundingClientRect();
      var left = Math.max(0, Math.min(r.left - box.left - 40, box.width - tip.offsetWidth));
      tip.style.left = left + "px";
    }
    function hide() { tip.hidden = true; }
    function focusDay(i) {
      current = Math.max(0, Math.min(days.length - 1, i));
      days[current].focus();
    }

    strip.addEventListener("keydown", function (e) {
      var onStrip = e.target === strip;
      var i = onStrip ? current : days.indexOf(e.target);
      if (e.key === "ArrowRight") { focusDay(onStrip ? current : i + 1); e.preventDefault(); }
      else if (e.key === "ArrowLeft") { focusDay(onStrip ? current : i - 1); e.preventDefault(); }
      else if (e.key === "Home") { focusDay(0); e.preventDefault(); }
      else if (e.key === "End") { focusDay(days.length - 1); e.preventDefault(); }
      else if (e.key === "Escape") { hide(); strip.focus(); }
    });
    days.forEach(function (day) {
      day.addEventListener("focus", function () { show(day); });
      day.addEventListener("mouseenter", function () { show(day); });
      day.addEventListener("mouseleave", hide);
      day.addEventListener("blur", hide);
    });
  }

  function setupPrint() {
    var buttons = document.querySelectorAll("[data-print]");
    Array.prototype.forEach.call(buttons, function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-strip]"), setupStrip);
    setupPrint();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
