// The SPARQL editor of /sparql: YASGUI (vendored) over the service's own endpoint.
//
// Progressive: the page's plain form works without JavaScript; this module replaces it with
// YASGUI once the library has loaded. Everything YASGUI completes comes from the service
// (/api/terms): its default completers, which ask Linked Open Vocabularies, are replaced.

const configElement = document.getElementById("editor-config");
const mount = document.getElementById("sparql-editor");

/** Terms of one kind from the service: [{iri, short, label}]. */
async function fetchTerms(url, kind, text = "", limit = 1000) {
  const params = new URLSearchParams({ kind, q: text, limit: String(limit) });
  const response = await fetch(`${url}?${params}`, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    return [];
  }
  return (await response.json()).terms;
}

/** Hints shown as "cg:Organisation · Organisation" (the label after the name). */
function labelHints(labels) {
  return (_yasqe, hints) =>
    hints.map((hint) => {
      const label = labels.get(hint.text);
      return label && label !== hint.text ? { ...hint, displayText: `${hint.text} · ${label}` } : hint;
    });
}

/** Replace the class and property completers by ones over the loaded ontology; add resources. */
function registerCompleters(Yasqe, config) {
  const vocabulary = { class: [], property: [] };
  const labels = new Map();
  const loaded = Promise.all(
    ["class", "property"].map(async (kind) => {
      vocabulary[kind] = await fetchTerms(config.terms, kind);
      for (const term of vocabulary[kind]) {
        labels.set(term.short, term.label);
        labels.set(`<${term.iri}>`, term.label);
      }
    }),
  );

  // the token arrives expanded to a full IRI (autocompletionString); match it, or the typed
  // local name anywhere in a term's name or label
  const matcher = (kind) => async (_yasqe, token) => {
    await loaded;
    const typed = (token && (token.autocompletionString || token.string)) || "";
    const local = typed.replace(/^.*[#/:]/, "").toLowerCase();
    return vocabulary[kind]
      .filter(
        (term) =>
          term.iri.startsWith(typed) ||
          (local && (term.short.toLowerCase().includes(local) || term.label.toLowerCase().includes(local))),
      )
      .map((term) => term.iri);
  };
  for (const kind of ["class", "property"]) {
    Yasqe.forkAutocompleter(
      kind,
      {
        name: `coopgraph-${kind}`,
        bulk: false,
        autoShow: true,
        persistenceId: null,
        get: matcher(kind),
        postprocessHints: labelHints(labels),
      },
      false,
    );
  }

  // resources by label: type "<" and part of a name (<bogo), as in an IRI
  const resourceLabels = new Map();
  Yasqe.forkAutocompleter(
    "class",
    {
      name: "coopgraph-resource",
      bulk: false,
      autoShow: true,
      persistenceId: null,
      isValidCompletionPosition: (yasqe) => {
        const token = yasqe.getCompleteToken();
        const text = token.string || "";
        if (!text.startsWith("<") || text.endsWith(">") || text.length < 3) {
          return false;
        }
        // a label (<bogo) or an IRI under id/; any other IRI is left to the other completers
        return !text.includes(":") || text.startsWith("<https://w3id.org/coopgraph/id/");
      },
      preProcessToken: (_yasqe, token) => ({ ...token, autocompletionString: token.string.slice(1) }),
      postProcessSuggestion: (_yasqe, _token, suggestion) => `<${suggestion}>`,
      get: async (_yasqe, token) => {
        const terms = await fetchTerms(config.terms, "resource", token.autocompletionString, 30);
        for (const term of terms) {
          resourceLabels.set(`<${term.iri}>`, term.label);
        }
        return terms.map((term) => term.iri);
      },
      postprocessHints: labelHints(resourceLabels),
    },
    false,
  );
  return ["variables", "prefixes", "coopgraph-resource", "coopgraph-class", "coopgraph-property"];
}

/** A YASR plugin drawing a bar chart of results with a label column and a number column. */
function chartPlugin(prefixes) {
  const NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger)$/;
  const shorten = (value) => {
    for (const [prefix, iri] of Object.entries(prefixes)) {
      if (value.startsWith(iri)) {
        return `${prefix}:${value.slice(iri.length)}`;
      }
    }
    return value.replace("https://w3id.org/coopgraph/id/", "");
  };
  const columns = (results) => {
    const vars = results.getVariables();
    const rows = results.getBindings();
    if (!rows.length || vars.length < 2) {
      return null;
    }
    const isNumber = (v) => rows.every((row) => row[v] && row[v].datatype && NUMERIC.test(row[v].datatype));
    const value = vars.find(isNumber);
    const label = vars.find((v) => v !== value && !isNumber(v));
    return value && label ? { label, value, rows } : null;
  };

  return class Chart {
    constructor(yasr) {
      this.yasr = yasr;
      this.priority = 5;
      this.label = "Chart";
    }

    canHandleResults() {
      const results = this.yasr.results;
      return Boolean(results && results.getVariables && results.getBindings && columns(results));
    }

    getIcon() {
      const icon = document.createElement("span");
      icon.textContent = "▥";
      icon.setAttribute("aria-hidden", "true");
      return icon;
    }

    draw() {
      const found = columns(this.yasr.results);
      const shown = found.rows.slice(0, 40);
      const max = Math.max(...shown.map((row) => Number(row[found.value].value)), 0) || 1;
      const rowHeight = 22;
      const labelWidth = 320;
      const width = 900;
      const svgNS = "http://www.w3.org/2000/svg";
      const figure = document.createElement("figure");
      figure.className = "coopgraph-chart";
      const svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("viewBox", `0 0 ${width} ${shown.length * rowHeight + 10}`);
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", `Bar chart of ${found.value} by ${found.label}`);
      shown.forEach((row, index) => {
        const y = index * rowHeight + 5;
        const amount = Number(row[found.value].value);
        const name = row[found.label] ? shorten(row[found.label].value) : "(none)";
        const text = document.createElementNS(svgNS, "text");
        text.setAttribute("x", String(labelWidth - 8));
        text.setAttribute("y", String(y + 15));
        text.setAttribute("text-anchor", "end");
        text.textContent = name.length > 45 ? `${name.slice(0, 44)}…` : name;
        const bar = document.createElementNS(svgNS, "rect");
        bar.setAttribute("x", String(labelWidth));
        bar.setAttribute("y", String(y + 3));
        bar.setAttribute("height", String(rowHeight - 6));
        bar.setAttribute("width", String(Math.max(1, ((width - labelWidth - 80) * amount) / max)));
        const title = document.createElementNS(svgNS, "title");
        title.textContent = `${name}: ${amount}`;
        bar.appendChild(title);
        const value = document.createElementNS(svgNS, "text");
        value.setAttribute("x", String(labelWidth + 6 + ((width - labelWidth - 80) * amount) / max));
        value.setAttribute("y", String(y + 15));
        value.textContent = String(amount);
        svg.append(text, bar, value);
      });
      const caption = document.createElement("figcaption");
      caption.textContent =
        `${found.value} by ${found.label}` +
        (found.rows.length > shown.length ? ` (first ${shown.length} of ${found.rows.length} rows)` : "");
      figure.append(svg, caption);
      this.yasr.resultsEl.appendChild(figure);
    }

    download() {
      const found = columns(this.yasr.results);
      return {
        getData: () => this.yasr.results.asCsv(),
        contentType: "text/csv",
        title: "Download the chart's data",
        filename: `chart-${found.value}.csv`,
      };
    }
  };
}

/** The list and picker of named queries: each opens its text (defaults bound) in the editor. */
function wireExamples(yasgui, config) {
  const byName = new Map(config.examples.map((example) => [example.name, example]));
  const open = (name) => {
    const example = byName.get(name);
    if (!example) {
      return;
    }
    const tab = yasgui.getTab();
    tab.setQuery(example.query);
    tab.setName(example.name);
    mount.scrollIntoView({ block: "start" });
    tab.getYasqe().focus();
  };
  const picker = document.getElementById("example-picker");
  const select = document.getElementById("example-select");
  for (const example of config.examples) {
    const option = document.createElement("option");
    option.value = example.name;
    option.textContent = `${example.name}: ${example.summary}`;
    select.appendChild(option);
  }
  picker.hidden = false;
  picker.addEventListener("submit", (event) => {
    event.preventDefault();
    open(select.value);
  });
  for (const button of document.querySelectorAll("button[data-example]")) {
    button.hidden = false;
    button.addEventListener("click", () => open(button.dataset.example));
  }
}

/** Name YASGUI's unnamed controls (axe-core: every form control needs a label). */
function nameControls(root) {
  const names = [
    [".CodeMirror textarea", "SPARQL query"],
    ["input.autocomplete", "SPARQL endpoint"],
    ["select.tableSizer", "Rows per page"],
    [".tableFilter, input[type=search]", "Filter the results"],
    [".tab a input[type=text]", "Tab name"],
  ];
  for (const [selector, name] of names) {
    for (const element of root.querySelectorAll(selector)) {
      if (!element.hasAttribute("aria-label") && !element.labels?.length) {
        element.setAttribute("aria-label", name);
      }
    }
  }
}

function start() {
  const Yasgui = window.Yasgui;
  if (!configElement || !mount || !Yasgui) {
    return; // the plain form stays
  }
  const config = JSON.parse(configElement.textContent);
  const autocompleters = registerCompleters(Yasgui.Yasqe, config);
  Yasgui.Yasr.registerPlugin("chart", chartPlugin(config.prefixes));
  const prefixBlock = Object.entries(config.prefixes)
    .map(([prefix, iri]) => `PREFIX ${prefix}: <${iri}>`)
    .join("\n");
  const yasgui = new Yasgui(mount, {
    persistenceId: "coopgraph-sparql",
    populateFromUrl: false,
    copyEndpointOnNewTab: true,
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint: config.endpoint }] },
    yasqe: {
      value: document.getElementById("query").value || prefixBlock,
      autocompleters,
      autofocus: false,
      resizeable: true,
    },
    yasr: { prefixes: config.prefixes, pluginOrder: ["table", "chart", "response"], defaultPlugin: "table" },
  });
  document.getElementById("query-form").hidden = true;
  document.getElementById("status").hidden = true;
  document.getElementById("results").hidden = true;
  mount.hidden = false;
  nameControls(mount);
  new MutationObserver(() => nameControls(mount)).observe(mount, { childList: true, subtree: true });
  const tools = document.getElementById("editor-tools");
  tools.hidden = false;
  document.getElementById("new-tab").addEventListener("click", () => yasgui.addTab(true));
  mount.dataset.ready = "true";
  wireExamples(yasgui, config);
  window.coopgraphEditor = yasgui;
}

start();
