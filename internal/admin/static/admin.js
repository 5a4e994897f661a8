// Progressive help for the newsroom. Every form works without it; this
// adds a live Markdown preview, autosave of drafts, a warning before
// leaving unsaved edits, a media picker that inserts figures, "select
// all" boxes and delete confirmations.
(function () {
  "use strict";

  function csrfOf(form) {
    var el = form.querySelector('input[name="csrf"]');
    return el ? el.value : "";
  }

  // Confirmation for destructive buttons.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-confirm]");
    if (btn && !window.confirm(btn.getAttribute("data-confirm"))) {
      ev.preventDefault();
    }
    var bulk = ev.target.closest && ev.target.closest("[data-confirm-delete]");
    if (bulk && bulk.form) {
      var sel = bulk.form.querySelector('select[name="action"]');
      if (sel && sel.value === "delete" && !window.confirm(bulk.getAttribute("data-confirm-delete"))) {
        ev.preventDefault();
      }
    }
  });

  // "Select all" ticks every row box of its form.
  document.querySelectorAll(".check-all").forEach(function (all) {
    all.addEventListener("change", function () {
      all.form.querySelectorAll('input[name="ids"]').forEach(function (box) { box.checked = all.checked; });
    });
  });

  var form = document.getElementById("editor");
  if (!form) return;
  var body = form.querySelector("#body");
  var status = form.querySelector("#status");
  var note = document.getElementById("autosave-status");
  var dirty = false;
  var changedSinceSave = false;

  form.addEventListener("input", function () { dirty = true; changedSinceSave = true; });
  form.addEventListener("change", function () { dirty = true; changedSinceSave = true; });
  var inflight = null;
  form.addEventListener("submit", function (ev) {
    // A save that overtook a running autosave would carry the version
    // before it and be refused as stale: let the autosave land first.
    if (inflight) {
      ev.preventDefault();
      var submitter = ev.submitter;
      inflight.then(function () { form.requestSubmit(submitter); });
      return;
    }
    dirty = false;
  });
  window.addEventListener("beforeunload", function (ev) {
    if (dirty) {
      ev.preventDefault();
      ev.returnValue = "";
    }
  });

  // Live preview: the server renders, so it looks exactly like the page.
  var toggle = document.getElementById("preview-toggle");
  var pane = document.getElementById("preview");
  var previewURL = form.getAttribute("data-preview");
  var timer = null;
  function renderPreview() {
    var data = new FormData();
    data.append("csrf", csrfOf(form));
    data.append("body", body.value);
    fetch(previewURL, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
      .then(function (html) {
        // The renderer sanitises everything it returns.
        pane.innerHTML = html || "<p>" + form.getAttribute("data-msg-preview-empty") + "</p>";
      })
      .catch(function () {});
  }
  if (toggle && pane && previewURL && body) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      pane.hidden = !pane.hidden;
      toggle.setAttribute("aria-pressed", String(!pane.hidden));
      if (!pane.hidden) renderPreview();
    });
    body.addEventListener("input", function () {
      if (pane.hidden) return;
      clearTimeout(timer);
      timer = setTimeout(renderPreview, 500);
    });
  }

  // Search and sharing: the result and card previews follow the fields
  // as they are typed, by the same rules as the server's first drawing
  // (an empty SEO title falls back on the headline, an empty
  // description on the excerpt, then the opening of the text).
  var seo = document.getElementById("seo-preview");
  function val(id) {
    var el = form.querySelector("#" + id);
    return el ? el.value.replace(/\s+/g, " ").trim() : "";
  }
  function setText(id, text) {
    var el = document.getElementById(id);
    if (el) el.textContent = text;
  }
  function counter(el) {
    var out = document.getElementById(el.getAttribute("data-counter"));
    var max = parseInt(el.getAttribute("maxlength"), 10);
    var n = Array.from(el.value.replace(/\s+/g, " ").trim()).length;
    out.textContent = n + " / " + max;
    out.classList.toggle("over", n > max - 10);
  }
  // slugOf is the story's slug as the server will make it (package slug):
  // the one typed or stored, else the title's letters and digits joined
  // by hyphens.
  function slugOf() {
    var s = val("slug") || seo.getAttribute("data-slug") || val("title");
    s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").slice(0, 80).replace(/^-+|-+$/g, "");
    return s || "artikel";
  }
  function drawSEO() {
    var site = seo.getAttribute("data-site");
    var title = val("seo_title");
    var desc = val("meta_description") || val("excerpt") || seo.getAttribute("data-summary");
    setText("serp-title", title || (val("title") + " – " + site));
    setText("card-title", title || val("title"));
    setText("serp-desc", desc);
    setText("card-desc", desc);
    setText("serp-url", val("canonical_url") || seo.getAttribute("data-prefix") + slugOf());
    var img = val("social_image") || val("image_url");
    var pic = document.getElementById("card-image");
    if (img && !pic) {
      // The server draws no picture for a card without one.
      pic = document.createElement("img");
      pic.id = "card-image";
      pic.alt = "";
      var none = document.getElementById("card-noimage");
      none.parentNode.insertBefore(pic, none);
    }
    if (pic) {
      if (img) pic.setAttribute("src", img);
      pic.hidden = !img;
    }
    document.getElementById("card-noimage").hidden = !!img;
    var noindex = form.querySelector("#noindex");
    document.getElementById("serp-noindex").hidden = !(noindex && noindex.checked);
  }
  if (seo) {
    form.querySelectorAll("[data-counter]").forEach(function (el) {
      counter(el);
      el.addEventListener("input", function () { counter(el); });
    });
    ["title", "slug", "excerpt", "image_url", "seo_title", "meta_description", "social_image", "canonical_url", "noindex"].forEach(function (id) {
      var el = form.querySelector("#" + id);
      if (el) el.addEventListener(el.type === "checkbox" ? "change" : "input", drawSEO);
    });
  }

  // Media picker: the newest library images, each with a button that
  // puts its figure Markdown at the cursor, in a paragraph of its own.
  var pickToggle = document.getElementById("picker-toggle");
  var picker = document.getElementById("media-picker");
  if (pickToggle && picker && body) {
    var pickList = picker.querySelector(".picker-list");
    var pickSearch = picker.querySelector(".picker-search");
    var pickTimer = null;
    var insertAtCursor = function (snippet) {
      var start = body.selectionStart, end = body.selectionEnd;
      var before = body.value.slice(0, start), after = body.value.slice(end);
      var lead = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
      var tail = after === "" ? "\n" : (/^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n"));
      body.setRangeText(lead + snippet + tail, start, end, "end");
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    };
    var showItems = function (items) {
      pickList.textContent = "";
      if (!items.length) {
        var none = document.createElement("li");
        none.className = "empty";
        none.textContent = picker.getAttribute("data-empty");
        pickList.appendChild(none);
        return;
      }
      items.forEach(function (it) {
        var li = document.createElement("li");
        var img = document.createElement("img");
        img.src = it.thumb;
        img.alt = "";
        img.loading = "lazy";
        var label = document.createElement("span");
        label.textContent = it.label;
        var btn = document.createElement("button");
        btn.type = "button";
        btn.className = "secondary";
        btn.textContent = picker.getAttribute("data-insert");
        btn.setAttribute("aria-label", picker.getAttribute("data-insert") + ": " + it.label);
        btn.addEventListener("click", function () { insertAtCursor(it.snippet); });
        li.append(img, label, btn);
        pickList.appendChild(li);
      });
    };
    var loadItems = function () {
      var url = picker.getAttribute("data-url");
      if (pickSearch.value.trim()) url += "?q=" + encodeURIComponent(pickSearch.value.trim());
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
        .then(function (data) { showItems(data.items || []); })
        .catch(function () { pickList.textContent = picker.getAttribute("data-failed"); });
    };
    pickToggle.hidden = false;
    pickToggle.addEventListener("click", function () {
      picker.hidden = !picker.hidden;
      pickToggle.setAttribute("aria-expanded", String(!picker.hidden));
      if (!picker.hidden) loadItems();
    });
    // The search box is not part of the article: typing in it is no edit,
    // and Enter must not submit the editor.
    ["input", "change"].forEach(function (type) {
      pickSearch.addEventListener(type, function (ev) { ev.stopPropagation(); });
    });
    pickSearch.addEventListener("input", function () {
      clearTimeout(pickTimer);
      pickTimer = setTimeout(loadItems, 300);
    });
    pickSearch.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); loadItems(); }
    });
  }

  // Autosave of drafts every 20 seconds while something changed.
  var autosaveURL = form.getAttribute("data-autosave");
  if (!autosaveURL || !status) return;
  var stopped = false;
  function autosave() {
    var stored = form.getAttribute("data-stored-status");
    if (stopped || !changedSinceSave || status.value !== "draft" || (stored && stored !== "draft")) return;
    changedSinceSave = false;
    inflight = fetch(autosaveURL, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (res) {
        if (res.status === 204) return null;
        var type = res.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") < 0) return Promise.reject("session");
        return res.json().then(function (data) {
          if (!res.ok) {
            if (res.status === 409 || res.status === 403) stopped = true;
            return Promise.reject(data.error || "");
          }
          return data;
        });
      })
      .then(function (data) {
        if (!data) return;
        form.querySelector('input[name="id"]').value = data.id;
        form.querySelector('input[name="version"]').value = data.version;
        if (form.getAttribute("action") !== data.edit_url) {
          form.setAttribute("action", data.edit_url);
          form.setAttribute("data-stored-status", "draft");
          history.replaceState(null, "", data.edit_url);
        }
        if (!changedSinceSave) dirty = false;
        if (note) note.textContent = form.getAttribute("data-msg-autosaved").replace("%s", data.saved_at);
      })
      .catch(function (msg) {
        changedSinceSave = true;
        if (note) note.textContent = (typeof msg === "string" && msg && msg !== "session") ? msg : form.getAttribute("data-msg-autosave-failed");
      })
      .then(function () { inflight = null; });
  }
  setInterval(autosave, 20000);
})();
