// newsmine review page: light a quote while the mouse is on its speaker or cue, and back.
// Inlined into the HTML file; it only toggles classes, never the text.
(function () {
  function light(ids, on) {
    ids.forEach(function (id) {
      document.querySelectorAll('.quote[data-id="' + CSS.escape(id) + '"]').forEach(function (q) {
        q.classList.toggle('lit', on);
      });
    });
  }
  document.querySelectorAll('[data-quotes]').forEach(function (el) {
    var ids = el.getAttribute('data-quotes').split(' ');
    el.addEventListener('mouseenter', function () { light(ids, true); });
    el.addEventListener('mouseleave', function () { light(ids, false); });
  });
  document.querySelectorAll('.quote').forEach(function (q) {
    var mine = Array.prototype.filter.call(document.querySelectorAll('[data-quotes]'), function (el) {
      return el.getAttribute('data-quotes').split(' ').indexOf(q.getAttribute('data-id')) >= 0;
    });
    q.addEventListener('mouseenter', function () { mine.forEach(function (el) { el.classList.add('lit'); }); });
    q.addEventListener('mouseleave', function () { mine.forEach(function (el) { el.classList.remove('lit'); }); });
  });
  document.body.setAttribute('data-script', 'ready');
})();
