// An exhibition's walk: the left and right arrow keys follow the page's links to the previous and the next stop
// (marked data-walk). Only plain arrow keys: with Alt, Ctrl, Shift or a screen reader's own modifier they are left
// to the browser and to assistive technology, and never while focus is in a field, a player or a widget that uses
// the arrow keys itself. Screen readers in browse mode keep the arrow keys for reading. The page says so in words.
(function () {
  if (window.showcaseWalk) return;
  window.showcaseWalk = true;
  var links = { ArrowLeft: document.querySelector('[data-walk="previous"]'),
                ArrowRight: document.querySelector('[data-walk="next"]') };
  if (!links.ArrowLeft && !links.ArrowRight) return;
  document.querySelectorAll(".walk-keys").forEach(function (note) { note.hidden = false; });
  var busy = "input, textarea, select, button, audio, video, iframe, [contenteditable], [role=slider], " +
             "[role=spinbutton], [role=tablist], [role=tab], [role=menu], [role=menubar], [role=listbox], " +
             "[role=grid], [role=tree], [role=radiogroup], [role=combobox], [role=application], " +
             ".table-scroll";  // a wide table's box: the arrows scroll it
  document.addEventListener("keydown", function (event) {
    var link = links[event.key];
    if (!link || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.isComposing) return;
    var target = event.target;
    if (target instanceof Element && (target.closest(busy) || target.isContentEditable)) return;
    event.preventDefault();
    window.location.assign(link.href);
  });
})();
