/* The lesson page's learning loop over fetch(): run the tests, autosave the draft, reset, hints.
   Every action also works as a plain form post when this script does not run. */
(function () {
  "use strict";

  var form = document.getElementById("editor-form");
  if (!form) return;
  var editorRoot = form.querySelector("[data-editor]");
  var textarea = form.querySelector("textarea[name=code]");
  var submitButton = form.querySelector("[data-submit]");
  var results = document.querySelector("[data-results]");
  var announce = document.querySelector("[data-announce]");
  var hints = document.querySelector("[data-hints]");
  var saveStatus = form.querySelector("[data-save-status]");
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var AUTOSAVE_MS = 1200;
  var saveTimer = null;
  var lastSaved = textarea.value;

  function post(url, data) {
    var body = new URLSearchParams(data || {});
    return fetch(url, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": token },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") === -1) {
        // A login page instead of JSON: the session ended while the page was open.
        throw new Error("Your session has ended. Reload the page and log in again; your last saved draft is kept.");
      }
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) {
          var error = (json && json.error) || {};
          var message = error.message || "Something went wrong. Please try again.";
          throw new Error(message);
        }
        return json;
      });
    });
  }

  function say(text) {
    // Clear first so the same sentence twice is announced twice.
    announce.textContent = "";
    window.setTimeout(function () { announce.textContent = text; }, 50);
  }

  function showError(message) {
    results.innerHTML = "";
    var p = document.createElement("p");
    p.className = "form-error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    results.appendChild(p);
  }

  function setBusy(busy) {
    submitButton.disabled = busy;
    submitButton.setAttribute("aria-busy", busy ? "true" : "false");
    submitButton.classList.toggle("is-busy", busy);
    submitButton.querySelector("[data-label]").textContent = busy ? "Running the tests…" : "Run the tests";
    results.setAttribute("aria-busy", busy ? "true" : "false");
  }

  // Bring the results into view inside the sticky workbench without scrolling the lesson text.
  function reveal(card) {
    var bench = card.closest(".workbench");
    if (!bench || bench.scrollHeight <= bench.clientHeight || getComputedStyle(bench).position !== "sticky") {
      card.scrollIntoView({ block: "nearest" });
      return;
    }
    var top = card.offsetTop;
    var bottom = top + card.offsetHeight;
    if (bottom > bench.scrollTop + bench.clientHeight) {
      bench.scrollTop = Math.min(top - 8, bottom - bench.clientHeight + 8);
    }
  }

  function setSaveStatus(text) { if (saveStatus) saveStatus.textContent = text; }

  function saveDraft() {
    window.clearTimeout(saveTimer);
    var code = textarea.value;
    if (code === lastSaved) { setSaveStatus("Draft saved"); return Promise.resolve(); }
    setSaveStatus("Saving…");
    return post(form.dataset.draftUrl, { code: code }).then(function () {
      lastSaved = code;
      setSaveStatus("Draft saved");
    }).catch(function (error) { setSaveStatus(error.message); });
  }

  textarea.addEventListener("input", function () {
    window.clearTimeout(saveTimer);
    setSaveStatus("Unsaved changes");
    saveTimer = window.setTimeout(saveDraft, AUTOSAVE_MS);
  });
  window.addEventListener("pagehide", function () {
    if (textarea.value !== lastSaved && navigator.sendBeacon) {
      var data = new FormData();
      data.append("code", textarea.value);
      data.append("csrf_token", token);
      data.append("quiet", "1"); // no "draft saved" message waiting on the next page
      navigator.sendBeacon(form.dataset.draftUrl, data);
    }
  });

  function runTests() {
    window.clearTimeout(saveTimer);
    setBusy(true);
    say("Running the tests…");
    var code = textarea.value;
    post(form.action, { code: code }).then(function (data) {
      lastSaved = code; // the server saves the draft with every submission
      setSaveStatus("Draft saved");
      results.innerHTML = data.html;
      say(data.summary);
      var done = results.querySelector("#completion-title");
      if (done) done.focus({ preventScroll: true });
      reveal(results.closest(".results-card"));
    }).catch(function (error) {
      showError(error.message);
      say(error.message);
    }).then(function () { setBusy(false); });
  }

  function resetToStarter() {
    if (!window.confirm("Replace your code with the starter code? Your current code will be lost.")) return;
    window.clearTimeout(saveTimer);
    post(form.dataset.resetUrl).then(function (data) {
      editorRoot.editor ? editorRoot.editor.setValue(data.code) : (textarea.value = data.code);
      lastSaved = data.code;
      setSaveStatus("Back to the starter code");
      textarea.focus();
    }).catch(function (error) { showError(error.message); });
  }

  function askAiHint(button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    post(button.getAttribute("formaction"), { code: textarea.value }).then(function (data) {
      hints.innerHTML = data.html;
      say("AI hint: " + data.text);
      var shown = document.getElementById("ai-hint");
      if (shown) shown.focus();
    }).catch(function (error) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      say(error.message);
      var p = document.createElement("p");
      p.className = "form-error";
      p.textContent = error.message;
      hints.appendChild(p);
    });
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    event.preventDefault();
    if (submitter && submitter.hasAttribute("data-reset")) return resetToStarter();
    if (submitter && submitter.hasAttribute("data-save")) return saveDraft();
    if (submitter && submitter.hasAttribute("data-ai-hint")) return askAiHint(submitter);
    if (submitButton.disabled) return;
    runTests();
  });

  // Hint buttons live outside the editor form and are replaced after each reveal: delegate.
  hints.addEventListener("submit", function (event) {
    var hintForm = event.target.closest("[data-hint-form]");
    if (!hintForm) return;
    event.preventDefault();
    var button = hintForm.querySelector("button");
    button.disabled = true;
    post(hintForm.action).then(function (data) {
      hints.innerHTML = data.html;
      var newest = document.getElementById("hint-" + data.revealed);
      if (newest) { newest.focus(); say(newest.textContent); }
    }).catch(function (error) { button.disabled = false; say(error.message); });
  });
  // The AI hint button submits the editor form (it needs the code) from outside it.
  hints.addEventListener("click", function (event) {
    var button = event.target.closest("[data-ai-hint]");
    if (!button) return;
    event.preventDefault();
    askAiHint(button);
  });
})();
