// Progressive help for the comment form. Everything works without it:
// reply links are plain links and the form posts normally.
(function () {
  "use strict";
  var form = document.querySelector(".comment-form");
  if (!form) return;
  var respond = document.getElementById("balas");
  var title = document.getElementById("balas-judul");
  var parentInput = document.getElementById("comment-parent");
  var home = respond.parentNode, homeNext = respond.nextSibling;
  var originalTitle = title.innerHTML;

  // After a refused post the page comes back with the errors: take the
  // keyboard (and a screen reader) to their summary, which is announced
  // as an alert and is followed by the fields, each described by its own
  // message.
  // The browser scrolls to the form (#balas) after the page has loaded,
  // which would take the focus away again, so this waits for that.
  var summary = document.getElementById("form-error");
  if (summary) {
    window.addEventListener("load", function () {
      setTimeout(function () { summary.focus(); }, 0);
    });
  }

  // Fill name, email and website from the cookies the server set when the
  // reader ticked "Simpan nama, email, dan situs web saya …".
  var fields = { warta_nama: "comment-name", warta_email: "comment-email", warta_situs: "comment-url" };
  document.cookie.split("; ").forEach(function (pair) {
    var i = pair.indexOf("=");
    var id = fields[pair.slice(0, i)];
    if (!id) return;
    var el = document.getElementById(id);
    var value = decodeURIComponent(pair.slice(i + 1).replace(/\+/g, " "));
    if (el && !el.value && value) {
      el.value = value;
      document.getElementById("comment-consent").checked = true;
    }
  });

  // Move the form under the comment being answered.
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest(".reply-link");
    if (!link) return;
    ev.preventDefault();
    var li = document.getElementById("comment-" + link.dataset.parent);
    li.querySelector("article").after(respond);
    parentInput.value = link.dataset.parent;
    title.textContent = (form.dataset.reply || "") + link.dataset.name + " ";
    var cancel = document.createElement("a");
    cancel.href = "#balas";
    cancel.id = "batal-balas";
    cancel.textContent = form.dataset.cancel || "×";
    var small = document.createElement("small");
    small.appendChild(cancel);
    title.appendChild(small);
    document.getElementById("comment-body").focus();
  });
  document.addEventListener("click", function (ev) {
    if (!ev.target || ev.target.id !== "batal-balas" || !parentInput.value) return;
    ev.preventDefault();
    parentInput.value = "";
    title.innerHTML = originalTitle;
    home.insertBefore(respond, homeNext);
  });

  // Never lose what was typed: keep a draft per page until it is sent.
  var body = document.getElementById("comment-body");
  var key = "warta-draft:" + location.pathname;
  try {
    if (!body.value && localStorage.getItem(key)) body.value = localStorage.getItem(key);
    body.addEventListener("input", function () { localStorage.setItem(key, body.value); });
    form.addEventListener("submit", function () { localStorage.removeItem(key); });
  } catch (e) { /* storage may be disabled */ }
})();
