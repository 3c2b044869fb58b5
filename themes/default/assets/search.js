// The search page: Pagefind's JavaScript API (not its stock widget) and plain DOM.
// Loaded as a module by /search/; every address is worked out from this file's own URL, so the
// site works from any folder (https://example.org/cpmr/ as well as https://example.org/).
// Without JavaScript (or if the index cannot be loaded) the page keeps its browse links and says why.

const SCRIPT_URL = document.currentScript?.src ?? import.meta.url;
const PAGEFIND_URL = new URL("../pagefind/pagefind.js", SCRIPT_URL);
const PAGE_SIZE = 10;
const TYPING_DELAY = 300; // ms after the last key press before searching
const FILTERS = ["project", "practice"];

const $ = (id) => document.getElementById(id);
const form = $("search-form");
const input = $("search-query");
const status = $("search-status");
const list = $("search-results");
const more = $("search-more");
const unavailable = $("search-unavailable");
const selects = Object.fromEntries(FILTERS.map((name) => [name, $(`search-${name}`)]));

let pagefind = null;
let generation = 0; // the latest search; older ones finishing late are dropped
let results = [];
let shown = 0;
let summary = "";
let timer = 0;

function announce(text) {
  status.textContent = text;
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// Pagefind excerpts are HTML: escaped text with <mark> round the matched words. Only text and
// <mark> (holding text only) are kept, as fresh nodes; anything else turns the excerpt into plain text.
function excerptNodes(html) {
  const template = document.createElement("template");
  template.innerHTML = html; // inert: nothing in a <template> runs or loads
  const fragment = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      fragment.append(document.createTextNode(node.nodeValue));
    } else if (node.nodeName === "MARK" && [...node.childNodes].every((c) => c.nodeType === Node.TEXT_NODE)) {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      fragment.append(mark);
    } else {
      const plain = document.createDocumentFragment();
      plain.append(document.createTextNode(template.content.textContent));
      return plain;
    }
  }
  return fragment;
}

// A result's address, only if it is on this site.
function safeUrl(address) {
  try {
    const url = new URL(address, document.baseURI);
    return url.origin === location.origin ? url.href : null;
  } catch {
    return null;
  }
}

function resultItem(data) {
  const href = safeUrl(data.url);
  if (!href) return null;
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  heading.className = "search-result__title";
  const link = document.createElement("a");
  link.href = href;
  link.textContent = data.meta?.title || data.url;
  heading.append(link);
  item.append(heading);
  const about = [data.meta?.type, ...(data.filters?.project ?? [])].filter(Boolean);
  if (about.length) {
    const meta = document.createElement("p");
    meta.className = "search-result__meta";
    meta.textContent = about.join(" · ");
    item.append(meta);
  }
  if (data.excerpt) {
    const excerpt = document.createElement("p");
    excerpt.className = "search-result__excerpt";
    excerpt.append(excerptNodes(data.excerpt));
    item.append(excerpt);
  }
  return item;
}

function chosenFilters() {
  const chosen = {};
  for (const [name, select] of Object.entries(selects)) {
    if (select && select.value) chosen[name] = select.value;
  }
  return chosen;
}

function describe(query, chosen) {
  const labels = { project: "project", practice: "creative practice" };
  const parts = Object.entries(chosen).map(([name, value]) => `${labels[name]}: ${value}`);
  const filtered = parts.length ? ` (${parts.join("; ")})` : "";
  return query ? `for '${query}'${filtered}` : `in ${parts.join("; ")}`;
}

function remember(query, chosen) {
  const url = new URL(location.href);
  url.search = "";
  if (query) url.searchParams.set("q", query);
  for (const [name, value] of Object.entries(chosen)) url.searchParams.set(name, value);
  history.replaceState(null, "", url);
}

async function showMore(moveFocus) {
  const mine = generation;
  const next = results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(next.map((result) => result.data()));
  if (mine !== generation) return;
  let first = null;
  for (const item of data.map(resultItem)) {
    if (!item) continue;
    list.append(item);
    first ??= item.querySelector("a");
  }
  shown += next.length;
  more.hidden = shown >= results.length;
  if (moveFocus && first) first.focus();
  return first;
}

async function search() {
  clearTimeout(timer);
  const mine = ++generation;
  const query = input.value.trim();
  const chosen = chosenFilters();
  remember(query, chosen);
  if (!query && !Object.keys(chosen).length) {
    results = [];
    shown = 0;
    list.replaceChildren();
    more.hidden = true;
    announce("");
    return;
  }
  const found = await pagefind.search(query || null, { filters: chosen });
  if (mine !== generation || !found) return; // a newer search has started
  results = found.results;
  shown = 0;
  list.replaceChildren();
  await showMore(false);
  if (mine !== generation) return;
  summary = `${results.length ? plural(results.length, "result") : "No results"} ${describe(query, chosen)}`;
  announce(results.length > shown ? `${summary}. Showing the first ${shown}.` : summary);
}

function searchSoon() {
  clearTimeout(timer);
  timer = setTimeout(() => search().catch(failed), TYPING_DELAY);
}

function failed(error) {
  console.error("search:", error);
  announce("Sorry, the search did not work. Try again, or browse the showcase with the links below.");
}

async function fillFilters() {
  const available = await pagefind.filters();
  for (const [name, select] of Object.entries(selects)) {
    if (!select) continue;
    const values = Object.keys(available?.[name] ?? {}).sort((a, b) => a.localeCompare(b));
    for (const value of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.append(option);
    }
    select.closest(".search-form__filter").hidden = values.length === 0;
  }
  const fieldset = form.querySelector("fieldset");
  if (fieldset) fieldset.hidden = Object.values(selects).every((s) => !s || s.options.length <= 1);
}

async function start() {
  try {
    pagefind = await import(PAGEFIND_URL.href);
    await pagefind.options({ excerptLength: 30 });
    await pagefind.init();
    await fillFilters();
  } catch (error) {
    console.error("search: the index could not be loaded:", error);
    unavailable.textContent = "Search could not be loaded in this browser. You can find everything by browsing instead.";
    return;
  }
  unavailable.hidden = true;
  form.hidden = false;

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") ?? "";
  for (const [name, select] of Object.entries(selects)) {
    const value = params.get(name);
    if (select && value && [...select.options].some((o) => o.value === value)) select.value = value;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search().catch(failed);
  });
  input.addEventListener("input", searchSoon);
  for (const select of Object.values(selects)) select?.addEventListener("change", () => search().catch(failed));
  more.addEventListener("click", async () => {
    try {
      await showMore(true);
      announce(`Showing ${shown} of ${plural(results.length, "result")}.`);
    } catch (error) {
      failed(error);
    }
  });
  if (input.value || Object.keys(chosenFilters()).length) await search().catch(failed);
}

start();
