// Charts of /indicators, drawn with the vendored Observable Plot (and d3) from the JSON the page
// embeds (#indicator-data). Each chart's table beside it holds the same figures: the page reads
// without JavaScript and screen readers read the tables (the drawings are aria-hidden).

const source = document.getElementById("indicator-data");

function series(data, figure) {
  let rows = data[figure.dataset.series] || [];
  if (figure.dataset.currency) rows = rows.filter((r) => r.currency === figure.dataset.currency);
  const x = figure.dataset.x;
  const y = figure.dataset.y;
  return rows
    .filter((r) => r[y] !== null && r[y] !== undefined)
    .map((r) => ({ key: String(r[x]), value: Number(r[y]) * (figure.dataset.percent ? 100 : 1) }));
}

function draw(figure, rows) {
  const horizontal = figure.dataset.orient === "horizontal";
  const unit = figure.dataset.percent ? "%" : "";
  const colour = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() || "#1f5f9e";
  const options = horizontal
    ? {
        marginLeft: 230,
        height: Math.max(90, rows.length * 26 + 40),
        x: { grid: true, label: unit || null },
        y: { label: null, domain: rows.map((r) => r.key), tickFormat: (d) => (d.length > 34 ? `${d.slice(0, 33)}…` : d) },
        marks: [Plot.barX(rows, { x: "value", y: "key", fill: colour }), Plot.ruleX([0])],
      }
    : {
        height: 240,
        marginBottom: rows.length > 8 ? 45 : 30,
        x: { label: null, type: "band", tickRotate: rows.length > 8 ? -45 : 0 },
        y: { grid: true, label: null },
        marks: [Plot.barY(rows, { x: "key", y: "value", fill: colour }), Plot.ruleY([0])],
      };
  const svg = Plot.plot({ width: 520, style: { fontSize: "12px", background: "white" }, ...options });
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return svg;
}

function save(blob, name) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function svgBlob(svg) {
  return new Blob([new XMLSerializer().serializeToString(svg)], { type: "image/svg+xml" });
}

function pngOf(svg, name) {
  const image = new Image();
  const url = URL.createObjectURL(svgBlob(svg));
  image.onload = () => {
    const box = svg.viewBox.baseVal;
    const canvas = document.createElement("canvas");
    canvas.width = (box.width || svg.clientWidth) * 2;
    canvas.height = (box.height || svg.clientHeight) * 2;
    const context = canvas.getContext("2d");
    context.fillStyle = "white";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    URL.revokeObjectURL(url);
    canvas.toBlob((blob) => save(blob, name), "image/png");
  };
  image.src = url;
}

function tools(figure, svg) {
  const name = figure.id || "chart";
  const bar = document.createElement("p");
  bar.className = "chart-tools";
  for (const [label, act] of [
    ["Download SVG", () => save(svgBlob(svg), `${name}.svg`)],
    ["Download PNG", () => pngOf(svg, `${name}.png`)],
  ]) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.setAttribute("aria-label", `${label}: ${figure.querySelector("figcaption").textContent.trim()}`);
    button.addEventListener("click", act);
    bar.append(button, " ");
  }
  figure.append(bar);
}

if (source && window.Plot) {
  const data = JSON.parse(source.textContent);
  for (const figure of document.querySelectorAll("figure.chart[data-series]")) {
    const target = figure.querySelector(".chart-drawing");
    const rows = series(data, figure);
    if (!target || rows.length === 0) continue;
    const svg = draw(figure, rows);
    target.append(svg);
    figure.dataset.drawn = "true";
    tools(figure, svg);
  }
}
