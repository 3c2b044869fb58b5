// The preview's editor (`serve`, /admin/): each page remembers which version of each entry it was given, and a save
// says it, so that a save over a version changed since (in another tab or window, or on disk) is refused instead of
// undoing that change. Decap CMS's local backend says nothing of versions; this wraps the page's fetch before Decap
// loads. (Inline in the page, allowed by its hash in the page's Content-Security-Policy.)
(() => {
  "use strict";
  const api = new URL("/admin/api/v1", location.href).href;
  const given = new Map(); // entry path -> the version (SHA-256 of the file) this page was given or saved
  const fetchAsDecap = window.fetch.bind(window);
  const note = (file) => {
    if (file && typeof file.path === "string" && typeof file.id === "string") given.set(file.path, file.id);
  };
  window.fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input.url, location.href).href;
    if (url !== api || !init || typeof init.body !== "string") return fetchAsDecap(input, init);
    let request;
    try {
      request = JSON.parse(init.body);
    } catch {
      return fetchAsDecap(input, init);
    }
    if (request && request.action === "persistEntry" && request.params) {
      const files = request.params.dataFiles || (request.params.entry ? [request.params.entry] : []);
      const opened = {};
      for (const file of files) if (file && given.has(file.path)) opened[file.path] = given.get(file.path);
      request.params.opened = opened;
      init = { ...init, body: JSON.stringify(request) };
    }
    const response = await fetchAsDecap(input, init);
    if (response.ok && request) {
      try {
        const data = await response.clone().json();
        if (["getEntry", "entriesByFiles", "entriesByFolder"].includes(request.action)) {
          for (const entry of Array.isArray(data) ? data : [data]) note(entry && entry.file);
        } else if (request.action === "persistEntry" && data && data.versions) {
          for (const [path, id] of Object.entries(data.versions)) given.set(path, id);
        }
      } catch {
        // not JSON: nothing to remember
      }
    }
    return response;
  };
})();
