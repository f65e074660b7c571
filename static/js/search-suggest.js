/*
 * Search suggestions: turns the site search box into a WAI-ARIA combobox with a listbox
 * of entities (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).
 *
 * Progressive enhancement only: without JavaScript, or if a request fails, the box is a
 * plain GET form. Suggestions come from the input's data-suggest-url as JSON and are
 * written with textContent, never parsed as HTML.
 *
 * Keys: Down/Up move through the suggestions, Enter opens the highlighted one (or submits
 * the search when none is highlighted), Escape closes the list (a second Escape clears the
 * box).
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var MIN_LENGTH = 2;

  function sameOrigin(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch (error) {
      return false;
    }
  }

  // The words come from the page (data-text-* attributes on the box), in its language, and
  // so do the digits and thousands separator a count is written with (۱۲ in Pashto and
  // Dari, 12 in English and Urdu: articles/numerals.py).
  function words(input) {
    var digits = input.getAttribute("data-digits") || "0123456789";
    var thousands = input.getAttribute("data-thousands") || ",";
    function text(name, fallback) {
      return input.getAttribute("data-text-" + name) || fallback;
    }
    function counted(count, one, many) {
      var written = String(count)
        .replace(/\B(?=(\d{3})+$)/g, "\u0000")
        .replace(/\d/g, function (digit) { return digits.charAt(Number(digit)); })
        .replace(/\u0000/g, thousands);
      return (count === 1 ? one : many).replace("%s", written);
    }
    return {
      suggestions: text("suggestions", "Suggestions"),
      articles: function (count) {
        return counted(count, text("article", "%s article"), text("articles", "%s articles"));
      },
      found: function (count) {
        return counted(
          count,
          text("suggestion", "%s suggestion: use the up and down arrow keys to choose."),
          text("suggestions-found", "%s suggestions: use the up and down arrow keys to choose.")
        );
      }
    };
  }

  function setUp(input) {
    var endpoint = input.getAttribute("data-suggest-url");
    var say = words(input);
    var listbox = document.createElement("ul");
    var status = document.createElement("div");
    var options = [];
    var results = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var shownFor = null;

    listbox.id = input.id + "-suggestions";
    listbox.className = "search-suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", say.suggestions);
    listbox.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");
    input.parentNode.classList.add("has-suggestions");
    input.insertAdjacentElement("afterend", listbox);
    listbox.insertAdjacentElement("afterend", status);

    function setActive(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function go(index) {
      var url = results[index] && results[index].url;
      if (url && sameOrigin(url)) {
        window.location.assign(url);
      }
    }

    function option(result, index) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      var meta = document.createElement("span");
      item.id = listbox.id + "-" + index;
      item.className = "suggestion";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      name.className = "suggestion-name";
      name.textContent = result.name;
      item.appendChild(name);
      if (result.matched && result.matched !== result.name) {
        var alias = document.createElement("span");
        alias.className = "suggestion-alias";
        alias.textContent = result.matched;
        item.appendChild(document.createTextNode(" "));
        item.appendChild(alias);
      }
      meta.className = "suggestion-meta";
      meta.textContent = result.kind_label + " · " + say.articles(result.article_count);
      item.appendChild(meta);
      // Keep the focus in the box while clicking, so the list does not close first.
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      item.addEventListener("click", function () {
        go(index);
      });
      return item;
    }

    function show(query, found) {
      shownFor = query;
      results = Array.isArray(found) ? found : [];
      options = results.map(option);
      listbox.replaceChildren.apply(listbox, options);
      setActive(-1);
      status.textContent = results.length ? say.found(results.length) : "";
      if (results.length) {
        open();
      } else {
        close();
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        show(query, []);
        return;
      }
      if (query === shownFor) {
        open();
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var url = endpoint + "?" + new URLSearchParams({ q: query }).toString();
      fetch(url, {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("Suggestions unavailable: " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (input.value.trim() === query) {
            show(query, data && data.results);
          }
        })
        .catch(function () {
          // Suggestions are optional: the search form works without them.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.isComposing) {
        return;
      }
      switch (event.key) {
        case "ArrowDown":
          if (!options.length) {
            return;
          }
          event.preventDefault();
          if (listbox.hidden) {
            open();
          }
          setActive(active + 1 < options.length ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!options.length) {
            return;
          }
          event.preventDefault();
          if (listbox.hidden) {
            open();
          }
          setActive(active > 0 ? active - 1 : options.length - 1);
          break;
        case "Enter":
          if (!listbox.hidden && active >= 0) {
            event.preventDefault();
            go(active);
          }
          break;
        case "Escape":
          if (!listbox.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            show("", []);
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
    });
  }

  function init() {
    if (typeof window.fetch !== "function" || typeof URLSearchParams !== "function") {
      return;
    }
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    Array.prototype.forEach.call(inputs, setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
