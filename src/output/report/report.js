// Filters and search of report.html. The state lives in the URL fragment
// (#status=incomplete&region=…&code=…&q=…), so a filtered view can be bookmarked, sent, or
// opened directly; sections are shown or hidden through their data- attributes.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var inputs = { status: $("f-status"), region: $("f-region"), code: $("f-code"), q: $("f-q") };
  var records = Array.prototype.slice.call(document.querySelectorAll("details.rec"));
  var count = $("f-count");

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    Object.keys(inputs).forEach(function (k) { inputs[k].value = params.get(k) || ""; });
  }

  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(inputs).forEach(function (k) { if (inputs[k].value) params.set(k, inputs[k].value); });
    var s = params.toString();
    history.replaceState(null, "", s ? "#" + s : location.pathname + location.search);
  }

  function matches(d, status, region, code, q) {
    if (status && (status === "review" ? d.review !== "1" : d.status !== status)) return false;
    if (region && d.region !== region) return false;
    if (code && (" " + d.codes + " ").indexOf(" " + code + " ") < 0) return false;
    return !q || d.search.indexOf(q) >= 0;
  }

  function apply() {
    var status = inputs.status.value, region = inputs.region.value, code = inputs.code.value;
    var q = inputs.q.value.trim().toLowerCase();
    var shown = 0;
    records.forEach(function (r) {
      var ok = matches(r.dataset, status, region, code, q);
      r.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = "显示 " + shown + " / " + records.length + " 份";
  }

  Object.keys(inputs).forEach(function (k) {
    inputs[k].addEventListener(k === "q" ? "input" : "change", function () { writeHash(); apply(); });
  });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  $("f-open").addEventListener("click", function () { records.forEach(function (r) { if (!r.hidden) r.open = true; }); });
  $("f-close").addEventListener("click", function () { records.forEach(function (r) { r.open = false; }); });
  readHash();
  apply();
})();
