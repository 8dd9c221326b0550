// The query page. With Yasqe (YASGUI's SPARQL editor, vendored in /static/vendor/yasqe/) the
// textarea becomes an editor with highlighting, syntax checks, our prefixes (typing `vnkg:`
// declares it) and variable completion; Ctrl/Cmd+Enter runs the query through the page's form,
// so results, limits and the shareable /query?query=… URL stay the server's. Nothing is fetched
// from elsewhere: prefix.cc and LOV completion are off. Without Yasqe (or without scripts) the
// plain textarea works as before.
(function () {
  "use strict";
  var area = document.getElementById("query");
  var form = document.getElementById("query-form");
  if (!area || !form) { return; }
  var editor = null;

  function value() { return editor ? editor.getValue() : area.value; }
  function setValue(text) {
    area.value = text;
    if (editor) { editor.setValue(text); editor.focus(); } else { area.focus(); }
  }
  function run() {
    area.value = value();
    form.submit();
  }
  function shareUrl(text) {
    return window.location.origin + "/query?" + new URLSearchParams({ query: text }).toString();
  }

  var Yasqe = window.Yasqe;
  if (Yasqe && typeof Yasqe.forkAutocompleter === "function") {
    var declared = {};
    var data = document.getElementById("vnkg-prefixes");
    try { declared = JSON.parse(data ? data.textContent : "{}"); } catch (e) { declared = {}; }
    var known = Object.keys(declared).sort().map(function (p) { return p + ": <" + declared[p] + ">"; });
    // The prefixes completer, fed from our namespaces instead of prefix.cc.
    Yasqe.forkAutocompleter("prefixes", {
      name: "vnkgPrefixes",
      persistenceId: null,
      get: function () { return Promise.resolve(known); }
    });
    // Set on the defaults: a config passed to the constructor is merged into them item by item,
    // which would keep the LOV property and class completers (they query a remote service).
    Yasqe.defaults.autocompleters = ["vnkgPrefixes", "variables"];
    var holder = document.createElement("div");
    holder.className = "yasqe-holder";
    area.parentNode.insertBefore(holder, area);
    area.hidden = true;
    editor = new Yasqe(holder, {
      value: area.value,
      persistenceId: null,          // the page's query, not one remembered in localStorage
      showQueryButton: false,       // the form's Run button runs it
      resizeable: true,
      editorHeight: "320px",
      consumeShareLink: null,
      createShareableLink: function (y) { return shareUrl(y.getValue()); },
      requestConfig: { endpoint: "/sparql", method: "POST" },
      extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run }
    });
    editor.on("change", function () { area.value = editor.getValue(); });
    // Ctrl/Cmd+Enter runs the query even while a completion list is open (seen before the editor)
    holder.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        ev.stopPropagation();
        run();
      }
    }, true);
    form.addEventListener("submit", function () { area.value = value(); });
    document.body.classList.add("has-yasqe");
  } else {
    area.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        run();
      } else if (ev.key === "Tab" && !ev.shiftKey && !ev.ctrlKey && !ev.altKey) {
        ev.preventDefault();
        var s = area.selectionStart, e = area.selectionEnd;
        area.value = area.value.slice(0, s) + "  " + area.value.slice(e);
        area.selectionStart = area.selectionEnd = s + 2;
      }
    });
  }

  var links = document.querySelectorAll("a[data-example]");
  Array.prototype.forEach.call(links, function (a) {
    a.addEventListener("click", function (ev) {
      var tpl = document.getElementById("example-" + a.getAttribute("data-example"));
      if (!tpl) { return; }
      ev.preventDefault();
      setValue(tpl.content ? tpl.content.textContent : tpl.textContent);
    });
  });
})();
