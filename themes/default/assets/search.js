// The search page: Pagefind's JavaScript API (not its stock widget) and plain DOM.
// Loaded as a module by /search/; every address is worked out from this file's own URL, so the
// site works from any folder (https://example.org/cpmr/ as well as https://example.org/).
// Without JavaScript (or if the index cannot be loaded) the page keeps its browse links and says why.

const SCRIPT_URL = document.currentScript?.src ?? import.meta.url;
const PAGEFIND_URL = new URL("../pagefind/pagefind.js", SCRIPT_URL);
const SITE_ROOT = new URL("../", SCRIPT_URL);
const PAGE_SIZE = 10;
const TYPING_DELAY = 300; // ms after the last key press before searching
const EXCERPT_WORDS = 30; // Pagefind's window round the matches; the excerpt shown is the sentence(s) there
const MOST_WORDS = 45; // an excerpt longer than this is cut, with an ellipsis
const FILTERS = ["kind", "project", "practice"];
// The kinds of page the index holds (data-pagefind-filter="kind:..." in the templates, shown as they are
// beside each result): the filter's label for each, and the words that count them.
const KINDS = {
  Story: ["Stories", "story", "stories"],
  Artwork: ["Artworks", "artwork", "artworks"],
  Project: ["Projects", "project", "projects"],
  Report: ["Reports", "report", "reports"],
  Page: ["Pages", "page", "pages"],
  People: ["People", "page of people", "pages of people"],
  Film: ["Films", "film", "films"],
  Recording: ["Recordings", "recording", "recordings"],
  Exhibition: ["Exhibitions", "exhibition", "exhibitions"],
};
const KIND_ORDER = Object.keys(KINDS);

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

function kindName(kind, count) {
  const names = KINDS[kind];
  return names ? names[count === 1 ? 1 : 2] : kind;
}

function kindLabel(kind) {
  return KINDS[kind]?.[0] ?? kind;
}

function listed(parts) {
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts.join("");
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

const SENTENCE_END = /[.!?…]["'”’)\]]*$/;

// Where Pagefind would centre its excerpt: the start of the window of EXCERPT_WORDS words that holds the
// most (weighted) matches.
function densest(weighted, count) {
  if (!weighted.length || count <= EXCERPT_WORDS) return weighted.length ? Math.min(...weighted.map((w) => w.location)) : 0;
  const score = new Array(count).fill(0);
  for (const w of weighted) score[w.location] = (score[w.location] ?? 0) + (w.balanced_score ?? 1);
  let sum = score.slice(0, EXCERPT_WORDS).reduce((a, b) => a + b, 0);
  let best = sum;
  let at = 0;
  for (let i = 1; i + EXCERPT_WORDS <= count; i++) {
    sum += score[i + EXCERPT_WORDS - 1] - score[i - 1];
    if (sum > best) [best, at] = [sum, i];
  }
  const inWindow = weighted.map((w) => w.location).filter((l) => l >= at && l < at + EXCERPT_WORDS);
  return inWindow.length ? Math.min(...inWindow) : at;
}

// The excerpt as whole sentences: from the start of the sentence holding the first match in Pagefind's
// window to the end of a sentence, at most MOST_WORDS words (cut with an ellipsis), matched words marked.
// Built from the page's indexed text (the same words Pagefind counts), as text nodes: nothing is parsed.
function sentenceExcerpt(data) {
  const words = (data.content ?? "").split(/[\r\n\s]+/g);
  if (!words.join("")) return null;
  const hits = new Set(data.locations ?? []);
  const anchor = Math.min(densest(data.weighted_locations ?? [], words.length), words.length - 1);
  let start = anchor;
  while (start > 0 && !SENTENCE_END.test(words[start - 1]) && anchor - start < MOST_WORDS - 15) start--;
  let end = anchor; // inclusive
  while (end < words.length - 1 && end - start + 1 < MOST_WORDS && !(SENTENCE_END.test(words[end]) && end - start >= 12)) end++;
  const fragment = document.createDocumentFragment();
  if (start > 0 && !SENTENCE_END.test(words[start - 1])) fragment.append("… ");
  let text = "";
  for (let i = start; i <= end; i++) {
    const word = words[i] + (i < end ? " " : "");
    if (hits.has(i)) {
      if (text) fragment.append(text);
      text = "";
      const mark = document.createElement("mark");
      mark.textContent = words[i];
      fragment.append(mark);
      if (i < end) text = " ";
    } else {
      text += word;
    }
  }
  if (text) fragment.append(text);
  if (end < words.length - 1 && !SENTENCE_END.test(words[end])) fragment.append(" …");
  return fragment;
}

// A result's address, only if it is on this site.
function safeUrl(address, base = document.baseURI) {
  try {
    const url = new URL(address, base);
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
  const text = document.createElement("div");
  text.className = "search-result__text";
  const heading = document.createElement("h2");
  heading.className = "search-result__title";
  const link = document.createElement("a");
  link.href = href;
  link.textContent = data.meta?.title || data.url;
  heading.append(link);
  text.append(heading);
  const kind = data.filters?.kind?.[0];
  const about = [kind, ...(data.filters?.project ?? [])].filter(Boolean);
  if (about.length) {
    const meta = document.createElement("p");
    meta.className = "search-result__meta";
    meta.textContent = about.join(" · ");
    text.append(meta);
  }
  // A story with a content note: the note first, and the words found only for a reader who asks for them.
  const note = data.filters?.note?.[0];
  if (note) {
    const warning = document.createElement("p");
    warning.className = "search-result__note";
    warning.textContent = `Content note: ${note}`;
    text.append(warning);
  }
  const excerpt = sentenceExcerpt(data) ?? (data.excerpt ? excerptNodes(data.excerpt) : null);
  if (excerpt) {
    const paragraph = document.createElement("p");
    paragraph.className = "search-result__excerpt";
    paragraph.append(excerpt);
    if (note) {
      const shown = document.createElement("details");
      shown.className = "search-result__found";
      const summary = document.createElement("summary");
      summary.textContent = "Show the words found";
      shown.append(summary, paragraph);
      text.append(shown);
    } else {
      text.append(paragraph);
    }
  }
  item.append(text);
  // The page's lead picture, small: kept as a filter value (filters are not searched, metadata is), its
  // address relative to the result's page. It repeats what the title says, so it is decorative: empty alt,
  // and not a second link.
  const thumbnail = data.filters?.image?.[0];
  const picture = thumbnail ? safeUrl(thumbnail, href) : null;
  if (picture) {
    const image = document.createElement("img");
    image.className = "search-result__image";
    image.src = picture;
    image.alt = "";
    image.loading = "lazy";
    image.decoding = "async";
    image.width = 96;
    image.height = 96;
    item.classList.add("search-result--with-image");
    item.append(image);
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
  const parts = Object.entries(chosen).map(([name, value]) =>
    name === "kind" ? `only ${kindName(value, 2)}` : `${labels[name]}: ${value}`);
  const filtered = parts.length ? ` (${parts.join("; ")})` : "";
  return query ? `for '${query}'${filtered}` : `in ${parts.join("; ")}`;
}

// "8 stories, 3 artworks and 1 project", when the results are of more than one kind.
function byKind(counts) {
  const kinds = Object.entries(counts ?? {}).filter(([kind, count]) => count > 0 && !kind.startsWith("_"));
  if (kinds.length < 2) return "";
  kinds.sort(([a], [b]) => (KIND_ORDER.indexOf(a) + 1 || 99) - (KIND_ORDER.indexOf(b) + 1 || 99));
  return listed(kinds.map(([kind, count]) => `${count} ${kindName(kind, count)}`));
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
  const kinds = chosen.kind ? "" : byKind(found.filters?.kind);
  summary = `${results.length ? plural(results.length, "result") : "No results"} ${describe(query, chosen)}`
    + (kinds ? `: ${kinds}` : "");
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
    const values = Object.keys(available?.[name] ?? {});
    if (name === "kind") {
      values.sort((a, b) => (KIND_ORDER.indexOf(a) + 1 || 99) - (KIND_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
    } else {
      values.sort((a, b) => a.localeCompare(b));
    }
    for (const value of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = name === "kind" ? kindLabel(value) : value;
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
    await pagefind.options({ excerptLength: EXCERPT_WORDS });
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
