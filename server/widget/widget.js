// learngraph's <learngraph-next-up> widget: what to study next, for a page
// on any site. A site adds two lines:
//
//   <script src="https://LEARNGRAPH-HOST/widget.js" defer></script>
//   <learngraph-next-up known="ownership,traits" path="web"></learngraph-next-up>
//
// Attributes: known (comma-separated concepts the reader knows, by id, name
// or alias), path (optional domain path), first (how many, default 5) and
// endpoint (default: /graphql on the server this script came from).
//
// It has no dependencies and needs nothing a strict Content-Security-Policy
// forbids: no eval, no inline script, no style attributes. Its styles are a
// constructed stylesheet adopted by its shadow root (adoptedStyleSheets),
// which a page's style-src does not govern, so the host page need not
// allow 'unsafe-inline'; only browsers without constructable stylesheets get
// a <style> element instead. Text from the API is set as text, never as
// HTML.
(function () {
  "use strict";

  // The query is persisted (automatic persisted queries): the widget sends
  // its SHA-256, computed when the widget was built (a Go test checks it),
  // and sends the text only when the server does not know the hash yet.
  var QUERY = "query LearngraphNextUp($known: [String!]!, $path: String, $first: Int = 5) { nextUp(known: $known, path: $path, first: $first) { concept { id name } reason crates(first: 8) { id name } } }";
  var QUERY_HASH = "1720f248aa0aaa0ac0b4c948353e19e4ca75a1307bcf91384c496ba10fd4253b";
  var OPERATION = "LearngraphNextUp";
  var TAG = "learngraph-next-up";
  var TIMEOUT_MS = 10000;

  if (!window.customElements || window.customElements.get(TAG)) {
    return;
  }

  // The default endpoint is the server the script was loaded from. The
  // script knows that only while it first runs, so it is read now.
  var script = document.currentScript;
  var DEFAULT_ENDPOINT = script && script.src ? new URL("/graphql", script.src).href : "";

  var MESSAGES = {
    loading: "Loading recommendations…",
    refused: "Recommendations are not available on this site: the learngraph server does not allow this site's origin.",
    unavailable: "Recommendations are unavailable right now: the learngraph server could not be reached.",
    busy: "Recommendations are unavailable right now: the learngraph server is busy. Try again later.",
    empty: "Nothing to study next: every concept is known, or none is ready yet.",
    noEndpoint: "Recommendations are unavailable: set the endpoint attribute to the learngraph server's /graphql URL."
  };

  var CSS = [
    ":host { display: block; font: inherit; color: inherit; }",
    ":host([hidden]) { display: none; }",
    ".widget { border: 1px solid var(--learngraph-border, #d0d7de); border-radius: 8px; padding: 0.75em 1em; }",
    ".title { font-size: 1.1em; margin: 0 0 0.5em; }",
    ".recs { list-style: none; margin: 0; padding: 0; }",
    ".rec { padding: 0.5em 0; border-top: 1px solid var(--learngraph-border, #d0d7de); }",
    ".rec:first-child { border-top: 0; }",
    ".name { font-size: 1em; margin: 0; color: var(--learngraph-accent, #0b5cad); }",
    ".reason { margin: 0.25em 0; }",
    ".crates { display: flex; flex-wrap: wrap; gap: 0.35em; list-style: none; margin: 0.25em 0 0; padding: 0; }",
    ".crates-label { font-size: 0.85em; margin-right: 0.25em; }",
    ".crate { font-family: ui-monospace, monospace; font-size: 0.85em; padding: 0 0.4em; border-radius: 4px; background: var(--learngraph-crate-bg, #eef2f6); }",
    ".status { margin: 0; font-size: 0.95em; }",
    ".status:empty { display: none; }",
    ":host([data-state=refused]) .status, :host([data-state=unavailable]) .status, :host([data-state=error]) .status { color: var(--learngraph-error, #a40e26); }"
  ].join("\n");

  // One constructed stylesheet serves every widget on the page.
  var sheet = null;
  function addStyles(root) {
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
      try {
        if (!sheet) {
          sheet = new CSSStyleSheet();
          sheet.replaceSync(CSS);
        }
        root.adoptedStyleSheets = [sheet];
        return;
      } catch (e) {
        // fall through to a <style> element
      }
    }
    var style = document.createElement("style");
    style.textContent = CSS;
    root.appendChild(style);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
      node.setAttribute("part", className);
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // Failure is the error the widget throws for an answer it cannot show;
  // kind picks the message.
  function Failure(kind, message) {
    this.kind = kind;
    this.message = message || "";
  }

  async function get(endpoint, params, signal) {
    var url = new URL(endpoint);
    Object.keys(params).forEach(function (k) {
      url.searchParams.set(k, params[k]);
    });
    // A GET with no custom headers is a simple request: no preflight, and
    // the browser's cache revalidates it with If-None-Match.
    var resp = await fetch(url.href, {
      method: "GET",
      mode: "cors",
      credentials: "omit",
      headers: { Accept: "application/json" },
      signal: signal
    });
    if (resp.status === 429) {
      throw new Failure("busy");
    }
    var type = resp.headers.get("Content-Type") || "";
    if (type.indexOf("json") < 0) {
      throw new Failure("unavailable");
    }
    var body = await resp.json();
    if (!body || typeof body !== "object" || (!resp.ok && !body.errors)) {
      throw new Failure("unavailable");
    }
    return body;
  }

  function hasCode(body, code) {
    return (body.errors || []).some(function (e) {
      return e && e.extensions && e.extensions.code === code;
    });
  }

  // query runs the persisted query: by hash, then, when the server does
  // not know the hash, once more with the text, which registers it.
  async function query(endpoint, variables, signal) {
    var params = {
      operationName: OPERATION,
      variables: JSON.stringify(variables),
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: QUERY_HASH } })
    };
    var body = await get(endpoint, params, signal);
    if (hasCode(body, "PERSISTED_QUERY_NOT_FOUND")) {
      params.query = QUERY;
      body = await get(endpoint, params, signal);
    }
    return body;
  }

  // reachable tells a refused origin from a server that is down: fetch
  // fails with the same TypeError for both, but a no-cors request, whose
  // answer the page cannot read, succeeds whenever the server answers.
  async function reachable(endpoint, signal) {
    try {
      await fetch(new URL("/healthz", endpoint).href, {
        mode: "no-cors", credentials: "omit", cache: "no-store", signal: signal
      });
      return true;
    } catch (e) {
      return false;
    }
  }

  class NextUp extends HTMLElement {
    static get observedAttributes() {
      return ["known", "path", "first", "endpoint"];
    }

    constructor() {
      super();
      this._root = this.attachShadow({ mode: "open" });
      addStyles(this._root);
      var section = el("section", "widget");
      section.setAttribute("aria-label", "What to study next");
      this._title = el("h2", "title", "Next up");
      this._list = el("ol", "recs");
      this._status = el("p", "status");
      this._status.setAttribute("role", "status");
      this._status.setAttribute("aria-live", "polite");
      section.appendChild(this._title);
      section.appendChild(this._list);
      section.appendChild(this._status);
      this._root.appendChild(section);
      this._section = section;
      this._pending = false;
      this._controller = null;
    }

    connectedCallback() {
      this._schedule();
    }

    disconnectedCallback() {
      if (this._controller) {
        this._controller.abort();
        this._controller = null;
      }
    }

    attributeChangedCallback() {
      if (this.isConnected) {
        this._schedule();
      }
    }

    // Several attributes set in a row make one request.
    _schedule() {
      if (this._pending) {
        return;
      }
      this._pending = true;
      var self = this;
      queueMicrotask(function () {
        self._pending = false;
        self._load();
      });
    }

    _variables() {
      var known = (this.getAttribute("known") || "").split(",")
        .map(function (s) { return s.trim(); })
        .filter(function (s) { return s !== ""; });
      var first = parseInt(this.getAttribute("first") || "5", 10);
      if (!(first >= 1)) {
        first = 5;
      }
      var vars = { known: known, first: Math.min(first, 100) };
      var path = (this.getAttribute("path") || "").trim();
      if (path) {
        vars.path = path;
      }
      return vars;
    }

    _state(state, message) {
      this.setAttribute("data-state", state);
      this._section.setAttribute("aria-busy", state === "loading" ? "true" : "false");
      this._status.textContent = message || "";
    }

    async _load() {
      if (this._controller) {
        this._controller.abort();
      }
      var controller = new AbortController();
      this._controller = controller;
      var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
      var endpoint = this.getAttribute("endpoint") || DEFAULT_ENDPOINT;
      this._list.replaceChildren();
      if (!endpoint) {
        clearTimeout(timer);
        this._state("error", MESSAGES.noEndpoint);
        return;
      }
      this._state("loading", MESSAGES.loading);
      var state, message, recs = [];
      try {
        var body = await query(endpoint, this._variables(), controller.signal);
        if (body.errors && body.errors.length) {
          state = "error";
          message = "Could not get recommendations: " + String(body.errors[0].message || "the server refused the request") + ".";
          message = message.replace(/\.\.$/, ".");
        } else {
          recs = (body.data && body.data.nextUp) || [];
          state = recs.length ? "ready" : "empty";
          message = recs.length ? "" : MESSAGES.empty;
        }
      } catch (e) {
        if (this._controller !== controller) {
          return; // a newer request replaced this one
        }
        if (e instanceof Failure) {
          state = e.kind;
        } else if (e && e.name === "AbortError") {
          state = "unavailable";
        } else {
          // A TypeError: the request failed before an answer could be read.
          state = (await reachable(endpoint, controller.signal)) ? "refused" : "unavailable";
        }
        message = MESSAGES[state];
      } finally {
        clearTimeout(timer);
      }
      if (this._controller !== controller) {
        return;
      }
      this._controller = null;
      this._render(recs);
      this._state(state, message);
    }

    _render(recs) {
      var list = this._list;
      recs.forEach(function (rec) {
        if (!rec || !rec.concept) {
          return;
        }
        var item = el("li", "rec");
        item.setAttribute("data-id", rec.concept.id);
        item.appendChild(el("h3", "name", rec.concept.name));
        item.appendChild(el("p", "reason", rec.reason));
        var crates = rec.crates || [];
        if (crates.length) {
          var label = el("span", "crates-label", "Crates:");
          var ul = el("ul", "crates");
          ul.setAttribute("aria-label", "Crates for " + rec.concept.name);
          crates.forEach(function (c) {
            ul.appendChild(el("li", "crate", c.name));
          });
          item.appendChild(label);
          item.appendChild(ul);
        }
        list.appendChild(item);
      });
    }
  }

  window.customElements.define(TAG, NextUp);
})();
