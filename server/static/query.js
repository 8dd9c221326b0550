// The query page: Ctrl/Cmd+Enter runs the query, Tab indents, example links fill the editor.
// Plain script, no library; the page works without it.
(function () {
  "use strict";
  var area = document.getElementById("query");
  var form = document.getElementById("query-form");
  if (!area || !form) { return; }
  area.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      form.submit();
    } else if (ev.key === "Tab" && !ev.shiftKey && !ev.ctrlKey && !ev.altKey) {
      ev.preventDefault();
      var s = area.selectionStart, e = area.selectionEnd;
      area.value = area.value.slice(0, s) + "  " + area.value.slice(e);
      area.selectionStart = area.selectionEnd = s + 2;
    }
  });
  var links = document.querySelectorAll("a[data-example]");
  Array.prototype.forEach.call(links, function (a) {
    a.addEventListener("click", function (ev) {
      var tpl = document.getElementById("example-" + a.getAttribute("data-example"));
      if (!tpl) { return; }
      ev.preventDefault();
      area.value = tpl.content ? tpl.content.textContent : tpl.textContent;
      area.focus();
    });
  });
})();
