// Mounts GraphiQL on learngraph's playground page, with the README's
// questions in an "Examples" panel. The page's Content-Security-Policy
// allows scripts from this server only, so this is a file of its own, not
// an inline script; what it needs from the server comes as JSON in
// #learngraph-config. React, ReactDOM and GraphiQL are the UMD builds the
// page loads before this file.
(function () {
  "use strict";

  var root = document.getElementById("graphiql");
  var config = JSON.parse(document.getElementById("learngraph-config").textContent);

  // GraphiQL's dialogs (react-remove-scroll) add one <style> element and
  // give it this nonce, which the page's policy allows.
  window.__webpack_nonce__ = config.styleNonce;

  if (!window.React || !window.ReactDOM || !window.GraphiQL) {
    root.textContent = "The playground's scripts did not load. POST GraphQL queries to " + config.endpoint + ".";
    return;
  }

  var h = React.createElement;
  var useEditorContext = GraphiQL.React.useEditorContext;
  var useExecutionContext = GraphiQL.React.useExecutionContext;

  // openedOnce: the Examples panel is opened once, when the page loads.
  var openedOnce = false;

  function ExamplesIcon() {
    var ref = React.useRef(null);
    // GraphiQL 4 ignores its visiblePlugin prop on the first render and
    // keeps the plugin pane hidden, so open the panel the way a person
    // would: with its button in the sidebar.
    React.useEffect(function () {
      var button = ref.current && ref.current.closest("button");
      if (openedOnce || !button) return;
      openedOnce = true;
      if (button.getAttribute("aria-label") === "Show Examples") button.click();
    }, []);
    // A question mark in a circle, drawn like GraphiQL's own icons.
    return h("svg", {
      ref: ref, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor",
      strokeWidth: 1.5, strokeLinecap: "round", "aria-hidden": "true"
    },
      h("circle", { cx: 12, cy: 12, r: 10.25 }),
      h("path", { d: "M9.25 9.5a2.75 2.75 0 1 1 3.9 2.5c-.7.33-1.15 1-1.15 1.77v.73" }),
      h("path", { d: "M12 17.25v.5" }));
  }

  function link(href, text) {
    return h("a", { href: href, target: "_blank", rel: "noopener" }, text);
  }

  // Examples lists the questions; a click puts one in the query editor and
  // runs it, the way GraphiQL's history panel restores a query.
  function Examples() {
    var editors = useEditorContext({ nonNull: true, caller: Examples });
    var execution = useExecutionContext({ nonNull: true, caller: Examples });
    var credits = [];
    config.packages.forEach(function (p, i) {
      if (i > 0) credits.push(", ");
      credits.push(link(p.license, p.name + " " + p.version));
    });
    return h("section", { className: "graphiql-history learngraph-examples", "aria-label": "Examples" },
      h("div", { className: "graphiql-history-header" }, "Examples"),
      h("p", { className: "learngraph-examples-intro" },
        "Questions this curriculum answers. Click one to run it."),
      h("ul", { className: "graphiql-history-items" },
        config.examples.map(function (example, i) {
          return h("li", { key: i, className: "graphiql-history-item" },
            h("button", {
              type: "button",
              className: "graphiql-un-styled graphiql-history-item-label",
              "data-example": String(i),
              onClick: function () {
                if (!editors.queryEditor) return;
                if (execution.isFetching) execution.stop();
                editors.queryEditor.setValue(example.query);
                if (editors.variableEditor) editors.variableEditor.setValue("");
                execution.run();
              }
            }, example.title));
        })),
      h("p", { className: "learngraph-credits" },
        "Served from this server, offline: ", credits, " (",
        link(config.notices, "bundled licences"), ")."));
  }

  var examplesPlugin = { title: "Examples", icon: ExamplesIcon, content: Examples };

  root.className = "";
  ReactDOM.createRoot(root).render(h(GraphiQL, {
    fetcher: GraphiQL.createFetcher({ url: config.endpoint }),
    defaultQuery: config.examples[0].query,
    plugins: [examplesPlugin],
    storage: GraphiQL.createLocalStorage({ namespace: "learngraph" })
  }));
})();
