// The network explorer: draws /network/{projection}/view with sigma.js 3 and graphology.
//
// Positions, sizes and colours come from the server (laid out once per projection and filters),
// so the browser only draws. Hover shows a label and highlights the neighbours; a click (or
// the search field) opens the side panel with the node's profile summary from
// /id/...?_profile=json. window.coopgraphNetwork exposes the drawing and its first-frame time
// to the browser tests and bench/explorer.py.

const CANONICAL = "https://w3id.org/coopgraph/";
const section = document.getElementById("drawing");
const state = { hovered: null, selected: null, neighbours: new Set() };
const api = { ready: false, error: null, firstFrame: null, dataLoaded: null };
window.coopgraphNetwork = api;

function localUrl(iri, base) {
  return iri.startsWith(CANONICAL) ? base + iri.slice(CANONICAL.length) : iri;
}

function status(text) {
  const el = document.getElementById("network-status");
  if (el) el.textContent = text;
}

function element(tag, attrs = {}, text = null) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  if (text !== null) el.textContent = text;
  return el;
}

function buildGraph(data) {
  const graph = new graphology.Graph({ type: data.directed ? "directed" : "undirected", multi: false });
  const ids = data.nodes.map((n) => n.id);
  for (const n of data.nodes) {
    graph.addNode(n.id, {
      label: n.label, x: n.x, y: n.y, size: n.size, color: n.colour,
      kind: n.kind, value: n.value, community: n.community,
    });
  }
  const heaviest = Math.max(1, ...data.edges.map((e) => e[2]));
  for (const [s, t, w] of data.edges) {
    if (!graph.hasEdge(ids[s], ids[t])) {
      graph.addEdge(ids[s], ids[t], {
        size: 0.5 + 2.5 * Math.sqrt(w / heaviest), color: "#c4c9d1", weight: w,
        type: data.directed ? "arrow" : "line",
      });
    }
  }
  return graph;
}

function panel(graph, node, base, size) {
  const box = document.getElementById("node-panel");
  const body = document.getElementById("node-panel-body");
  const attrs = graph.getNodeAttributes(node);
  const href = localUrl(node, base);
  document.getElementById("node-panel-title").textContent = attrs.label;
  body.replaceChildren();
  const facts = element("dl");
  facts.append(element("dt", {}, "Kind"), element("dd", {}, attrs.kind));
  facts.append(element("dt", {}, size), element("dd", {}, String(Number(attrs.value.toPrecision(4)))));
  facts.append(element("dt", {}, "Links"), element("dd", {}, String(graph.degree(node))));
  if (attrs.community !== null && attrs.community !== undefined) {
    facts.append(element("dt", {}, "Community"), element("dd", {}, String(attrs.community)));
  }
  const summary = element("div", { class: "profile-summary" }, "Loading the profile…");
  const link = element("a", { href, class: "profile-link" }, `Open the page of ${attrs.label}`);
  body.append(facts, summary, element("p", {}, null));
  body.lastChild.append(link);
  box.hidden = false;
  fetch(`${href}?_profile=json`, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : null))
    .then((profile) => {
      summary.replaceChildren();
      if (!profile) {
        summary.textContent = "No profile for this node.";
        return;
      }
      const list = element("dl");
      for (const f of profile.summary.facets) {
        list.append(element("dt", {}, f.heading), element("dd", {}, f.values.map((v) => v.label).join(", ")));
      }
      if (profile.summary.period) list.append(element("dt", {}, "Period"), element("dd", {}, profile.summary.period));
      const items = profile.timeline.reduce((n, g) => n + g.items.length, 0);
      list.append(element("dt", {}, "Timeline"), element("dd", {}, `${items} items`));
      for (const t of profile.money.totals) {
        const parts = [];
        if (t.in.flows) parts.push(`received ${t.in.total}`);
        if (t.out.flows) parts.push(`given ${t.out.total}`);
        list.append(element("dt", {}, t.currency), element("dd", {}, parts.join(", ")));
      }
      if (profile.articles.length) {
        list.append(element("dt", {}, "Articles"), element("dd", {}, profile.articles.map((a) => a.label).join(", ")));
      }
      summary.append(list);
    })
    .catch(() => { summary.textContent = "The profile could not be loaded."; });
}

function savePng(renderer, projection) {
  // WebGL layers cannot be copied while on screen: draw the same view in a hidden renderer
  const { width, height } = renderer.getDimensions();
  const ratio = window.devicePixelRatio || 1;
  const holder = element("div");
  holder.style.cssText = `width:${width}px;height:${height}px;position:absolute;right:101%;bottom:101%`;
  document.body.append(holder);
  const copy = new Sigma(renderer.getGraph(), holder, renderer.getSettings());
  copy.getCamera().setState(renderer.getCamera().getState());
  copy.refresh();
  const canvas = element("canvas", { width: String(width * ratio), height: String(height * ratio) });
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width * ratio, height * ratio);
  for (const layer of Object.values(copy.getCanvases())) {
    ctx.drawImage(layer, 0, 0, width * ratio, height * ratio, 0, 0, width * ratio, height * ratio);
  }
  canvas.toBlob((blob) => {
    copy.kill();
    holder.remove();
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const a = element("a", { href: url, download: `${projection}-network.png` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }, "image/png");
}

async function start() {
  if (!section || !window.Sigma || !window.graphology) return;
  const base = section.dataset.base;
  const projection = section.dataset.projection;
  const size = document.getElementById("opt-size")?.value || "degree";
  const container = document.getElementById("network-canvas");
  section.querySelector(".network-tools").hidden = false;
  status("Loading the network…");
  const response = await fetch(section.dataset.view, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    status(`The network could not be loaded (${response.status}).`);
    api.error = response.status;
    return;
  }
  const data = await response.json();
  api.dataLoaded = performance.now();
  const graph = buildGraph(data);
  const renderer = new Sigma(graph, container, {
    labelRenderedSizeThreshold: data.nodes.length > 2000 ? 12 : 6,
    labelDensity: 0.5,
    hideEdgesOnMove: data.nodes.length > 2000,
    zIndex: true,
    defaultEdgeType: data.directed ? "arrow" : "line",
    nodeReducer: (node, attrs) => {
      if (!state.hovered && !state.selected) return attrs;
      const focus = state.hovered || state.selected;
      if (node === focus) return { ...attrs, highlighted: true, zIndex: 2, forceLabel: true };
      if (state.neighbours.has(node)) return { ...attrs, zIndex: 1 };
      return { ...attrs, color: "#e3e6ea", label: "", zIndex: 0 };
    },
    edgeReducer: (edge, attrs) => {
      const focus = state.hovered || state.selected;
      if (!focus) return attrs;
      return graph.hasExtremity(edge, focus) ? { ...attrs, color: "#5a6472", zIndex: 1 } : { ...attrs, hidden: true };
    },
  });
  // sigma may draw inside its constructor: then the next animation frame is the one shown
  const drawn = () => {
    if (api.firstFrame === null) api.firstFrame = performance.now();
  };
  renderer.once("afterRender", drawn);
  requestAnimationFrame(drawn);
  const focusOn = (node) => {
    state.neighbours = new Set(graph.neighbors(node));
    const display = renderer.getNodeDisplayData(node);
    renderer.getCamera().animate({ x: display.x, y: display.y, ratio: 0.35 }, { duration: 400 });
  };
  const select = (node) => {
    state.selected = node;
    state.neighbours = node ? new Set(graph.neighbors(node)) : new Set();
    renderer.refresh({ skipIndexation: true });
    if (node) panel(graph, node, base, size);
  };
  renderer.on("enterNode", ({ node }) => {
    state.hovered = node;
    state.neighbours = new Set(graph.neighbors(node));
    container.style.cursor = "pointer";
    status(graph.getNodeAttribute(node, "label"));
    renderer.refresh({ skipIndexation: true });
  });
  renderer.on("leaveNode", () => {
    state.hovered = null;
    state.neighbours = state.selected ? new Set(graph.neighbors(state.selected)) : new Set();
    container.style.cursor = "";
    renderer.refresh({ skipIndexation: true });
  });
  renderer.on("clickNode", ({ node }) => select(node));
  renderer.on("clickStage", () => select(null));

  // search to focus: the datalist holds the names matching what is typed (a few at a time)
  const byLabel = new Map();
  graph.forEachNode((node, attrs) => {
    const key = attrs.label.toLowerCase();
    if (!byLabel.has(key) || graph.getNodeAttribute(byLabel.get(key), "size") < attrs.size) byLabel.set(key, node);
  });
  const labels = [...byLabel.keys()];
  const field = document.getElementById("node-search");
  const names = document.getElementById("node-names");
  field.addEventListener("input", () => {
    const typed = field.value.trim().toLowerCase();
    names.replaceChildren();
    if (!typed) return;
    const found = labels.filter((l) => l.includes(typed)).slice(0, 20);
    for (const l of found) names.append(element("option", { value: graph.getNodeAttribute(byLabel.get(l), "label") }));
  });
  const focusTyped = () => {
    const typed = field.value.trim().toLowerCase();
    const key = byLabel.has(typed) ? typed : labels.find((l) => l.startsWith(typed)) || labels.find((l) => l.includes(typed));
    if (!typed || !key) {
      status(typed ? `No node named “${field.value}”.` : "");
      return;
    }
    const node = byLabel.get(key);
    focusOn(node);
    select(node);
    status(`Focused on ${graph.getNodeAttribute(node, "label")}.`);
  };
  document.getElementById("node-focus").addEventListener("click", focusTyped);
  field.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      focusTyped();
    }
  });
  const camera = renderer.getCamera();
  document.getElementById("zoom-in").addEventListener("click", () => camera.animatedZoom({ duration: 300 }));
  document.getElementById("zoom-out").addEventListener("click", () => camera.animatedUnzoom({ duration: 300 }));
  document.getElementById("zoom-reset").addEventListener("click", () => camera.animatedReset({ duration: 300 }));
  document.getElementById("export-png").addEventListener("click", () => savePng(renderer, projection));
  document.getElementById("node-panel-close").addEventListener("click", () => {
    document.getElementById("node-panel").hidden = true;
    select(null);
    field.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.selected) {
      document.getElementById("node-panel").hidden = true;
      select(null);
    }
  });

  // where a node is on screen, for tests and benchmarks
  api.position = (node) => {
    const p = renderer.graphToViewport(graph.getNodeAttributes(node));
    const box = container.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  };
  api.sigma = renderer;
  api.graph = graph;
  api.focus = (node) => { focusOn(node); select(node); };
  api.ready = true;
  status(`${data.nodes.length} nodes and ${data.edges.length} links drawn.`);
  section.dispatchEvent(new CustomEvent("network:ready"));
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => start().catch((e) => { api.error = String(e); throw e; }));
} else {
  start().catch((e) => { api.error = String(e); throw e; });
}
