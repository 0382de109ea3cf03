// Widgets on the static site (coursebuild/static_widgets.py): each holds its precomputed
// outputs and a table from control state to output. Changing a control shows the output for the
// new state and tells screen readers (aria-live) that the output changed.
(function () {
  "use strict";

  function imageSource(svg) {
    return "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
  }

  function stateKey(widget) {
    const parts = [];
    widget.querySelectorAll("[data-control]").forEach((row) => {
      const kind = row.dataset.kind;
      if (kind === "checkbox") parts.push(row.querySelector("input").checked ? "1" : "0");
      else if (kind === "select") parts.push(row.querySelector("select").value);
      else if (kind === "slider") parts.push(row.querySelector("input").value);
      else if (kind === "radio") parts.push(row.querySelector("input:checked").value);
      else if (kind === "multi") {
        let mask = 0;
        row.querySelectorAll("input").forEach((box, i) => { if (box.checked) mask += 2 ** i; });
        parts.push(String(mask));
      } else if (kind === "range") {
        const ends = row.querySelectorAll("input");
        parts.push(ends[0].value + "-" + ends[1].value);
      }
    });
    return parts.join(",");
  }

  function show(widget, data, index) {
    const output = widget.querySelector(".static-widget-output");
    output.innerHTML = data.outputs[index];
    output.querySelectorAll("img[data-image]").forEach((img) => {
      img.src = imageSource(data.images[Number(img.dataset.image)]);
    });
  }

  function readouts(row, data) {
    const options = data.options[Number(row.dataset.control)];
    row.querySelectorAll("input[type=range]").forEach((input) => {
      const label = options[Number(input.value)];
      input.setAttribute("aria-valuetext", label);
      const output = row.querySelector(`output[for="${input.id}"]`);
      if (output) output.textContent = label;
    });
  }

  function keepRangeOrdered(row, moved) {
    const ends = row.querySelectorAll("input[type=range]");
    if (Number(ends[0].value) > Number(ends[1].value)) {
      if (moved === ends[0]) ends[1].value = ends[0].value;
      else ends[0].value = ends[1].value;
    }
  }

  function announce(widget, data) {
    const output = widget.querySelector(".static-widget-output");
    const words = [data.updated];
    output.querySelectorAll("img[alt]").forEach((img) => words.push(img.alt));
    output.querySelectorAll("pre").forEach((pre) => words.push(pre.textContent));
    widget.querySelector(".static-widget-status").textContent = words.join(" ").slice(0, 600);
  }

  function setUp(widget) {
    const data = JSON.parse(widget.querySelector("script.static-widget-data").textContent);
    show(widget, data, data.states[data.initial]);
    if (widget.classList.contains("static-widget-disabled")) return;
    widget.querySelector("form").addEventListener("input", (event) => {
      const row = event.target.closest("[data-control]");
      if (row && row.dataset.kind === "range") keepRangeOrdered(row, event.target);
      if (row) readouts(row, data);
      const index = data.states[stateKey(widget)];
      if (index === undefined) return;
      widget.dataset.state = stateKey(widget);
      show(widget, data, index);
      announce(widget, data);
    });
  }

  function start() {
    document.querySelectorAll(".static-widget").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// The language switch keeps the reader's place: both languages have the same sections in the
// same order (one source), so the switch carries the section's number, and the other page turns
// it back into its own anchor.
(function () {
  "use strict";

  function sections() {
    return [...document.querySelectorAll("article.bd-article section[id]")];
  }

  function currentSection() {
    const all = sections();
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const fromHash = target && target.closest("section[id]");
    if (fromHash) return all.indexOf(fromHash);
    let index = -1;
    all.forEach((section, i) => { if (section.getBoundingClientRect().top <= 80) index = i; });
    return index;
  }

  function restoreSection() {
    const match = /^#section-(\d+)$/.exec(location.hash);
    if (!match || document.getElementById(location.hash.slice(1))) return;
    const section = sections()[Number(match[1])];
    if (!section) return;
    history.replaceState(null, "", "#" + section.id);
    section.scrollIntoView();
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.language-switch");
    if (!link) return;
    const index = currentSection();
    if (index > 0) link.href = link.href.split("#")[0] + "#section-" + index;
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restoreSection);
  else restoreSection();
})();

// Search: German texts in "du" (Sphinx's catalogue says "Sie" and has no text for the hit
// count), and result snippets from the article only, not from the page's navigation.
(function () {
  "use strict";
  const german = {
    "Search finished, found ${resultCount} page(s) matching the search query.":
      "Suche beendet: ${resultCount} Seite(n) gefunden.",
    "Your search did not match any documents. Please make sure that all words are spelled correctly and that you've selected enough categories.":
      "Deine Suche hat nichts gefunden. Prüfe, ob alle Wörter richtig geschrieben sind, oder versuche es mit einem anderen Wort.",
  };
  function adjust() {
    // After every script of the page: the search page loads Sphinx's translations after ours.
    if (document.documentElement.lang === "de" && typeof Documentation !== "undefined" && Documentation.TRANSLATIONS) {
      Object.assign(Documentation.TRANSLATIONS, german);
    }
    if (typeof Search === "undefined") return;
    Search.htmlToText = (htmlString, anchor) => {
      const page = new DOMParser().parseFromString(htmlString, "text/html");
      page.querySelectorAll(".headerlink, script, style, .admonition.tip, .static-widget-note").forEach((el) => el.remove());
      const article = page.querySelector("article.bd-article");
      if (!article) return "";
      const part = anchor ? article.querySelector(anchor) : null;
      return (part || article).textContent;
    };
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", adjust);
  else adjust();
})();
