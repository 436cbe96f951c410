/* The virtual CNIE played by the browser (Web Crypto): the card file is opened with the PIN
   on this device, the challenge is signed here, and only the Web eID token is sent.
   Same steps as `idara card sign`: PBKDF2-HMAC-SHA256 + AES-256-GCM open the sealed PKCS#8
   key (identity/sealing.py), ES256 signs SHA-256(origin) || SHA-256(nonce) and returns r || s
   (identity/card_crypto.py). Without JavaScript or Web Crypto, the form goes to the
   server's virtual reader instead. */
(function () {
  "use strict";
  var form = document.getElementById("card-reader");
  var tokenForm = document.getElementById("card-token-form");
  var message = document.getElementById("card-local-error");
  if (!form || !tokenForm || !message || !window.crypto || !window.crypto.subtle) {
    return;
  }
  var subtle = window.crypto.subtle;
  var encoder = new TextEncoder();

  function fromBase64(text) {
    var raw = atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function toBase64(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i += 1) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw);
  }

  function toHex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function sha256(text) {
    return subtle.digest("SHA-256", encoder.encode(text));
  }

  function fail(kind) {
    message.textContent = message.getAttribute("data-" + kind);
    message.hidden = false;
    message.focus();
  }

  async function openKey(card, pin) {
    var box = card.key_pin;
    if (!box || box.kdf !== "PBKDF2-HMAC-SHA256" || box.aead !== "AES-256-GCM") {
      throw new Error("format");
    }
    var aad = "idara-cnie:pin:" + card.card_number + ":" + toHex(await sha256(card.certificate));
    var base = await subtle.importKey("raw", encoder.encode(pin), "PBKDF2", false, ["deriveKey"]);
    var aes = await subtle.deriveKey(
      { name: "PBKDF2", salt: fromBase64(box.salt), iterations: box.iterations, hash: "SHA-256" },
      base, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
    var pkcs8;
    try {
      pkcs8 = await subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64(box.nonce), additionalData: encoder.encode(aad) },
        aes, fromBase64(box.ciphertext));
    } catch (wrongPin) {
      throw new Error("pin");
    }
    return subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  }

  form.addEventListener("submit", async function (event) {
    var file = form.elements.card_file.files[0];
    var pin = form.elements.pin.value;
    if (!file || !form.checkValidity()) {
      return; // the browser shows what is missing
    }
    event.preventDefault();
    message.hidden = true;
    var card;
    try {
      card = JSON.parse(await file.text());
    } catch (notJson) {
      fail("file");
      return;
    }
    if (!card || card.format !== "idara-virtual-cnie/1" || typeof card.certificate !== "string") {
      fail("file");
      return;
    }
    if (card.pin_tries_left === 0) {
      fail("blocked");
      return;
    }
    var key;
    try {
      key = await openKey(card, pin);
    } catch (error) {
      fail(error.message === "pin" ? "pin" : "file");
      return;
    }
    var origin = await sha256(form.getAttribute("data-origin"));
    var nonce = await sha256(form.getAttribute("data-nonce"));
    var signed = new Uint8Array(64);
    signed.set(new Uint8Array(origin), 0);
    signed.set(new Uint8Array(nonce), 32);
    var signature = await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, signed);
    form.elements.pin.value = "";
    tokenForm.elements.token.value = JSON.stringify({
      unverifiedCertificate: card.certificate,
      algorithm: "ES256",
      signature: toBase64(signature),
      format: "web-eid:1.0",
      appVersion: "https://idara.invalid/virtual-cnie-web/1.0"
    });
    tokenForm.submit();
  });
}());
