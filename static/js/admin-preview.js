// Live preview of an article's body in the admin: the rendered, sanitised Markdown (the
// server renders it with the site's own renderer), the reading time and the names found.
// Progressive enhancement: without it the form saves as usual.
(function () {
  "use strict";

  function start() {
    var body = document.getElementById("id_body");
    var config = document.getElementById("article-preview-config");
    var form = body && body.form;
    if (!form || !config || !window.fetch) return;
    var previewUrl = config.dataset.url;

    var panel = document.createElement("section");
    panel.className = "article-preview";
    panel.setAttribute("aria-live", "polite");
    panel.setAttribute("aria-label", "Preview");
    var heading = document.createElement("h2");
    heading.textContent = "Preview";
    var meta = document.createElement("p");
    meta.className = "article-preview-meta";
    var rendered = document.createElement("div");
    rendered.className = "article-preview-body";
    panel.append(heading, meta, rendered);
    body.closest(".form-row").after(panel);

    var timer = null;
    function refresh() {
      var data = new FormData();
      ["title", "standfirst", "body"].forEach(function (name) {
        var field = form.elements[name];
        data.append(name, field ? field.value : "");
      });
      data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      fetch(previewUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          // 400: the server refuses this text, and says why (the form will refuse it too).
          if (response.status === 400) {
            return response.json().then(function (result) {
              throw { refusal: result.error };
            });
          }
          if (!response.ok) throw new Error(response.statusText);
          return response.json();
        })
        .then(function (result) {
          // The HTML was sanitised by the server's renderer (nh3) before it left.
          rendered.innerHTML = result.html;
          var names = result.found.map(function (f) { return f.name; });
          meta.textContent =
            result.reading_minutes + " min read" +
            (names.length ? " · names found: " + names.join(", ") : "") +
            (result.new_names.length
              ? " · new names: " + result.new_names.map(function (n) { return n.name; }).join(", ")
              : "");
        })
        .catch(function (error) {
          if (error && error.refusal) {
            rendered.textContent = "";
            meta.textContent = error.refusal;
          } else {
            meta.textContent = "Preview unavailable; saving still works.";
          }
        });
    }
    form.addEventListener("input", function (event) {
      if (["title", "standfirst", "body"].indexOf(event.target.name) === -1) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
