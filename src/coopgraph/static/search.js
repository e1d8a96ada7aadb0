// Search-as-you-type in the header box of every page, after the ARIA 1.2 combobox pattern:
// arrows move through the suggestions, Enter opens one (or, with none chosen, the search
// page), Escape closes the list, then clears the box. Without JavaScript the box is a plain
// GET form to /search.

const SUGGESTIONS = 8;
const DELAY_MS = 60;

function setUp(input) {
  const form = input.form;
  const endpoint = input.dataset.suggest;
  const list = document.createElement("ul");
  list.id = "site-search-list";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  const status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.append(list, status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  let options = [];
  let active = -1;
  let timer = 0;
  let pending = null;
  let shown = "";

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    options.forEach((option, i) => option.el.setAttribute("aria-selected", String(i === index)));
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].el.id);
      options[index].el.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function option(id, url, parts) {
    const li = document.createElement("li");
    li.id = id;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.append(...parts);
    li.addEventListener("mousedown", (event) => {
      event.preventDefault(); // keep the focus in the box until the page changes
      window.location.assign(url);
    });
    return { el: li, url };
  }

  function render(query, hits) {
    options = hits.map((hit, i) => {
      const label = document.createElement("span");
      label.className = "label";
      label.textContent = hit.label;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = hit.kind_label;
      const parts = [label, " ", kind];
      if (hit.matched !== hit.label) {
        const matched = document.createElement("span");
        matched.className = "matched";
        matched.textContent = hit.matched;
        parts.push(" ", matched);
      }
      return option(`site-search-option-${i}`, hit.url, parts);
    });
    const all = document.createElement("span");
    all.className = "all";
    all.textContent = `All results for “${query}”`;
    options.push(option("site-search-option-all", `${form.action}?q=${encodeURIComponent(query)}`, [all]));
    list.replaceChildren(...options.map((o) => o.el));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(-1);
    status.textContent = `${hits.length} suggestion${hits.length === 1 ? "" : "s"}`;
  }

  async function suggest() {
    const query = input.value.trim();
    if (!query) {
      shown = "";
      close();
      return;
    }
    if (query === shown && !list.hidden) return;
    pending?.abort();
    pending = new AbortController();
    const url = `${endpoint}?q=${encodeURIComponent(query)}&limit=${SUGGESTIONS}`;
    try {
      const response = await fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return close();
      const body = await response.json();
      if (body.query !== input.value.trim()) return; // typed on since
      shown = query;
      render(query, body.hits);
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && options.length > 0;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open) suggest();
        else highlight((active + 1) % options.length);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (open) highlight(active <= 0 ? options.length - 1 : active - 1);
        break;
      case "Enter":
        if (open && active >= 0) {
          event.preventDefault();
          window.location.assign(options[active].url);
        }
        break;
      case "Escape":
        if (open) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
        break;
      default:
        break;
    }
  });
  input.addEventListener("blur", () => window.setTimeout(close, 120));
  input.addEventListener("focus", () => {
    if (options.length && input.value.trim() === shown) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  });
}

// The language links keep the rest of the address (the selection of /explore, the query of
// /search) and mark the language chosen earlier (the lang cookie).
function languageLinks() {
  const chosen = document.cookie.split("; ").find((c) => c.startsWith("lang="))?.slice(5);
  for (const link of document.querySelectorAll("a[data-lang]")) {
    const url = new URL(window.location.href);
    url.searchParams.set("lang", link.dataset.lang);
    url.hash = "";
    link.href = url.toString();
    if (chosen) {
      if (link.dataset.lang === chosen) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
  }
}

// A name field of a form (a partner, a place) with data-suggest: its datalist gets the labels
// of the best few resources as the name is typed. Without JavaScript it is a plain text field.
function suggestNames(input) {
  const list = input.list;
  if (!list) return;
  let timer = 0;
  let pending = null;
  async function fill() {
    const query = input.value.trim();
    if (query.length < 2) return;
    pending?.abort();
    pending = new AbortController();
    const url = `${input.dataset.suggest}?q=${encodeURIComponent(query)}&limit=${SUGGESTIONS}`;
    try {
      const response = await fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const body = await response.json();
      if (body.query !== input.value.trim()) return;
      const labels = [...new Set(body.hits.map((hit) => hit.label))];
      list.replaceChildren(
        ...labels.map((label) => {
          const option = document.createElement("option");
          option.value = label;
          return option;
        }),
      );
    } catch (error) {
      if (error.name !== "AbortError") list.replaceChildren();
    }
  }
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(fill, DELAY_MS);
  });
}

const box = document.getElementById("site-search");
if (box && box.dataset.suggest) setUp(box);
for (const input of document.querySelectorAll("input[data-suggest]:not(#site-search)")) suggestNames(input);
languageLinks();
