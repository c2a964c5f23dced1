/* "Use my location" on the meeting finder, added only when the browser can do it.
   The position is asked for only when the person presses the button (never on page load),
   goes into the form's hidden lat/lon fields, and is sent only with the search itself.
   The browser's time zone is filled in too, so online meetings can show "your time". */
(function () {
  "use strict";
  var form = document.querySelector(".finder-form");
  if (!form) { return; }
  var tz = form.querySelector("input[name=tz]");
  try {
    if (tz && !tz.value && window.Intl) { tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; }
  } catch (e) { /* an old browser: times stay in each meeting's own zone */ }
  var box = form.querySelector("[data-near-me]");
  if (!box || !("geolocation" in navigator)) { return; }
  var button = box.querySelector("[data-near-me-button]");
  var status = box.querySelector("[data-near-me-status]");
  var lat = form.querySelector("input[name=lat]");
  var lon = form.querySelector("input[name=lon]");
  var place = form.querySelector("input[name=place]");
  box.hidden = false;
  // Typing a place again means "not my location any more".
  if (place) {
    place.addEventListener("input", function () { lat.value = ""; lon.value = ""; status.textContent = ""; });
  }
  button.addEventListener("click", function () {
    status.textContent = button.dataset.asking;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      // Three decimals (about 100 m) is plenty for "meetings within 5 km" and shares less.
      lat.value = position.coords.latitude.toFixed(3);
      lon.value = position.coords.longitude.toFixed(3);
      if (place) { place.value = ""; }
      status.textContent = button.dataset.found;
      button.disabled = false;
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }, function (error) {
      status.textContent = error && error.code === 1 ? button.dataset.denied : button.dataset.unavailable;
      button.disabled = false;
      if (place) { place.focus(); }
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
}());
