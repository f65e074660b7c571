// Entities found as you type, in the admin: a WAI-ARIA combobox
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/) over the entity lookup's JSON.
//
// On the article form it adds tags in place: each entity chosen becomes a chip of its kind,
// and when there are many tags a filter shows only those whose name holds what is typed.
// On the names-to-add queue it fills an "alias of" box with the entity chosen.
//
// Progressive enhancement only: without it, the chips' checkboxes remove tags and the
// "Add tags" box takes names, one a line, when the form is saved; the queue's boxes take a
// name or kind:slug. What is chosen is written into those same boxes (as kind:slug), so the
// forms save it as they save what is typed. Results are written with textContent, never
// parsed as HTML.
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var FILTER_FROM = 12;
  var finders = 0;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  // Turns ``input`` into a combobox of the entities ``url`` finds; ``choose(result)`` is
  // called with the one chosen. ``describe(result)`` may add to an option's description.
  function combobox(input, url, choose, describe) {
    finders += 1;
    var wrapper = element("span", "entity-finder");
    var listbox = element("ul", "tag-suggestions");
    var status = element("span", "visually-hidden");
    listbox.id = "entity-finder-" + finders;
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Entities");
    listbox.hidden = true;
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");
    input.before(wrapper);
    wrapper.append(input, listbox, status);

    var results = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = listbox.querySelectorAll("li");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
    }

    function pick(index) {
      var result = results[index];
      close();
      if (result) status.textContent = choose(result) || "";
    }

    function show(found) {
      results = found;
      listbox.textContent = "";
      found.forEach(function (result, index) {
        var option = element("li");
        option.id = listbox.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var meta = result.kind_label + ", " + plural(result.articles, "article");
        option.append(
          element("span", "", result.name),
          " ",
          element("span", "tag-suggestion-meta", meta + (describe ? describe(result) : ""))
        );
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(index);
        });
        listbox.append(option);
      });
      listbox.hidden = !found.length;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      status.textContent = found.length ? plural(found.length, "entity") + " found" : "None found";
      active = -1;
    }

    function search() {
      var text = input.value.trim();
      if (controller) controller.abort();
      if (text.length < 2 || text.indexOf(":") !== -1) {
        close();
        return;
      }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.statusText);
          return response.json();
        })
        .then(function (data) { show(data.results || []); })
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          close();
          status.textContent = "Names could not be looked up; type the name instead.";
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DEBOUNCE_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && results.length;
      if (event.key === "ArrowDown" && results.length) {
        event.preventDefault();
        if (listbox.hidden) show(results);
        highlight((active + 1) % results.length);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? results.length - 1 : active - 1);
      } else if (event.key === "Enter" && open) {
        // Enter chooses; it submits nothing while the list is open.
        event.preventDefault();
        pick(active >= 0 ? active : 0);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  function setUpFilter(chips) {
    var total = Number(chips.dataset.tagTotal || 0);
    if (total < FILTER_FROM) return;
    var label = element("label", "", "Filter tags");
    var input = element("input", "vTextField");
    input.type = "search";
    input.id = chips.id + "-filter";
    label.htmlFor = input.id;
    var shown = element("span", "tag-filter-status");
    shown.setAttribute("role", "status");
    var wrapper = element("p", "tag-filter");
    wrapper.append(label, " ", input, " ", shown);
    chips.before(wrapper);
    input.addEventListener("input", function () {
      var text = input.value.trim().toLowerCase();
      var count = 0;
      chips.querySelectorAll(".tag-chip").forEach(function (chip) {
        var match = !text || (chip.dataset.name || "").indexOf(text) !== -1;
        chip.hidden = !match;
        if (match) count += 1;
      });
      chips.querySelectorAll(".tag-kind").forEach(function (group) {
        group.hidden = !group.querySelector(".tag-chip:not([hidden])");
      });
      shown.textContent = text ? count + " of " + total + " shown" : "";
    });
  }

  function setUpAdder(chips, box) {
    var url = box.dataset.lookupUrl;
    var row = box.closest(".form-row") || box.parentNode;
    var adder = element("div", "tag-adder");
    var label = element("label", "", "Add a tag");
    var input = element("input", "vTextField");
    input.id = box.id + "-finder";
    input.placeholder = "Type a name";
    label.htmlFor = input.id;
    adder.append(label, " ", input);
    row.before(adder);
    // The box stays in the form (it is what is saved), out of sight.
    row.hidden = true;

    function added() {
      return box.value.split(/[\n,]/).map(function (t) { return t.trim(); }).filter(Boolean);
    }

    function tagged(result) {
      var value = String(result.id);
      return Array.prototype.some.call(chips.querySelectorAll(".tag-chip-remove"), function (c) {
        return c.value === value;
      });
    }

    function group(kind, plural) {
      var existing = chips.querySelector('.tag-kind[data-kind="' + kind + '"]');
      if (existing) return existing.querySelector(".tag-chip-list");
      var fieldset = element("fieldset", "tag-kind");
      fieldset.dataset.kind = kind;
      var list = element("ul", "tag-chip-list");
      fieldset.append(element("legend", "", plural), list);
      chips.append(fieldset);
      var empty = chips.querySelector(".tag-chips-empty");
      if (empty) empty.remove();
      return list;
    }

    function choose(result) {
      var token = result.kind + ":" + result.slug;
      input.value = "";
      if (tagged(result) || added().indexOf(token) !== -1) return result.name + " is tagged already";
      box.value = added().concat([token]).join("\n");
      var chip = element("li", "tag-chip origin-editor is-pending");
      chip.dataset.name = result.name.toLowerCase();
      var remove = element("button", "", "×");
      remove.type = "button";
      remove.setAttribute("aria-label", "Do not add " + result.name);
      remove.addEventListener("click", function () {
        box.value = added().filter(function (t) { return t !== token; }).join("\n");
        chip.remove();
        input.focus();
      });
      chip.append(
        element("span", "tag-chip-name", result.name),
        " ",
        element("span", "tag-chip-meta", "added when you save"),
        remove
      );
      group(result.kind, result.kind_plural).append(chip);
      return result.name + " will be added when you save";
    }

    combobox(input, url, choose, function (result) {
      return tagged(result) ? ", tagged already" : "";
    });
  }

  function start() {
    if (!window.fetch) return;
    var chips = document.querySelector(".tag-chips");
    if (chips) setUpFilter(chips);
    var box = document.querySelector("textarea.add-tags");
    if (chips && box && box.dataset.lookupUrl) setUpAdder(chips, box);
    document.querySelectorAll("input[data-entity-lookup]").forEach(function (input) {
      combobox(input, input.dataset.entityLookup, function (result) {
        input.value = result.kind + ":" + result.slug;
        return result.name + " chosen";
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
