/* The signing page (inspections/inspections/sign.html): a signature pad on the canvas; on
 * submit the drawing goes into the hidden "signature" field as a PNG data: URL. The fields of
 * the institution's representative show only when the representative signs. */
(function () {
  "use strict";
  var form = document.getElementById("signature-form");
  if (!form || typeof window.SignaturePad !== "function") {
    return;
  }
  var canvas = document.getElementById("signature-canvas");
  var field = form.querySelector("input[name=signature]");
  var empty = document.getElementById("signature-empty");
  var pad = new window.SignaturePad(canvas, { minWidth: 1, maxWidth: 3, penColor: "#111" });

  // The canvas is drawn at the screen's pixel density, and redrawn when the phone turns.
  function fit() {
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    var strokes = pad.toData();
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    pad.fromData(strokes);
  }
  window.addEventListener("resize", fit);
  fit();

  document.getElementById("signature-clear").addEventListener("click", function () {
    pad.clear();
  });
  pad.addEventListener("beginStroke", function () {
    empty.hidden = true;
  });

  form.addEventListener("submit", function (event) {
    if (pad.isEmpty()) {
      event.preventDefault();
      empty.hidden = false;
      return;
    }
    field.value = pad.toDataURL("image/png");
  });

  var signer = form.querySelector("select[name=signer]");
  var representativeOnly = ["signer_name", "signer_position"].map(function (name) {
    var input = form.querySelector("[name=" + name + "]");
    return input ? input.closest(".field") : null;
  });
  function toggle() {
    var representative = signer.value === "institution";
    representativeOnly.forEach(function (block) {
      if (block) {
        block.hidden = !representative;
      }
    });
  }
  if (signer) {
    signer.addEventListener("change", toggle);
    toggle();
  }
})();
