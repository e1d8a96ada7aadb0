// /explore without a page load per keystroke: a box above each long facet narrows its values
// as one types. The facets themselves stay links, so the address is still the selection.

const LONG = 12;

for (const facet of document.querySelectorAll("section.facet")) {
  const links = facet.querySelectorAll("li");
  if (links.length <= LONG) continue;
  const title = facet.querySelector("h2");
  const id = `${title.id}-filter`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "visually-hidden";
  label.textContent = `Filter the values of ${title.textContent}`;
  const box = document.createElement("input");
  box.type = "search";
  box.id = id;
  box.className = "facet-filter";
  box.placeholder = `Filter ${title.textContent.toLowerCase()}…`;
  box.autocomplete = "off";
  title.after(label, box);
  const details = facet.querySelector("details");
  const fold = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  box.addEventListener("input", () => {
    const wanted = fold(box.value.trim());
    if (details && wanted) details.open = true;
    for (const item of links) {
      item.hidden = wanted !== "" && !fold(item.textContent).includes(wanted);
    }
  });
}
