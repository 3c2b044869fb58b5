// "Look closer": an artwork's deep-zoom tiles in a dialog (templates/_zoom.html). OpenSeadragon
// (assets/openseadragon/, BSD-3-Clause) is loaded only when the button is pressed. Without JavaScript, or in a
// browser without <dialog>, the button stays hidden and the page's link to the full-size image remains.
(function () {
  "use strict";
  var opener = document.getElementById("zoom-open");
  var dialog = document.getElementById("zoom-dialog");
  if (!opener || !dialog || typeof dialog.showModal !== "function" || !window.Promise || !window.URL) return;
  var area = document.getElementById("zoom-viewer");
  var status = dialog.querySelector(".zoom-dialog__status");
  var frame = dialog.querySelector(".zoom-dialog__frame"); // what goes full screen (a <dialog> may not)
  var fullScreen = dialog.querySelector('[data-zoom="fullscreen"]');
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var viewer = null;
  var loading = null;

  opener.hidden = false;
  if (!document.fullscreenEnabled || !frame.requestFullscreen) fullScreen.hidden = true;

  function loadOpenSeadragon() {
    if (window.OpenSeadragon) return Promise.resolve();
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = opener.getAttribute("data-viewer");
        script.onload = resolve;
        script.onerror = function () {
          loading = null; // pressing the button again tries again
          script.remove();
          reject(new Error("OpenSeadragon did not load"));
        };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function tileSource() {
    // The tiles' IIIF Image API service, its id made absolute from this page's own address (IIIF ids must be
    // absolute), so that it works at any address the site is published at, and opened from disk.
    var info = JSON.parse(opener.getAttribute("data-tiles"));
    info.id = new URL(info.id, document.baseURI).href;
    return info;
  }

  function say(text) {
    status.textContent = text;
  }

  function start() {
    viewer = window.OpenSeadragon({
      element: area,
      tileSources: tileSource(),
      drawer: "canvas", // WebGL refuses images opened from disk; a 2D canvas shows them
      showNavigationControl: false, // our own buttons, which have names
      visibilityRatio: 1,
      maxZoomPixelRatio: 2,
      animationTime: reduceMotion ? 0 : 1.2,
      springStiffness: reduceMotion ? 100 : 6.5,
      zoomPerSecond: reduceMotion ? 2 : 1,
      gestureSettingsTouch: { flickEnabled: !reduceMotion },
      gestureSettingsMouse: { flickEnabled: false }
    });
    var canvas = viewer.canvas;
    canvas.setAttribute("role", "application");
    canvas.setAttribute("aria-roledescription", "zoomable image");
    canvas.setAttribute("aria-label", area.getAttribute("data-label"));
    canvas.setAttribute("aria-describedby", "zoom-hint");
    viewer.addOnceHandler("open", function () { say(""); });
    viewer.addHandler("open-failed", function () {
      say("The zoomable image could not be opened. Close this, and use the link to the full-size image instead.");
    });
  }

  // Focus goes to the image without scrolling the dialog: in a short window (a phone held sideways, a page
  // zoomed to 400 %) the title and the Close button stay in view above it.
  function focusImage() {
    viewer.canvas.focus({ preventScroll: true });
    dialog.scrollTop = 0;
  }

  function open() {
    dialog.showModal();
    if (viewer) {
      focusImage();
      return;
    }
    say("Loading the zoomable image…");
    loadOpenSeadragon().then(function () {
      if (!viewer) start();
      if (dialog.open) focusImage();
    }, function () {
      say("The viewer could not be loaded. Close this, and use the link to the full-size image instead.");
    });
  }

  function toggleFullScreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      frame.requestFullscreen().catch(function () {
        say("This browser did not allow full screen.");
      });
    }
  }

  opener.addEventListener("click", open);

  dialog.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-zoom]");
    if (!button) return;
    var action = button.getAttribute("data-zoom");
    if (action === "close") {
      dialog.close();
    } else if (action === "fullscreen") {
      toggleFullScreen();
    } else if (viewer && viewer.viewport) {
      if (action === "in") viewer.viewport.zoomBy(viewer.zoomPerClick);
      if (action === "out") viewer.viewport.zoomBy(1 / viewer.zoomPerClick);
      if (action === "home") viewer.viewport.goHome();
      viewer.viewport.applyConstraints();
    }
  });

  document.addEventListener("fullscreenchange", function () {
    fullScreen.setAttribute("aria-pressed", document.fullscreenElement === frame ? "true" : "false");
  });

  dialog.addEventListener("close", function () {
    if (document.fullscreenElement === frame) document.exitFullscreen();
    opener.focus(); // back where the reader was
  });
})();
