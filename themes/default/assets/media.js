// Videos hosted elsewhere are loaded only when the reader asks: nothing is fetched from the host before the click.
(function () {
  if (window.showcaseMedia) return;
  window.showcaseMedia = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".facade__play");
    if (!link) return;
    var facade = link.closest(".facade");
    var embed = facade && facade.getAttribute("data-embed");
    if (!embed) return; // an unknown host: follow the link to the video's own page
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = embed + (embed.indexOf("?") < 0 ? "?" : "&") + "autoplay=1";
    frame.title = facade.getAttribute("data-title") || "Video";
    frame.allow = "autoplay; fullscreen; picture-in-picture";
    frame.setAttribute("allowfullscreen", "");
    frame.loading = "lazy";
    facade.replaceChildren(frame);
    frame.focus();
  });
})();
