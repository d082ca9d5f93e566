// Passkeys: the WebAuthn ceremonies against Spring Security's endpoints (/webauthn/register/options,
// /webauthn/register, /webauthn/authenticate/options, /login/webauthn). An external file (CSP
// script-src 'self'); the CSRF token comes from <meta name="_csrf"> or the button's data attributes.
// Messages shown to the user come from the page (data-* attributes rendered from the bundles).
"use strict";
(() => {
  const b64 = {
    encode(buffer) {
      const text = String.fromCharCode(...new Uint8Array(buffer));
      return window.btoa(text).replace(/=/g, "").replace(/\+/g, "-").replace(/\//g, "_");
    },
    decode(value) {
      const text = window.atob(value.replace(/-/g, "+").replace(/_/g, "/"));
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        bytes[i] = text.charCodeAt(i);
      }
      return bytes.buffer;
    }
  };

  function csrf(element) {
    const header = document.querySelector('meta[name="_csrf_header"]');
    const token = document.querySelector('meta[name="_csrf"]');
    if (header && token) {
      return { [header.content]: token.content };
    }
    return { [element.dataset.csrfHeader]: element.dataset.csrfToken };
  }

  async function post(url, headers, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    if (!response.ok) {
      const error = new Error("HTTP " + response.status);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  function supported() {
    return !!(window.PublicKeyCredential && navigator.credentials);
  }

  function show(element, text) {
    if (!element) {
      return;
    }
    element.textContent = text;
    element.hidden = false;
  }

  async function register(urls, headers, label) {
    const options = await post(urls.optionsUrl, headers);
    const publicKey = {
      ...options,
      challenge: b64.decode(options.challenge),
      user: { ...options.user, id: b64.decode(options.user.id) },
      excludeCredentials: (options.excludeCredentials || []).map((c) => ({ ...c, id: b64.decode(c.id) }))
    };
    const created = await navigator.credentials.create({ publicKey });
    const response = created.response;
    const body = {
      publicKey: {
        label,
        credential: {
          id: created.id,
          rawId: b64.encode(created.rawId),
          type: created.type,
          response: {
            attestationObject: b64.encode(response.attestationObject),
            clientDataJSON: b64.encode(response.clientDataJSON),
            transports: response.getTransports ? response.getTransports() : []
          },
          clientExtensionResults: created.getClientExtensionResults(),
          authenticatorAttachment: created.authenticatorAttachment
        }
      }
    };
    const result = await post(urls.registerUrl, headers, body);
    if (!result || !result.success) {
      throw new Error("registration refused");
    }
  }

  async function authenticate(urls, headers) {
    const options = await post(urls.optionsUrl, headers);
    const publicKey = {
      ...options,
      challenge: b64.decode(options.challenge),
      allowCredentials: (options.allowCredentials || []).map((c) => ({ ...c, id: b64.decode(c.id) }))
    };
    const assertion = await navigator.credentials.get({ publicKey });
    const response = assertion.response;
    const body = {
      id: assertion.id,
      rawId: b64.encode(assertion.rawId),
      type: assertion.type,
      response: {
        authenticatorData: b64.encode(response.authenticatorData),
        clientDataJSON: b64.encode(response.clientDataJSON),
        signature: b64.encode(response.signature),
        userHandle: response.userHandle ? b64.encode(response.userHandle) : undefined
      },
      clientExtensionResults: assertion.getClientExtensionResults(),
      authenticatorAttachment: assertion.authenticatorAttachment
    };
    const result = await post(urls.signInUrl, headers, body);
    if (!result || !result.authenticated || !result.redirectUrl) {
      throw new Error("sign-in refused");
    }
    return result.redirectUrl;
  }

  // "Add a passkey" on /account/passkeys
  function setUpRegistration(form) {
    const error = document.getElementById("passkey-register-error");
    const status = document.getElementById("passkey-register-status");
    if (!supported()) {
      show(error, form.dataset.unsupported);
      form.querySelector("button").disabled = true;
      return;
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = form.querySelector("#passkey-label");
      const label = input.value.trim();
      error.hidden = true;
      if (!label) {
        show(error, form.dataset.labelRequired);
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      input.removeAttribute("aria-invalid");
      const button = form.querySelector("button");
      button.disabled = true;
      show(status, form.dataset.working);
      try {
        await register(form.dataset, csrf(form), label);
        window.location.href = form.dataset.done;
      } catch (e) {
        status.hidden = true;
        show(error, form.dataset.failed);
        button.disabled = false;
      }
    });
  }

  // "Sign in with a passkey" on the login page and the second-factor page
  function setUpSignIn(button) {
    const error = document.getElementById(button.dataset.errorId);
    if (!supported()) {
      button.hidden = true;
      return;
    }
    button.addEventListener("click", async () => {
      button.disabled = true;
      if (error) {
        error.hidden = true;
      }
      try {
        window.location.href = await authenticate(button.dataset, csrf(button));
      } catch (e) {
        show(error, button.dataset.failed);
        button.disabled = false;
        button.focus();
      }
    });
  }

  function start() {
    const form = document.getElementById("passkey-register");
    if (form) {
      setUpRegistration(form);
    }
    document.querySelectorAll("[data-passkey-sign-in]").forEach(setUpSignIn);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
