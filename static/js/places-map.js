/* The places map: Leaflet (static/vendor/leaflet) with no tile server, China's province
   outlines from static/vendor/china-provinces, the catalog's places from the page's
   #places-map-data (public/maps.py). Provinces are shaded by their work count; other places
   are points. Clicking either opens its page (or, on the works list, the filtered list).
   Without script the map stays hidden and the page's list of places stands in for it. */
(function () {
  "use strict";
  var holder = document.getElementById("places-map");
  var source = document.getElementById("places-map-data");
  if (!holder || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  var CHINA = [[17.5, 73.5], [53.6, 135.1]];

  holder.hidden = false;
  var note = holder.parentNode.querySelector(".places-map-note");
  if (note) { note.hidden = false; }

  var map = L.map(holder, { zoomSnap: 0.25, minZoom: 2, maxZoom: 11, scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(data.attribution);
  // A view before any layer: Leaflet's vector renderer needs one to draw into.
  map.fitBounds(CHINA);

  // Tooltips from text nodes, never from markup: names are editors' input.
  function label(entry) {
    var box = document.createElement("span");
    var name = document.createElement("strong");
    name.textContent = entry.name;
    box.appendChild(name);
    box.appendChild(document.createTextNode(" · " + entry.text));
    return box;
  }
  function go(entry) { return function () { window.location.href = entry.url; }; }

  var most = 1;
  Object.keys(data.provinces).forEach(function (code) {
    most = Math.max(most, data.provinces[code].count);
  });
  data.points.forEach(function (point) { most = Math.max(most, point.count); });

  var focusLayer = null;
  if (window.chinaProvinces) {
    L.geoJSON(window.chinaProvinces, {
      style: function (feature) {
        var entry = data.provinces[feature.id];
        var count = entry ? entry.count : 0;
        return {
          color: "#8a7a6a",
          weight: 1,
          fillColor: count ? "#8a1c1c" : "#efe9df",
          fillOpacity: count ? 0.15 + 0.55 * count / most : 0.8
        };
      },
      onEachFeature: function (feature, layer) {
        var entry = data.provinces[feature.id];
        // Before the layer is drawn, so its path carries the code (tests find it by that).
        layer.options.className = "province province-" + feature.id;
        if (feature.id === data.focusCode) { focusLayer = layer; }
        if (!entry) {
          layer.bindTooltip(document.createTextNode(feature.properties.name), { sticky: true });
          return;
        }
        layer.bindTooltip(label(entry), { sticky: true });
        layer.on("click", go(entry));
      }
    }).addTo(map);
  }

  var bounds = [];
  data.points.forEach(function (point) {
    var marker = L.circleMarker([point.lat, point.lng], {
      radius: point.count ? 5 + Math.min(9, 3 * Math.sqrt(point.count)) : 3,
      color: "#ffffff",
      weight: 1.5,
      fillColor: point.count ? "#8a1c1c" : "#8a7a6a",
      fillOpacity: 0.9,
      className: "place-point"
    });
    marker.bindTooltip(label(point));
    marker.on("click", go(point));
    marker.addTo(map);
    bounds.push([point.lat, point.lng]);
  });

  function fit() {
    if (focusLayer) {
      map.fitBounds(focusLayer.getBounds(), { padding: [12, 12] });
    } else if (data.focus) {
      if (bounds.length > 1) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 9 });
      } else {
        map.setView(data.focus, 8);
      }
    } else {
      map.fitBounds(CHINA);
    }
  }
  fit();

  // Inside a folded <details> (the works filter on a phone) the map has no size until it
  // unfolds: measure again then.
  var fold = holder.closest("details");
  if (fold) {
    fold.addEventListener("toggle", function () {
      if (fold.open) { map.invalidateSize(); fit(); }
    });
  }
}());
