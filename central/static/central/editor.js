/* The flow editor: the screen-length budget as the editor types (the server checks the
   same limits, kiosk/flows/limits.py: a full-width character 1 unit, any other 0.5), and
   the condition builder that writes a branch's `when` in the kiosk's expression syntax. */
(function () {
  "use strict";
  var WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/;
  function units(text) {
    var n = 0;
    for (var ch of text) { n += (WIDE.test(ch) || ch.codePointAt(0) > 0x1FFFF) ? 1 : 0.5; }
    return n;
  }
  function budget(field) {
    var limit = parseFloat(field.dataset.limit);
    var out = field.parentNode.querySelector(".budget");
    if (!out || !limit) { return; }
    var parts = field.dataset.lines ? field.value.split("\n") : [field.value];
    var worst = 0;
    parts.forEach(function (p) { worst = Math.max(worst, units(p.trim())); });
    out.textContent = worst + " / " + limit;
    out.classList.toggle("over", worst > limit);
  }
  document.querySelectorAll("[data-limit]").forEach(function (field) {
    budget(field);
    field.addEventListener("input", function () { budget(field); });
  });
  var add = document.getElementById("cb-add");
  if (add) {
    var varSel = document.getElementById("cb-var");
    var values = document.getElementById("cb-values");
    var fillValues = function () {
      values.innerHTML = "";
      var opt = varSel.selectedOptions[0];
      if (!opt) { return; }
      (opt.dataset.choices || "").split("|").filter(Boolean).forEach(function (pair) {
        var o = document.createElement("option");
        o.value = pair.split("=")[0]; o.label = pair.slice(pair.indexOf("=") + 1);
        values.appendChild(o);
      });
      (document.getElementById("cb-value").dataset.rules || "").split("|").filter(Boolean).forEach(function (rule) {
        var o = document.createElement("option");
        o.value = "rules." + rule; o.label = rule;
        values.appendChild(o);
      });
    };
    varSel.addEventListener("change", fillValues);
    fillValues();
    add.addEventListener("click", function () {
      var opt = varSel.selectedOptions[0];
      if (!opt) { return; }
      var name = opt.value, type = opt.dataset.type, op = document.getElementById("cb-op").value;
      var value = document.getElementById("cb-value").value.trim();
      var cond;
      if (op === "not") { cond = "not " + name; }
      else if (op === "is" && type === "bool") { cond = (value === "false" || value === "no" || value === "否") ? "not " + name : name; }
      else {
        var lit = value;
        if (type === "text" && !/^rules\./.test(value)) { lit = "'" + value.replace(/'/g, "") + "'"; }
        cond = name + " " + (op === "is" ? "==" : op) + " " + lit;
      }
      var target = document.querySelector("[name='" + document.getElementById("cb-target").value + "']");
      if (target) { target.value = target.value.trim() ? target.value.trim() + " and " + cond : cond; target.focus(); }
    });
  }
  document.querySelectorAll("input.law").forEach(function (law) {
    var article = law.closest(".basis").querySelector("input.article");
    if (!article) { return; }
    var list = document.createElement("datalist");
    list.id = "articles-" + law.name.replace(/[^a-z0-9]/gi, "");
    document.body.appendChild(list);
    article.setAttribute("list", list.id);
    var load = function () {
      if (!law.value.trim()) { return; }
      fetch("/admin/flows/laws.json?law=" + encodeURIComponent(law.value.trim()), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : {articles: []}; })
        .then(function (data) {
          list.innerHTML = "";
          data.articles.slice(0, 2000).forEach(function (a) { var o = document.createElement("option"); o.value = a; list.appendChild(o); });
        });
    };
    law.addEventListener("change", load);
    load();
  });
}());
