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

  // Catalogue search over /search/index.<lang>.json, fetched the first time the search
  // is used. Each entry holds its words in four fields, best first: title; tags,
  // category, level and delivery; headings and the names of packs, options and
  // components; the rest. A query's words are split and folded as the index's were
  // (SearchText in the generator): letters, marks and digits; lowercase, NFD, without
  // U+0300-U+036F. Every word must match (a prefix or a part of a word); results rank by
  // the best field each word is found in, a word's start before its middle, then in
  // catalogue order.
  // search-core:begin (the unit tests run this part in Node)
  var wordBreak;
  try { wordBreak = new RegExp("[^\\p{L}\\p{M}\\p{N}]+", "u"); }
  // Browsers before 2020 lack \p{…}: spaces and common punctuation then.
  catch (e) { wordBreak = /[\s!-\/:-@\[-`{-~\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u3000-\u303f]+/; }
  function fold(word) {
    return word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\u03c2/g, "\u03c3");
  }
  function searchWords(text) {
    return String(text || "").split(wordBreak).map(fold).filter(Boolean);
  }
  // Lower is better; -1: a word is missing. A word counts where it is first found (the
  // fields are in rank order): field * 2, plus 1 if it is found only inside words.
  function rank(fields, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var f = 0;
      while (f < fields.length && fields[f].indexOf(words[i]) < 0) f++;
      if (f === fields.length) return -1;
      total += f * 2 + (fields[f].indexOf(" " + words[i]) >= 0 ? 0 : 1);
    }
    return total;
  }
  // The index's entries as the search reads them: a leading space in each field, so
  // that " " + word finds a word's start.
  function searchEntries(doc) {
    return (doc.entries || []).map(function (e, i) {
      return { entry: e, order: i, fields: (e.words || []).map(function (f) { return " " + f; }) };
    });
  }
  // The entries that hold every word of the query, best first.
  function searchFor(entries, query) {
    var words = searchWords(query);
    if (!words.length) return [];
    var found = [];
    entries.forEach(function (x) {
      var r = rank(x.fields, words);
      if (r >= 0) found.push({ x: x, rank: r });
    });
    found.sort(function (a, b) { return a.rank - b.rank || a.x.order - b.x.order; });
    return found.map(function (hit) { return hit.x.entry; });
  }
  // search-core:end
  function setupSearch(form) {
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector(".search-status");
    var list = form.querySelector(".search-results");
    if (!input || !status || !list || !window.fetch || !String.prototype.normalize) return;
    var kinds = { service: form.getAttribute("data-kind-service"), page: form.getAttribute("data-kind-page") };
    var entries = null, loading = null, timer = 0, failed = false;

    function load() {
      if (!loading) {
        loading = fetch(form.getAttribute("data-search"), { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (doc) { entries = searchEntries(doc); });
        loading.catch(function () { failed = true; });
      }
      return loading;
    }
    // The query in the address (?q=), so that a search can be linked to and reloaded.
    function remember(query) {
      if (!window.history || !history.replaceState || !window.URL) return;
      var url = new URL(location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      if (url.href !== location.href) history.replaceState(history.state, "", url.href);
    }
    function render() {
      var query = input.value.trim();
      remember(query);
      list.textContent = "";
      if (!searchWords(query).length) { status.textContent = ""; list.hidden = true; return; }
      var found = searchFor(entries, query);
      status.textContent = found.length
        ? form.getAttribute("data-results").replace("{n}", String(found.length))
        : form.getAttribute("data-none");
      found.slice(0, 30).forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = e.url;
        a.textContent = e.title;
        // An untranslated original keeps its language for screen readers.
        if (e.lang) { a.lang = e.lang; }
        li.appendChild(a);
        var kind = kinds[e.kind];
        if (kind) {
          var k = document.createElement("span");
          k.className = "result-kind";
          k.textContent = kind;
          li.appendChild(k);
        }
        if (e.summary) {
          var p = document.createElement("p");
          p.textContent = e.summary;
          // A translated title may stand over a lent summary, or the reverse.
          if (e.summary_lang || e.lang) { p.lang = e.summary_lang || e.lang; }
          li.appendChild(p);
        }
        list.appendChild(li);
      });
      list.hidden = !found.length;
    }
    function update(delay) {
      clearTimeout(timer);
      timer = setTimeout(function () { load().then(render, function () {}); }, delay);
    }
    // Without the index (offline, blocked), the form does what it does without the
    // script: it leads to the whole catalogue.
    form.addEventListener("submit", function (e) {
      if (failed) return;
      e.preventDefault();
      update(0);
    });
    input.addEventListener("input", function () { update(120); });
    input.addEventListener("focus", function () { load(); }, { once: true });
    var query = window.URLSearchParams ? new URLSearchParams(location.search).get("q") : null;
    if (query) {
      input.value = query;
      update(0);
    }
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
