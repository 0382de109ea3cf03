// Widgets on the static site are drawn by the widget manager from saved state, after the page
// has loaded, and some of what it draws has no accessible name. Each lesson shows a static
// figure next to every widget, so images get a text that says so; sliders take the name of
// their widget's label; scrollable output can be reached with the keyboard.
(function () {
  const lang = document.documentElement.lang === "de" ? "de" : "en";
  const imageText = {
    de: "Diagramm des interaktiven Elements; die Abbildung daneben zeigt dasselbe ohne laufendes Notebook.",
    en: "Chart of the interactive element; the figure next to it shows the same without a running notebook.",
  }[lang];

  function widgetLabel(element) {
    const widget = element.closest(".widget-inline-hbox, .widget-hbox, .widget-vbox");
    const label = widget && widget.querySelector(".widget-label");
    return label ? label.textContent.trim() : "";
  }

  function fix(root) {
    root.querySelectorAll(".jupyter-widgets img:not([alt])").forEach((img) => img.setAttribute("alt", imageText));
    root.querySelectorAll(".jupyter-widgets [role='slider']:not([aria-label])").forEach((handle) => {
      const name = widgetLabel(handle);
      if (name) handle.setAttribute("aria-label", name);
    });
    root.querySelectorAll(".jupyter-widgets pre:not([tabindex])").forEach((pre) => pre.setAttribute("tabindex", "0"));
  }

  new MutationObserver(() => fix(document)).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", () => fix(document));
})();
