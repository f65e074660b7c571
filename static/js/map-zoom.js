// Zoom and pan for the server-drawn maps (svg[data-map-zoom]): buttons, double-click and
// dragging change the SVG's viewBox. Without this script the map is whole and every
// marker a link; markers keep their size on screen as the map grows.
(function () {
  "use strict";

  var MAX_ZOOM = 8;

  function setUp(svg) {
    var box = svg.viewBox.baseVal;
    var full = { x: box.x, y: box.y, width: box.width, height: box.height };
    var view = { x: full.x, y: full.y, width: full.width, height: full.height };
    var zoom = 1;
    var markers = Array.prototype.slice.call(svg.querySelectorAll(".marker"));
    var placed = markers.map(function (marker) { return marker.getAttribute("transform"); });

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.width, view.height].join(" "));
      markers.forEach(function (marker, index) {
        marker.setAttribute("transform", placed[index] + " scale(" + (1 / zoom) + ")");
      });
    }

    function clamp() {
      view.x = Math.min(Math.max(view.x, full.x), full.x + full.width - view.width);
      view.y = Math.min(Math.max(view.y, full.y), full.y + full.height - view.height);
    }

    function zoomAt(factor, x, y) {
      var next = Math.min(MAX_ZOOM, Math.max(1, zoom * factor));
      factor = next / zoom;
      if (factor === 1) { return; }
      zoom = next;
      view.x = x - (x - view.x) / factor;
      view.y = y - (y - view.y) / factor;
      view.width = full.width / zoom;
      view.height = full.height / zoom;
      clamp();
      apply();
    }

    function centre() {
      return [view.x + view.width / 2, view.y + view.height / 2];
    }

    function button(label, action) {
      var element = document.createElement("button");
      element.type = "button";
      element.textContent = label;
      element.addEventListener("click", action);
      return element;
    }

    var controls = document.createElement("div");
    controls.className = "map-controls";
    controls.appendChild(button(svg.getAttribute("data-text-zoom-in") || "Zoom in", function () { zoomAt(1.5, centre()[0], centre()[1]); }));
    controls.appendChild(button(svg.getAttribute("data-text-zoom-out") || "Zoom out", function () { zoomAt(1 / 1.5, centre()[0], centre()[1]); }));
    controls.appendChild(button(svg.getAttribute("data-text-whole-map") || "Whole map", function () {
      zoom = 1;
      view = { x: full.x, y: full.y, width: full.width, height: full.height };
      apply();
    }));
    svg.parentNode.insertBefore(controls, svg);

    function pointAt(event) {
      var rect = svg.getBoundingClientRect();
      return [
        view.x + (event.clientX - rect.left) * view.width / rect.width,
        view.y + (event.clientY - rect.top) * view.height / rect.height
      ];
    }

    svg.addEventListener("dblclick", function (event) {
      event.preventDefault();
      var point = pointAt(event);
      zoomAt(event.shiftKey ? 1 / 2 : 2, point[0], point[1]);
    });

    var drag = null;
    var dragged = false;
    svg.addEventListener("pointerdown", function (event) {
      if (zoom === 1 || event.button !== 0) { return; }
      drag = { x: event.clientX, y: event.clientY };
      dragged = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var rect = svg.getBoundingClientRect();
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) { return; }
      if (!dragged) { svg.setPointerCapture(event.pointerId); }
      dragged = true;
      svg.classList.add("panning");
      view.x -= dx * view.width / rect.width;
      view.y -= dy * view.height / rect.height;
      drag = { x: event.clientX, y: event.clientY };
      clamp();
      apply();
    });
    function stop() {
      drag = null;
      svg.classList.remove("panning");
    }
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    // A drag that ends on a marker does not follow its link.
    svg.addEventListener("click", function (event) {
      if (dragged) {
        event.preventDefault();
        dragged = false;
      }
    }, true);
  }

  Array.prototype.forEach.call(document.querySelectorAll("svg[data-map-zoom]"), setUp);
})();
