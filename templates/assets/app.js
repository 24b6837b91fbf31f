// Progressive enhancement only: every page reads fully without this script.
// Works under `script-src 'self'`: no eval, no inline handlers, no inline styles
// (positions are set through the CSSOM, which the policy allows).
(function () {
  "use strict";

  // History strips: one tab stop per strip (the last focused day, today at first);
  // arrow keys, Home and End move between days; the focused or hovered day's text is
  // shown next to the strip. Screen readers read each day's own text. A day that links
  // to its SLA report row is its link (Enter follows it); a day without is the item.
  function setupStrip(strip) {
    var days = Array.prototype.slice.call(strip.querySelectorAll("li")).map(function (li) {
      return li.querySelector("a") || li;
    });
    if (!days.length) return;
    var box = strip.parentNode;
    var tip = document.createElement("div");
    tip.className = "strip-tip";
    tip.setAttribute("aria-hidden", "true");
    tip.hidden = true;
    box.appendChild(tip);
    var current = days.length - 1;
    days.forEach(function (day, i) { day.tabIndex = i === current ? 0 : -1; });

    function text(day) {
      return day.getAttribute("data-tip") || day.textContent;
    }
    function show(day) {
      tip.textContent = text(day);
      tip.hidden = false;
      var outer = box.getBoundingClientRect();
      var r = day.getBoundingClientRect();
      var left = r.left - outer.left + r.width / 2 - tip.offsetWidth / 2;
      left = Math.max(0, Math.min(left, outer.width - tip.offsetWidth));
      tip.style.left = Math.round(left) + "px";
      // Above the day's own row (the strip wraps into rows on small screens).
      tip.style.bottom = Math.round(outer.bottom - r.top + 6) + "px";
    }
    function hide() { tip.hidden = true; }
    function move(i) {
      i = Math.max(0, Math.min(days.length - 1, i));
      days[current].tabIndex = -1;
      current = i;
      days[current].tabIndex = 0;
      days[current].focus();
    }

    strip.addEventListener("keydown", function (e) {
      var i = days.indexOf(e.target);
      if (i < 0) return;
      var handled = true;
      if (e.key === "ArrowRight" || e.key === "ArrowDown") move(i + 1);
      else if (e.key === "ArrowLeft" || e.key === "ArrowUp") move(i - 1);
      else if (e.key === "Home") move(0);
      else if (e.key === "End") move(days.length - 1);
      else if (e.key === "Escape") hide();
      else handled = false;
      if (handled) e.preventDefault();
    });
    days.forEach(function (day, i) {
      day.addEventListener("focus", function () {
        if (current !== i) { days[current].tabIndex = -1; current = i; day.tabIndex = 0; }
        show(day);
      });
      day.addEventListener("blur", hide);
      day.addEventListener("mouseenter", function () { show(day); });
      day.addEventListener("mouseleave", function () { if (document.activeElement !== day) hide(); });
      if (day.tagName !== "A") day.addEventListener("click", function () { move(i); });
    });
  }

  function setupPrint() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  }

  // Catalogue search over /search/index.<lang>.json: titles, summaries, categories,
  // tags and headings; every word typed must match, accents ignored.
  function fold(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function setupSearch(form) {
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector(".search-status");
    var list = form.querySelector(".search-results");
    if (!input || !status || !list || !window.fetch) return;
    var kinds = { service: form.getAttribute("data-kind-service"), page: form.getAttribute("data-kind-page") };
    var entries = null, loading = null, timer = 0;

    function load() {
      if (!loading) {
        loading = fetch(form.getAttribute("data-search"), { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (doc) {
            entries = (doc.entries || []).map(function (e) {
              var hay = [e.title, e.summary, e.category, e.delivery, e.level]
                .concat(e.tags || [], e.headings || []).join(" ");
              return { entry: e, title: fold(e.title), hay: fold(hay) };
            });
          });
      }
      return loading;
    }
    function render() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      list.textContent = "";
      if (!words.length) { status.textContent = ""; list.hidden = true; return; }
      var found = entries.filter(function (x) {
        return words.every(function (w) { return x.hay.indexOf(w) >= 0; });
      }).sort(function (a, b) {
        var at = words.every(function (w) { return a.title.indexOf(w) >= 0; }) ? 0 : 1;
        var bt = words.every(function (w) { return b.title.indexOf(w) >= 0; }) ? 0 : 1;
        return at - bt;
      });
      status.textContent = found.length
        ? form.getAttribute("data-results").replace("{n}", String(found.length))
        : form.getAttribute("data-none");
      found.slice(0, 30).forEach(function (x) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = x.entry.url;
        a.textContent = x.entry.title;
        li.appendChild(a);
        var kind = kinds[x.entry.kind];
        if (kind) {
          var k = document.createElement("span");
          k.className = "result-kind";
          k.textContent = kind;
          li.appendChild(k);
        }
        if (x.entry.summary) {
          var p = document.createElement("p");
          p.textContent = x.entry.summary;
          li.appendChild(p);
        }
        list.appendChild(li);
      });
      list.hidden = !found.length;
    }
    function update() {
      clearTimeout(timer);
      timer = setTimeout(function () { load().then(render, function () { form.hidden = true; }); }, 120);
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
    input.addEventListener("input", update);
    input.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });
    form.hidden = false;
  }

  // The catalogue's filters start folded on small screens (so that the services come
  // first) and unfolded on wide ones; without the script they start folded everywhere
  // except on a filtered page.
  function setupFilters(details) {
    if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) details.open = true;
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-filters]"), setupFilters);
    Array.prototype.forEach.call(document.querySelectorAll("[data-strip]"), setupStrip);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-search]"), setupSearch);
    setupPrint();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
